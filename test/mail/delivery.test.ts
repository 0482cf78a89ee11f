// Mail through the leased outbox when the SMTP server is not kind: a refusal for good (5xx) drops
// the mail and logs it; a refusal for now (4xx), a dropped connection and a server that hangs are
// tried again with backoff until the mail goes through, once; a login the server refuses is ours
// to mend (tried again much later, logged); the API never waits for any of it; a worker that dies
// (its lease runs out, or its process is killed) loses no mail and sends no mail twice.
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test, type TestContext } from 'node:test';
import { killChildren, spawnChild, until } from '../support/child.ts';
import { TEST_DB } from '../support/db.ts';
import { type FakeSmtp, startFakeSmtp } from '../support/fake-smtp.ts';
import { Harness, type Merchant } from '../support/harness.ts';

/** Short enough for a test, long enough for a loaded machine to answer a live server. */
const SOCKET_TIMEOUT_MS = 600;

describe(`mail delivery when SMTP misbehaves (${TEST_DB})`, () => {
  let smtp: FakeSmtp;
  let h: Harness;
  let m: Merchant;

  before(async () => {
    smtp = await startFakeSmtp();
    h = await Harness.start({ SMTP_URL: smtp.url, MAIL_FROM: 'loyalty@fidelio.test' });
    m = await h.signUpMerchant('Café Lune');
  });
  after(async () => {
    killChildren();
    await h?.close();
    await smtp?.close();
  });
  beforeEach(async () => {
    await h.db.query(`DELETE FROM outbox WHERE channel = 'mail'`);
    h.logs.length = 0;
  });
  afterEach(async () => {
    await h.mailWorker?.stop();
    h.mailWorker = undefined;
  });

  const email = () => `member-${Math.random().toString(36).slice(2, 10)}@example.com`;
  const start = (opts: Parameters<Harness['startMailWorker']>[0] = {}) =>
    h.startMailWorker({ smtp: { socketTimeoutMs: SOCKET_TIMEOUT_MS, ...opts.smtp }, ...opts });
  const mailRows = () => h.count(`SELECT count(*)::int AS n FROM outbox WHERE channel = 'mail'`);
  async function row(address: string) {
    const { rows } = await h.db.query<{ attempts: number; last_error: string | null; due_in_ms: number }>(
      `SELECT o.attempts, o.last_error, (extract(epoch FROM o.available_at - now()) * 1000)::int AS due_in_ms
         FROM outbox o JOIN cards c ON c.id = o.card_id JOIN customers cu ON cu.id = c.customer_id
        WHERE o.channel = 'mail' AND cu.email = $1`,
      [address],
    );
    return rows[0];
  }
  const attemptsReach = (address: string, n: number) =>
    until(async () => ((await row(address))?.attempts === n ? row(address) : undefined), 8000, `attempt ${n}`);
  const dueNow = () => h.db.query(`UPDATE outbox SET available_at = now() WHERE channel = 'mail'`);

  test('a recipient refused for good (550): no mail, the row dropped, the refusal logged', async () => {
    const address = email();
    smtp.planFor(address, { at: 'rcpt', code: 550, message: '5.1.1 No such user here' });
    await h.join(m, { email: address });
    await start();
    await until(async () => (await mailRows()) === 0, 5000, 'the row to go');
    assert.deepEqual(smtp.refusedRecipients, [address]);
    assert.equal(smtp.to(address).length, 0);
    assert.ok(
      h.logs.some((l) => /Mail rejected for good \(welcome:[0-9a-f-]+\): EENVELOPE 550: .*No such user/.test(l)),
      h.logs.join('\n'),
    );
  });

  test('a message refused for good after its data (554): dropped and logged too', async () => {
    const address = email();
    smtp.planFor(address, { at: 'data', code: 554, message: '5.7.1 Message rejected as spam' });
    await h.join(m, { email: address });
    await start();
    await until(async () => (await mailRows()) === 0, 5000, 'the row to go');
    assert.equal(smtp.to(address).length, 0);
    assert.ok(
      h.logs.some((l) => /rejected for good .*554/.test(l)),
      h.logs.join('\n'),
    );
  });

  test('refused for now (451 after the data, 450 at RCPT), then a dropped connection, then a hang: retried with backoff, then sent once', async (t: TestContext) => {
    const address = email();
    smtp.planFor(
      address,
      { at: 'data', code: 451, message: '4.7.1 Greylisted, try later' },
      { at: 'rcpt', code: 450, message: '4.2.1 Mailbox busy' },
      'drop',
      'hang',
    );
    const t0 = performance.now();
    await h.join(m, { email: address });
    const answeredMs = performance.now() - t0;
    await start();

    let r = await attemptsReach(address, 1);
    assert.match(r!.last_error!, /451.*Greylisted/);
    assert.ok(r!.due_in_ms > 200, `backoff: due in ${r!.due_in_ms} ms`);
    await dueNow();
    h.mailWorker!.wake();
    r = await attemptsReach(address, 2);
    assert.match(r!.last_error!, /450.*Mailbox busy/);
    await dueNow();
    h.mailWorker!.wake();
    r = await attemptsReach(address, 3);
    assert.match(r!.last_error!, /^(ECONNECTION|ESOCKET|ETIMEDOUT)/, r!.last_error!);
    await dueNow();
    h.mailWorker!.wake();
    r = await attemptsReach(address, 4);
    assert.match(r!.last_error!, /ETIMEDOUT/, 'the hung message timed out');
    assert.equal(smtp.to(address).length, 0, 'nothing went through yet');
    await dueNow();
    h.mailWorker!.wake();
    await smtp.waitFor(() => smtp.to(address).length === 1, 5000, 'the mail');
    await until(async () => (await mailRows()) === 0, 5000, 'the row to go');
    await h.mailWorker!.idle();
    assert.equal(smtp.to(address).length, 1, 'sent once');
    assert.deepEqual(
      smtp.attempts.filter((a) => a.to.includes(address)).map((a) => a.outcome),
      ['refused', 'dropped', 'hung', 'accepted'],
    );
    t.diagnostic(`the signup answered in ${answeredMs.toFixed(0)} ms`);
  });

  test('the API answers while the SMTP server hangs', async () => {
    const address = email();
    smtp.planFor(address, 'hang');
    await start({ smtp: { socketTimeoutMs: 3000 } });
    const first = email();
    await h.join(m, { email: first });
    await smtp.waitFor(() => smtp.to(first).length === 1, 5000, 'a first mail (a connection open)');
    await h.join(m, { email: address });
    await smtp.waitFor(() => smtp.attempts.some((a) => a.to.includes(address) && a.outcome === 'hung'), 5000, 'the hang');
    // The server sits on that mail: signups and recovery requests still answer at once.
    const t0 = performance.now();
    const joined = await h.post(`/api/public/programs/${m.program.slug}/signup`, {
      name: 'Next',
      email: email(),
      consent: { terms: true },
    });
    const recovered = await h.post(`/api/public/programs/${m.program.slug}/recover`, { email: address });
    const ms = performance.now() - t0;
    assert.equal(joined.status, 201);
    assert.equal(recovered.status, 202);
    assert.ok(ms < 2000, `answered in ${ms.toFixed(0)} ms while the SMTP server hangs`);
    assert.equal(smtp.attempts.find((a) => a.to.includes(address))!.outcome, 'hung', 'still hanging when the answers came');
  });

  test('a login the server refuses (535): ours to mend, tried again much later, logged', async () => {
    const wrong = await Harness.start(
      { SMTP_URL: smtp.url.replace(/:[^:@/]+@/, ':wrong-password@'), MAIL_FROM: 'loyalty@fidelio.test' },
      {},
      undefined,
    );
    try {
      const mm = await wrong.signUpMerchant('Wrong Login Café');
      const address = email();
      await wrong.join(mm, { email: address });
      await wrong.startMailWorker({ smtp: { socketTimeoutMs: SOCKET_TIMEOUT_MS } });
      const r = await until(
        async () => {
          const { rows } = await wrong.db.query<{ attempts: number; last_error: string; due_in_ms: number }>(
            `SELECT attempts, last_error, (extract(epoch FROM available_at - now()) * 1000)::int AS due_in_ms FROM outbox WHERE channel = 'mail'`,
          );
          return rows[0]?.attempts === 1 ? rows[0] : undefined;
        },
        5000,
        'the failed attempt',
      );
      assert.match(r.last_error, /^EAUTH 535/);
      assert.ok(r.due_in_ms > 25_000, `much later: due in ${r.due_in_ms} ms`);
      assert.ok(
        wrong.logs.some((l) => /Mail refused 1 deliveries: EAUTH 535/.test(l)),
        wrong.logs.join('\n'),
      );
      assert.equal(smtp.to(address).length, 0);
    } finally {
      await wrong.close();
    }
  });

  test('a worker that stops answering (its lease runs out): another sends every mail, and none twice', async () => {
    const addresses = Array.from({ length: 4 }, email);
    const stuck = addresses.slice(0, 2);
    for (const a of stuck) smtp.planFor(a, 'hang');
    // The stuck worker: a long socket timeout, a short lease.
    await start({ smtp: { socketTimeoutMs: 30_000 }, worker: { leaseMs: 300 } });
    const stuckWorker = h.mailWorker!;
    for (const a of addresses) await h.join(m, { email: a });
    await smtp.waitFor(
      () =>
        stuck.every((a) => smtp.attempts.some((x) => x.to.includes(a) && x.outcome === 'hung')) &&
        addresses.slice(2).every((a) => smtp.to(a).length === 1),
      5000,
      'two mails sent, two hanging',
    );
    await until(async () => (await mailRows()) === 2, 5000, 'the sent rows gone');
    // A second worker (another process, say) takes the rows once their lease has run out.
    h.mailWorker = undefined;
    await start();
    await smtp.waitFor(() => stuck.every((a) => smtp.to(a).length === 1), 5000, 'the rescue');
    await until(async () => (await mailRows()) === 0, 5000, 'every row done');
    await h.mailWorker!.idle();
    for (const a of addresses) assert.equal(smtp.to(a).length, 1, `${a}: one mail`);
    // The stuck one gives up its hung connections (its sends time out; their rows are gone).
    await Promise.race([stuckWorker.stop(), new Promise((r) => setTimeout(r, 100))]);
  });

  // A second process needs a database server to share: on Postgres only (the test above covers
  // an abandoned lease in one process on PGlite).
  const onPostgres = TEST_DB === 'postgres' ? test : () => {};
  onPostgres('a mail worker process killed (SIGKILL) mid-delivery: every member gets the mail, none twice', async (t: TestContext) => {
    const addresses = Array.from({ length: 10 }, email);
    const hung = addresses.slice(5);
    for (const a of hung) smtp.planFor(a, 'hang');
    for (const a of addresses) await h.join(m, { email: a });
    assert.equal(await mailRows(), 10);

    const leaseMs = 1500;
    const { child, output, exited } = spawnChild('./mail-child.ts', [h.testDb.url!, smtp.url, String(leaseMs)]);
    await until(
      async () =>
        addresses.slice(0, 5).every((a) => smtp.to(a).length === 1) &&
        hung.every((a) => smtp.attempts.some((x) => x.to.includes(a) && x.outcome === 'hung')) &&
        (await mailRows()) === 5,
      20_000,
      () => `the child's deliveries (child output: ${output()})`,
    );
    child.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL');

    await start();
    await smtp.waitFor(() => hung.every((a) => smtp.to(a).length === 1), leaseMs + 5000, 'the new worker to send the rest');
    await until(async () => (await mailRows()) === 0, 5000, 'every row done');
    await h.mailWorker!.idle();
    for (const a of addresses) assert.equal(smtp.to(a).length, 1, `${a}: exactly one mail`);
    t.diagnostic(`${smtp.attempts.length} messages reached DATA in all`);
  });
});
