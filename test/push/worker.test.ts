// The APNs push pipeline end to end: card writes queue outbox rows (one per device token), the
// PushWorker leases them, pushes them to a fake APNs over the real client, and records what APNs
// said. Runs on PGlite, and on Postgres with TEST_DB=postgres (where a second process also runs a
// worker against the same schema and is killed mid-batch).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, test, type TestContext } from 'node:test';
import { claimOutbox } from '../../server/db/queries/outbox.ts';
import { ApnsClient, type PushOutcome } from '../../server/wallets/apple/apns.ts';
import { backoffMs, type OutboxWorkerOptions } from '../../server/outbox/worker.ts';
import { type PushClient, PushWorker } from '../../server/wallets/apple/channel.ts';
import { killChildren, spawnChild, until } from '../support/child.ts';
import { TEST_DB } from '../support/db.ts';
import { type FakeApns, makeTlsFixture, startFakeApns, TEST_PASS_TYPE_ID, type TlsFixture } from '../support/fake-apns.ts';
import { Harness, type Merchant } from '../support/harness.ts';

const HOUR = 3_600_000;
const token = () => randomBytes(32).toString('hex');

/** Polls `fn` every 10 ms until it returns something truthy (returned); throws after `timeoutMs`. */
interface PushEvent {
  token: string;
  start: number;
  end?: number;
  outcome?: PushOutcome;
}

/** The real APNs client, with every push and its outcome written down (when, and what it said). */
class RecordingClient implements PushClient {
  readonly events: PushEvent[] = [];
  /** Called as each push is handed to the client, with its rank (0, 1, …): to plan the fake's answer. */
  onPush: ((token: string, index: number) => void) | undefined;
  constructor(private readonly inner: ApnsClient) {}

