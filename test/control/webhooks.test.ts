// Webhooks (issue 14): signed like Stripe's, queued in the transaction of the change, retried
// with backoff for a day with a log of attempts and "send again"; hostile receivers (one that
// hangs, answers 500, redirects) and addresses refused in production.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Harness, type Merchant } from '../support/harness.ts';
import { assertProblem } from '../support/problem.ts';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A local receiver: records what it gets, answers as `answer` says for the path. */
async function receiver(answer: (path: string, res: ServerResponse) => void = (_p, res) => res.writeHead(204).end()) {
  const got: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      got.push({ path: req.url!, headers: req.headers, body });
      answer(req.url!, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { got, url, close: () => new Promise<void>((r) => server.close(() => r())), server };
}

let h: Harness;
let m: Merchant;
let hooks: Awaited<ReturnType<typeof receiver>>;
before(async () => {
  h = await Harness.start();
  m = await h.signUpMerchant('Hook Café');
  hooks = await receiver((path, res) => {
    if (path === '/fail') return void res.writeHead(500).end('oops');
    if (path === '/redirect') return void res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' }).end();
    if (path === '/hang') return; // never answers
    res.writeHead(200).end('ok');
  });
  h.startWebhookWorker({ timeoutMs: 300 });
});
after(async () => {
  await h.close();
  hooks.server.closeAllConnections();
  await hooks.close();
});

const until = async (what: string, check: () => boolean | Promise<boolean>, ms = 5000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

const register = async (path: string, events: string[]) => {
  const res = await h.post('/api/merchant/webhooks', { url: `${hooks.url}${path}`, events }, { cookie: m.cookie });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body as { id: string; secret: string; url: string; events: string[] };
};

/** Checks a delivery's signature as a receiver would: HMAC-SHA256 of "<t>.<body>" with the secret. */
function verify(r: Received, secret: string) {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(r.headers['fidelio-signature']));
  assert.ok(m, `signature header ${r.headers['fidelio-signature']}`);
  const expected = createHmac('sha256', secret).update(`${m[1]}.${r.body}`).digest('hex');
  assert.equal(m[2], expected);
  assert.ok(Math.abs(Number(m[1]) - Date.now() / 1000) < 60);
}

describe('webhooks', () => {
  it('joins, stamps, rewards, redemptions and reviews reach the receiver signed, each event once with its data', async () => {
    const hook = await register('/all', ['member.joined', 'card.stamped', 'reward.earned', 'reward.redeemed', 'review.created']);
    assert.match(hook.secret, /^whsec_/);
    const card = await h.join(m, { name: 'Mrs Martin' });
    await h.post(`/api/merchant/cards/${card.serial}/stamps`, { count: 10 }, { cookie: m.cookie });
    await h.post(`/api/merchant/cards/${card.serial}/redemptions`, {}, { cookie: m.cookie });
    await h.post(`/api/public/programs/${m.program.slug}/reviews`, { rating: 5, text: 'Lovely', name: 'Mrs M', cardSerial: card.serial });
    const mine = () => hooks.got.filter((r) => r.path === '/all');
    await until('five deliveries', () => mine().length >= 5);
    const events = mine().map((r) => JSON.parse(r.body));
    assert.deepEqual(events.map((e) => e.type).sort(), [
      'card.stamped',
      'member.joined',
      'review.created',
      'reward.earned',
      'reward.redeemed',
    ]);
    for (const r of mine()) {
      verify(r, hook.secret);
      assert.equal(r.headers['content-type'], 'application/json');
    }
    const byType = Object.fromEntries(events.map((e) => [e.type, e]));
    assert.equal(byType['member.joined'].data.customer.name, 'Mrs Martin');
    assert.equal(byType['card.stamped'].data.serial, card.serial);
    assert.equal(byType['card.stamped'].data.stamps, 10);
    assert.equal(byType['reward.earned'].data.rewards, 1);
    assert.equal(byType['reward.redeemed'].data.card.rewardsAvailable, 0);
    assert.equal(byType['review.created'].data.review.rating, 5);
    assert.equal(new Set(events.map((e) => e.id)).size, 5);
    // A signature over another body does not check out.
    const forged = { ...mine()[0]!, body: mine()[0]!.body.replace('Mrs', 'Mr') };
    assert.throws(() => verify(forged, hook.secret));
    const log = await h.get(`/api/merchant/webhooks/${hook.id}/deliveries`, { cookie: m.cookie });
    await until('delivered in the log', async () => {
      const l = await h.get(`/api/merchant/webhooks/${hook.id}/deliveries`, { cookie: m.cookie });
      return l.body.deliveries.length === 5 && l.body.deliveries.every((d: any) => d.status === 'delivered');
    });
    assert.equal(log.status, 200);
    await h.call('DELETE', `/api/merchant/webhooks/${hook.id}`, { cookie: m.cookie });
  });

  it('a redemption given back at the counter is sent as reward.redemption_undone, naming the redemption; a second undo sends nothing', async () => {
    const hook = await register('/undo', ['reward.redeemed', 'reward.redemption_undone']);
    const card = await h.join(m);
    await h.post(`/api/merchant/cards/${card.serial}/stamps`, { count: 10 }, { cookie: m.cookie });
    const redeemed = await h.post(`/api/merchant/cards/${card.serial}/redemptions`, {}, { cookie: m.cookie });
    const id = redeemed.body.redeemed.id;
    for (let i = 0; i < 2; i++) {
      const res = await h.post(`/api/merchant/cards/${card.serial}/redemptions/${id}/undo`, undefined, { cookie: m.cookie });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
    await h.webhookWorker!.idle();
    const events = hooks.got
      .filter((r) => r.path === '/undo')
      .map((r) => JSON.parse(r.body))
      .sort((a, b) => a.type.localeCompare(b.type));
    assert.deepEqual(
      events.map((e) => [e.type, e.data.redemption.id, e.data.reward.name, e.data.card.rewardsAvailable]),
      [
        ['reward.redeemed', id, 'A free coffee', 0],
        ['reward.redemption_undone', id, 'A free coffee', 1],
      ],
    );
    await h.call('DELETE', `/api/merchant/webhooks/${hook.id}`, { cookie: m.cookie });
  });

  it('an event a webhook did not ask for is not sent to it; a stamp rolled back sends nothing', async () => {
    const hook = await register('/joins', ['member.joined']);
    const card = await h.join(m);
    await h.post(`/api/merchant/cards/${card.serial}/stamps`, { count: 1 }, { cookie: m.cookie });
    // Refused (over 50 stamps): no change, so no event.
    await h.post(`/api/merchant/cards/${card.serial}/stamps`, { count: 51 }, { cookie: m.cookie });
    await h.webhookWorker!.idle();
    const got = hooks.got.filter((r) => r.path === '/joins').map((r) => JSON.parse(r.body).type);
    assert.deepEqual(got, ['member.joined']);
    const n = await h.count(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE webhook_id = $1`, [hook.id]);
    assert.equal(n, 1);
    await h.call('DELETE', `/api/merchant/webhooks/${hook.id}`, { cookie: m.cookie });
  });

  it('a receiver that answers 500, redirects or hangs: each attempt is logged and retried later with backoff; "send again" sends now', async () => {
    const hooksMade = [
      await register('/fail', ['member.joined']),
      await register('/redirect', ['member.joined']),
      await register('/hang', ['member.joined']),
    ];
    await h.join(m);
    for (const hook of hooksMade) {
      await until(`an attempt at ${hook.url}`, async () => {
        const l = await h.get(`/api/merchant/webhooks/${hook.id}/deliveries`, { cookie: m.cookie });
        const d = l.body.deliveries[0];
        // The attempt is written as it ends, its retry a few milliseconds later with the worker's batch.
        return d?.attempts.length === 1 && d.nextAttemptAt !== null && Date.parse(d.nextAttemptAt) > Date.now();
      });
      const { deliveries } = (await h.get(`/api/merchant/webhooks/${hook.id}/deliveries`, { cookie: m.cookie })).body;
      const d = deliveries[0];
      assert.equal(d.status, 'pending');
      const attempt = d.attempts[0];
      if (hook.url.endsWith('/fail')) assert.deepEqual([attempt.status, attempt.error], [500, 'answered 500']);
      if (hook.url.endsWith('/redirect'))
        assert.deepEqual([attempt.status, attempt.error], [302, 'answered 302 (redirects are not followed)']);
      if (hook.url.endsWith('/hang')) assert.deepEqual([attempt.status, attempt.error], [null, 'no answer within 0.3 s']);
      // The next attempt waits (10 s after the first failure), it is not hammered.
      const wait = Date.parse(d.nextAttemptAt) - Date.now();
      assert.ok(wait > 3000 && wait <= 10_500, `next attempt in ${wait} ms`);
    }
    // The redirect was not followed: nothing reached the metadata address (only our receiver saw the request).
    assert.equal(hooks.got.filter((r) => r.path === '/redirect').length, 1);

    const failing = hooksMade[0]!;
    const before = (await h.get(`/api/merchant/webhooks/${failing.id}/deliveries`, { cookie: m.cookie })).body.deliveries[0];
    const again = await h.post(`/api/merchant/webhooks/${failing.id}/deliveries/${before.id}/retry`, undefined, { cookie: m.cookie });
    assert.equal(again.status, 202);
    await until('a second attempt', async () => {
      const l = await h.get(`/api/merchant/webhooks/${failing.id}/deliveries`, { cookie: m.cookie });
      return l.body.deliveries[0].attempts.length === 2;
    });
    const listed = (await h.get('/api/merchant/webhooks', { cookie: m.cookie })).body.webhooks.find((w: any) => w.id === failing.id);
    assert.equal(listed.failing, 1);
    assertProblem(
      await h.post(`/api/merchant/webhooks/${failing.id}/deliveries/${failing.id}/retry`, undefined, { cookie: m.cookie }),
      404,
      'not_found',
    );
    for (const hook of hooksMade)
      assert.equal((await h.call('DELETE', `/api/merchant/webhooks/${hook.id}`, { cookie: m.cookie })).status, 204);
  });

  it('a delivery still failing a day after its event is given up (failed), and its attempts stay in the log', async () => {
    const hook = await register('/fail', ['card.stamped']);
    const card = await h.join(m);
    await h.post(`/api/merchant/cards/${card.serial}/stamps`, {}, { cookie: m.cookie });
    await until(
      'an attempt',
      async () =>
        (await h.count(
          `SELECT count(*)::int AS n FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id WHERE d.webhook_id = $1`,
          [hook.id],
        )) === 1,
    );
    // A day passes: the next attempt is due and beyond the day's retries.
    await h.db.query(`UPDATE webhook_deliveries SET retry_until = now() - interval '1 second' WHERE webhook_id = $1`, [hook.id]);
    await h.db.query(`UPDATE outbox SET available_at = now() WHERE channel = 'webhook'`);
    h.webhookWorker!.wake();
    await until('given up', async () => {
      const l = await h.get(`/api/merchant/webhooks/${hook.id}/deliveries`, { cookie: m.cookie });
      const given = l.body.deliveries[0].status === 'failed';
      return (
        given &&
        (await h.count(`SELECT count(*)::int AS n FROM outbox WHERE channel = 'webhook' AND target = $1`, [l.body.deliveries[0].id])) === 0
      );
    });
    const d = (await h.get(`/api/merchant/webhooks/${hook.id}/deliveries`, { cookie: m.cookie })).body.deliveries[0];
    assert.equal(d.attempts.length, 2);
    assert.equal(d.nextAttemptAt, null);
    assert.equal(await h.count(`SELECT count(*)::int AS n FROM outbox WHERE channel = 'webhook' AND target = $1`, [d.id]), 0);
    await h.call('DELETE', `/api/merchant/webhooks/${hook.id}`, { cookie: m.cookie });
  });

  it('validates the registration, keeps webhooks to the owner, and never shows the secret again', async () => {
    const bad = await h.post('/api/merchant/webhooks', { url: 'ftp://x.example', events: ['member.joined'] }, { cookie: m.cookie });
    assertProblem(bad, 400, 'validation_failed');
    assertProblem(
      await h.post('/api/merchant/webhooks', { url: `${hooks.url}/x`, events: [] }, { cookie: m.cookie }),
      400,
      'validation_failed',
    );
    assertProblem(
      await h.post('/api/merchant/webhooks', { url: `${hooks.url}/x`, events: ['card.exploded'] }, { cookie: m.cookie }),
      400,
      'validation_failed',
    );
    const hook = await register('/x', ['member.joined']);
    const list = await h.get('/api/merchant/webhooks', { cookie: m.cookie });
    assert.ok(!list.text.includes(hook.secret));
    const staff = await h.addStaff(m);
    assertProblem(await h.get('/api/merchant/webhooks', { cookie: staff.cookie }), 403, 'forbidden');
    const other = await h.signUpMerchant('Other hooks');
    assertProblem(await h.call('DELETE', `/api/merchant/webhooks/${hook.id}`, { cookie: other.cookie }), 404, 'not_found');
    assertProblem(await h.get(`/api/merchant/webhooks/${hook.id}/deliveries`, { cookie: other.cookie }), 404, 'not_found');
    assert.equal((await h.call('DELETE', `/api/merchant/webhooks/${hook.id}`, { cookie: m.cookie })).status, 204);
    assertProblem(await h.call('DELETE', `/api/merchant/webhooks/${hook.id}`, { cookie: m.cookie }), 404, 'not_found');
  });
});

describe('webhooks where only public addresses are allowed (production)', () => {
  let p: Harness;
  let pm: Merchant;
  before(async () => {
    p = await Harness.start({ WEBHOOK_PRIVATE_ADDRESSES: 'refuse' });
    pm = await p.signUpMerchant('Prod Café');
  });
  after(() => p.close());

  it('refuses loopback, private, link-local (cloud metadata) and plain-http URLs at registration', async () => {
    for (const url of [
      'https://127.0.0.1/hook',
      'https://169.254.169.254/latest/meta-data',
      'https://10.0.0.5/hook',
      'https://192.168.1.10/hook',
      'https://[::1]/hook',
      'https://[::ffff:127.0.0.1]/hook',
      'https://localhost/hook',
      'http://till.example.com/hook',
    ]) {
      const res = await p.post('/api/merchant/webhooks', { url, events: ['member.joined'] }, { cookie: pm.cookie });
      assertProblem(res, 400, 'validation_failed');
      assert.equal(res.body.errors[0].path, 'url', url);
    }
  });

  it('a delivery to an address that became private is refused at connection time, not sent', async () => {
    // Saved while it was allowed (or its DNS changed since): the worker checks again on every attempt.
    const local = await receiver();
    try {
      const { rows } = await p.db.query<{ id: string }>(
        `INSERT INTO webhooks (merchant_id, url, events, secret) VALUES ($1, $2, '{member.joined}', 'whsec_test') RETURNING id`,
        [pm.id, `${local.url.replace('127.0.0.1', 'localhost')}/in`],
      );
      p.startWebhookWorker({ timeoutMs: 500 });
      await p.join(pm);
      await until(
        'an attempt',
        async () =>
          (await p.count(
            `SELECT count(*)::int AS n FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id WHERE d.webhook_id = $1`,
            [rows[0]!.id],
          )) > 0,
      );
      const { deliveries } = (await p.get(`/api/merchant/webhooks/${rows[0]!.id}/deliveries`, { cookie: pm.cookie })).body;
      assert.match(deliveries[0].attempts[0].error, /refused: the address is loopback, private or link-local/);
      assert.equal(local.got.length, 0);
    } finally {
      await local.close();
    }
  });
});
