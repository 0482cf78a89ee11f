/**
 * Apple Wallet figures: passes signed per second, fresh and from the cache, next to
 * passkit-generator alone building the same pass on one thread; the event loop's worst delay
 * during a burst of 200 fresh passes; the PassKit web service's 304 and 200 paths under load
 * (built server on the Postgres server); stamp → push latency; 10,000 devices pushed to a
 * local HTTP/2 stand-in for APNs.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { PKPass } from 'passkit-generator';
import pg from 'pg';
import { BuildCache } from '../passes/cache.ts';
import { devCertificates } from '../passes/apple/certificates.ts';
import { buildPass, passJson, passStrings } from '../passes/apple/pass.ts';
import { type PassContent, stripState } from '../passes/content.ts';
import { PassImages } from '../passes/images.ts';
import { TEST_DATABASE_URL } from '../test/support/db.ts';
import { makeTlsFixture, startFakeApns } from '../test/support/fake-apns.ts';
import { startServer } from '../test/support/server-process.ts';

/** The Apple Wallet issue's targets on this 2-core machine. */
export const APPLE_TARGETS = {
  freshVsPasskitGenerator: 1.5,
  cachedVsFresh: 10,
  burstLoopDelayMs: 20,
  notModifiedReqPerSec: 3000,
  stampToPushP95Ms: 100,
  tenThousandPushesS: 5,
};

const PASS_TYPE_ID = 'pass.bench.fidelio';
const TEAM_ID = 'BENCHTEAM1';

const content = (serial: string, stamps: number): PassContent => ({
  serial,
  authToken: randomBytes(32).toString('base64url'),
  organizationName: 'Bench Café',
  description: 'Bench Café loyalty card',
  design: { backgroundColor: '#3b2f2f', foregroundColor: '#ffffff', labelColor: '#f3d9b1' },
  balance: { kind: 'stamps', stamps, required: 10, rewardsAvailable: 0, rewardName: 'A free coffee' },
  memberName: 'Ana Member',
  language: 'en',
  message: null,
  referralUrl: 'https://cafe.example/?ref=abcdefghij',
  terms: 'Collect 10 stamps to get: A free coffee.',
  address: '12 rue des Lilas, Paris',
  websiteUrl: 'https://cafe.example/',
  locations: [],
});
const serial = () => randomBytes(16).toString('hex').slice(0, 26);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;

export interface AppleFigures {
  passkitGeneratorPerSec: number;
  freshPerSec: number;
  freshMsEach: number;
  cachedPerSec: number;
  burstLoopMaxMs: number;
  burstLoopP99Ms: number;
  notModified: { reqPerSec: number; p99: number; non2xx: number };
  cachedPass: { reqPerSec: number; p99: number; non2xx: number };
  stampToPush: { p50: number; p95: number; max: number };
  tenThousand: { seconds: number; received: number; queuedMs: number; firstMs: number };
}

