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
