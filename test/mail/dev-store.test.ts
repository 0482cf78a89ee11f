// Where mail goes without an SMTP server. In development: into DATA_DIR/mail as `.eml` files,
// listed newest first at /dev/mail, each readable as text (the demo's mails). Anywhere else
// (production, test): e-mail is off, and /dev/mail does not exist. The real server says which at
// start: "e-mail is off", the files, or the SMTP server it sends through (and does).
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { until } from '../support/child.ts';
import { TEST_DB } from '../support/db.ts';
import { type FakeSmtp, startFakeSmtp } from '../support/fake-smtp.ts';
import { Harness, type Merchant } from '../support/harness.ts';
import { assertProblem } from '../support/problem.ts';
import { killServers, startServer } from '../support/server-process.ts';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'fidelio-mail-'));
  dirs.push(d);
  return d;
};
/** The mail store's files, sorted (none before the first mail makes the folder). */
const stored = (dataDir: string): string[] => {
  try {
    return readdirSync(join(dataDir, 'mail')).sort();
  } catch {
    return [];
  }
};
after(() => {
  killServers();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe(`development without SMTP_URL: the mail store and /dev/mail (${TEST_DB})`, () => {
  let h: Harness;
  let m: Merchant;
  let dataDir: string;

  before(async () => {
    dataDir = tempDir();
    h = await Harness.start({ NODE_ENV: 'development', DATA_DIR: dataDir });
    m = await h.signUpMerchant('Café Lune');
  });
  after(() => h?.close());

  test('each mail is an .eml file in DATA_DIR/mail, listed newest first at /dev/mail and readable as text', async () => {
    assert.deepEqual(h.config.mail!.transport, { kind: 'files', dir: join(dataDir, 'mail') });
    await h.startMailWorker();
    const first = await h.join(m, { name: 'Première Cliente', email: 'first@example.com', locale: 'fr' });
    await until(() => stored(dataDir).length === 1, 5000, 'the first file');
    await h.join(m, { name: 'Second Customer', email: 'second@example.com', locale: 'en' });
    await until(() => stored(dataDir).length === 2, 5000, 'the second file');
    await h.mailWorker!.idle();

    const list = await h.get('/dev/mail');
    assert.equal(list.status, 200);
    assert.match(list.headers.get('content-type')!, /^text\/html/);
    const rows = [
      ...list.text.matchAll(/<tr><td>([^<]*)<\/td><td>([^<]*)<\/td><td><a href="([^"]+)">([^<]*)<\/a><\/td><td><a href="([^"]+)">/g),
    ];
    assert.deepEqual(
      rows.map((r) => [r[2], r[4]]),
      [
        ['Second Customer &lt;second@example.com&gt;', 'Café Lune: your loyalty card'],
        ['Première Cliente &lt;first@example.com&gt;', 'Café Lune : votre carte de fidélité'],
      ],
      'newest first, subjects decoded',
    );

    const mail = await h.get(rows[1]![3]!);
    assert.equal(mail.status, 200);
    assert.match(mail.headers.get('content-type')!, /^text\/plain/);
    assert.equal(mail.headers.get('x-content-type-options'), 'nosniff');
    // Readable: the headers and the text part decoded.
    const page = `${h.config.publicUrl}/c/${first.serial}`;
    assert.equal(
      mail.text.split('\n\n')[0],
      [
        'From: fidelio <no-reply@localhost>',
        'To: Première Cliente <first@example.com>',
        'Subject: Café Lune : votre carte de fidélité',
      ].join('\n') + `\nDate: ${/^Date: (.*)$/m.exec(mail.text)![1]}`,
    );
    assert.match(
      mail.text,
      new RegExp(
        `Bonjour Première Cliente,\n\nBienvenue dans le programme « ${m.program.name} » de Café Lune ! Votre carte est prête :\n${page}\n`,
      ),
    );
    // As written: the .eml, byte for byte.
    const raw = await h.get(rows[1]![5]!);
    assert.equal(raw.status, 200);
    assert.equal(raw.text, readFileSync(join(dataDir, 'mail', stored(dataDir)[0]!), 'utf8'));
    assert.match(raw.text, /^Content-Transfer-Encoding: quoted-printable$/m);
  });

  test('only the store’s own files: other names are 404', async () => {
    for (const path of ['/dev/mail/..%2Fsession-secret', '/dev/mail/session-secret', '/dev/mail/x.eml', '/dev/mail/%2E%2E']) {
      assertProblem(await h.get(path), 404, 'not_found');
    }
  });
});

describe(`/dev/mail anywhere but development without SMTP: 404 (${TEST_DB})`, () => {
  const cases: [string, Record<string, string>][] = [
    ['test', {}],
    ['production', { NODE_ENV: 'production', PUBLIC_URL: 'https://loyalty.example.com' }],
    ['development with SMTP_URL', { NODE_ENV: 'development', SMTP_URL: 'smtp://127.0.0.1:2525' }],
  ];
  for (const [name, env] of cases) {
    test(name, async () => {
      const h = await Harness.start({ DATA_DIR: tempDir(), ...env });
      try {
        assertProblem(await h.get('/dev/mail'), 404, 'not_found');
        assertProblem(await h.get('/dev/mail/20260101T000000000Z-abcdef.eml'), 404, 'not_found');
      } finally {
        await h.close();
      }
    });
  }
});

// The real server as a process: once per run is enough (the database does not matter here).
if (TEST_DB !== 'postgres') {
  describe('the server process says where mail goes', { timeout: 120_000 }, () => {
    let smtp: FakeSmtp;
    before(async () => {
      smtp = await startFakeSmtp();
    });
    after(() => smtp?.close());

    test('production without SMTP_URL: starts, with e-mail off', async () => {
      const server = await startServer({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), DATA_DIR: tempDir() });
      assert.match(server.stdout(), /^fidelio: e-mail is off: set SMTP_URL and MAIL_FROM/m);
      assert.equal((await fetch(`${server.url}/dev/mail`)).status, 404);
      server.child.kill('SIGTERM');
      assert.deepEqual(await server.exited, { code: 0, signal: null }, server.stderr());
    });

    test('production with SMTP_URL: sends the welcome mail of a signup through it', async () => {
      const server = await startServer({
        NODE_ENV: 'production',
        SESSION_SECRET: 'x'.repeat(40),
        DATA_DIR: tempDir(),
        SMTP_URL: smtp.url,
        MAIL_FROM: 'Café Lune <hello@cafe.example>',
      });
      assert.match(
        server.stdout(),
        new RegExp(`^fidelio: sending e-mail through smtp://127\\.0\\.0\\.1:${smtp.port} as Café Lune <hello@cafe\\.example>$`, 'm'),
      );
      assert.doesNotMatch(server.stdout() + server.stderr(), /smtp-secret/, 'the password is never printed');
      const origin = new URL(server.url).origin;
      const signup = await fetch(`${server.url}/api/merchant/signup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin },
        body: JSON.stringify({ businessName: 'Process Café', email: 'owner@process.test', password: 'correct horse battery' }),
      });
      const { program } = await signup.json();
      const join = await fetch(`${server.url}/api/public/programs/${program.slug}/signup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Alex', email: 'alex@example.com', consent: { terms: true } }),
      });
      assert.equal(join.status, 201);
      await smtp.waitFor(() => smtp.to('alex@example.com').length === 1, 10_000, 'the welcome mail');
      assert.equal(smtp.to('alex@example.com')[0]!.envelope.from, 'hello@cafe.example');
      server.child.kill('SIGTERM');
      assert.deepEqual(await server.exited, { code: 0, signal: null }, server.stderr());
    });

    test('development without SMTP_URL: the demo café’s welcome mails are in DATA_DIR/mail and at /dev/mail', async () => {
      const dataDir = tempDir();
      const server = await startServer({ NODE_ENV: 'development', DEMO: '1', DATA_DIR: dataDir });
      assert.match(
        server.stdout(),
        new RegExp(`^fidelio: e-mail is not sent but written to ${join(dataDir, 'mail')} and listed at ${server.url}/dev/mail`, 'm'),
      );
      await until(() => stored(dataDir).length === 3, 10_000, 'the three demo members’ mails');
      const list = await (await fetch(`${server.url}/dev/mail`)).text();
      assert.equal([...list.matchAll(/Café Lune : votre carte de fidélité/g)].length, 3, list);
      server.child.kill('SIGTERM');
      assert.deepEqual(await server.exited, { code: 0, signal: null }, server.stderr());
    });

    test('a bad SMTP_URL or production SMTP without MAIL_FROM stops the start with one line naming it', async () => {
      for (const [env, name] of [
        [{ SMTP_URL: 'http://smtp.example.com' }, 'SMTP_URL'],
        [{ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), SMTP_URL: 'smtp://smtp.example.com' }, 'MAIL_FROM'],
      ] as const) {
        await assert.rejects(startServer({ DATA_DIR: tempDir(), ...env }), (err: Error) =>
          new RegExp(`fidelio: invalid configuration: .*\\b${name}\\b`).test(err.message),
        );
      }
    });
  });
}