/** In process: passkit-generator vs our signer, fresh and cached, and the loop during a burst. */
async function signing(dir: string) {
  const certs = await devCertificates(join(dir, 'certs'), PASS_TYPE_ID, TEAM_ID);
  const images = new PassImages();
  const identity = { passTypeId: PASS_TYPE_ID, teamId: TEAM_ID, webServiceUrl: 'https://bench.example/apple' };
  // The same files for both: our pass.json, strings and (already rendered) images.
  const c = content(serial(), 7);
  const [icon, logo, strip] = await Promise.all([
    images.icon(c.design),
    images.logo(c.design),
    images.strip(c.design, stripState(c.balance)),
  ]);
  const files: Record<string, Buffer> = {
    'pass.json': Buffer.from(JSON.stringify(passJson(c, identity))),
    'icon.png': icon['1x'],
    'icon@2x.png': icon['2x'],
    'icon@3x.png': icon['3x'],
    'logo.png': logo['1x'],
    'logo@2x.png': logo['2x'],
    'logo@3x.png': logo['3x'],
    'strip.png': strip['1x'],
    'strip@2x.png': strip['2x'],
    'strip@3x.png': strip['3x'],
    'en.lproj/pass.strings': Buffer.from(passStrings(c, 'en')),
    'fr.lproj/pass.strings': Buffer.from(passStrings(c, 'fr')),
  };
  const pkCerts = { wwdr: certs.wwdrPem, signerCert: certs.certPem, signerKey: certs.keyPem };
  const pk = (s: string) => new PKPass(files, pkCerts, { serialNumber: s }).getAsBuffer();
  for (let i = 0; i < 5; i++) pk(serial());
  const N = 100;
  let t = performance.now();
  for (let i = 0; i < N; i++) pk(serial());
  const passkitGeneratorPerSec = (N * 1000) / (performance.now() - t);

  // Ours, fresh: every pass a new serial (nothing from the pass cache), 8 in flight.
  const fresh = () => buildPass(content(serial(), 7), identity, certs, images);
  for (let i = 0; i < 10; i++) await fresh();
  const burst = async (n: number) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next++ < n) await fresh();
      }),
    );
  };
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  t = performance.now();
  await burst(200);
  const burstMs = performance.now() - t;
  loop.disable();
  const M = 400;
  t = performance.now();
  await burst(M);
  const freshPerSec = (M * 1000) / (performance.now() - t);
  let each = 0;
  for (let i = 0; i < 50; i++) {
    const t0 = performance.now();
    await fresh();
    each += performance.now() - t0;
  }

  // Cached: what a phone asking again for an unchanged pass costs (the cache lookup).
  const cache = new BuildCache<Buffer>({ maxSize: 64 * 1024 * 1024, sizeOf: (b) => b.length });
  const keys = Array.from({ length: 100 }, (_, i) => `card${i}:1`);
  for (const k of keys) await cache.get(k, fresh);
  const K = 100_000;
  t = performance.now();
  for (let i = 0; i < K; i++) await cache.get(keys[i % keys.length]!, fresh);
  const cachedPerSec = (K * 1000) / (performance.now() - t);
  void burstMs;
  return {
    passkitGeneratorPerSec,
    freshPerSec,
    freshMsEach: each / 50,
    cachedPerSec,
    burstLoopMaxMs: loop.max / 1e6,
    burstLoopP99Ms: loop.percentile(99) / 1e6,
  };
}

