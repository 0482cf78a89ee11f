// The pure parts of issue 14: reading a CSV as spreadsheets write it, a line into a member, the
// opening balance, the webhook signature and the addresses a webhook may not reach.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { guessDelimiter, guessMapping, readBirthday, readCsv, readRow } from '../../server/domain/imports.ts';
import { defaultProgram, withShopIds } from '../../server/domain/program.ts';
import { balancesFromLedger, EMPTY_BALANCES, openingBalance } from '../../server/domain/rules.ts';
import { isPublicAddress, signatureHeader, webhookRetryDelayMs } from '../../server/domain/webhooks.ts';

const today = new Date('2026-12-04T12:00:00Z');
const stamps = defaultProgram('s', 'S');
const columns = { name: 0, email: 1, phone: 2, birthday: 3, balance: 4, marketing_consent: 5 };
const row = (cells: string[], program = stamps) => readRow(cells, columns, program, today);

describe('reading a CSV file', () => {
  it('UTF-8 with a BOM, Windows-1252, `;` `,` or tab, quoted fields with the delimiter or a line break inside', () => {
    const utf8 = readCsv(new TextEncoder().encode('\uFEFFnom;email\r\n"Dupont; Jean";j@x.fr\r\n'));
    assert.deepEqual(
      [utf8.encoding, utf8.delimiter, utf8.header, utf8.rows[0]!.cells],
      ['utf-8', ';', ['nom', 'email'], ['Dupont; Jean', 'j@x.fr']],
    );
    const latin = readCsv(Buffer.from('Nom,Email\nZo\xe9 Br\xfbl\xe9,z@x.fr\n', 'latin1'));
    assert.deepEqual([latin.encoding, latin.delimiter, latin.rows[0]!.cells[0]], ['windows-1252', ',', 'Zoé Brûlé']);
    assert.equal(guessDelimiter('a\tb\tc\n1,2'), '\t');
    assert.equal(guessDelimiter('"a;b",c\n'), ',');
    const multi = readCsv(new TextEncoder().encode('name,email\n"two\nlines",a@b.c\n\nx,y@z.c\n'));
    assert.deepEqual(
      multi.rows.map((r) => r.line),
      [3, 5],
      'each row with the line it ends on, blank lines counted',
    );
  });

  it('finds the columns by their English or French headers, whatever the case and accents', () => {
    assert.deepEqual(guessMapping(['E-MAIL', 'Prénom Nom', 'Téléphone', 'Date de naissance', 'Points', 'Opt-in']), {
      name: 'Prénom Nom',
      email: 'E-MAIL',
      phone: 'Téléphone',
      birthday: 'Date de naissance',
      balance: 'Points',
      marketing_consent: 'Opt-in',
    });
    assert.equal(guessMapping(['Colonne A']).email, null);
  });
});

describe('a line into a member', () => {
  it('reads every field; the e-mail lower-cased; consent in English or French', () => {
    assert.deepEqual(row(['  Anne  Martin ', 'Anne@Example.COM', '+33 6 12 34 56 78', '14/02/1985', '4', 'Oui']), {
      ok: true,
      member: {
        name: 'Anne Martin',
        email: 'anne@example.com',
        phone: '+33 6 12 34 56 78',
        birthday: '1985-02-14',
        balance: 4,
        marketingConsent: true,
      },
    });
    assert.equal((row(['A', 'a@b.co', '', '', '', '']) as any).member.balance, 0);
  });

  it('refuses what is not right, one reason per line', () => {
    const reason = (cells: string[], program = stamps) => (row(cells, program) as { message: string }).message;
    assert.match(reason(['A', 'not-an-email', '', '', '', '']), /not an e-mail/);
    assert.match(reason(['', 'a@b.co', '', '', '', '']), /name is empty/);
    assert.match(reason(['A', 'a@b.co', 'call me', '', '', '']), /phone/);
    assert.match(reason(['A', 'a@b.co', '', '31/02/1990', '', '']), /birthday/);
    assert.match(reason(['A', 'a@b.co', '', '2027-01-01', '', '']), /birthday/, 'not born yet');
    assert.match(reason(['A', 'a@b.co', '', '', '-1', '']), /negative/);
    assert.match(reason(['A', 'a@b.co', '', '', '1001', '']), /over 1000 stamps/);
    assert.match(reason(['A', 'a@b.co', '', '', '2.5', '']), /whole number/);
    assert.match(reason(['A', 'a@b.co', '', '', '', 'perhaps']), /consent/);
  });

  it('a cashback balance in major units with a comma or a point; at most the currency’s decimals', () => {
    const cashback = { ...stamps, type: 'cashback' as const };
    assert.equal((row(['A', 'a@b.co', '', '', '12,50 €', ''], cashback) as any).member.balance, 1250);
    assert.equal((row(['A', 'a@b.co', '', '', '3.5', ''], cashback) as any).member.balance, 350);
    assert.match((row(['A', 'a@b.co', '', '', '1,234', ''], cashback) as any).message, /decimals/);
    const yen = { ...cashback, currency: 'JPY' };
    assert.equal((row(['A', 'a@b.co', '', '', '500', ''], yen) as any).member.balance, 500);
  });

  it('birthdays: ISO, day first with / - or ., real dates from 1900 to today', () => {
    assert.equal(readBirthday('1985-2-4', today), '1985-02-04');
    assert.equal(readBirthday('04.02.1985', today), '1985-02-04');
    assert.equal(readBirthday('29/02/2000', today), '2000-02-29');
    assert.equal(readBirthday('29/02/2001', today), undefined);
    assert.equal(readBirthday('1899-12-31', today), undefined);
    assert.equal(readBirthday('', today), null);
    assert.equal(readBirthday('next tuesday', today), undefined);
  });
});

