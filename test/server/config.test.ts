import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../server/config.ts';

const dataDir = () => mkdtempSync(join(tmpdir(), 'fidelio-config-'));

describe('loadConfig', () => {
  it('picks the database driver from the environment', () => {
    const dir = dataDir();
    assert.deepEqual(loadConfig({ DATA_DIR: dir }).database, { driver: 'pglite', dataDir: join(dir, 'pglite') });
    assert.equal(loadConfig({ DATA_DIR: dir, DATABASE_URL: 'postgres://u:p@db:5432/app' }).database.driver, 'pg');
    assert.equal(loadConfig({ DATA_DIR: dir, POSTGRES_URL: 'postgres://u:p@ep-x-pooler.neon.tech/app' }).database.driver, 'vercel');
    // DATABASE_URL wins when both are set
    assert.equal(loadConfig({ DATA_DIR: dir, DATABASE_URL: 'postgres://a@b/c', POSTGRES_URL: 'postgres://d@e/f' }).database.driver, 'pg');
  });

  it('accepts a Unix-socket Postgres URL, which has no host', () => {
    const url = 'postgres://postgres@/fidelio?host=/var/run/postgresql';
    assert.deepEqual(loadConfig({ DATA_DIR: dataDir(), DATABASE_URL: url }).database, { driver: 'pg', url });
  });

  it('derives PUBLIC_URL from PORT, trims a trailing slash, and knows its origin', () => {
    assert.equal(loadConfig({ DATA_DIR: dataDir(), PORT: '4100' }).publicUrl, 'http://localhost:4100');
    const c = loadConfig({ DATA_DIR: dataDir(), PUBLIC_URL: 'https://loyalty.example.com/' });
    assert.equal(c.publicUrl, 'https://loyalty.example.com');
    assert.equal(c.publicOrigin, 'https://loyalty.example.com');
  });

  it('generates a development session secret once and keeps it in DATA_DIR', () => {
    const dir = dataDir();
    const first = loadConfig({ DATA_DIR: dir }).sessionSecret;
    assert.ok(first.length >= 32);
    assert.equal(loadConfig({ DATA_DIR: dir }).sessionSecret, first);
    assert.equal(readFileSync(join(dir, 'session-secret'), 'utf8').trim(), first);
  });

  it('turns the demo on in development and off in production, unless DEMO says otherwise', () => {
    assert.equal(loadConfig({ DATA_DIR: dataDir() }).demo, true);
    const prod = { NODE_ENV: 'production', PUBLIC_URL: 'https://x.example', SESSION_SECRET: 'y'.repeat(32) };
    assert.equal(loadConfig(prod).demo, false);
    assert.equal(loadConfig({ ...prod, DEMO: '1' }).demo, true);
    assert.equal(loadConfig({ DATA_DIR: dataDir(), DEMO: 'no' }).demo, false);
  });

  it('reads SMTP_URL and MAIL_FROM; in development without SMTP, mail goes to files in DATA_DIR/mail; elsewhere it is off', () => {
    const dir = dataDir();
    const smtp = loadConfig({
      DATA_DIR: dir,
      SMTP_URL: 'smtp://me%40example.com:p%40ss@smtp.example.com:2525',
      MAIL_FROM: 'Café Lune <hello@cafe.example>',
    });
    assert.deepEqual(smtp.mail, {
      transport: { kind: 'smtp', host: 'smtp.example.com', port: 2525, secure: false, auth: { user: 'me@example.com', pass: 'p@ss' } },
      from: { name: 'Café Lune', address: 'hello@cafe.example' },
    });
    const tls = loadConfig({ DATA_DIR: dir, SMTP_URL: 'smtps://mail.example.com', MAIL_FROM: 'hello@cafe.example' }).mail!;
    assert.deepEqual(tls.transport, { kind: 'smtp', host: 'mail.example.com', port: 465, secure: true, auth: null });
    assert.deepEqual(tls.from, { name: null, address: 'hello@cafe.example' });
    assert.equal((loadConfig({ DATA_DIR: dir, SMTP_URL: 'smtp://mail.example.com' }).mail!.transport as { port: number }).port, 587);
    assert.deepEqual(loadConfig({ DATA_DIR: dir, MAIL_FROM: '"Lune" <a@b.example>' }).mail, {
      transport: { kind: 'files', dir: join(dir, 'mail') },
      from: { name: 'Lune', address: 'a@b.example' },
    });
    assert.equal(loadConfig({ DATA_DIR: dir }).mail!.from.address, 'no-reply@localhost', 'a default From in development');
    const prod = { NODE_ENV: 'production', PUBLIC_URL: 'https://x.example', SESSION_SECRET: 'y'.repeat(32) };
    assert.equal(loadConfig(prod).mail, null);
    assert.equal(loadConfig({ ...prod, NODE_ENV: 'test', DATA_DIR: dir }).mail, null);
    assert.equal(loadConfig({ ...prod, SMTP_URL: 'smtp://m.example', MAIL_FROM: 'a@x.example' }).mail!.transport.kind, 'smtp');
  });

  it('refuses a bad SMTP_URL or MAIL_FROM by name, and production SMTP without MAIL_FROM', () => {
    for (const [env, name] of [
      [{ SMTP_URL: 'http://smtp.example.com' }, 'SMTP_URL'],
      [{ SMTP_URL: 'not a url' }, 'SMTP_URL'],
      [{ MAIL_FROM: 'nobody' }, 'MAIL_FROM'],
      [{ MAIL_FROM: 'Name <a@b.example>\r\nBcc: x@y.example' }, 'MAIL_FROM'],
      [{ MAIL_FROM: 'two@a.example, three@b.example' }, 'MAIL_FROM'],
      [
        { NODE_ENV: 'production', PUBLIC_URL: 'https://x.example', SESSION_SECRET: 'y'.repeat(32), SMTP_URL: 'smtp://m.example' },
        'MAIL_FROM',
      ],
    ] as const) {
      assert.throws(
        () => loadConfig({ DATA_DIR: dataDir(), ...env }),
        (err: unknown) => err instanceof ConfigError && new RegExp(`\\b${name}\\b`).test(err.message) && !/\n/.test(err.message),
        JSON.stringify(env),
      );
    }
  });

  it('refuses an http PUBLIC_URL in production with one line naming it, except on this machine (localhost, 127.0.0.1, [::1])', () => {
    const prod = { NODE_ENV: 'production', SESSION_SECRET: 'y'.repeat(32), DATA_DIR: dataDir() };
    for (const url of ['http://loyalty.example.com', 'http://192.168.1.20:3000', 'HTTP://Loyalty.Example.com/app/']) {
      assert.throws(
        () => loadConfig({ ...prod, PUBLIC_URL: url }),
        (err: unknown) =>
          err instanceof ConfigError && /\bPUBLIC_URL must be an https:\/\/ URL\b/.test(err.message) && !/\n/.test(err.message),
        url,
      );
    }
    for (const url of ['http://localhost:3000', 'http://127.0.0.1:8080/', 'http://[::1]:3000', 'https://loyalty.example.com']) {
      assert.equal(loadConfig({ ...prod, PUBLIC_URL: url }).publicUrl, url.replace(/\/$/, ''), url);
    }
    // Development and tests keep taking any http URL (a phone on the LAN, a test host).
    assert.equal(loadConfig({ DATA_DIR: dataDir(), PUBLIC_URL: 'http://192.168.1.20:3000' }).publicUrl, 'http://192.168.1.20:3000');
    assert.equal(loadConfig({ ...prod, NODE_ENV: 'test', PUBLIC_URL: 'http://fidelio.test' }).publicUrl, 'http://fidelio.test');
  });

  it('names every bad variable in one line', () => {
    assert.throws(
      () => loadConfig({ PORT: '99999', DATABASE_URL: 'mysql://x@y/z', TRUST_PROXY: 'maybe' }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.doesNotMatch(err.message, /\n/);
        for (const name of ['PORT', 'DATABASE_URL', 'TRUST_PROXY']) assert.match(err.message, new RegExp(`\\b${name}\\b`));
        return true;
      },
    );
  });
});

describe('TRUST_PROXY', () => {
  it('is the number of reverse proxies in front; yes/no words mean 1 and 0; unset is 0', () => {
    const hops = (value: string | undefined) => loadConfig({ DATA_DIR: dataDir(), TRUST_PROXY: value }).trustProxy;
    assert.equal(hops(undefined), 0);
    assert.equal(hops(''), 0);
    for (const [value, n] of [
      ['0', 0],
      ['1', 1],
      ['2', 2],
      [' 3 ', 3],
      ['true', 1],
      ['yes', 1],
      ['false', 0],
      ['no', 0],
    ] as const) {
      assert.equal(hops(value), n, value);
    }
    for (const value of ['maybe', '-1', '1.5', '100', 'on']) {
      assert.throws(
        () => hops(value),
        (err: unknown) => err instanceof ConfigError && /\bTRUST_PROXY\b/.test(err.message),
        value,
      );
    }
  });
});