async function http(dir: string) {
  // The server's development certificates, made first so the APNs stand-in trusts them.
  const dataDir = join(dir, 'data');
  const certs = await devCertificates(join(dataDir, 'apple'), PASS_TYPE_ID, TEAM_ID);
  const tls = makeTlsFixture(dir);
  const apns = await startFakeApns({
    caPem: tls.caPem,
    serverCertPem: tls.serverCertPem,
    serverKeyPem: tls.serverKeyPem,
    requireClientCa: certs.wwdrPem + certs.rootPem!,
  });
  writeFileSync(join(dir, 'apns-ca.pem'), tls.caPem);
  const dbName = `fidelio_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const u = new URL(TEST_DATABASE_URL);
  u.pathname = `/${dbName}`;
  const db = new pg.Client({ connectionString: u.toString() });
  const server = await startServer(
    {
      NODE_ENV: 'development',
      DATA_DIR: dataDir,
      DATABASE_URL: u.toString(),
      TRUST_PROXY: '1',
      APPLE_PASS_TYPE_ID: PASS_TYPE_ID,
      APPLE_TEAM_ID: TEAM_ID,
      APNS_HOST: apns.url,
      NODE_EXTRA_CA_CERTS: join(dir, 'apns-ca.pem'),
    },
    { entry: 'dist' },
  );
  const { url } = server;
  try {
    await db.connect();
    const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
      const res = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
      if (res.status >= 300) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
      return { res, body: (await res.json()) as any };
    };
    const signup = await post(
      '/api/merchant/signup',
      { businessName: 'Bench Café', email: 'b@example.com', password: 'bench-password-1' },
      { origin: url },
    );
    const cookie = /fidelio_session=[^;]+/.exec(signup.res.headers.get('set-cookie')!)![0];
    const { key } = (await post('/api/merchant/api-keys', { name: 'bench' }, { cookie, origin: url })).body;
    const slug = signup.body.program.slug;
    const cards: { serial: string; token: string; lastModified: string; pushToken: string }[] = [];
    for (let i = 0; i < 500; i++) {
      const { card } = (
        await post(
          `/api/public/programs/${slug}/signup`,
          { name: `M${i}`, email: `m${i}@example.com`, consent: { terms: true, marketing: false } },
          { 'x-forwarded-for': `10.1.${i >> 8}.${i & 255}` },
        )
      ).body;
      cards.push({ serial: card.serial, token: '', lastModified: '', pushToken: randomBytes(32).toString('hex') });
    }
    const tokens = await db.query<{ serial: string; auth_token: string }>('SELECT serial, auth_token FROM cards');
    const byserial = new Map(tokens.rows.map((r) => [r.serial, r.auth_token]));
    for (const c of cards) c.token = byserial.get(c.serial)!;
    // One registered phone per card.
    for (const c of cards) {
      const res = await fetch(`${url}/apple/v1/devices/d${c.pushToken.slice(0, 16)}/registrations/${PASS_TYPE_ID}/${c.serial}`, {
        method: 'POST',
        headers: { authorization: `ApplePass ${c.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ pushToken: c.pushToken }),
      });
      if (res.status !== 201) throw new Error(`register: ${res.status}`);
    }
    // Let every card's second settle (Last-Modified names a second only once it is 2 s old).
    await new Promise((r) => setTimeout(r, 2100));
    for (const c of cards.slice(0, 100)) {
      const res = await fetch(`${url}/apple/v1/passes/${PASS_TYPE_ID}/${c.serial}`, { headers: { authorization: `ApplePass ${c.token}` } });
      await res.arrayBuffer();
      c.lastModified = res.headers.get('last-modified')!;
    }
    const hot = cards.slice(0, 100);
    let i = 0;
    const passRequest = (conditional: boolean): autocannon.Request => ({
      method: 'GET',
      setupRequest: (req) => {
        const c = hot[i++ % hot.length]!;
        return {
          ...req,
          path: `/apple/v1/passes/${PASS_TYPE_ID}/${c.serial}`,
          headers: { authorization: `ApplePass ${c.token}`, ...(conditional && { 'if-modified-since': c.lastModified }) },
        };
      },
    });
    const run = async (requests: autocannon.Request[]) => {
      await autocannon({ url, connections: 10, duration: 2, requests });
      const r = await autocannon({ url, connections: 10, duration: Number(process.env.BENCH_SECONDS ?? 10), requests });
      return { reqPerSec: r.requests.average, p99: r.latency.p99, non2xx: r.non2xx - (requests === notModifiedReqs ? r['3xx'] : 0) };
    };
    const notModifiedReqs = [passRequest(true)];
    const notModified = await run(notModifiedReqs);
    const cachedPass = await run([passRequest(false)]);

    // Stamp → push: one stamp at a time, from sending it to the push reaching the stand-in.
    const latencies: number[] = [];
    for (let n = 0; n < 200; n++) {
      const c = cards[n % cards.length]!;
      const before = apns.received.length;
      const t0 = performance.now();
      await post(`/api/merchant/cards/${c.serial}/stamps`, {}, { authorization: `Bearer ${key}` });
      await apns.waitFor(before + 1, 10_000);
      latencies.push(performance.now() - t0);
    }

    // 10,000 phones: 20 per card (the one registered above and 19 more), then one merchant
    // message re-issues every pass.
    await db.query(
      `INSERT INTO apple_registrations (device_id, card_id, push_token)
       SELECT 'bench' || g || c.serial, c.id, md5(c.serial || g) || md5(g || c.serial)
         FROM cards c CROSS JOIN generate_series(1, 19) g`,
    );
    const devices = Number((await db.query('SELECT count(DISTINCT push_token) AS n FROM apple_registrations')).rows[0].n);
    const start = apns.received.length;
    const t0 = performance.now();
    await post('/api/merchant/messages', { text: 'Open late on Friday' }, { cookie, origin: url });
    const queuedMs = performance.now() - t0;
    await apns.waitFor(start + 1, 60_000);
    const firstMs = performance.now() - t0;
    await apns.waitFor(start + devices, 60_000);
    const seconds = (performance.now() - t0) / 1000;
    return {
      notModified,
      cachedPass,
      stampToPush: { p50: median(latencies), p95: pct(latencies, 95), max: Math.max(...latencies) },
      tenThousand: { seconds, received: apns.received.length - start, queuedMs, firstMs },
    };
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
    await apns.close();
    await db.end().catch(() => {});
    await admin.query(`DROP DATABASE ${dbName} WITH (FORCE)`);
    await admin.end();
  }
}