  async push(t: string): Promise<PushOutcome> {
    const e: PushEvent = { token: t, start: Date.now() };
    this.onPush?.(t, this.events.length);
    this.events.push(e);
    const outcome = await this.inner.push(t);
    e.end = Date.now();
    e.outcome = outcome;
    return outcome;
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  of(t: string): PushEvent[] {
    return this.events.filter((e) => e.token === t);
  }

  sentTo(t: string): number {
    return this.of(t).filter((e) => e.outcome?.status === 'sent').length;
  }
}

describe('backoffMs', () => {
  const retry = { status: 'retry', reason: 'InternalServerError' } as const;
  const failed = { status: 'failed', reason: 'BadCertificate' } as const;
  const samples = (attempts: number, outcome: Parameters<typeof backoffMs>[1]) =>
    Array.from({ length: 200 }, () => backoffMs(attempts, outcome));

  test('retry: 1 s doubled per attempt, with jitter in [50 %, 100 %]; each range starts where the previous ends', () => {
    let previousMax = 0;
    for (let a = 0; a <= 11; a++) {
      const ceiling = 1000 * 2 ** a;
      const s = samples(a, retry);
      assert.ok(Math.min(...s) >= ceiling / 2, `attempt ${a}: ${Math.min(...s)} < ${ceiling / 2}`);
      assert.ok(Math.max(...s) <= ceiling, `attempt ${a}: ${Math.max(...s)} > ${ceiling}`);
      assert.ok(Math.min(...s) >= previousMax, `attempt ${a} is not later than attempt ${a - 1}`);
      previousMax = Math.max(...s);
    }
  });

  test('capped at one hour (half to one hour with the jitter), however many attempts', () => {
    for (const a of [12, 20, 29, 100]) {
      for (const outcome of [retry, failed]) {
        const s = samples(a, outcome);
        assert.ok(Math.max(...s) <= HOUR, `attempt ${a}: ${Math.max(...s)}`);
        assert.ok(Math.min(...s) >= HOUR / 2, `attempt ${a}: ${Math.min(...s)}`);
      }
    }
  });

  test('Retry-After is honoured as is (no jitter), capped at one hour', () => {
    assert.equal(backoffMs(0, { ...retry, retryAfterMs: 1000 }), 1000);
    assert.equal(backoffMs(7, { ...retry, retryAfterMs: 30_000 }), 30_000);
    assert.equal(backoffMs(0, { ...retry, retryAfterMs: 0 }), 0);
    assert.equal(backoffMs(0, { ...retry, retryAfterMs: 5 * HOUR }), HOUR);
  });

  test("'failed' (our configuration, not the token) starts at 30 s or more and grows too", () => {
    const first = samples(0, failed);
    assert.ok(Math.min(...first) >= 30_000, `${Math.min(...first)}`);
    assert.ok(Math.max(...first) <= 60_000, `${Math.max(...first)}`);
    const second = samples(1, failed);
    assert.ok(Math.min(...second) >= Math.max(...first));
  });
});

describe(`push worker (${TEST_DB})`, () => {
  let dir: string;
  let tls: TlsFixture;
  let fake: FakeApns;
  let h: Harness;
  let m: Merchant;
  /** What the workers logged. */
  const logs: string[] = [];
  /** Workers of the current test, stopped after it. */
  let workers: PushWorker[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fidelio-push-'));
    tls = makeTlsFixture(dir);
    fake = await startFakeApns({
      caPem: tls.caPem,
      serverCertPem: tls.serverCertPem,
      serverKeyPem: tls.serverKeyPem,
      requireClientCa: tls.caPem,
    });
    h = await Harness.start();
    m = await h.signUpMerchant();
  });

  after(async () => {
    killChildren();
    for (const w of workers) await w.stop();
    await h?.close();
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    await h.db.query('DELETE FROM outbox');
    await h.db.query('DELETE FROM apple_registrations');
  });

  afterEach(async () => {
    for (const w of workers) await w.stop();
    workers = [];
    h.worker = undefined;
  });

  function apnsClient(requestTimeoutMs = 2000, maxConcurrent?: number): RecordingClient {
    return new RecordingClient(
      new ApnsClient({
        host: fake.url,
        topic: TEST_PASS_TYPE_ID,
        certPem: tls.clientCertPem,
        keyPem: tls.clientKeyPem,
        ca: tls.caPem,
        requestTimeoutMs,
        ...(maxConcurrent ? { maxConcurrent } : {}),
      }),
    );
  }

  /** A started worker the merchant routes wake after each write; stopped after the test. */
  function startWorker(client: PushClient, options: OutboxWorkerOptions = {}): PushWorker {
    const worker = new PushWorker(h.db, client, { pollMs: 50, log: (line) => logs.push(line), ...options });
    workers.push(worker);
    h.worker = worker;
    worker.start();
    return worker;
  }

  async function newCard(merchant = m): Promise<string> {
    return (await h.join(merchant)).serial as string;
  }

  async function register(serial: string, pushToken: string, device = randomBytes(8).toString('hex')): Promise<void> {
    const { rowCount } = await h.db.query(
      'INSERT INTO apple_registrations (device_id, card_id, push_token) SELECT $1, id, $2 FROM cards WHERE serial = $3',
      [device, pushToken, serial],
    );
    assert.equal(rowCount, 1);
  }

  async function stamp(serial: string, merchant = m): Promise<void> {
    const res = await h.post(`/api/merchant/cards/${serial}/stamps`, {}, { cookie: merchant.cookie });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  }

  const pushesTo = (t: string) => fake.received.filter((r) => r.token === t);
  const outboxCount = () => h.count(`SELECT count(*)::int AS n FROM outbox WHERE channel = 'apns'`);
  const outboxEmpty = async () => (await outboxCount()) === 0;
  const registrations = (t: string) => h.count('SELECT count(*)::int AS n FROM apple_registrations WHERE push_token = $1', [t]);
  async function outboxRow(t: string) {
    const { rows } = await h.db.query<{
      seq: number;
      attempts: number;
      last_error: string | null;
      leased: boolean;
      due_in_ms: number;
    }>(
      `SELECT seq, attempts, last_error, coalesce(lease_until > now(), false) AS leased,
              (extract(epoch FROM available_at - now()) * 1000)::int AS due_in_ms
         FROM outbox WHERE channel = 'apns' AND target = $1`,
      [t],
    );
    return rows[0];
  }

  test('a stamp pushes once to each distinct device token of the card: POST /3/device/<token>, apns-topic, body {}', async () => {
    const [a, b] = [await newCard(), await newCard()];
    const [t1, t2, t3, other] = [token(), token(), token(), token()];
    await register(a, t1);
    await register(a, t2);
    // One device holding both cards: one token, registered twice.
    await register(a, t3, 'device-3');
    await register(b, t3, 'device-3');
    // A device of the other card only: this stamp is none of its business.
    await register(b, other);

    const client = apnsClient();
    const worker = startWorker(client);
    await stamp(a);
    await until(async () => [t1, t2, t3].every((t) => pushesTo(t).length > 0) && (await outboxEmpty()), 5000, 'three pushes');
    await worker.idle();

    for (const t of [t1, t2, t3]) {
      const got = pushesTo(t);
      assert.equal(got.length, 1, `pushes to ${t}`);
      assert.equal(got[0]!.method, 'POST');
      assert.equal(got[0]!.path, `/3/device/${t}`);
      assert.equal(got[0]!.topic, TEST_PASS_TYPE_ID);
      assert.equal(got[0]!.body, '{}');
      assert.equal(client.sentTo(t), 1);
    }
    assert.equal(pushesTo(other).length, 0);
    assert.equal(await outboxCount(), 0);

    // Both cards change while no worker runs: the shared device has one row (seq 2), and one push.
    await worker.stop();
    h.worker = undefined;
    await stamp(a);
    await stamp(b);
    assert.equal(await outboxCount(), 4);
    assert.equal((await outboxRow(t3))!.seq, 2);
    const next = startWorker(apnsClient());
    await until(async () => pushesTo(t3).length === 2 && pushesTo(other).length === 1 && (await outboxEmpty()), 5000, 'second round');
    await next.idle();
    assert.deepEqual(
      [t1, t2, t3, other].map((t) => pushesTo(t).length),
      [2, 2, 2, 1],
    );
  });

  test('coalescing: 20 stamps in a burst before the worker runs make one outbox row (seq 20) and one push', async () => {
    const card = await newCard();
    const t = token();
    await register(card, t);
    await Promise.all(Array.from({ length: 20 }, () => stamp(card)));
    assert.equal(await outboxCount(), 1);
    assert.equal((await outboxRow(t))!.seq, 20);

    const client = apnsClient();
    const worker = startWorker(client);
    await until(outboxEmpty, 5000, 'the push');
    await worker.idle();
    assert.equal(pushesTo(t).length, 1);
    assert.equal(client.sentTo(t), 1);
    assert.equal(worker.sent, 1);
  });

  test('a change while its push is in flight: pushed again once the first push is done, nothing lost', async (ctx) => {
    const card = await newCard();
    const t = token();
    await register(card, t);
    fake.respond(t, { status: 200, delayMs: 400 });
    const client = apnsClient();
    const worker = startWorker(client);

    await stamp(card);
    await until(() => pushesTo(t).length === 1, 5000, 'the first push');
    assert.equal(client.of(t)[0]!.outcome, undefined, 'the first push is still in flight');
    await stamp(card);
    const row = (await outboxRow(t))!;
    assert.equal(row.seq, 2);
    assert.equal(row.leased, true);

    await until(() => pushesTo(t).length === 2, 5000, 'the second push');
    await until(outboxEmpty, 5000, 'an empty outbox');
    await worker.idle();
    const [first, second] = client.of(t);
    assert.equal(first!.outcome?.status, 'sent');
    assert.equal(second!.outcome?.status, 'sent');
    assert.ok(second!.start >= first!.end!, 'the second push starts after the first is answered');
    assert.ok(first!.end! - first!.start >= 350, `the first push took ${first!.end! - first!.start} ms`);
    assert.equal(pushesTo(t).length, 2);
    ctx.diagnostic(`second push ${second!.start - first!.end!} ms after the first was answered`);
  });

  test('410 Unregistered and 400 BadDeviceToken: the registrations go, the row goes, no retry; the others are pushed', async () => {
    const [a, b] = [await newCard(), await newCard()];
    const [gone410, gone400, ok1, ok2] = [token(), token(), token(), token()];
    await register(a, gone410, 'dead-device');
    await register(b, gone410, 'dead-device');
    await register(a, gone400);
    await register(a, ok1);
    await register(a, ok2);
    fake.respond(gone410, { status: 410, reason: 'Unregistered' });
    fake.respond(gone400, { status: 400, reason: 'BadDeviceToken' });

    const client = apnsClient();
    const worker = startWorker(client);
    await stamp(a);
    await until(async () => (await outboxEmpty()) && (await registrations(gone410)) === 0, 5000, 'the outcomes');
    await worker.idle();

    assert.equal(await registrations(gone410), 0, 'both registrations of the 410 token are deleted');
    assert.equal(await registrations(gone400), 0);
    assert.equal(await registrations(ok1), 1);
    assert.equal(await registrations(ok2), 1);
    assert.deepEqual(
      [gone410, gone400, ok1, ok2].map((t) => pushesTo(t).length),
      [1, 1, 1, 1],
    );
    assert.deepEqual(client.of(gone410)[0]!.outcome, { status: 'gone', reason: 'Unregistered' });
    assert.deepEqual(client.of(gone400)[0]!.outcome, { status: 'gone', reason: 'BadDeviceToken' });

    // The next change reaches the live devices only.
    await stamp(a);
    await stamp(b);
    await until(async () => pushesTo(ok1).length === 2 && pushesTo(ok2).length === 2 && (await outboxEmpty()), 5000, 'next change');
    await worker.idle();
    assert.equal(pushesTo(gone410).length, 1);
    assert.equal(pushesTo(gone400).length, 1);
  });

  test('429 (Retry-After: 1) and 500: retried later with attempts and last_error, then delivered', async (ctx) => {
    const card = await newCard();
    const [throttled, failing, fine] = [token(), token(), token()];
    for (const t of [throttled, failing, fine]) await register(card, t);
    fake.respond(throttled, { status: 429, reason: 'TooManyRequests', headers: { 'retry-after': '1' } });
    fake.respond(failing, { status: 500 }, { status: 500 });

    const client = apnsClient();
    const worker = startWorker(client);
    await stamp(card);

    const t429 = await until(async () => {
      const row = await outboxRow(throttled);
      return row?.attempts === 1 ? row : undefined;
    });
    assert.equal(t429.last_error, 'TooManyRequests');
    assert.equal(t429.leased, false);
    assert.ok(t429.due_in_ms > 700 && t429.due_in_ms <= 1000, `due in ${t429.due_in_ms} ms`);

    const t500 = await until(async () => {
      const row = await outboxRow(failing);
      return row?.attempts === 1 ? row : undefined;
    });
    assert.equal(t500.last_error, 'InternalServerError');
    assert.ok(t500.due_in_ms > 300, `due in ${t500.due_in_ms} ms`);

    await until(outboxEmpty, 8000, 'the retries to go through');
    await worker.idle();
    assert.equal(pushesTo(throttled).length, 2, '1 failure + 1');
    assert.equal(pushesTo(failing).length, 3, '2 failures + 1');
    assert.equal(pushesTo(fine).length, 1);
    assert.deepEqual(
      client.of(failing).map((e) => e.outcome?.status),
      ['retry', 'retry', 'sent'],
    );
    // Retry-After was honoured: the second push waited a second after the first answer.
    const [first, second] = client.of(throttled);
    assert.ok(second!.start - first!.end! >= 950, `retried after ${second!.start - first!.end!} ms`);
    const f = client.of(failing);
    ctx.diagnostic(
      `429 retried after ${second!.start - first!.end!} ms; 500 retried after ${f[1]!.start - f[0]!.end!} and ${f[2]!.start - f[1]!.end!} ms`,
    );
  });

  test('a stamp during a backoff APNs asked for (429, Retry-After: 60) waits it out: no push before it ends', async () => {
    const card = await newCard();
    const throttled = token();
    await register(card, throttled);
    fake.respond(throttled, { status: 429, reason: 'TooManyRequests', headers: { 'retry-after': '60' } });
    const worker = startWorker(apnsClient());
    await stamp(card);
    await until(async () => (await outboxRow(throttled))?.attempts === 1);
    // A second phone with the pass: the next stamp queues a push to each in one transaction, and
    // the worker's round that takes the new phone's would take the throttled one's too if it were
    // due. Once the new phone has its push and the round's outcomes are written, it had its chance.
    const other = token();
    await register(card, other);
    await stamp(card);
    await until(() => pushesTo(other).length === 1, 5000, 'the other phone’s push');
    await worker.idle();
    assert.equal(pushesTo(throttled).length, 1);
    const row = (await outboxRow(throttled))!;
    assert.equal(row.seq, 2, 'the change is kept');
    assert.ok(row.due_in_ms > 55_000, `due in ${row.due_in_ms} ms`);
  });

  test('a push that hangs: the others are delivered meanwhile; it is retried after the client timeout', async (ctx) => {
    const card = await newCard();
    const hung = token();
    const others = [token(), token(), token()];
    for (const t of [hung, ...others]) await register(card, t);
    fake.respond(hung, 'hang');

    const client = apnsClient(500);
    const worker = startWorker(client);
    await stamp(card);

    // The others are accepted and their rows deleted while the hung push is still waiting.
    await until(async () => (await outboxCount()) === 1 && others.every((t) => client.sentTo(t) === 1), 5000, 'the others');
    assert.equal(client.of(hung)[0]!.outcome, undefined, 'the hung push is still in flight');
    assert.equal((await outboxRow(hung))!.leased, true);

    const row = await until(async () => {
      const r = await outboxRow(hung);
      return r?.attempts === 1 ? r : undefined;
    });
    assert.equal(row.last_error, 'timeout');
    const [timedOut] = client.of(hung);
    assert.deepEqual(timedOut!.outcome, { status: 'retry', reason: 'timeout' });
    assert.ok(timedOut!.end! - timedOut!.start >= 450, `timed out after ${timedOut!.end! - timedOut!.start} ms`);
    for (const t of others) assert.ok(client.of(t)[0]!.end! < timedOut!.end!, 'the others did not wait for the hung push');

    await until(outboxEmpty, 5000, 'the retry');
    await worker.idle();
    assert.equal(pushesTo(hung).length, 2);
    assert.equal(client.sentTo(hung), 1);
    for (const t of others) assert.equal(pushesTo(t).length, 1);
    const start = timedOut!.start;
    const othersDone = Math.max(...others.map((t) => client.of(t)[0]!.end!)) - start;
    ctx.diagnostic(
      `others answered ${othersDone} ms in, timeout at ${timedOut!.end! - start} ms, redelivered at ${client.of(hung)[1]!.end! - start} ms`,
    );
  });

  test('the connection dropped in the middle of a batch of 50: every token gets exactly one accepted push', async (ctx) => {
    const card = await newCard();
    const tokens = Array.from({ length: 50 }, token);
    for (const t of tokens) await register(card, t);

    // The client sends at most 10 at a time, in the order the worker hands them over (FIFO). The
    // fake's first answers, by that order: #0–15 a 200 at once, #16–24 a 200 held back 2 s (room for a loaded machine),
    // #25 drops the connection, #26–49 a 200 at once. #25 gets a stream only once 16 pushes have
    // ended, which can only be #0–15 (#16–24 are held back): so when the connection drops, #0–15
    // were accepted and the client has read their answers, #16–24 had no answer yet, and every
    // later request travels on another connection, where each 200 is one APNs accepted.
    const immediate = new Set<string>();
    const client = apnsClient(3000, 10);
    client.onPush = (t, index) => {
      if (index >= tokens.length) return; // a retry: the fake's default answer, 200
      if (index === 25) return fake.respond(t, 'drop');
      if (index >= 16 && index < 25) return fake.respond(t, { status: 200, delayMs: 2000 });
      immediate.add(t);
      fake.respond(t, { status: 200 });
    };
    const sessionsBefore = fake.sessions;
    const worker = startWorker(client);
    await stamp(card);
    await until(outboxEmpty, 10_000, 'all 50 delivered');
    await worker.idle();

    const order = client.events.slice(0, tokens.length).map((e) => e.token);
    assert.deepEqual([...order].sort(), [...tokens].sort(), 'one claim of the 50 rows');
    const dropper = order[25]!;
    const dropped = pushesTo(dropper)[0]!.sessionId;
    const cut = client.of(dropper)[0]!;
    assert.equal(cut.outcome?.status, 'retry');
    const heldBack = order.slice(16, 25).map((t) => client.of(t)[0]!);
    const heldSince = Math.min(...heldBack.map((e) => e.start));
    assert.ok(cut.end! - heldSince < 1900, `the drop came ${cut.end! - heldSince} ms after #16 was sent: its 200 may have gone out`);
    for (const e of heldBack) assert.equal(e.outcome?.status, 'retry', 'a held-back push was cut');
    for (const t of order.slice(0, 16)) assert.equal(client.of(t)[0]!.outcome?.status, 'sent', 'accepted before the drop');
    assert.ok(fake.sessions >= sessionsBefore + 2, 'the client reconnected');

    for (const t of tokens) {
      // A request counts as accepted if the fake answered it 200: on the dropped connection, only
      // the immediate answers went out (the held-back ones were cut, the dropper dropped).
      const accepted = pushesTo(t).filter((r, i) => r.sessionId !== dropped || (i === 0 && immediate.has(t))).length;
      assert.equal(accepted, 1, `accepted pushes to #${order.indexOf(t)}`);
      assert.equal(client.sentTo(t), 1, `sent outcomes for #${order.indexOf(t)}`);
    }
    // The pushes accepted before the drop were not sent again.
    for (const t of order.slice(0, 16)) assert.equal(pushesTo(t).length, 1);
    assert.equal(worker.sent, 50);
    const onDropped = fake.received.filter((r) => r.sessionId === dropped).length;
    assert.ok(onDropped >= 17, `${onDropped} requests on the dropped connection`);
    ctx.diagnostic(
      `drop ${cut.end! - client.events[0]!.start} ms in, ${onDropped} requests on the dropped connection; all 50 accepted ` +
        `${Math.max(...client.events.map((e) => e.end!)) - client.events[0]!.start} ms after the first push; ${client.events.length} pushes in all`,
    );
  });

  test('no duplicate after acceptance: a new worker (new client) sends nothing for rows already completed', async () => {
    const card = await newCard();
    const tokens = Array.from({ length: 5 }, token);
    for (const t of tokens) await register(card, t);
    const first = startWorker(apnsClient());
    await stamp(card);
    await until(outboxEmpty, 5000, 'the batch');
    await first.stop();
    assert.deepEqual(
      tokens.map((t) => pushesTo(t).length),
      [1, 1, 1, 1, 1],
    );

    // A sentinel push shows the new worker has read the outbox.
    const sentinelCard = await newCard();
    const sentinel = token();
    await register(sentinelCard, sentinel);
    const client = apnsClient();
    const second = startWorker(client);
    await stamp(sentinelCard);
    await until(async () => pushesTo(sentinel).length === 1 && (await outboxEmpty()), 5000, 'the sentinel');
    await second.idle();
    assert.deepEqual(
      client.events.map((e) => e.token),
      [sentinel],
    );
    assert.deepEqual(
      tokens.map((t) => pushesTo(t).length),
      [1, 1, 1, 1, 1],
    );
  });

  test('a worker that died holding leases: its rows are pushed once the lease runs out, not before', async (ctx) => {
    const card = await newCard();
    const tokens = [token(), token(), token()];
    for (const t of tokens) await register(card, t);
    await stamp(card);
    // The "dead worker": it claims the rows and never answers for them.
    const claimed = await claimOutbox(h.db, 'apns', 100, 800);
    assert.equal(claimed.length, 3);
    const { rows } = await h.db.query<{ ms: number }>(
      `SELECT (extract(epoch FROM max(lease_until) - now()) * 1000)::int AS ms FROM outbox`,
    );
    const leaseEnd = Date.now() + rows[0]!.ms;

    const client = apnsClient();
    const worker = startWorker(client, { leaseMs: 800 });
    worker.wake();
    await until(outboxEmpty, 5000, 'the pushes after the lease');
    await worker.idle();
    for (const t of tokens) {
      assert.equal(pushesTo(t).length, 1);
      const [e] = client.of(t);
      assert.ok(e!.start >= leaseEnd - 50, `pushed ${leaseEnd - e!.start} ms before the lease ran out`);
    }
    ctx.diagnostic(`pushed ${Math.min(...client.events.map((e) => e.start)) - leaseEnd} ms after the lease ran out`);
  });

  // A second process needs a database server to share: this one runs in CI's Postgres run (PGlite
  // lives inside one process; the in-process lease test above covers it there).
  const onPostgres = TEST_DB === 'postgres' ? test : () => {};
  onPostgres(
    'a worker process killed (SIGKILL) mid-batch: a new worker delivers the rest; accepted and completed pushes are not sent again',
    async (ctx: TestContext) => {
      const card = await newCard();
      const accepted = Array.from({ length: 5 }, token);
      const hung = Array.from({ length: 5 }, token);
      for (const t of [...accepted, ...hung]) await register(card, t);
      for (const t of hung) fake.respond(t, 'hang');
      await stamp(card);
      assert.equal(await outboxCount(), 10);

      const leaseMs = 1500;
      const { child, output, exited } = spawnChild('./push-child.ts', [h.testDb.url!, fake.url, dir, String(leaseMs)]);

      // The child has pushed everything: five accepted and completed (deleted), five hanging.
      await until(
        async () => [...accepted, ...hung].every((t) => pushesTo(t).length === 1) && (await outboxCount()) === 5,
        15_000,
        () => `the child's pushes (child output: ${output()})`,
      );
      child.kill('SIGKILL');
      assert.equal(await exited, 'SIGKILL');
      const { rows } = await h.db.query<{ target: string; ms: number }>(
        `SELECT target, (extract(epoch FROM lease_until - now()) * 1000)::int AS ms FROM outbox ORDER BY target`,
      );
      assert.deepEqual(rows.map((r) => r.target).sort(), [...hung].sort());
      assert.ok(
        rows.every((r) => r.ms > 0),
        'the dead worker still holds the leases',
      );
      const leaseEnd = Date.now() + Math.min(...rows.map((r) => r.ms));

      const client = apnsClient();
      const worker = startWorker(client);
      worker.wake();
      await until(outboxEmpty, leaseMs + 5000, 'the new worker to deliver the rest');
      await worker.idle();
      for (const t of hung) {
        assert.equal(pushesTo(t).length, 2, 'the hung push and the new one');
        assert.equal(client.sentTo(t), 1);
        assert.ok(client.of(t)[0]!.start >= leaseEnd - 50, 'not before the lease ran out');
      }
      for (const t of accepted) assert.equal(pushesTo(t).length, 1, 'an accepted push is not sent again');
      assert.equal(client.events.length, 5);
      ctx.diagnostic(
        `the new worker pushed ${Math.min(...client.events.map((e) => e.start)) - leaseEnd} ms after the dead one's lease ran out`,
      );
    },
  );

  test('two workers share the outbox (FOR UPDATE SKIP LOCKED): 200 tokens, each pushed exactly once', async (ctx) => {
    const card = await newCard();
    const tokens = Array.from({ length: 200 }, token);
    await h.db.query(
      `INSERT INTO apple_registrations (device_id, card_id, push_token)
       SELECT 'device-' || i, c.id, t FROM cards c, unnest($1::text[]) WITH ORDINALITY AS x(t, i) WHERE c.serial = $2`,
      [tokens, card],
    );
    await stamp(card);
    assert.equal(await outboxCount(), 200);
    const [a, b] = [apnsClient(), apnsClient()];
    const pair = [startWorker(a, { batchSize: 20 }), startWorker(b, { batchSize: 20 })];
    for (const w of pair) w.wake();
    await until(outboxEmpty, 10_000, 'all 200 pushed');
    for (const w of pair) await w.idle();
    assert.deepEqual(
      tokens.map((t) => pushesTo(t).length),
      Array(200).fill(1),
    );
    assert.equal(a.events.length + b.events.length, 200);
    assert.equal(pair[0]!.sent + pair[1]!.sent, 200);
    ctx.diagnostic(`worker A pushed ${a.events.length}, worker B ${b.events.length}`);
  });

  test('a merchant message: 30 devices on 30 cards (one also on a second card) get 30 pushes', async () => {
    const merchant = await h.signUpMerchant('Message Café');
    const cards: string[] = [];
    for (let i = 0; i < 30; i++) cards.push(await newCard(merchant));
    const tokens = Array.from({ length: 30 }, token);
    for (let i = 0; i < 30; i++) await register(cards[i]!, tokens[i]!, `device-${i}`);
    await register(cards[1]!, tokens[0]!, 'device-0');

    const client = apnsClient();
    const worker = startWorker(client);
    const res = await h.post('/api/merchant/messages', { text: 'Closed on Monday' }, { cookie: merchant.cookie });
    assert.equal(res.status, 202);
    assert.deepEqual(res.body, { passes: 30, devices: 30 });
    await until(async () => tokens.every((t) => pushesTo(t).length > 0) && (await outboxEmpty()), 5000, '30 pushes');
    await worker.idle();
    assert.deepEqual(
      tokens.map((t) => pushesTo(t).length),
      Array(30).fill(1),
    );
    assert.equal(client.events.length, 30);
  });
});
