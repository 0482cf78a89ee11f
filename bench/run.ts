/**
 * npm run bench — HTTP load against the built server (`dist/server/main.js`) as a separate
 * process, on PGlite and on the PostgreSQL server, with autocannon. Prints figures and
 * their ratio to the targets of the core issue; asserts nothing.
 *
 *   BENCH_PARTS=widget,pages,dashboard,lighthouse,http,apple,google,mail,kpis,poster,campaigns,control   the widget's size and
 *       first render (bench/widget.ts), the hosted pages' bytes and first paint on a phone
 *       (bench/pages.ts), the dashboard's first-screen JavaScript (bench/dashboard.ts),
 *       Lighthouse's scores of the pages and the bytes on the wire (bench/lighthouse.ts), the
 *       HTTP load, Apple Wallet (bench/apple.ts: signing, the PassKit web service, APNs pushes),
 *       Google Wallet (bench/google.ts: save links signed, 10,000 object updates drained),
 *       e-mail (bench/mail.ts: 1,000 welcome mails drained over SMTP to a local server),
 *       the merchant KPIs at 100,000 members and 1,000,000 ledger rows (bench/kpis.ts), the
 *       in-store poster (bench/poster.ts: PDF and PNG made, A4 and A5, and through the API), the
 *       daily plays at 100,000 members with 300 birthdays today (bench/campaigns.ts), the CSV
 *       import of 100,000 members and 1,000 webhook deliveries (bench/control.ts)
 *   BENCH_SECONDS=10  seconds per measured run (after a 2 s warm-up)
 *   BENCH_DB=pglite,postgres,postgres-socket   which databases: PGlite in process, the
 *       Postgres server over TCP (127.0.0.1), the same server over its Unix socket
 *   TEST_DATABASE_URL   the Postgres server over TCP (a database is created and dropped)
 *   BENCH_PG_SOCKET     the socket directory, default /var/run/postgresql
 *
 * Throughput is measured with 10 connections (the server saturated); latency with 1
 * connection, so that p50 is the time one request takes rather than time spent queueing.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { startServer } from '../test/support/server-process.ts';
import { benchApple, printApple } from './apple.ts';
import { benchCampaigns, printCampaigns } from './campaigns.ts';
import { benchControl, printControl } from './control.ts';
import { benchDashboard, printDashboard } from './dashboard.ts';
import { benchGoogle, printGoogle } from './google.ts';
import { benchKpis, printKpis } from './kpis.ts';
import { benchLighthouse, printLighthouse } from './lighthouse.ts';
import { benchMail, printMail } from './mail.ts';
import { benchPages, printPages } from './pages.ts';
import { benchPoster, printPoster } from './poster.ts';
import { benchWidget, printWidget } from './widget.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PARTS = (process.env.BENCH_PARTS ?? 'widget,pages,dashboard,lighthouse,http,apple,google,mail,kpis,poster,campaigns,control').split(
  ',',
);
const DATABASES = (process.env.BENCH_DB ?? 'pglite,postgres,postgres-socket').split(',');
const PG_SOCKET = process.env.BENCH_PG_SOCKET ?? '/var/run/postgresql';
const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const CARDS = 500;
const CONNECTIONS = 10;

/** Targets on this 2-core machine (the core issue), and the peer baseline for plain Hono. */
const TARGETS = { stampP50Ms: 5, stampsPerSec: 800, cardReqPerSec: 3000, honoOkReqPerSec: 16283 };

async function json(url: string, init: RequestInit & { body?: string }): Promise<any> {
  const res = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...init.headers } });
  if (!res.ok) throw new Error(`${init.method} ${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** A merchant, an API key and CARDS members, through the API. */
async function seed(url: string): Promise<{ key: string; serials: string[] }> {
  const signup = await fetch(`${url}/api/merchant/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ businessName: 'Bench Café', email: 'bench@example.com', password: 'bench-password-123' }),
  });
  const program = (await signup.json()).program;
  const cookie = /fidelio_session=[^;]+/.exec(signup.headers.get('set-cookie') ?? '')![0];
  const { key } = await json(`${url}/api/merchant/api-keys`, {
    method: 'POST',
    headers: { cookie, origin: url },
    body: JSON.stringify({ name: 'bench' }),
  });
  const serials: string[] = [];
  for (let i = 0; i < CARDS; i++) {
    const r = await json(`${url}/api/public/programs/${program.slug}/signup`, {
      method: 'POST',
      headers: { 'x-forwarded-for': `10.0.${i >> 8}.${i & 255}` },
      body: JSON.stringify({ name: `Member ${i}`, email: `m${i}@example.com`, consent: { terms: true, marketing: false } }),
    });
    serials.push(r.card.serial);
  }
  return { key, serials };
}

