// Card recovery: POST /api/public/programs/:slug/recover { email }. A member gets a mail with the
// link to their card's page; anyone else gets the very same answer and nothing is sent, so the
// route tells nobody who is a member. Rate limited per address (members or not) and per IP; CORS
// like the other public writes; 503 where the server sends no e-mail.
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test, type TestContext } from 'node:test';
import { LIMITS } from '../../server/services/rate-limit.ts';
import { TEST_DB } from '../support/db.ts';
import { type FakeSmtp, startFakeSmtp } from '../support/fake-smtp.ts';
import { until } from '../support/child.ts';
import { Harness, type Merchant, PUBLIC_URL, randomIp } from '../support/harness.ts';
import { assertProblem } from '../support/problem.ts';
import { midWindow } from '../support/rate-limit.ts';

const ALLOWED = 'https://cafe-lune.example';

describe(`POST /api/public/programs/:slug/recover (${TEST_DB})`, () => {
  let smtp: FakeSmtp;
  let h: Harness;
  let m: Merchant;

  before(async () => {
    smtp = await startFakeSmtp();
    h = await Harness.start({ SMTP_URL: smtp.url, MAIL_FROM: 'Café Lune <loyalty@fidelio.test>' });
    m = await h.signUpMerchant('Café Lune');
    await h.setProgram(m, { name: 'Carte Café Lune', allowedOrigins: [ALLOWED] });
    // Each window of the per-address limit is an hour: the services' clock is held in the middle of one.
    h.setNow(midWindow(LIMITS.recoverPerEmail.windowSeconds));
  });
  after(async () => {
    await h?.close();
    await smtp?.close();
  });
  beforeEach(async () => {
    await h.db.query(`DELETE FROM outbox WHERE channel = 'mail'`);
  });
  afterEach(async () => {
    await h.mailWorker?.stop();
    h.mailWorker = undefined;
  });

  const email = () => `member-${Math.random().toString(36).slice(2, 10)}@example.com`;
  const recover = (address: unknown, opts: { ip?: string; origin?: string } = {}) =>
    h.post(`/api/public/programs/${m.program.slug}/recover`, { email: address }, opts);
  const mailRows = () => h.count(`SELECT count(*)::int AS n FROM outbox WHERE channel = 'mail'`);
  /** A member whose welcome mail is already out of the way. */
  async function member(extra: Record<string, unknown> = {}) {
    const address = email();
    const card = await h.join(m, { email: address, ...extra });
    await h.db.query(`DELETE FROM outbox WHERE channel = 'mail'`);
    return { address, card };
  }

  test('a member gets a mail with the link to their card’s page, in their language', async () => {
    const { address, card } = await member({ name: 'Camille', locale: 'fr' });
    await h.startMailWorker();
    const res = await recover(address.toUpperCase());
    assert.equal(res.status, 202);
    assert.deepEqual(res.body, { status: 'accepted', detail: 'If this address is a member’s, the link to the card is on its way.' });
    await smtp.waitFor(() => smtp.to(address).length === 1, 5000, 'the recovery mail');
    const mail = smtp.to(address)[0]!;
    assert.deepEqual(mail.envelope.to, [address]);
    const p = mail.parsed!;
    assert.equal(p.subject, 'Café Lune : le lien de votre carte');
    assert.match(p.messageId!, /^<recovery\.\d+@fidelio\.test>$/);
    const page = `${PUBLIC_URL}/c/${card.serial}`;
    assert.ok(p.text!.includes(page), p.text);
    assert.match(p.text!, /^Bonjour Camille,/);
    assert.deepEqual(
      [...(p.html as string).matchAll(/href="([^"]*)"/g)].map((x) => x[1]),
      [page],
    );
  });

  test('an unknown address: the very same answer, and nothing sent', async () => {
    const { address } = await member();
    const stranger = email();
    const known = await h.exact(
      'POST',
      `/api/public/programs/${m.program.slug}/recover`,
      { 'content-type': 'application/json' },
      { email: address },
    );
    const unknown = await h.exact(
      'POST',
      `/api/public/programs/${m.program.slug}/recover`,
      { 'content-type': 'application/json' },
      { email: stranger },
    );
    assert.deepEqual(unknown, known, 'status, type and body alike');
    // Both requests wrote the same: one row each, looked up only when delivered.
    assert.equal(await mailRows(), 2);
    // A member of another program is a stranger here.
    const other = await h.signUpMerchant('Autre Café');
    const elsewhere = email();
    await h.join(other, { email: elsewhere });
    await h.db.query(`DELETE FROM outbox WHERE channel = 'mail' AND merchant_id = $1`, [other.id]);
    assert.equal((await recover(elsewhere)).status, 202);

    await h.startMailWorker();
    await smtp.waitFor(() => smtp.to(address).length === 1, 5000, "the member's mail");
    await until(async () => (await mailRows()) === 0, 5000, 'every row done');
    await h.mailWorker!.idle();
    for (const nobody of [stranger, elsewhere]) {
      assert.equal(smtp.to(nobody).length, 0, nobody);
      assert.equal(smtp.refusedRecipients.includes(nobody), false, 'not even tried');
    }
  });

  test('the same path either way: a member and a stranger take about as long (diagnostic only)', async (t: TestContext) => {
    const members: string[] = [];
    for (let i = 0; i < 20; i++) members.push((await member()).address);
    const time = async (a: string) => {
      const t0 = performance.now();
      const res = await recover(a);
      assert.equal(res.status, 202);
      return performance.now() - t0;
    };
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    const known: number[] = [];
    const unknown: number[] = [];
    // Taking turns, each address once (under its own limit), each request from its own IP.
    for (let i = 0; i < members.length; i++) {
      const pair = i % 2 ? [members[i]!, email()] : [email(), members[i]!];
      for (const a of pair) (members.includes(a) ? known : unknown).push(await time(a));
    }
    t.diagnostic(`median ${median(known).toFixed(1)} ms for a member, ${median(unknown).toFixed(1)} ms for a stranger (20 each)`);
  });

  test('50 requests for one address: a few mails at most, then 429 — a stranger’s address alike', async () => {
    const { address } = await member();
    const stranger = email();
    await h.startMailWorker();
    const statuses: number[] = [];
    const strangerStatuses: number[] = [];
    for (let i = 0; i < 50; i++) {
      statuses.push((await recover(address, { ip: randomIp() })).status);
      strangerStatuses.push((await recover(stranger, { ip: randomIp() })).status);
    }
    const max = LIMITS.recoverPerEmail.max;
    const expected = [...Array<number>(max).fill(202), ...Array<number>(50 - max).fill(429)];
    assert.deepEqual(statuses, expected);
    assert.deepEqual(strangerStatuses, expected, 'a stranger is limited the same way');
    const limited = await recover(address);
    assertProblem(limited, 429, 'rate_limited');
    assert.equal(limited.headers.get('retry-after'), '1800', 'the rest of the hour');
    await smtp.waitFor(() => smtp.to(address).length >= 1, 5000, 'a mail');
    await until(async () => (await mailRows()) === 0, 5000, 'the outbox to empty');
    await h.mailWorker!.idle();
    assert.ok(smtp.to(address).length <= max, `${smtp.to(address).length} mails`);
    assert.equal(smtp.to(stranger).length, 0);
  });

  test('per IP: past the limit, another address from the same IP is refused too', async () => {
    const ip = randomIp();
    for (let i = 0; i < LIMITS.recoverPerIp.max; i++) assert.equal((await recover(email(), { ip })).status, 202);
    assertProblem(await recover(email(), { ip }), 429, 'rate_limited');
    assert.equal((await recover(email())).status, 202, 'another IP still passes');
  });

  test('CORS like the other public writes: the program’s sites are allowed, others refused before the body is read', async () => {
    const { address } = await member();
    const ok = await recover(address, { origin: ALLOWED });
    assert.equal(ok.status, 202);
    assert.equal(ok.headers.get('access-control-allow-origin'), ALLOWED);
    assertProblem(await recover(address, { origin: 'https://evil.example' }), 403, 'forbidden');
    assertProblem(await recover('not an address', { origin: 'https://evil.example' }), 403, 'forbidden');
    const preflight = await h.call('OPTIONS', `/api/public/programs/${m.program.slug}/recover`, {
      origin: ALLOWED,
      headers: { 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    assert.ok([200, 204].includes(preflight.status), String(preflight.status));
    assert.equal(preflight.headers.get('access-control-allow-origin'), ALLOWED);
  });

  test('refusals: a bad address, an address with a header in it, no body, an unknown program', async () => {
    const before = await mailRows();
    assertProblem(await recover('nope'), 400, 'validation_failed', ['email']);
    assertProblem(await recover('victim@example.com\r\nBcc: attacker@evil.test'), 400, 'validation_failed', ['email']);
    assertProblem(await recover(undefined), 400, 'validation_failed', ['email']);
    assertProblem(await h.post('/api/public/programs/no-such-program/recover', { email: email() }), 404, 'not_found');
    assert.equal(await mailRows(), before);
  });
});

describe(`recovery where the server sends no e-mail (${TEST_DB})`, () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start();
  });
  after(() => h?.close());

  test('503 unavailable, for members and strangers alike', async () => {
    const m = await h.signUpMerchant();
    const card = await h.join(m, { email: 'known@example.com' });
    assert.ok(card.serial);
    for (const address of ['known@example.com', 'stranger@example.com']) {
      assertProblem(await h.post(`/api/public/programs/${m.program.slug}/recover`, { email: address }), 503, 'unavailable');
    }
  });
});
