// A merchant's customers beyond the list: one customer's card and history, erasure (GDPR),
// the CSV export, and staff accounts (issue 5's server side).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { cookieFrom, Harness, type Merchant } from '../support/harness.ts';
import { assertProblem } from '../support/problem.ts';

let h: Harness;
let m: Merchant;
let other: Merchant;
let staffCookie: string;
let apiKey: string;

before(async () => {
  h = await Harness.start();
  m = await h.signUpMerchant('Customers Café');
  other = await h.signUpMerchant('Other Café');
  staffCookie = (await h.addStaff(m)).cookie;
  apiKey = await h.apiKey(m);
});
after(() => h.close());

async function customerOf(merchant: Merchant, extra: Record<string, unknown> = {}) {
  const card = await h.join(merchant, extra);
  const { rows } = await h.db.query<{ id: string }>('SELECT customer_id AS id FROM cards WHERE serial = $1', [card.serial]);
  return { id: rows[0]!.id, serial: card.serial as string };
}

describe('a customer', () => {
  it('shows the card and its history, newest first, to the owner and to staff', async () => {
    const c = await customerOf(m, { name: 'Hugo Martin' });
    await h.post(`/api/merchant/cards/${c.serial}/stamps`, { count: 2 }, { cookie: m.cookie });
    await h.post(`/api/merchant/cards/${c.serial}/stamps`, { count: 1 }, { cookie: staffCookie });
    for (const cookie of [m.cookie, staffCookie]) {
      const res = await h.get(`/api/merchant/customers/${c.id}`, { cookie });
      assert.equal(res.status, 200);
      assert.equal(res.body.customer.name, 'Hugo Martin');
      assert.equal(res.body.card.serial, c.serial);
      assert.equal(res.body.card.stamps, 3);
      assert.deepEqual(
        res.body.history.map((e: any) => [e.kind, e.stamps]),
        [
          ['stamp', 1],
          ['stamp', 2],
        ],
      );
      assert.match(res.body.history[0].actor, /^user:/);
    }
  });

  it("answers another merchant's customer, an unknown id and a malformed one with the same 404", async () => {
    const theirs = await customerOf(other);
    const answers = await Promise.all(
      [theirs.id, '00000000-0000-4000-8000-000000000000', 'nope', '%00'].map((id) =>
        h.exact('GET', `/api/merchant/customers/${id}`, { cookie: m.cookie }),
      ),
    );
    for (const a of answers) assert.equal(a.status, 404);
    assert.equal(new Set(answers.map((a) => a.text)).size, 1);
  });
});

describe('erasing a customer (GDPR)', () => {
  it('is for the owner only: staff and API keys get 403, and nothing is erased', async () => {
    const c = await customerOf(m);
    assertProblem(await h.call('DELETE', `/api/merchant/customers/${c.id}`, { cookie: staffCookie }), 403, 'forbidden');
    assertProblem(
      await h.call('DELETE', `/api/merchant/customers/${c.id}`, { headers: { authorization: `Bearer ${apiKey}` } }),
      403,
      'forbidden',
    );
    assert.equal((await h.get(`/api/merchant/customers/${c.id}`, { cookie: m.cookie })).status, 200);
  });

  it('removes the customer, the card, its ledger and wallet registrations; a second erase is a 404', async () => {
    const c = await customerOf(m, { email: `erase-${randomBytes(3).toString('hex')}@example.com` });
    await h.post(`/api/merchant/cards/${c.serial}/stamps`, { count: 2 }, { cookie: m.cookie });
    await h.db.query(
      `INSERT INTO apple_registrations (device_id, card_id, push_token) SELECT 'dev', id, repeat('cd', 32) FROM cards WHERE serial = $1`,
      [c.serial],
    );
    const res = await h.call('DELETE', `/api/merchant/customers/${c.id}`, { cookie: m.cookie });
    assert.equal(res.status, 204);
    assert.equal(await h.count('SELECT count(*)::int AS n FROM customers WHERE id = $1', [c.id]), 0);
    assert.equal(await h.count('SELECT count(*)::int AS n FROM cards WHERE serial = $1', [c.serial]), 0);
    assert.equal(
      await h.count(`SELECT count(*)::int AS n FROM ledger l WHERE NOT EXISTS (SELECT 1 FROM cards c WHERE c.id = l.card_id)`),
      0,
    );
    assert.equal(await h.count(`SELECT count(*)::int AS n FROM apple_registrations WHERE push_token = repeat('cd', 32)`), 0);
    assertProblem(await h.get(`/api/public/cards/${c.serial}`), 404, 'not_found');
    assertProblem(await h.call('DELETE', `/api/merchant/customers/${c.id}`, { cookie: m.cookie }), 404, 'not_found');
  });

  it("cannot erase another merchant's customer", async () => {
    const theirs = await customerOf(other);
    assertProblem(await h.call('DELETE', `/api/merchant/customers/${theirs.id}`, { cookie: m.cookie }), 404, 'not_found');
    assert.equal(await h.count('SELECT count(*)::int AS n FROM customers WHERE id = $1', [theirs.id]), 1);
  });
});