describe('the opening balance', () => {
  it('stamps beyond a full card are rewards, in one `imported` entry the ledger adds up to', () => {
    const o = openingBalance(stamps, { ...EMPTY_BALANCES, stamps: 4 }, 23);
    assert.deepEqual(o.entries, [
      { kind: 'imported', stamps: 23 - 20, rewards: 2, points: 0, cashbackMinor: 0, amountMinor: 0, tier: null, rewardId: null },
    ]);
    assert.deepEqual([o.balances.stamps, o.balances.rewardsAvailable], [7, 2]);
    assert.deepEqual(
      balancesFromLedger([
        ...openingBalance(stamps, EMPTY_BALANCES, 4).entries,
        ...openingBalance(stamps, { ...EMPTY_BALANCES, stamps: 4 }, 23).entries,
      ]).stamps,
      7,
    );
    assert.deepEqual(openingBalance(stamps, EMPTY_BALANCES, 0).entries, []);
    assert.equal(openingBalance({ ...stamps, type: 'points' }, EMPTY_BALANCES, 120).balances.points, 120);
    assert.equal(openingBalance({ ...stamps, type: 'cashback' }, EMPTY_BALANCES, 1250).balances.cashbackMinor, 1250);
  });

  it('points, tiers and cashback: one `imported` entry in the program’s unit', () => {
    const one = (type: 'points' | 'tiers' | 'cashback', amount: number) =>
      openingBalance({ ...stamps, type }, EMPTY_BALANCES, amount).entries.map((e) => [e.kind, e.points, e.cashbackMinor, e.stamps]);
    assert.deepEqual(one('points', 120), [['imported', 120, 0, 0]]);
    assert.deepEqual(one('tiers', 80), [['imported', 80, 0, 0]]);
    assert.deepEqual(one('cashback', 1250), [['imported', 0, 1250, 0]]);
  });
});

describe('shops', () => {
  it('a new shop gets an id from its name, unique; one that has an id keeps it', () => {
    const shops = withShopIds([
      { name: 'Rue de la Paix', latitude: 0, longitude: 0 },
      { id: 'rue-de-la-paix', name: 'Old', latitude: 0, longitude: 0 },
      { name: '', latitude: 0, longitude: 0 },
    ]);
    assert.deepEqual(
      shops.map((s) => s.id),
      ['rue-de-la-paix-2', 'rue-de-la-paix', 'shop'],
    );
  });
});

describe('webhooks', () => {
  it('signs "<t>.<body>" with HMAC-SHA256 and the secret, t in unix seconds', () => {
    const at = new Date('2026-12-04T10:00:00.900Z');
    const body = '{"id":"e1","type":"card.stamped"}';
    const t = 1_796_378_400;
    assert.equal((at.getTime() / 1000) | 0, t);
    assert.equal(
      signatureHeader('whsec_test', body, at),
      `t=${t},v1=${createHmac('sha256', 'whsec_test').update(`${t}.${body}`).digest('hex')}`,
    );
    assert.notEqual(signatureHeader('whsec_other', body, at), signatureHeader('whsec_test', body, at));
  });

  it('public addresses only: loopback, private, link-local, CGNAT, IPv4 in IPv6 and garbage are refused', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.0.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fe80::1',
      'fc00::1',
      '::ffff:127.0.0.1',
      '224.0.0.1',
      'localhost',
      '',
    ]) {
      assert.equal(isPublicAddress(a), false, a);
    }
    for (const a of ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946', '::ffff:93.184.216.34'])
      assert.equal(isPublicAddress(a), true, a);
  });

  it('retries after 10 s, 40 s, 160 s, 640 s, 2560 s, then hourly', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6, 20].map(webhookRetryDelayMs), [10_000, 40_000, 160_000, 640_000, 2_560_000, 3_600_000, 3_600_000]);
  });
});

describe('reading a large file as the import does', () => {
  it('record by record, in slices, without cutting a character in two', async () => {
    const { csvRecords } = await import('../../server/domain/imports.ts');
    // Names full of emoji, so that slice edges fall inside some of them.
    const lines = ['name;email'];
    for (let i = 0; i < 20_000; i++) lines.push(`Zoé 🎂☕ ${i};z${i}@example.com`);
    const seen: string[] = [];
    for await (const r of csvRecords(lines.join('\n'))) seen.push(r.cells[0]!);
    assert.equal(seen.length, 20_001);
    assert.deepEqual(
      seen.slice(1).filter((n, i) => n !== `Zoé 🎂☕ ${i}`),
      [],
    );
    // An emoji right across the first slice's edge (64 Ki characters): the two halves stay together.
    const header = 'name;email\n';
    const long = `${'x'.repeat(65_536 - header.length - 1)}🎂`;
    const cut: string[] = [];
    for await (const r of csvRecords(`${header}${long};a@b.co\n`)) cut.push(r.cells[0]!);
    assert.equal(cut[1], long);
  });
});