export async function benchApple(): Promise<AppleFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'fidelio-bench-apple-'));
  try {
    return { ...(await signing(dir)), ...(await http(dir)) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printApple(f: AppleFigures): void {
  const T = APPLE_TARGETS;
  const x = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  console.log('## Apple Wallet');
  console.log('| figure | value | target | ratio |');
  console.log('|---|---|---|---|');
  console.log(`| passkit-generator alone, 1 thread | ${f.passkitGeneratorPerSec.toFixed(1)} passes/s | (baseline) | |`);
  console.log(
    `| fresh pass (build + sign + zip), 8 in flight | ${f.freshPerSec.toFixed(0)} passes/s (${f.freshMsEach.toFixed(2)} ms each alone) | ≥ ${T.freshVsPasskitGenerator}× passkit-generator | ${x(f.freshPerSec, f.passkitGeneratorPerSec)} |`,
  );
  console.log(
    `| cached pass | ${Math.round(f.cachedPerSec)} passes/s | ≥ ${T.cachedVsFresh}× fresh | ${x(f.cachedPerSec, f.freshPerSec)} |`,
  );
  console.log(
    `| event loop during 200 fresh passes | max ${f.burstLoopMaxMs.toFixed(1)} ms, p99 ${f.burstLoopP99Ms.toFixed(1)} ms | max ≤ ${T.burstLoopDelayMs} ms | ${x(T.burstLoopDelayMs, f.burstLoopMaxMs)} headroom |`,
  );
  console.log(
    `| GET pass → 304 (10 conns) | ${Math.round(f.notModified.reqPerSec)} req/s, p99 ${f.notModified.p99} ms, ${f.notModified.non2xx} unexpected | ≥ ${T.notModifiedReqPerSec} req/s | ${x(f.notModified.reqPerSec, T.notModifiedReqPerSec)} |`,
  );
  console.log(
    `| GET pass → 200 cached, ~38 KB (10 conns) | ${Math.round(f.cachedPass.reqPerSec)} req/s, p99 ${f.cachedPass.p99} ms | (autocannon-bound) | |`,
  );
  console.log(
    `| stamp → push at APNs stand-in | p50 ${f.stampToPush.p50.toFixed(1)} ms, p95 ${f.stampToPush.p95.toFixed(1)} ms, max ${f.stampToPush.max.toFixed(1)} ms | p95 ≤ ${T.stampToPushP95Ms} ms | ${x(T.stampToPushP95Ms, f.stampToPush.p95)} headroom |`,
  );
  console.log(
    `| message → ${f.tenThousand.received} devices pushed | ${f.tenThousand.seconds.toFixed(2)} s (queued in ${Math.round(f.tenThousand.queuedMs)} ms, first push at ${Math.round(f.tenThousand.firstMs)} ms) | ≤ ${T.tenThousandPushesS} s | ${x(T.tenThousandPushesS, f.tenThousand.seconds)} headroom |`,
  );
  console.log('');
}
