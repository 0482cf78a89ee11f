// The CSV import (issue 14): as French Excel writes it, previewed, run in batches in the
// background, idempotent by e-mail, with the hostile files: 50 MB, formulas in names, duplicated
// e-mails, negative or absurd balances, bad birthdays.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ImportJobs } from '../../server/jobs/imports.ts';
import { runImport } from '../../server/services/imports.ts';
import { Harness, type Merchant } from '../support/harness.ts';
import { assertProblem } from '../support/problem.ts';

let h: Harness;
let m: Merchant;
before(async () => {
  h = await Harness.start({ SMTP_URL: 'smtp://127.0.0.1:1' });
  m = await h.signUpMerchant('Import Café');
});
after(() => h.close());

const csvHeaders = { 'content-type': 'text/csv' };

const upload = (path: string, body: string | Buffer, cookie = m.cookie) =>
  h.call('POST', path, { raw: body as string, headers: csvHeaders, cookie });

/** Uploads and runs the import to its end (as the runner does), then answers its state. */
async function importCsv(body: string | Buffer, query = '', who: Merchant = m) {
  const started = await upload(`/api/merchant/imports${query}`, body, who.cookie);
  assert.equal(started.status, 202, JSON.stringify(started.body));
  while (await runImport(h.deps, started.body.id));
  const state = await h.get(`/api/merchant/imports/${started.body.id}`, { cookie: who.cookie });
  assert.equal(state.status, 200);
  return state.body;
}

const customer = async (email: string) =>
  (
    await h.db.query<any>(
      `SELECT cu.name, cu.phone, to_char(cu.birthday, 'YYYY-MM-DD') AS birthday, cu.marketing_consent, ca.serial, ca.stamps, ca.rewards_available
         FROM customers cu JOIN cards ca ON ca.customer_id = cu.id WHERE cu.merchant_id = $1 AND lower(cu.email) = lower($2)`,
      [m.id, email],
    )
  ).rows[0];