interface Figures {
  reqPerSec: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

async function load(opts: autocannon.Options, seconds = SECONDS): Promise<Figures> {
  await autocannon({ ...opts, duration: 2 }); // warm-up
  const r = await autocannon({ ...opts, duration: seconds });
  return { reqPerSec: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors };
}

async function benchDatabase(name: string): Promise<Record<string, Figures>> {
  let env: Record<string, string>;
  let cleanup: () => void;
  if (name === 'postgres' || name === 'postgres-socket') {
    const db = `fidelio_bench_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${db}`);
    await admin.end();
    const u = new URL(PG_URL);
    u.pathname = `/${db}`;
    const url = name === 'postgres' ? u.toString() : `postgres://${u.username}@/${db}?host=${PG_SOCKET}`;
    env = { DATABASE_URL: url };
    cleanup = () => {
      execFileSync('psql', [PG_URL, '-qc', `DROP DATABASE ${db} WITH (FORCE)`]);
    };
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'fidelio-bench-'));
    env = { DATA_DIR: dir };
    cleanup = () => rmSync(dir, { recursive: true, force: true });
  }
  const server = await startServer(
    { NODE_ENV: 'production', TRUST_PROXY: '1', SESSION_SECRET: randomBytes(32).toString('hex'), ...env },
    { entry: 'dist' },
  );
  const { url } = server;
  try {
    const { key, serials } = await seed(url);
    const pick = () => serials[Math.floor(Math.random() * serials.length)]!;
    const results: Record<string, Figures> = {};
    results['GET /healthz'] = await load({ url: `${url}/healthz`, connections: CONNECTIONS });
    const stamp: autocannon.Request = {
      method: 'POST',
      setupRequest: (req) => ({
        ...req,
        path: `/api/merchant/cards/${pick()}/stamps`,
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': 'application/json',
          'idempotency-key': randomBytes(12).toString('base64url'),
        },
        body: '{"count":1}',
      }),
    };
    const card: autocannon.Request = { method: 'GET', setupRequest: (req) => ({ ...req, path: `/api/public/cards/${pick()}` }) };
    results['POST stamp'] = await load({ url, connections: CONNECTIONS, requests: [stamp] });
    results['POST stamp, 1 connection'] = await load({ url, connections: 1, requests: [stamp] });
    results['GET card'] = await load({ url, connections: CONNECTIONS, requests: [card] });
    return results;
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
    cleanup();
  }
}

const ratio = (x: number, target: number) => `${(x / target).toFixed(2)}×`;

execFileSync('npx', ['vite', 'build', '--logLevel', 'error'], { stdio: 'inherit' });
execFileSync('npx', ['vite', 'build', '--mode', 'widget', '--logLevel', 'error'], { stdio: 'inherit' });
if (PARTS.includes('widget')) printWidget(await benchWidget());
if (PARTS.includes('pages')) printPages(await benchPages());
if (PARTS.includes('dashboard') || PARTS.includes('lighthouse')) {
  execFileSync('npx', ['vite', 'build', '--mode', 'dashboard', '--logLevel', 'error'], { stdio: 'inherit' });
}
if (PARTS.includes('dashboard')) printDashboard(benchDashboard());
if (PARTS.includes('lighthouse')) printLighthouse(await benchLighthouse());
if (PARTS.includes('apple')) printApple(await benchApple());
if (PARTS.includes('google')) printGoogle(await benchGoogle());
if (PARTS.includes('mail')) printMail(await benchMail());
if (PARTS.includes('kpis')) printKpis(await benchKpis());
if (PARTS.includes('campaigns')) printCampaigns(await benchCampaigns());
if (PARTS.includes('control')) printControl(await benchControl());
if (PARTS.includes('poster')) printPoster(await benchPoster());
if (PARTS.includes('http')) {
  console.log(`fidelio bench: ${CONNECTIONS} connections, ${SECONDS} s per run, ${CARDS} cards, autocannon on the same 2 cores\n`);
}
for (const name of PARTS.includes('http') ? DATABASES : []) {
  const r = await benchDatabase(name);
  console.log(`## ${name}`);
  console.log('| case | req/s | p50 ms | p99 ms | non-2xx | errors |');
  console.log('|---|---|---|---|---|---|');
  for (const [k, f] of Object.entries(r)) {
    console.log(`| ${k} | ${Math.round(f.reqPerSec)} | ${f.p50} | ${f.p99} | ${f.non2xx} | ${f.errors} |`);
  }
  const stamp = r['POST stamp']!;
  const alone = r['POST stamp, 1 connection']!;
  const card = r['GET card']!;
  const health = r['GET /healthz']!;
  console.log(
    `\nratios: stamps/s ${ratio(stamp.reqPerSec, TARGETS.stampsPerSec)} of target ${TARGETS.stampsPerSec}; ` +
      `stamp p50 ${alone.p50} ms alone (${stamp.p50} ms at ${CONNECTIONS} connections) vs target ≤ ${TARGETS.stampP50Ms} ms; ` +
      `GET card ${ratio(card.reqPerSec, TARGETS.cardReqPerSec)} of target ${TARGETS.cardReqPerSec}; ` +
      `/healthz ${ratio(health.reqPerSec, TARGETS.honoOkReqPerSec)} of the plain-Hono peer baseline (${TARGETS.honoOkReqPerSec} req/s at 30 conns)\n`,
  );
}