describe('the CSV export', () => {
  it("lists every customer of the merchant (no one else's), escaped for spreadsheets", async () => {
    const merchant = await h.signUpMerchant('Export Bakery');
    await customerOf(merchant, { name: '=HYPERLINK("http://evil.example","click")' });
    await customerOf(merchant, { name: 'Dupont, "Jean"' });
    await customerOf(other, { name: 'Not Theirs' });
    const res = await h.get('/api/merchant/export/customers.csv', { cookie: merchant.cookie });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.match(res.headers.get('content-disposition') ?? '', /attachment; filename="customers\.csv"/);
    // fetch's text() drops the byte-order mark that tells Excel this is UTF-8: look at the bytes.
    const raw = Buffer.from(
      await (await h.app.request('/api/merchant/export/customers.csv', { headers: { cookie: merchant.cookie } })).arrayBuffer(),
    );
    assert.deepEqual([...raw.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.ok(res.text.startsWith('name,email,phone,birthday,marketing_consent,joined,card,'));
    const lines = res.text.trimEnd().split('\r\n');
    assert.equal(lines.length, 3);
    assert.ok(lines[1]!.startsWith(`"'=HYPERLINK(""http://evil.example"",""click"")",`), lines[1]);
    assert.ok(lines[2]!.startsWith('"Dupont, ""Jean""",'), lines[2]);
    assert.ok(!res.text.includes('Not Theirs'));
  });

  it('for Excel in French (?delimiter=semicolon&lang=fr): `;`, French headers, local times, amounts with a decimal comma', async () => {
    const merchant = await h.signUpMerchant('Boulangerie Export');
    await h.setProgram(merchant, { timezone: 'America/Montreal' });
    const lea = await customerOf(merchant, { name: 'Léa; Petit', birthday: '1990-07-14', consent: { terms: true, marketing: true } });
    await customerOf(merchant, { name: '@SUM(A1:A9)' });
    await h.db.query(`UPDATE customers SET created_at = '2026-03-01T03:30:00Z' WHERE id = $1`, [lea.id]);
    const stamped = await h.post(`/api/merchant/cards/${lea.serial}/stamps`, { purchaseAmount: 1250 }, { cookie: merchant.cookie });
    assert.equal(stamped.status, 200);

    const res = await h.get('/api/merchant/export/customers.csv?delimiter=semicolon&lang=fr', { cookie: merchant.cookie });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.match(res.headers.get('content-disposition') ?? '', /attachment; filename="clients\.csv"/);
    const [header, first, second, ...rest] = res.text.trimEnd().split('\r\n');
    assert.deepEqual(rest, []);
    assert.equal(
      header,
      'Nom;E-mail;Téléphone;Date de naissance;Consentement marketing;Inscription (America/Montreal);Carte;Tampons;Récompenses disponibles;Points;Niveau;Cagnotte (EUR);Dépenses (EUR)',
    );
    // The name holds the delimiter: quoted, so it stays one field.
    assert.ok(first!.startsWith('"Léa; Petit";'), first);
    const fields = first!.slice('"Léa; Petit";'.length).split(';');
    assert.equal(fields.length, 12);
    // The birthday day first, the join at Montreal's time (03:30 UTC the day before), oui/non.
    assert.deepEqual(fields.slice(2, 6), ['14/07/1990', 'oui', '28/02/2026 22:30', lea.serial]);
    assert.deepEqual(fields.slice(-2), ['0,00', '12,50']);
    // Formula neutralisation is kept.
    assert.ok(second!.startsWith("'@SUM(A1:A9);"), second);

    // Each choice on its own: a tab, and French with commas (a decimal comma then quotes its field).
    const tab = await h.get('/api/merchant/export/customers.csv?delimiter=tab', { cookie: merchant.cookie });
    assert.ok(tab.text.startsWith('name\temail\tphone\tbirthday\tmarketing_consent\tjoined\t'), tab.text.slice(0, 80));
    assert.ok(tab.text.split('\r\n')[1]!.includes('\t2026-03-01T03:30:00.000Z\t'));
    const frComma = await h.get('/api/merchant/export/customers.csv?lang=fr', { cookie: merchant.cookie });
    assert.ok(frComma.text.startsWith('Nom,E-mail,'));
    assert.ok(frComma.text.split('\r\n')[1]!.endsWith(',"0,00","12,50"'));
    // The default stays what it was: commas, English, UTC, minor units.
    const plain = await h.get('/api/merchant/export/customers.csv', { cookie: merchant.cookie });
    assert.ok(plain.text.split('\r\n')[1]!.endsWith(',0,1250'));
  });

  it('refuses an unknown delimiter or language (400, in the language asked for)', async () => {
    for (const query of ['delimiter=pipe', 'lang=de', 'delimiter=;']) {
      const res = await h.get(`/api/merchant/export/customers.csv?${query}`, { cookie: m.cookie, headers: { 'accept-language': 'fr' } });
      assertProblem(res, 400, 'validation_failed', [query.split('=')[0]!]);
      assert.match(res.body.errors[0].message, /^Option invalide/);
    }
  });

  it('is for the owner only', async () => {
    assertProblem(await h.get('/api/merchant/export/customers.csv', { cookie: staffCookie }), 403, 'forbidden');
    assertProblem(await h.get('/api/merchant/export/customers.csv'), 401, 'unauthorized');
  });
});

describe('staff accounts', () => {
  it('the owner lists them; staff cannot manage staff', async () => {
    const res = await h.get('/api/merchant/staff', { cookie: m.cookie });
    assert.equal(res.status, 200);
    assert.deepEqual(
      res.body.staff.map((s: any) => s.role),
      ['owner', 'staff'],
    );
    assertProblem(await h.get('/api/merchant/staff', { cookie: staffCookie }), 403, 'forbidden');
    assertProblem(
      await h.post('/api/merchant/staff', { email: 'x@example.com', password: 'long enough pw' }, { cookie: staffCookie }),
      403,
      'forbidden',
    );
  });

  it('refuses a taken email (409), a short password and a bad email (400)', async () => {
    assertProblem(
      await h.post('/api/merchant/staff', { email: m.email, password: 'long enough pw' }, { cookie: m.cookie }),
      409,
      'conflict',
    );
    assertProblem(
      await h.post('/api/merchant/staff', { email: 'new@example.com', password: 'short' }, { cookie: m.cookie }),
      400,
      'validation_failed',
      ['password'],
    );
    assertProblem(
      await h.post('/api/merchant/staff', { email: 'not an email', password: 'long enough pw' }, { cookie: m.cookie }),
      400,
      'validation_failed',
      ['email'],
    );
  });

  it('removing a staff account ends its session; an owner cannot be removed that way', async () => {
    const email = `leaver-${randomBytes(4).toString('hex')}@example.com`;
    const { id } = (await h.post('/api/merchant/staff', { email, password: 'leaver password' }, { cookie: m.cookie })).body;
    const cookie = cookieFrom((await h.post('/api/merchant/login', { email, password: 'leaver password' })).headers);
    assert.equal((await h.get('/api/merchant/program', { cookie })).status, 200);
    assert.equal((await h.call('DELETE', `/api/merchant/staff/${id}`, { cookie: m.cookie })).status, 204);
    assertProblem(await h.get('/api/merchant/program', { cookie }), 401, 'unauthorized');
    const owner = (await h.get('/api/merchant/staff', { cookie: m.cookie })).body.staff.find((s: any) => s.role === 'owner');
    assertProblem(await h.call('DELETE', `/api/merchant/staff/${owner.id}`, { cookie: m.cookie }), 404, 'not_found');
    assertProblem(await h.call('DELETE', `/api/merchant/staff/${id}`, { cookie: m.cookie }), 404, 'not_found');
  });
});
