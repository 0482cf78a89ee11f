// Who a referral may pay (issue 16): one mailbox however it is written, one phone however it is
// written, and the referrer's cap — an owner's setting of the program, 10 unless said otherwise.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultProgram, programSchema, REFERRAL_MONTHLY_CAP } from '../../server/domain/program.ts';
import { mailbox, overReferralCap, phoneKey, referralRefusal } from '../../server/domain/referrals.ts';

describe('mailbox', () => {
  const same: Array<[string, string]> = [
    ['alice@example.com', 'alice+1@example.com'],
    ['alice@example.com', 'Alice@Example.COM'],
    ['alice@example.com', '  alice+loyalty+2@example.com '],
    ['alice.martin@gmail.com', 'alicemartin@gmail.com'],
    ['alice.martin@gmail.com', 'A.l.i.c.e.Martin+cafe@googlemail.com'],
  ];
  for (const [a, b] of same) {
    it(`${b} is ${a}`, () => assert.equal(mailbox(b), mailbox(a)));
  }

  const different: Array<[string, string]> = [
    ['alice.martin@example.com', 'alicemartin@example.com'], // dots count outside Gmail
    ['alice@example.com', 'alice@example.org'],
    ['alice@example.com', 'alice2@example.com'],
  ];
  for (const [a, b] of different) {
    it(`${b} is not ${a}`, () => assert.notEqual(mailbox(b), mailbox(a)));
  }

  it('keeps an address without a local part or a tag as it is (lower case)', () => {
    assert.equal(mailbox('+tag@example.com'), '+tag@example.com');
    assert.equal(mailbox('Nobody'), 'nobody');
  });
});

describe('phoneKey', () => {
  it('is the same for one number written three ways', () => {
    const keys = ['+33 6 12 34 56 78', '0033612345678', '06.12.34.56.78'].map(phoneKey);
    assert.deepEqual(new Set(keys), new Set(['612345678']));
  });

  it('differs for another number, and is undefined for too few digits or none', () => {
    assert.notEqual(phoneKey('06 12 34 56 79'), phoneKey('06 12 34 56 78'));
    for (const p of [undefined, null, '', '12-34', '(+)']) assert.equal(phoneKey(p), undefined);
  });
});

describe('referralRefusal', () => {
  const alice = { email: 'alice@example.com', phone: '+33 6 12 34 56 78' };

  it('refuses the referrer’s own mailbox: alice+1@example.com using Alice’s code', () => {
    assert.equal(referralRefusal(alice, { email: 'alice+1@example.com' }), 'self');
    assert.equal(referralRefusal(alice, { email: 'ALICE@example.com', phone: '07 00 00 00 00' }), 'self');
  });

  it('refuses a friend with the referrer’s phone', () => {
    assert.equal(referralRefusal(alice, { email: 'bob@example.com', phone: '06 12 34 56 78' }), 'same_phone');
  });

  it('pays a friend with another mailbox and another phone, or none', () => {
    assert.equal(referralRefusal(alice, { email: 'bob@example.com', phone: '06 99 99 99 99' }), null);
    assert.equal(referralRefusal(alice, { email: 'bob@example.com' }), null);
    assert.equal(referralRefusal({ ...alice, phone: null }, { email: 'bob@example.com', phone: '06 12 34 56 78' }), null);
  });
});

describe('the referrer’s cap', () => {
  it('refuses once the cap is reached in the window', () => {
    assert.equal(overReferralCap(9, 10), false);
    assert.equal(overReferralCap(10, 10), true);
    assert.equal(overReferralCap(0, 1), false);
    assert.equal(overReferralCap(1, 1), true);
  });

  it('is 10 in a new program, and in a program saved without it', () => {
    const { monthlyCap: _, ...referral } = defaultProgram('shop', 'Shop').referral;
    assert.equal(defaultProgram('shop', 'Shop').referral.monthlyCap, REFERRAL_MONTHLY_CAP);
    assert.equal(REFERRAL_MONTHLY_CAP, 10);
    const parsed = programSchema.parse({ ...defaultProgram('shop', 'Shop'), referral });
    assert.equal(parsed.referral.monthlyCap, 10);
  });

  it('is a whole number from 1 to 1000 in the program schema', () => {
    const base = defaultProgram('shop', 'Shop');
    for (const monthlyCap of [1, 3, 1000]) {
      assert.equal(programSchema.parse({ ...base, referral: { ...base.referral, monthlyCap } }).referral.monthlyCap, monthlyCap);
    }
    for (const monthlyCap of [0, -1, 2.5, 1001, '10', null]) {
      const r = programSchema.safeParse({ ...base, referral: { ...base.referral, monthlyCap } });
      assert.equal(r.success, false, String(monthlyCap));
      assert.deepEqual(
        r.error?.issues.map((i) => i.path.join('.')),
        ['referral.monthlyCap'],
      );
    }
  });
});
