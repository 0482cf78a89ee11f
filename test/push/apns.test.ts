import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ApnsClient, type ApnsOptions } from '../../server/wallets/apple/apns.ts';
import { type FakeApns, makeTlsFixture, startFakeApns, TEST_PASS_TYPE_ID, type TlsFixture } from '../support/fake-apns.ts';

const token = () => randomBytes(32).toString('hex');

describe('APNs client (pass update pushes)', () => {
  let dir: string;
  let tls: TlsFixture;
  const cleanup: Array<() => Promise<void>> = [];

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'fidelio-apns-'));
    tls = makeTlsFixture(dir);
  });
  after(async () => {
    for (const c of cleanup.reverse()) await c();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A fresh fake and a client for it; both are closed after the suite. */
  async function setup(client: Partial<ApnsOptions> = {}, server: { maxConcurrentStreams?: number } = {}) {
    const fake = await startFakeApns({
      caPem: tls.caPem,
      serverCertPem: tls.serverCertPem,
      serverKeyPem: tls.serverKeyPem,
      requireClientCa: tls.caPem,
      ...server,
    });
    const apns = new ApnsClient({
      host: fake.url,
      topic: TEST_PASS_TYPE_ID,
      certPem: tls.clientCertPem,
      keyPem: tls.clientKeyPem,
      ca: tls.caPem,
      ...client,
    });
    cleanup.push(
      () => apns.close(),
      () => fake.close(),
    );
    return { fake, apns };
  }

  describe('answers', () => {
    let fake: FakeApns;
    let apns: ApnsClient;
    before(async () => ({ fake, apns } = await setup({ requestTimeoutMs: 300 })));

    test('200: sent with the apns-id; the request is what Apple documents for pass updates', async () => {
      const t = token();
      const outcome = await apns.push(t);
      assert.equal(outcome.status, 'sent');
      assert.match((outcome as { apnsId?: string }).apnsId ?? '', /^[0-9A-F-]{36}$/);
      const got = fake.received.find((r) => r.token === t)!;
      assert.equal(got.method, 'POST');
      assert.equal(got.path, `/3/device/${t}`);
      assert.equal(got.topic, TEST_PASS_TYPE_ID);
      assert.equal(got.headers['content-type'], 'application/json');
      assert.equal(got.body, '{}');
      assert.match(got.clientCertSubject, /UID=pass\.test\.fidelio/);
      assert.match(got.clientCertSubject, /CN=Pass Type ID: pass\.test\.fidelio/);
    });

    test('410 Unregistered: gone', async () => {
      const t = token();
      fake.respond(t, { status: 410, reason: 'Unregistered' });
      assert.deepEqual(await apns.push(t), { status: 'gone', reason: 'Unregistered' });
    });

    test('400 BadDeviceToken and DeviceTokenNotForTopic: gone; another 400 (BadTopic): failed', async () => {
      const [a, b, c] = [token(), token(), token()];
      fake.respond(a, { status: 400, reason: 'BadDeviceToken' });
      fake.respond(b, { status: 400, reason: 'DeviceTokenNotForTopic' });
      fake.respond(c, { status: 400, reason: 'BadTopic' });
      assert.deepEqual(await apns.push(a), { status: 'gone', reason: 'BadDeviceToken' });
      assert.deepEqual(await apns.push(b), { status: 'gone', reason: 'DeviceTokenNotForTopic' });
      assert.deepEqual(await apns.push(c), { status: 'failed', reason: 'BadTopic' });
    });

    test('429 with Retry-After: retry with retryAfterMs; without it: no retryAfterMs', async () => {
      const t = token();
      fake.respond(t, { status: 429, reason: 'TooManyRequests', headers: { 'retry-after': '30' } }, { status: 429 });
      assert.deepEqual(await apns.push(t), { status: 'retry', reason: 'TooManyRequests', retryAfterMs: 30_000 });
      assert.deepEqual(await apns.push(t), { status: 'retry', reason: 'TooManyRequests' });
    });

    test('500 and 503: retry', async () => {
      const t = token();
      fake.respond(t, { status: 500 }, { status: 503, reason: 'ServiceUnavailable' });
      assert.deepEqual(await apns.push(t), { status: 'retry', reason: 'InternalServerError' });
      assert.deepEqual(await apns.push(t), { status: 'retry', reason: 'ServiceUnavailable' });
    });

    test('403 BadCertificate: failed (our configuration, not the token)', async () => {
      const t = token();
      fake.respond(t, { status: 403, reason: 'BadCertificate' });
      assert.deepEqual(await apns.push(t), { status: 'failed', reason: 'BadCertificate' });
    });

    test('an error body that is not the documented JSON: the HTTP status stands in for the reason', async () => {
      const t = token();
      fake.respond(t, { status: 404, reason: '' });
      assert.deepEqual(await apns.push(t), { status: 'failed', reason: 'HTTP 404' });
    });

    test('no answer: retry "timeout" after requestTimeoutMs, and the connection is still used afterwards', async () => {
      const t = token();
      fake.respond(t, 'hang');
      const started = Date.now();
      assert.deepEqual(await apns.push(t), { status: 'retry', reason: 'timeout' });
      const took = Date.now() - started;
      assert.ok(took >= 250 && took < 2000, `took ${took} ms`);
      const sessionsBefore = fake.sessions;
      assert.equal((await apns.push(token())).status, 'sent');
      assert.equal(fake.sessions, sessionsBefore);
    });

    test('a malformed token: gone BadDeviceToken without any request', async () => {
      const before = fake.received.length;
      for (const bad of ['', 'abc', 'zz'.repeat(32), `${token()}/../x`, 'a'.repeat(202), `${token()} `]) {
        assert.deepEqual(await apns.push(bad), { status: 'gone', reason: 'BadDeviceToken' }, bad);
      }
      assert.equal(fake.received.length, before);
    });
  });

  test('100 pushes travel over one HTTP/2 connection', async () => {
    const { fake, apns } = await setup();
    const outcomes = await Promise.all(Array.from({ length: 100 }, () => apns.push(token())));
    assert.ok(outcomes.every((o) => o.status === 'sent'));
    assert.equal(fake.received.length, 100);
    assert.equal(fake.sessions, 1);
    assert.equal(new Set(fake.received.map((r) => r.sessionId)).size, 1);
    // ...and a later push still reuses it.
    assert.equal((await apns.push(token())).status, 'sent');
    assert.equal(fake.sessions, 1);
  });

  test('the connection dropped mid-batch: the pushes in flight resolve retry, the next push reconnects', async () => {
    const { fake, apns } = await setup();
    const hanging = Array.from({ length: 10 }, () => token());
    for (const t of hanging) fake.respond(t, 'hang');
    const inFlight = hanging.map((t) => apns.push(t));
    await fake.waitFor(10);
    const dropper = token();
    fake.respond(dropper, 'drop');
    const outcomes = await Promise.all([...inFlight, apns.push(dropper)]);
    for (const o of outcomes) assert.match(o.status === 'retry' ? o.reason : JSON.stringify(o), /^closed without a response/);

    assert.equal((await apns.push(token())).status, 'sent');
    assert.equal(fake.sessions, 2);
    assert.equal(fake.received.at(-1)!.sessionId, 2);
  });

  test('a client certificate from another CA: the handshake is refused, push resolves retry and never throws', async () => {
    const { fake, apns } = await setup({ certPem: tls.rogueCertPem, keyPem: tls.rogueKeyPem });
    const outcomes = await Promise.all([apns.push(token()), apns.push(token())]);
    for (const o of outcomes) assert.equal(o.status, 'retry', JSON.stringify(o));
    assert.equal(fake.received.length, 0);
    assert.ok(fake.tlsErrors >= 1);
    // A later push tries a fresh connection rather than a dead one, and fails the same way.
    assert.equal((await apns.push(token())).status, 'retry');
  });

  test('a server that is not listening: retry with the network error', async () => {
    const { fake } = await setup();
    const url = fake.url;
    await fake.close();
    const apns = new ApnsClient({
      host: url,
      topic: TEST_PASS_TYPE_ID,
      certPem: tls.clientCertPem,
      keyPem: tls.clientKeyPem,
      ca: tls.caPem,
    });
    const outcome = await apns.push(token());
    assert.equal(outcome.status, 'retry');
    assert.match((outcome as { reason: string }).reason, /ECONNREFUSED/);
    await apns.close();
  });

  test('many requests timing out together: all retry "timeout", and the healthy connection survives', async () => {
    const { fake, apns } = await setup({ requestTimeoutMs: 300 });
    fake.defaultAnswer = 'hang';
    const outcomes = await Promise.all(Array.from({ length: 50 }, () => apns.push(token())));
    for (const o of outcomes) assert.deepEqual(o, { status: 'retry', reason: 'timeout' });
    fake.defaultAnswer = { status: 200 };
    assert.equal((await apns.push(token())).status, 'sent');
    assert.equal(fake.sessions, 1);
  });

  test('2,000 concurrent pushes with maxConcurrent 100: all sent, never more than 100 streams in flight', async () => {
    const { fake, apns } = await setup({ maxConcurrent: 100 });
    fake.defaultAnswer = { status: 200, delayMs: 5 };
    const outcomes = await Promise.all(Array.from({ length: 2000 }, () => apns.push(token())));
    assert.equal(outcomes.filter((o) => o.status === 'sent').length, 2000);
    assert.equal(fake.received.length, 2000);
    assert.ok(fake.maxInFlight <= 100, `max in flight ${fake.maxInFlight}`);
    assert.ok(fake.maxInFlight >= 50, `max in flight ${fake.maxInFlight}: the pushes should overlap`);
    assert.equal(fake.sessions, 1);
  });

  test("the server's SETTINGS_MAX_CONCURRENT_STREAMS bounds the streams too", async () => {
    const { fake, apns } = await setup({ maxConcurrent: 500 }, { maxConcurrentStreams: 10 });
    fake.defaultAnswer = { status: 200, delayMs: 5 };
    const outcomes = await Promise.all(Array.from({ length: 300 }, () => apns.push(token())));
    assert.equal(outcomes.filter((o) => o.status === 'sent').length, 300);
    assert.ok(fake.maxInFlight <= 10, `max in flight ${fake.maxInFlight}`);
  });

  test('a push in flight keeps the process alive; an idle open connection does not', async () => {
    const { fake } = await setup();
    const slow = token();
    fake.respond(slow, { status: 200, delayMs: 400 });
    // A child process pushes twice and never calls close(): it must wait for the slow answer, then exit.
    const script = `
      import { readFileSync } from 'node:fs';
      import { ApnsClient } from ${JSON.stringify(new URL('../../server/wallets/apple/apns.ts', import.meta.url).href)};
      const read = (f) => readFileSync(${JSON.stringify(dir)} + '/' + f, 'utf8');
      const apns = new ApnsClient({ host: ${JSON.stringify(fake.url)}, topic: 'pass.test.fidelio', certPem: read('client.pem'), keyPem: read('client.key'), ca: read('ca.pem') });
      await apns.push(${JSON.stringify(token())}); // the connection is now idle (unref'd)
      apns.push(${JSON.stringify(slow)}).then((o) => console.log(JSON.stringify(o)));
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c));
    const started = Date.now();
    const killer = setTimeout(() => child.kill(), 10_000);
    const [code] = (await once(child, 'exit')) as [number | null];
    clearTimeout(killer);
    assert.equal(code, 0);
    assert.equal(JSON.parse(out).status, 'sent');
    assert.ok(Date.now() - started < 8000);
    assert.equal(fake.sessions, 1);
  });

  test('close(): queued pushes resolve retry, later pushes too', async () => {
    const { fake, apns } = await setup({ maxConcurrent: 1 });
    fake.defaultAnswer = { status: 200, delayMs: 50 };
    const first = apns.push(token());
    const queued = apns.push(token());
    await fake.waitFor(1);
    await apns.close();
    assert.equal((await first).status, 'sent');
    assert.deepEqual(await queued, { status: 'retry', reason: 'client closed' });
    assert.deepEqual(await apns.push(token()), { status: 'retry', reason: 'client closed' });
  });
});
