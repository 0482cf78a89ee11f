// The real server as a child process (`node --import tsx server/main.ts`): configuration
// errors, health checks, graceful shutdown under load, and a kill -9 in the middle of writes.
//
// Which database the servers use follows TEST_DB, like the rest of the suite:
// - default run: the default path, PGlite in a temporary DATA_DIR (no DATABASE_URL);
// - TEST_DB=postgres: DATABASE_URL pointing at a fresh schema (an unreachable server fails).
// The configuration errors stop the start before any database is opened; they run in the
// default run only.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Db } from '../../server/db/index.ts';
import { openPglite } from '../../server/db/drivers/pglite.ts';
import { openPostgresSchema, TEST_DB, type TestDb } from '../support/db.ts';
import { cacheAndLedger } from '../support/ledger.ts';
import { requirePostgres } from '../support/postgres.ts';
import { type Exit, killServers, type Server, spawnServer, startServer } from '../support/server-process.ts';

/** Guards against a hang only (a stuck child, a lost response); no assertion depends on time. */
const HANG_GUARD_MS = 120_000;
const FETCH_TIMEOUT_MS = 15_000;
const BURST = 200;
const CONCURRENCY = 20;
/** The signal goes out once this many answers of the burst have come back. */
const SIGNAL_AFTER = 60;

const tempDirs: string[] = [];

after(() => {
  killServers();
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'fidelio-process-'));
  tempDirs.push(d);
  return d;
}

interface Reply {
  status: number;
  headers: Headers;
  body: any;
}

