// Two optional program fields (issue 16, "from real use"): `shortName` (≤ 20 characters, what
// Google Wallet shows whole) for Google's programName, and issuerName when the business's name is
// longer; `averageTicketMinor`, the reward cost check's average purchase, kept with the program.
// A program saved without them reads as before.
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { jwtVerify } from 'jose';
import { SAVE_URL } from '../../passes/google/jwt.ts';
import { programSchema } from '../../server/domain/program.ts';
import { Harness, type Merchant } from '../support/harness.ts';
import { assertProblem } from '../support/problem.ts';

let h: Harness;
before(async () => {
  h = await Harness.start();
});
after(() => h.close());

/** The Google class a member's save link carries (development: the whole class is in the JWT). */
async function googleClass(m: Merchant) {
  const card = await h.join(m);
  const res = await h.get(`/passes/google/${card.serial}`);
  assert.equal(res.status, 302);
  const account = JSON.parse(readFileSync(join(h.config.dataDir, 'google', 'service-account.json'), 'utf8'));
  const { payload } = await jwtVerify(res.headers.get('location')!.slice(SAVE_URL.length), createPublicKey(account.private_key));
  return (payload as any).payload.loyaltyClasses[0];
}

describe('shortName', () => {
  it('a default program name is over 20 characters: Google gets it whole without a short name', async () => {
    const m = await h.signUpMerchant('Café des Arts');
    assert.ok(m.program.name.length > 20, m.program.name);
    assert.equal('shortName' in m.program, false);
    const cls = await googleClass(m);
    assert.equal(cls.programName, m.program.name);
    assert.equal(cls.issuerName, 'Café des Arts');
  });

  it('is Google’s programName when given, and kept with the program', async () => {
    const m = await h.signUpMerchant('Café des Arts');
    await h.setProgram(m, { shortName: '  Fidélité Arts ' });
    assert.equal(m.program.shortName, 'Fidélité Arts');
    assert.equal((await h.get('/api/merchant/program', { cookie: m.cookie })).body.program.shortName, 'Fidélité Arts');
    const cls = await googleClass(m);
    assert.equal(cls.programName, 'Fidélité Arts');
    // The business's name fits: it stays.
    assert.equal(cls.issuerName, 'Café des Arts');
  });

  it('is the issuerName too when the business’s name is longer than 20 characters', async () => {
    const m = await h.signUpMerchant('Boulangerie Pâtisserie du Marché');
    await h.setProgram(m, { shortName: 'Boulangerie Marché' });
    const cls = await googleClass(m);
    assert.equal(cls.issuerName, 'Boulangerie Marché');
    assert.equal(cls.programName, 'Boulangerie Marché');
  });

  it('is taken out by a PUT without it', async () => {
    const m = await h.signUpMerchant('Short Then Not');
    await h.setProgram(m, { shortName: 'Short' });
    const { shortName: _gone, ...rest } = m.program;
    const res = await h.put('/api/merchant/program', rest, { cookie: m.cookie });
    assert.equal(res.status, 200);
    assert.equal('shortName' in res.body.program, false);
  });

  for (const bad of ['x'.repeat(21), '', '   ', 42]) {
    it(`refuses ${JSON.stringify(bad)}`, async () => {
      const m = await h.signUpMerchant('Bad Short');
      const res = await h.put('/api/merchant/program', { ...m.program, shortName: bad }, { cookie: m.cookie });
      assertProblem(res, 400, 'validation_failed', ['shortName']);
    });
  }
});

describe('averageTicketMinor', () => {
  it('is kept with the program', async () => {
    const m = await h.signUpMerchant('Average Café');
    assert.equal('averageTicketMinor' in m.program, false);
    await h.setProgram(m, { averageTicketMinor: 450 });
    assert.equal((await h.get('/api/merchant/program', { cookie: m.cookie })).body.program.averageTicketMinor, 450);
  });

  for (const bad of [0, -1, 4.5, 1e11, '450']) {
    it(`refuses ${JSON.stringify(bad)}`, async () => {
      const m = await h.signUpMerchant('Bad Average');
      const res = await h.put('/api/merchant/program', { ...m.program, averageTicketMinor: bad }, { cookie: m.cookie });
      assertProblem(res, 400, 'validation_failed', ['averageTicketMinor']);
    });
  }

  it('the preview takes it too', async () => {
    const m = await h.signUpMerchant('Preview Average');
    const res = await h.post(
      '/api/merchant/program/preview',
      { ...m.program, averageTicketMinor: 450, shortName: 'Preview' },
      { cookie: m.cookie },
    );
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { affectedCards: 0 });
  });
});

describe('a program stored before these fields', () => {
  it('parses, and reads without them', async () => {
    const m = await h.signUpMerchant('Old Program');
    await h.db.query(`UPDATE programs SET settings = settings - 'shortName' - 'averageTicketMinor' WHERE merchant_id = $1`, [m.id]);
    const res = await h.get('/api/merchant/program', { cookie: m.cookie });
    assert.equal(res.status, 200);
    assert.equal('shortName' in res.body.program, false);
    assert.equal('averageTicketMinor' in res.body.program, false);
    assert.ok(programSchema.safeParse(res.body.program).success);
  });
});