describe('CSV import', () => {
  it('previews a French Excel file (Windows-1252, `;`): encoding, delimiter, the columns found, the first rows', async () => {
    const file = Buffer.from(
      'Nom;Courriel;Téléphone;Date de naissance;Tampons;Newsletter\r\nZoé Brûlé;zoe@example.com;06 12 34 56 78;04/12/1980;3;oui\r\n',
      'latin1',
    );
    const res = await upload('/api/merchant/imports/preview', file);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.encoding, 'windows-1252');
    assert.equal(res.body.delimiter, ';');
    assert.deepEqual(res.body.mapping, {
      name: 'Nom',
      email: 'Courriel',
      phone: 'Téléphone',
      birthday: 'Date de naissance',
      balance: 'Tampons',
      marketing_consent: 'Newsletter',
    });
    assert.deepEqual(res.body.rows, [['Zoé Brûlé', 'zoe@example.com', '06 12 34 56 78', '04/12/1980', '3', 'oui']]);
    assert.equal(res.body.total, 1);
    assert.equal(res.body.balanceUnit, 'stamps');
    assert.equal(await h.count(`SELECT count(*)::int AS n FROM customers WHERE merchant_id = $1`, [m.id]), 0, 'a preview keeps nothing');
  });

  it('imports members with their stamps (an opening balance of its own on the ledger), and reports bad lines with their number', async () => {
    const file = [
      'name,email,phone,birthday,balance,marketing_consent',
      'Anne Martin,anne@example.com,+33 6 11 22 33 44,1985-02-14,4,yes',
      'Bad Birthday,bday@example.com,,31/02/1990,2,no',
      'Negative,neg@example.com,,,-3,no',
      'Absurd,absurd@example.com,,,99999999,no',
      'Anne Again,ANNE@example.com,,,9,no',
      '"=HYPERLINK(""http://evil.example"",""click"")",formula@example.com,,,0,no',
      'Big Card,big@example.com,,,23,no',
      'No Mail,,,,1,no',
      'Weird Consent,consent@example.com,,,1,maybe',
    ].join('\n');
    const state = await importCsv(file);
    assert.equal(state.status, 'done');
    assert.equal(state.total, 9);
    assert.equal(state.done, 9);
    assert.equal(state.created, 3);
    assert.equal(state.failed, 6);
    assert.deepEqual(
      state.errors.map((e: any) => e.line),
      [3, 4, 5, 6, 9, 10],
    );
    assert.match(state.errors[0].message, /birthday/);
    assert.match(state.errors[1].message, /negative/);
    assert.match(state.errors[2].message, /over 1000 stamps/);
    assert.match(state.errors[3].message, /same e-mail as line 2/);
    assert.match(state.errors[4].message, /e-mail is empty/);
    assert.match(state.errors[5].message, /consent/);

    const anne = await customer('anne@example.com');
    assert.deepEqual(
      { name: anne.name, phone: anne.phone, birthday: anne.birthday, consent: anne.marketing_consent, stamps: anne.stamps },
      { name: 'Anne Martin', phone: '+33 6 11 22 33 44', birthday: '1985-02-14', consent: true, stamps: 4 },
    );
    // 23 stamps on a 10-stamp card: two rewards and three stamps, in one "imported" entry.
    const big = await customer('big@example.com');
    assert.deepEqual([big.stamps, big.rewards_available], [3, 2]);
    const { cached, fromLedger } = await h.cacheAndLedger(big.serial);
    assert.deepEqual(cached, fromLedger);
    const kinds = await h.db.query<{ kind: string }>(`SELECT kind FROM ledger l JOIN cards c ON c.id = l.card_id WHERE c.serial = $1`, [
      big.serial,
    ]);
    assert.deepEqual(
      kinds.rows.map((r) => r.kind),
      ['imported'],
    );
    // The consent was logged as the owner's import.
    const log = await h.db.query<any>(
      `SELECT kind, action, source FROM consent_events e JOIN customers c ON c.id = e.customer_id WHERE lower(c.email) = 'anne@example.com' ORDER BY e.id`,
    );
    assert.deepEqual(log.rows, [
      { kind: 'terms', action: 'given', source: 'import' },
      { kind: 'marketing', action: 'given', source: 'import' },
    ]);
    // A formula in a name is kept as text, and never runs in the export's spreadsheet.
    const formula = await customer('formula@example.com');
    assert.equal(formula.name, '=HYPERLINK("http://evil.example","click")');
    const csv = await h.get('/api/merchant/export/customers.csv', { cookie: m.cookie });
    assert.ok(csv.text.includes(`"'=HYPERLINK(""http://evil.example"",""click"")"`), 'the export neutralises the formula');
    // No welcome mail without the owner's tick.
    assert.equal(await h.count(`SELECT count(*)::int AS n FROM outbox WHERE channel = 'mail' AND merchant_id = $1`, [m.id]), 0);
  });

  it('reports the refused lines in the reader’s language (Accept-Language), in the import and in the list', async () => {
    const file = [
      'name;email;phone;birthday;balance;marketing_consent',
      'Léa;lea@example.com;;30/02/1990;2;non',
      'Luc;pas-un-mail;;;1;non',
      'Zoé;zoe@example.com;;;1001;non',
      'Zoé B;ZOE@example.com;;;1;non',
      'Max;max@example.com;;;1;peut-être',
    ].join('\n');
    const started = await upload('/api/merchant/imports', file);
    while (await runImport(h.deps, started.body.id));
    const fr = { cookie: m.cookie, headers: { 'accept-language': 'fr-FR,fr;q=0.9,en;q=0.8' } };
    const state = await h.get(`/api/merchant/imports/${started.body.id}`, fr);
    assert.deepEqual(
      state.body.errors.map((e: any) => [e.line, e.message]),
      [
        [2, 'la date d’anniversaire n’est pas une date (JJ/MM/AAAA ou AAAA-MM-JJ)'],
        [3, '« pas-un-mail » n’est pas une adresse e-mail'],
        [4, 'le solde dépasse 1000 tampons'],
        [5, 'la même adresse e-mail qu’à la ligne 4'],
        [6, 'l’accord pour les messages commerciaux n’est ni oui ni non'],
      ],
    );
    const list = await h.get('/api/merchant/imports', fr);
    assert.deepEqual(list.body.imports.find((i: any) => i.id === started.body.id).errors, state.body.errors);
    // Without the header, as they are kept: in English.
    const en = await h.get(`/api/merchant/imports/${started.body.id}`, { cookie: m.cookie });
    assert.equal(en.body.errors[2].message, 'the balance is over 1000 stamps');
  });

  it('a second upload of the same file changes nothing twice; a member who joined online gets the opening balance once', async () => {
    const online = await h.join(m, { email: 'online@example.com', name: 'Online Olga' });
    const file = 'name;email;balance\nAnne Martin;anne@example.com;4\nOlga;online@example.com;5\nNew One;new1@example.com;2\n';
    const first = await importCsv(file);
    assert.deepEqual([first.created, first.updated, first.unchanged, first.failed], [1, 1, 1, 0]);
    const olga = await customer('online@example.com');
    assert.equal(olga.stamps, 5);
    assert.equal(olga.name, 'Online Olga', 'an existing member keeps their details');
    assert.equal(olga.serial, online.serial);
    // Her pass hears of it (she has it on her phone); the new members' have no pass yet.
    const second = await importCsv(file);
    assert.deepEqual([second.created, second.updated, second.unchanged, second.failed], [0, 0, 3, 0]);
    assert.equal((await customer('online@example.com')).stamps, 5);
    assert.equal((await customer('anne@example.com')).stamps, 4);
    assert.equal(
      await h.count(`SELECT count(*)::int AS n FROM customers WHERE merchant_id = $1 AND lower(email) = 'new1@example.com'`, [m.id]),
      1,
    );
  });

  it('sends the welcome mail to new members only when the owner ticks it', async () => {
    const state = await importCsv('name,email\nWelcome Me,welcome@example.com\nAnne,anne@example.com\n', '?welcome=true');
    assert.equal(state.welcome, true);
    const welcomed = await h.db.query<{ email: string }>(
      `SELECT c.email FROM outbox o JOIN customers c ON o.target = 'welcome:' || c.id::text
        WHERE o.channel = 'mail' AND o.merchant_id = $1 AND c.email IN ('welcome@example.com', 'anne@example.com')`,
      [m.id],
    );
    assert.deepEqual(
      welcomed.rows.map((r) => r.email),
      ['welcome@example.com'],
    );
  });

  it('takes the owner’s choice of columns, and a cashback balance in euros with a decimal comma', async () => {
    const cashback = await h.signUpMerchant('Cashback Shop');
    await h.setProgram(cashback, { type: 'cashback', cashbackPercent: 5 });
    const file = 'Client;Adresse;Cagnotte\nPaul;paul@example.com;12,50\nPia;pia@example.com;3\n';
    const preview = await upload('/api/merchant/imports/preview', file, cashback.cookie);
    assert.equal(preview.body.mapping.email, null);
    assert.equal(preview.body.balanceUnit, 'cashback');
    assertProblem(await upload('/api/merchant/imports', file, cashback.cookie), 400, 'validation_failed');
    const state = await importCsv(file, '?email=Adresse&balance=Cagnotte', cashback);
    assert.deepEqual([state.created, state.failed], [2, 0]);
    const { rows } = await h.db.query<{ cashback_minor: number }>(
      `SELECT ca.cashback_minor FROM cards ca JOIN customers cu ON cu.id = ca.customer_id WHERE cu.merchant_id = $1 ORDER BY cu.email`,
      [cashback.id],
    );
    assert.deepEqual(
      rows.map((r) => Number(r.cashback_minor)),
      [1250, 300],
    );
  });

  it('a 50 MB file is refused before it is read (413), and so is a file that is not CSV or says it is an image', async () => {
    const big = 'name,email\n' + 'x'.repeat(50 * 1024 * 1024);
    assertProblem(await upload('/api/merchant/imports', big), 413, 'payload_too_large');
    assertProblem(await upload('/api/merchant/imports/preview', ''), 400, 'validation_failed');
    assertProblem(await upload('/api/merchant/imports', 'name,email\n'), 400, 'validation_failed');
    assertProblem(await upload('/api/merchant/imports', 'name,email\n"unclosed,a@b.c\n'), 400, 'validation_failed');
    const image = await h.call('POST', '/api/merchant/imports', {
      raw: 'name,email',
      headers: { 'content-type': 'image/png' },
      cookie: m.cookie,
    });
    assertProblem(image, 415, 'unsupported_media_type');
    assertProblem(await upload('/api/merchant/imports?email=Nope', 'name,email\na,a@b.c\n'), 400, 'validation_failed');
  });

  it('resumes where the last batch ended after a stop, counting nothing twice', async () => {
    const lines = ['name,email,balance'];
    for (let i = 0; i < 2500; i++) lines.push(`Member ${i},resume${i}@example.com,${i % 9}`);
    const started = await upload('/api/merchant/imports', lines.join('\n'));
    // The first run stops after one batch (a process that stops); its lease runs out; another run finishes.
    await runImport(h.deps, started.body.id, () => false);
    let state = (await h.get(`/api/merchant/imports/${started.body.id}`, { cookie: m.cookie })).body;
    assert.deepEqual([state.status, state.done], ['running', 1000]);
    assert.equal(await runImport(h.deps, started.body.id), false, 'leased: another process does not take it');
    await h.db.query(`UPDATE imports SET lease_until = now() - interval '1 second' WHERE id = $1`, [started.body.id]);
    assert.equal(await runImport(h.deps, started.body.id), true);
    state = (await h.get(`/api/merchant/imports/${started.body.id}`, { cookie: m.cookie })).body;
    assert.deepEqual([state.status, state.done, state.created, state.failed], ['done', 2500, 2500, 0]);
    const list = await h.get('/api/merchant/imports', { cookie: m.cookie });
    assert.equal(list.body.imports[0].id, started.body.id);
  });

  it('the background runner (as the server starts it) takes a new import and finishes it; the progress can be followed', async () => {
    const jobs = new ImportJobs(h.deps, { pollMs: 20 });
    jobs.start();
    try {
      const started = await upload(
        '/api/merchant/imports',
        'name,email,balance\nRunner One,runner1@example.com,2\nRunner Two,runner2@example.com,3\n',
      );
      assert.equal(started.status, 202);
      const end = Date.now() + 5000;
      let state: any;
      do {
        state = (await h.get(`/api/merchant/imports/${started.body.id}`, { cookie: m.cookie })).body;
        if (state.status !== 'running') break;
        await new Promise((r) => setTimeout(r, 20));
      } while (Date.now() < end);
      assert.deepEqual([state.status, state.done, state.created], ['done', 2, 2]);
      assert.ok(state.finishedAt);
      assert.equal(
        await h.count(`SELECT count(*)::int AS n FROM imports WHERE id = $1 AND source = ''`, [started.body.id]),
        1,
        'the file is not kept once done',
      );
    } finally {
      await jobs.stop();
    }
  });

  it('is the owner’s: staff and till keys get 403; another merchant’s import is not found', async () => {
    const staff = await h.addStaff(m);
    assertProblem(await upload('/api/merchant/imports', 'name,email\na,a@b.c\n', staff.cookie), 403, 'forbidden');
    const key = await h.apiKey(m);
    const res = await h.call('POST', '/api/merchant/imports', {
      raw: 'name,email\n',
      headers: { ...csvHeaders, authorization: `Bearer ${key}` },
    });
    assertProblem(res, 403, 'forbidden');
    const other = await h.signUpMerchant('Other import');
    const { id } = (await h.get('/api/merchant/imports', { cookie: m.cookie })).body.imports[0];
    assertProblem(await h.get(`/api/merchant/imports/${id}`, { cookie: other.cookie }), 404, 'not_found');
  });
});