async function http(
  base: string,
  method: string,
  path: string,
  opts: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(base + path, {
    method,
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: text && /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : text,
  };
}

interface Burst {
  sent: number;
  statuses: number[];
  /** Requests that got no answer (connection refused or reset). */
  failures: number;
}

/**
 * Up to `total` stamp requests, CONCURRENCY at a time; `onAnswer(n)` is called after each
 * answer (to send a signal in the middle). Never throws: a request without an answer is
 * counted. With `untilRefused`, each worker stops at its first request without an answer
 * (a client that keeps its connection busy for as long as the server answers).
 */
async function stampBurst(
  base: string,
  serial: string,
  key: string,
  onAnswer: (answers: number) => void,
  { total = BURST, untilRefused = false } = {},
): Promise<Burst> {
  const burst: Burst = { sent: 0, statuses: [], failures: 0 };
  const worker = async () => {
    while (burst.sent < total) {
      burst.sent++;
      try {
        const res = await http(base, 'POST', `/api/merchant/cards/${serial}/stamps`, {
          body: {},
          headers: { authorization: `Bearer ${key}` },
        });
        burst.statuses.push(res.status);
        onAnswer(burst.statuses.length);
      } catch {
        burst.failures++;
        if (untilRefused) return;
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return burst;
}

// ---------------------------------------------------------------------------------------

if (TEST_DB !== 'postgres') {
  describe('a bad configuration stops the start with one clear line', () => {
    const cases: { name: string; variable: string; env: Record<string, string> }[] = [
      { name: 'PORT=abc', variable: 'PORT', env: { PORT: 'abc' } },
      { name: 'PUBLIC_URL=not a url', variable: 'PUBLIC_URL', env: { PUBLIC_URL: 'not a url' } },
      {
        name: 'NODE_ENV=production without SESSION_SECRET',
        variable: 'SESSION_SECRET',
        env: { NODE_ENV: 'production', PUBLIC_URL: 'https://loyalty.example.com' },
      },
      {
        name: 'NODE_ENV=production without PUBLIC_URL',
        variable: 'PUBLIC_URL',
        env: { NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40) },
      },
      { name: 'SESSION_SECRET too short', variable: 'SESSION_SECRET', env: { SESSION_SECRET: 'short' } },
      { name: 'DATABASE_URL=mysql://…', variable: 'DATABASE_URL', env: { DATABASE_URL: 'mysql://root@localhost/app' } },
      { name: 'NODE_ENV=staging', variable: 'NODE_ENV', env: { NODE_ENV: 'staging' } },
    ];
    const results = new Map<string, Promise<{ exit: Exit; stdout: string; stderr: string }>>();
    before(() => {
      // All at once: each is a node start (about half a second), none touches a database.
      for (const c of cases) {
        const s = spawnServer({ DATA_DIR: tempDir(), ...c.env });
        results.set(
          c.name,
          s.exited.then((exit) => ({ exit, stdout: s.stdout(), stderr: s.stderr() })),
        );
      }
    });

    for (const c of cases) {
      it(`${c.name}: exit code 1, one line naming ${c.variable}`, { timeout: HANG_GUARD_MS }, async () => {
        const r = await results.get(c.name)!;
        assert.deepEqual(r.exit, { code: 1, signal: null }, `stdout: ${r.stdout}\nstderr: ${r.stderr}`);
        const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
        assert.equal(lines.length, 1, `stderr has ${lines.length} lines:\n${r.stderr}`);
        assert.match(lines[0]!, new RegExp(`\\b${c.variable}\\b`));
        assert.match(lines[0]!, /^fidelio: invalid configuration: /);
        assert.doesNotMatch(r.stdout, /listening/);
      });
    }
  });
}

const postgres = TEST_DB === 'postgres' && (await requirePostgres());

describe(`the server process on ${postgres ? 'PostgreSQL (DATABASE_URL)' : 'PGlite (DATA_DIR)'}`, { timeout: HANG_GUARD_MS * 3 }, () => {
  let dataDir: string;
  let pgSchema: TestDb | undefined;
  let env: Record<string, string>;

  /**
   * Runs `fn` against the server's database from this process. PGlite is single-process, so
   * its directory is only opened while no server runs.
   */
  const withDb = async <T>(fn: (db: Db) => Promise<T>): Promise<T> => {
    if (pgSchema) return fn(pgSchema.db);
    const db = await openPglite(join(dataDir, 'pglite'));
    try {
      return await fn(db);
    } finally {
      await db.close();
    }
  };

  /** Cached balances of the card vs. the ledger, and its count of stamp entries. */
  const ledgerCheck = (serial: string) =>
    withDb(async (db) => {
      const { cached, fromLedger, entries } = await cacheAndLedger(db, serial);
      return { cached, fromLedger, stampEntries: entries.filter((e) => e.kind === 'stamp').length };
    });

  let server: Server;
  let apiKey: string;
  let slug: string;

  const joinCustomer = async (s: Server): Promise<string> => {
    const res = await http(s.url, 'POST', `/api/public/programs/${slug}/signup`, {
      body: { name: 'Alex Customer', email: `alex-${Math.random().toString(36).slice(2)}@example.com`, consent: { terms: true } },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.card.serial;
  };

  before(async () => {
    dataDir = tempDir();
    env = { DATA_DIR: dataDir };
    if (postgres) {
      pgSchema = await openPostgresSchema();
      env.DATABASE_URL = pgSchema.url!;
    }
  });
  after(async () => {
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
    await pgSchema?.close();
  });

  it('starts, and answers /healthz and /readyz with 200', { timeout: HANG_GUARD_MS }, async () => {
    server = await startServer(env);
    if (!postgres) assert.match(server.stdout(), /fidelio: applied migrations 1\b/, 'a fresh DATA_DIR is migrated at start');
    assert.match(server.stdout(), postgres ? /pg database/ : /embedded database in .*pglite/);
    const health = await http(server.url, 'GET', '/healthz');
    assert.equal(health.status, 200);
    assert.deepEqual(health.body, { status: 'ok' });
    const ready = await http(server.url, 'GET', '/readyz');
    assert.equal(ready.status, 200);
    assert.deepEqual(ready.body, { status: 'ready', database: postgres ? 'pg' : 'pglite' });
  });

  it('SIGTERM during a burst of stamps: exit code 0, every answer a 200, no write lost or extra', { timeout: HANG_GUARD_MS }, async (t) => {
    const origin = new URL(server.url).origin;
    const signup = await http(server.url, 'POST', '/api/merchant/signup', {
      body: { businessName: 'Process Café', email: 'owner@process.test', password: 'correct horse battery' },
      headers: { origin },
    });
    assert.equal(signup.status, 201, JSON.stringify(signup.body));
    slug = signup.body.program.slug;
    const cookie = /fidelio_session=[^;]+/.exec(signup.headers.get('set-cookie') ?? '')?.[0];
    assert.ok(cookie, 'no session cookie');
    const key = await http(server.url, 'POST', '/api/merchant/api-keys', { body: { name: 'Till' }, headers: { cookie, origin } });
    assert.equal(key.status, 201, JSON.stringify(key.body));
    apiKey = key.body.key;
    const serial = await joinCustomer(server);

    let signalled = false;
    let signalledAt = 0;
    const burst = await stampBurst(server.url, serial, apiKey, (answers) => {
      if (!signalled && answers >= SIGNAL_AFTER) {
        signalled = true;
        signalledAt = performance.now();
        server.child.kill('SIGTERM');
      }
    });
    const burstEndedAt = performance.now();
    const exit = await server.exited;
    t.diagnostic(
      `burst: ${burst.sent} sent, ${burst.statuses.length} answered, ${burst.failures} unanswered; ` +
        `burst ended ${Math.round(burstEndedAt - signalledAt)} ms and the server exited ${Math.round(performance.now() - signalledAt)} ms after SIGTERM`,
    );

    assert.ok(signalled, `the burst ended before ${SIGNAL_AFTER} answers: ${JSON.stringify(burst)}`);
    assert.deepEqual(exit, { code: 0, signal: null }, `stderr: ${server.stderr()}`);
    assert.match(server.stdout(), /SIGTERM received/);
    assert.match(server.stdout(), /fidelio: stopped/);
    const notOk = burst.statuses.filter((s) => s !== 200);
    assert.deepEqual(notOk, [], 'every request that got an answer got 200');
    assert.ok(burst.statuses.length >= SIGNAL_AFTER);
    assert.equal(burst.sent, burst.statuses.length + burst.failures);

    // Every 200 is in the ledger, and nothing unanswered is.
    const check = await ledgerCheck(serial);
    assert.deepEqual(check.cached, check.fromLedger);
    assert.equal(check.stampEntries, burst.statuses.length);
  });

  it('kill -9 during a burst of stamps, then a restart: the balances still match the ledger', { timeout: HANG_GUARD_MS }, async (t) => {
    assert.ok(apiKey, 'needs the merchant of the previous test');
    server = await startServer(env);
    const serial = await joinCustomer(server);

    let killed = false;
    const burst = await stampBurst(server.url, serial, apiKey, (answers) => {
      if (!killed && answers >= SIGNAL_AFTER) {
        killed = true;
        server.child.kill('SIGKILL');
      }
    });
    const exit = await server.exited;
    t.diagnostic(`burst: ${burst.sent} sent, ${burst.statuses.length} answered, ${burst.failures} unanswered`);
    assert.ok(killed, `the burst ended before ${SIGNAL_AFTER} answers: ${JSON.stringify(burst)}`);
    assert.deepEqual(exit, { code: null, signal: 'SIGKILL' });
    assert.deepEqual(
      burst.statuses.filter((s) => s !== 200),
      [],
      'every request that got an answer got 200',
    );

    // The same database, a new process.
    server = await startServer(env);
    assert.equal((await http(server.url, 'GET', '/readyz')).status, 200);
    const prior = await http(server.url, 'GET', `/api/public/cards/${serial}`);
    assert.equal(prior.status, 200);
    const one = await http(server.url, 'POST', `/api/merchant/cards/${serial}/stamps`, {
      body: {},
      headers: { authorization: `Bearer ${apiKey}` },
    });
    assert.equal(one.status, 200, JSON.stringify(one.body));
    const total = (c: { stamps: number; rewardsAvailable: number; stampsRequired: number }) =>
      c.stamps + c.stampsRequired * c.rewardsAvailable;
    assert.equal(total(one.body.card), total(prior.body.card) + 1, 'the restarted server stamps the card it left behind');

    server.child.kill('SIGTERM');
    assert.deepEqual(await server.exited, { code: 0, signal: null }, `stderr: ${server.stderr()}`);
    const check = await ledgerCheck(serial);
    assert.deepEqual(check.cached, check.fromLedger, 'the cached balances are the ledger recomputed');
    // One more stamp came after the restart.
    const burstEntries = check.stampEntries - 1;
    t.diagnostic(`${burstEntries} stamp entries in the ledger from the burst`);
    assert.ok(burst.statuses.length <= burstEntries, `${burst.statuses.length} answers of 200 but only ${burstEntries} stamp entries`);
    assert.ok(burstEntries <= burst.sent, `${burstEntries} stamp entries for ${burst.sent} requests`);
  });

  // Node's server.close() keeps serving new requests on keep-alive connections that were busy
  // when it was called; clients that keep theirs busy held the server until the grace period
  // ran out, and it exited 1 with requests cut off.
  it('SIGTERM while clients keep their connections busy: the server stops answering and exits 0', { timeout: HANG_GUARD_MS }, async (t) => {
    assert.ok(apiKey, 'needs the merchant of the previous tests');
    server = await startServer(env);
    const serial = await joinCustomer(server);
    const cap = 20_000;
    let signalled = false;
    let answersAtSignal = 0;
    const burst = await stampBurst(
      server.url,
      serial,
      apiKey,
      (answers) => {
        if (!signalled && answers >= SIGNAL_AFTER) {
          signalled = true;
          answersAtSignal = answers;
          server.child.kill('SIGTERM');
        }
      },
      { total: cap, untilRefused: true },
    );
    const exit = await server.exited;
    t.diagnostic(
      `burst: ${burst.sent} sent, ${burst.statuses.length} answered (${burst.statuses.length - answersAtSignal} after SIGTERM), ${burst.failures} unanswered`,
    );
    assert.ok(signalled, `the burst ended before ${SIGNAL_AFTER} answers: ${JSON.stringify(burst)}`);
    assert.ok(burst.sent < cap, `the server answered all ${cap} requests: it kept taking requests after SIGTERM`);
    assert.deepEqual(exit, { code: 0, signal: null }, `stderr: ${server.stderr()}`);
    assert.deepEqual(
      burst.statuses.filter((s) => s !== 200),
      [],
      'every request that got an answer got 200',
    );
    const check = await ledgerCheck(serial);
    assert.deepEqual(check.cached, check.fromLedger);
    assert.equal(check.stampEntries, burst.statuses.length);
  });
});
