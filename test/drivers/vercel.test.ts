// The @vercel/postgres driver (Neon's serverless driver: the Postgres protocol over a
// WebSocket) against the real PostgreSQL server, through a local WebSocket-to-TCP proxy like
// the one Neon runs. It gets a database of its own, dropped at the end.
//
// Runs whenever the server answers; with TEST_DB=postgres an unreachable server fails the file.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { neonConfig } from '@neondatabase/serverless';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import type { Db } from '../../server/db/index.ts';
import { openPg } from '../../server/db/drivers/pg.ts';
import { openVercel } from '../../server/db/drivers/vercel.ts';
import { listMigrations, migrate } from '../../server/db/migrate.ts';
import { TEST_DATABASE_URL } from '../support/db.ts';
import { driverContract } from '../support/driver-contract.ts';
import { requirePostgres, unreachableReason } from '../support/postgres.ts';
import { startWsProxy, type WsProxy } from '../support/ws-proxy.ts';

if (await requirePostgres()) {
  const server = new URL(TEST_DATABASE_URL);
  const admin = openPg(TEST_DATABASE_URL, { max: 1 });
  const created: string[] = [];
  let proxy: WsProxy;

  /**
   * A new database and its @vercel/postgres URL. `createPool` refuses any host other than
   * literally `localhost` unless the URL is a Neon pooler one (`-pooler.`); the proxy then
   * connects to the real host. (Only the `sql` tag, which goes over HTTP and which the driver
   * does not use, also needs a non-empty password.)
   */
  const newDatabase = async (): Promise<string> => {
    const name = `fidelio_vercel_${randomBytes(5).toString('hex')}`;
    await admin.query(`CREATE DATABASE ${name}`);
    created.push(name);
    const url = new URL(TEST_DATABASE_URL);
    url.hostname = 'localhost';
    url.pathname = `/${name}`;
    url.search = '';
    return url.toString();
  };

  before(async () => {
    proxy = await startWsProxy();
    // Neon's driver asks the proxy for `host:port`; "localhost" is reached at the configured host.
    neonConfig.wsProxy = (host, port) => `${proxy.host}/v1?address=${host === 'localhost' ? server.hostname : host}:${port}`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    neonConfig.pipelineConnect = false;
  });

  after(async () => {
    await proxy?.close();
    for (const name of created) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.close();
  });

  driverContract(
    '@vercel/postgres',
    async () => {
      const db = openVercel(await newDatabase());
      return { db, close: () => db.close() };
    },
    { driver: 'vercel' },
  );

  describe('@vercel/postgres with the app', () => {
    let db: Db;
    let app: ReturnType<typeof createApp>;
    const config = loadConfig({
      NODE_ENV: 'test',
      PUBLIC_URL: 'http://fidelio.test',
      SESSION_SECRET: 'test-secret-test-secret-test-secret-0123',
      TRUST_PROXY: '1',
      DATA_DIR: '.data/test',
    });
    const request = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
      const res = await app.request(path, {
        method,
        headers: { 'x-forwarded-for': '10.9.8.7', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return {
        status: res.status,
        headers: res.headers,
        body: text && /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : text,
      };
    };

    before(async () => {
      db = openVercel(await newDatabase());
      app = createApp({ config, db, apple: null, google: null, outbox: { wake: () => {} } });
    });
    after(() => db?.close());

    it('migrates an empty database, once', async () => {
      const all = listMigrations().map((m) => m.version);
      assert.deepEqual(await migrate(db), all);
      assert.deepEqual(await migrate(db), []);
      const { rows } = await db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      assert.deepEqual(
        rows.map((r) => r.version),
        all,
      );
    });

    it('answers /readyz with the vercel driver', async () => {
      const res = await request('GET', '/readyz');
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { status: 'ready', database: 'vercel' });
    });

    it('a merchant signs up, a customer joins, and the card is stamped', async () => {
      const email = `owner-${randomBytes(4).toString('hex')}@example.com`;
      const signup = await request(
        'POST',
        '/api/merchant/signup',
        { businessName: 'Vercel Café', email, password: 'correct horse battery' },
        { origin: config.publicOrigin },
      );
      assert.equal(signup.status, 201, JSON.stringify(signup.body));
      const cookie = /fidelio_session=[^;]+/.exec(signup.headers.get('set-cookie') ?? '')?.[0];
      assert.ok(cookie, 'no session cookie');

      const key = await request('POST', '/api/merchant/api-keys', { name: 'Till' }, { cookie, origin: config.publicOrigin });
      assert.equal(key.status, 201, JSON.stringify(key.body));

      const join = await request('POST', `/api/public/programs/${signup.body.program.slug}/signup`, {
        name: 'Alex Customer',
        email: 'alex@example.com',
        consent: { terms: true },
      });
      assert.equal(join.status, 201, JSON.stringify(join.body));
      const serial: string = join.body.card.serial;

      for (let i = 1; i <= 3; i++) {
        const stamp = await request('POST', `/api/merchant/cards/${serial}/stamps`, {}, { authorization: `Bearer ${key.body.key}` });
        assert.equal(stamp.status, 200, JSON.stringify(stamp.body));
        assert.equal(stamp.body.card.stamps, i);
      }
      // The same idempotency key twice records one stamp (a transaction through the proxy).
      const headers = { authorization: `Bearer ${key.body.key}`, 'idempotency-key': 'vercel-retry-1' };
      const first = await request('POST', `/api/merchant/cards/${serial}/stamps`, { count: 2 }, headers);
      const retry = await request('POST', `/api/merchant/cards/${serial}/stamps`, { count: 2 }, headers);
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.deepEqual(retry.body, first.body);
      assert.equal(first.body.card.stamps, 5);

      const card = await request('GET', `/api/public/cards/${serial}`);
      assert.equal(card.status, 200);
      assert.equal(card.body.card.stamps, 5);
      const { rows } = await db.query<{ n: number; stamps: number }>(
        `SELECT count(*) AS n, sum(l.stamps)::int8 AS stamps FROM ledger l JOIN cards c ON c.id = l.card_id WHERE c.serial = $1 AND l.kind = 'stamp'`,
        [serial],
      );
      assert.deepEqual(rows[0], { n: 4, stamps: 5 });
      assert.ok(proxy.connections > 0, 'nothing went through the WebSocket proxy');
    });
  });
} else {
  describe('@vercel/postgres driver', () => {
    it('needs the PostgreSQL server', { skip: unreachableReason() }, () => undefined);
  });
}
