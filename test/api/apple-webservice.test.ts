// Apple's PassKit web service under /apple/v1, checked as a device (and an attacker) calls it:
// ../shared/research/apple-wallet.md §3 and "Checks a conformance test can make" 12–16, and
// API.md "Wallet". Every answer in this file must be below 500.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { passLastModified, passUnchangedSince } from '../../server/http/conditional.ts';
import { type CallOptions, Harness, type Merchant, PUBLIC_URL, randomIp, type Reply } from '../support/harness.ts';
import { openPass } from '../support/pkpass.ts';
import { assertProblem } from '../support/problem.ts';
import { midWindow } from '../support/rate-limit.ts';

let h: Harness;
let m: Merchant;
/** Our pass type identifier: the only one served. */
let PT: string;

before(async () => {
  h = await Harness.start();
  m = await h.signUpMerchant('Wallet Café');
  PT = h.apple!.identity.passTypeId;
});
after(() => h.close());

// ---------------------------------------------------------------------------------------------
// Helpers

interface Card {
  serial: string;
  token: string;
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
/** A deviceLibraryIdentifier as iOS makes them. */
const newDevice = () => hex(16);
/** An APNs device token as iOS sends it. */
const newPushToken = () => hex(32);
const auth = (token: string) => ({ Authorization: `ApplePass ${token}` });

/** A well-formed serial that no card has. */
const UNKNOWN_SERIAL = 'a'.repeat(26);

/** `h.call`, and no answer may be a server error. */
async function call(method: string, path: string, opts: CallOptions = {}): Promise<Reply> {
  const res = await h.call(method, path, opts);
  assert.ok(res.status < 500, `${method} ${path} → ${res.status} ${res.text.slice(0, 300)}`);
  return res;
}

/** `h.app.request`, and no answer may be a server error: for binary bodies and hand-made requests. */
async function request(input: string | Request, init?: RequestInit): Promise<{ res: Response; bytes: Buffer }> {
  const res = await h.app.request(input, init);
  const bytes = Buffer.from(await res.arrayBuffer());
  assert.ok(res.status < 500, `${res.status} ${bytes.toString('utf8', 0, 300)}`);
  return { res, bytes };
}

/** A problem answer from `request`, in the shape `assertProblem` reads. */
const asReply = ({ res, bytes }: { res: Response; bytes: Buffer }): Reply => {
  const text = bytes.toString('utf8');
  return { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : text };
};

async function newCard(): Promise<Card> {
  const { serial } = await h.join(m);
  const { rows } = await h.db.query<{ auth_token: string }>('SELECT auth_token FROM cards WHERE serial = $1', [serial]);
  return { serial, token: rows[0]!.auth_token };
}

const regPath = (device: string, serial: string, passType = PT) => `/apple/v1/devices/${device}/registrations/${passType}/${serial}`;
const passPath = (serial: string, passType = PT) => `/apple/v1/passes/${passType}/${serial}`;

function register(card: Card, device: string, pushToken: string, headers: Record<string, string> = auth(card.token)) {
  return call('POST', regPath(device, card.serial), { headers, body: { pushToken } });
}

function unregister(card: Card, device: string, headers: Record<string, string> = auth(card.token)) {
  return call('DELETE', regPath(device, card.serial), { headers });
}

function serials(device: string, tag?: string, passType = PT) {
  const query = tag === undefined ? '' : `?passesUpdatedSince=${encodeURIComponent(tag)}`;
  return call('GET', `/apple/v1/devices/${device}/registrations/${passType}${query}`);
}

/** The latest pass (GET or HEAD), as bytes. */
function latest(card: Card, headers: Record<string, string> = {}, method = 'GET') {
  return request(passPath(card.serial), { method, headers: { ...auth(card.token), ...headers } });
}

async function stamp(card: Card, count = 1): Promise<void> {
  const res = await call('POST', `/api/merchant/cards/${card.serial}/stamps`, { body: { count }, cookie: m.cookie });
  assert.equal(res.status, 200, res.text);
}

const registrations = () => h.count('SELECT count(*)::int AS n FROM apple_registrations');
const pushesTo = (pushToken: string) =>
  h.count(`SELECT count(*)::int AS n FROM outbox WHERE channel = 'apns' AND target = $1`, [pushToken]);

async function pushTokensOf(device: string): Promise<Map<string, string>> {
  const { rows } = await h.db.query<{ serial: string; push_token: string }>(
    `SELECT c.serial, r.push_token FROM apple_registrations r JOIN cards c ON c.id = r.card_id WHERE r.device_id = $1`,
    [device],
  );
  return new Map(rows.map((r) => [r.serial, r.push_token]));
}

/** The stamps field of a served pass, e.g. `3 / 10`. */
function stampsShown(bytes: Uint8Array): string {
  const p = openPass(bytes).pass;
  const fields = ['headerFields', 'primaryFields', 'secondaryFields', 'auxiliaryFields', 'backFields'].flatMap((k) => p.storeCard[k] ?? []);
  return fields.find((f: { key: string }) => f.key === 'stamps').value;
}

/** Runs `fn` and asserts it left the registrations as they were. */
async function registersNothing(fn: () => Promise<void>): Promise<void> {
  const before = await registrations();
  await fn();
  assert.equal(await registrations(), before, 'nothing registered or unregistered');
}

const sortedEqual = (actual: string[], expected: string[]) => assert.deepEqual([...actual].sort(), [...expected].sort());

// ---------------------------------------------------------------------------------------------

describe('register and unregister (conformance 12, 15)', () => {
  it('register → 201; again → 200, and the stored push token is the new one', async () => {
    const card = await newCard();
    const device = newDevice();
    const first = newPushToken();
    const res = await register(card, device, first);
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(await pushTokensOf(device), new Map([[card.serial, first]]));

    const second = newPushToken();
    assert.equal((await register(card, device, second.toUpperCase())).status, 200, 'already registered');
    assert.deepEqual(await pushTokensOf(device), new Map([[card.serial, second]]), 'updated, stored in lower case');
    assert.equal((await register(card, device, second)).status, 200, 'the same registration again');
    assert.equal(await h.count('SELECT count(*)::int AS n FROM apple_registrations WHERE device_id = $1', [device]), 1);
  });

  it("the device's other registrations take its new push token; other devices keep theirs", async () => {
    const [a, b] = [await newCard(), await newCard()];
    const [device, other] = [newDevice(), newDevice()];
    const old = newPushToken();
    const otherToken = newPushToken();
    assert.equal((await register(a, device, old)).status, 201);
    assert.equal((await register(b, device, old)).status, 201);
    assert.equal((await register(a, other, otherToken)).status, 201);

    const fresh = newPushToken();
    assert.equal((await register(a, device, fresh)).status, 200);
    assert.deepEqual(
      await pushTokensOf(device),
      new Map([
        [a.serial, fresh],
        [b.serial, fresh],
      ]),
    );
    assert.deepEqual(await pushTokensOf(other), new Map([[a.serial, otherToken]]));
  });

  it('a card change queues one push per registered device token', async () => {
    const card = await newCard();
    const [t1, t2] = [newPushToken(), newPushToken()];
    await register(card, newDevice(), t1);
    await register(card, newDevice(), t2);
    assert.equal(await pushesTo(t1), 0);
    await stamp(card);
    assert.equal(await pushesTo(t1), 1);
    assert.equal(await pushesTo(t2), 1);
  });

  it('a card keeps 10 devices: an 11th registration drops the one registered (or renewed) longest ago; a change pushes to 10', async () => {
    const card = await newCard();
    const devices = Array.from({ length: 11 }, () => ({ id: newDevice(), token: newPushToken() }));
    for (const d of devices.slice(0, 10)) assert.equal((await register(card, d.id, d.token)).status, 201);
    const ofCard = () =>
      h.count('SELECT count(*)::int AS n FROM apple_registrations r JOIN cards c ON c.id = r.card_id WHERE c.serial = $1', [card.serial]);
    assert.equal(await ofCard(), 10);
    // The first device registers again (iOS does, now and then): it is no longer the oldest.
    assert.equal((await register(card, devices[0]!.id, devices[0]!.token)).status, 200);

    assert.equal((await register(card, devices[10]!.id, devices[10]!.token)).status, 201);
    assert.equal(await ofCard(), 10);
    assert.equal((await serials(devices[1]!.id)).status, 204, 'the device registered longest ago is dropped');
    for (const d of [devices[0]!, ...devices.slice(2)]) assert.equal((await serials(d.id)).status, 200);

    await stamp(card);
    assert.equal(await pushesTo(devices[1]!.token), 0);
    let pushes = 0;
    for (const d of devices) pushes += await pushesTo(d.token);
    assert.equal(pushes, 10, 'one push per kept device');
    // The dropped device may register again: it is then the newest, and the oldest other goes.
    assert.equal((await register(card, devices[1]!.id, devices[1]!.token)).status, 201);
    assert.equal(await ofCard(), 10);
    assert.equal((await serials(devices[2]!.id)).status, 204);
  });

  it('unregister → 200; the device then lists nothing (204) and a change pushes nothing to its token', async () => {
    const card = await newCard();
    const device = newDevice();
    const pushToken = newPushToken();
    assert.equal((await register(card, device, pushToken)).status, 201);
    assert.equal((await serials(device)).status, 200);

    const res = await unregister(card, device);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.text, '');
    assert.deepEqual(await pushTokensOf(device), new Map());
    const list = await serials(device);
    assert.equal(list.status, 204);
    assert.equal(list.text, '');

    await stamp(card);
    assert.equal(await pushesTo(pushToken), 0, 'no push row for the unregistered token');
    assert.equal((await serials(device)).status, 204, 'the change is not listed either');
    assert.equal((await unregister(card, device)).status, 200, 'unregistering again is still 200');
  });
});

describe('serials list (conformance 13)', () => {
  const device = newDevice();
  let a: Card;
  let b: Card;
  let tag: string;

  before(async () => {
    [a, b] = [await newCard(), await newCard()];
    const pushToken = newPushToken();
    assert.equal((await register(a, device, pushToken)).status, 201);
    assert.equal((await register(b, device, pushToken)).status, 201);
  });

  it('without a tag → 200, every serial of the device and a string lastUpdated', async () => {
    const res = await serials(device);
    assert.equal(res.status, 200, res.text);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    sortedEqual(res.body.serialNumbers, [a.serial, b.serial]);
    assert.equal(typeof res.body.lastUpdated, 'string', 'a JSON string, never a number');
    assert.match(res.body.lastUpdated, /^\d+$/);
    tag = res.body.lastUpdated;
  });

  it('with that tag and no change → 204, no body', async () => {
    const res = await serials(device, tag);
    assert.equal(res.status, 204);
    assert.equal(res.text, '');
  });

  it('after a stamp on one card → 200 with only that serial and a strictly newer tag; then 204 again', async () => {
    await stamp(b);
    const res = await serials(device, tag);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.serialNumbers, [b.serial]);
    assert.equal(typeof res.body.lastUpdated, 'string');
    assert.match(res.body.lastUpdated, /^\d+$/);
    assert.ok(BigInt(res.body.lastUpdated) > BigInt(tag), `${res.body.lastUpdated} > ${tag}`);
    assert.equal((await serials(device, res.body.lastUpdated)).status, 204);
    // The old tag still lists only what changed since.
    assert.deepEqual((await serials(device, tag)).body.serialNumbers, [b.serial]);
  });

  it('two quick changes: each one is listed once against the tag before it', async () => {
    let last = (await serials(device)).body.lastUpdated;
    for (const card of [a, b, a]) {
      await stamp(card);
      const res = await serials(device, last);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.serialNumbers, [card.serial]);
      assert.ok(BigInt(res.body.lastUpdated) > BigInt(last));
      last = res.body.lastUpdated;
    }
  });

  it('an unknown device → 204, with or without a tag', async () => {
    const unknown = newDevice();
    for (const res of [await serials(unknown), await serials(unknown, '0'), await serials(unknown, tag)]) {
      assert.equal(res.status, 204);
      assert.equal(res.text, '');
    }
  });
});

describe('latest pass (conformance 14)', () => {
  let card: Card;
  let etag: string;
  let lastModified: string;

  before(async () => {
    card = await newCard();
  });

  it('with its token → 200, a pkpass of this card with Last-Modified and ETag', async () => {
    const { res, bytes } = await latest(card);
    assert.equal(res.status, 200, bytes.toString('utf8', 0, 300));
    assert.equal(res.headers.get('content-type'), 'application/vnd.apple.pkpass');
    const p = openPass(bytes).pass;
    assert.equal(p.serialNumber, card.serial);
    assert.equal(p.passTypeIdentifier, PT);
    assert.equal(p.authenticationToken, card.token);
    assert.equal(p.webServiceURL, `${PUBLIC_URL}/apple`);
    assert.equal(stampsShown(bytes), '0 / 10');
    etag = res.headers.get('etag') ?? '';
    lastModified = res.headers.get('last-modified') ?? '';
    assert.ok(etag, 'ETag');
    assert.ok(Number.isFinite(Date.parse(lastModified)), `Last-Modified: ${lastModified}`);
  });

  it('If-None-Match with that ETag → 304, empty body', async () => {
    const { res, bytes } = await latest(card, { 'If-None-Match': etag });
    assert.equal(res.status, 304);
    assert.equal(bytes.length, 0);
    assert.equal(res.headers.get('etag'), etag);
  });

  it('a change in the same second is not hidden: If-Modified-Since with the fresh Last-Modified → 200', async () => {
    await stamp(card);
    const { res, bytes } = await latest(card, { 'If-Modified-Since': lastModified });
    assert.equal(res.status, 200);
    assert.equal(stampsShown(bytes), '1 / 10');
  });

  it('after a stamp → 200 with another ETag and the new stamps; the old ETag no longer matches', async () => {
    await stamp(card, 2);
    const { res, bytes } = await latest(card, { 'If-None-Match': etag });
    assert.equal(res.status, 200);
    assert.notEqual(res.headers.get('etag'), etag);
    assert.equal(stampsShown(bytes), '3 / 10');
    assert.equal((await latest(card, { 'If-None-Match': res.headers.get('etag')! })).res.status, 304);
  });

  it('If-Modified-Since: 304 when the pass is older than that date, 200 with a newer Last-Modified after a change', async () => {
    const old = await newCard();
    // A card last changed a minute ago: its Last-Modified is its own second.
    await h.db.query(`UPDATE cards SET updated_at = updated_at - interval '1 minute' WHERE serial = $1`, [old.serial]);
    const first = await latest(old);
    const since = first.res.headers.get('last-modified')!;
    const same = await latest(old, { 'If-Modified-Since': since });
    assert.equal(same.res.status, 304);
    assert.equal(same.bytes.length, 0);
    assert.equal(same.res.headers.get('last-modified'), since);

    await stamp(old);
    const changed = await latest(old, { 'If-Modified-Since': since });
    assert.equal(changed.res.status, 200);
    assert.equal(stampsShown(changed.bytes), '1 / 10');
    assert.ok(Date.parse(changed.res.headers.get('last-modified')!) > Date.parse(since));
  });

  it('HEAD → 200 with the headers and no body; 304 with a matching ETag', async () => {
    const get = await latest(card);
    const head = await latest(card, {}, 'HEAD');
    assert.equal(head.res.status, 200);
    assert.equal(head.bytes.length, 0);
    assert.equal(head.res.headers.get('content-type'), 'application/vnd.apple.pkpass');
    assert.equal(head.res.headers.get('etag'), get.res.headers.get('etag'));
    assert.equal(head.res.headers.get('last-modified'), get.res.headers.get('last-modified'));
    const cached = await latest(card, { 'If-None-Match': get.res.headers.get('etag')! }, 'HEAD');
    assert.equal(cached.res.status, 304);
    assert.equal(cached.bytes.length, 0);
  });
});

describe('the Last-Modified rule (passLastModified, passUnchangedSince)', () => {
  const at = (time: string) => new Date(`2024-05-01T${time}Z`);
  const httpDate = (d: Date) => d.toUTCString();

  it('a change answered within its second names the second before, so a second change that second is not hidden', () => {
    const lm = passLastModified(at('12:00:00.300'), at('12:00:00.900').getTime());
    assert.equal(lm.toISOString(), at('11:59:59.000').toISOString());
    assert.equal(passUnchangedSince(at('12:00:00.700'), httpDate(lm)), false, 'the change at .700 is served');
    assert.equal(passUnchangedSince(at('12:00:00.300'), httpDate(lm)), false, 'even the same version is served again');
  });

  it('still the second before while the change is under two seconds old', () => {
    for (const now of ['12:00:00.300', '12:00:01.000', '12:00:01.999']) {
      assert.equal(passLastModified(at('12:00:00.300'), at(now).getTime()).toISOString(), at('11:59:59.000').toISOString(), now);
    }
  });

  it('answered two seconds later or more, its own second: 304 for that version, changed after a later change', () => {
    const lm = passLastModified(at('12:00:00.300'), at('12:00:02.300').getTime());
    assert.equal(lm.toISOString(), at('12:00:00.000').toISOString());
    assert.equal(passUnchangedSince(at('12:00:00.300'), httpDate(lm)), true);
    assert.equal(passUnchangedSince(at('12:00:03.100'), httpDate(lm)), false);
    assert.equal(passLastModified(at('12:00:00.300'), at('12:05:00.000').getTime()).toISOString(), at('12:00:00.000').toISOString());
  });

  it('no or an unreadable If-Modified-Since: changed', () => {
    assert.equal(passUnchangedSince(at('12:00:00.300'), undefined), false);
    assert.equal(passUnchangedSince(at('12:00:00.300'), ''), false);
    assert.equal(passUnchangedSince(at('12:00:00.300'), 'yesterday-ish'), false);
  });
});

describe('device log (conformance 16)', () => {
  it('POST /log → 200 and each line is in the server log, control characters stripped', async () => {
    const marker = hex(8);
    const res = await call('POST', '/apple/v1/log', {
      body: { logs: [`${marker} first\u0000\u001b[31m\r\nforged line\u007f`, `${marker} second`] },
    });
    assert.equal(res.status, 200, res.text);
    const lines = h.logs.filter((l) => l.includes(marker));
    assert.equal(lines.length, 2, JSON.stringify(h.logs.slice(-5)));
    // eslint-disable-next-line no-control-regex -- the control characters are what must not reach the log
    for (const line of lines) assert.doesNotMatch(line, /[\u0000-\u001f\u007f]/);
    assert.match(lines[0]!, new RegExp(`${marker} first \\[31m forged line`));
    assert.match(lines[1]!, new RegExp(`${marker} second$`));
  });

  it('an empty list → 200, nothing logged', async () => {
    const before = h.logs.length;
    assert.equal((await call('POST', '/apple/v1/log', { body: { logs: [] } })).status, 200);
    assert.equal(h.logs.length, before);
  });
});

// ---------------------------------------------------------------------------------------------

describe('hostile requests', () => {
  let card: Card;
  let other: Card;
  let device: string;
  /** The 401 answers, to compare byte for byte: nothing tells one refusal from another. */
  const refusals: { name: string; contentType: string | null; text: string }[] = [];

  before(async () => {
    [card, other] = [await newCard(), await newCard()];
    device = newDevice();
    // One registration already there: a refused DELETE must not remove it.
    assert.equal((await register(card, device, newPushToken())).status, 201);
  });

  describe('not authorized → 401, all alike', () => {
    const cases: { name: string; serial: () => string; headers: () => Record<string, string> }[] = [
      { name: 'a wrong token', serial: () => card.serial, headers: () => auth(hex(16)) },
      { name: 'no Authorization', serial: () => card.serial, headers: () => ({}) },
      { name: 'Authorization: Bearer <token>', serial: () => card.serial, headers: () => ({ Authorization: `Bearer ${card.token}` }) },
      { name: 'the bare token', serial: () => card.serial, headers: () => ({ Authorization: card.token }) },
      { name: "another pass's token", serial: () => card.serial, headers: () => auth(other.token) },
      { name: 'an unknown serial', serial: () => UNKNOWN_SERIAL, headers: () => auth(card.token) },
      { name: 'a malformed serial', serial: () => 'NOT-A-SERIAL', headers: () => auth(card.token) },
      { name: 'a serial with NUL', serial: () => `${card.serial}%00`, headers: () => auth(card.token) },
      { name: 'an empty token', serial: () => card.serial, headers: () => ({ Authorization: 'ApplePass ' }) },
    ];
    const endpoints: { name: string; method: string; path: (serial: string) => string; body?: unknown }[] = [
      { name: 'register', method: 'POST', path: (s) => regPath(device, s), body: { pushToken: newPushToken() } },
      { name: 'unregister', method: 'DELETE', path: (s) => regPath(device, s) },
      { name: 'latest pass', method: 'GET', path: (s) => passPath(s) },
      { name: 'latest pass (HEAD)', method: 'HEAD', path: (s) => passPath(s) },
    ];

    for (const e of endpoints) {
      for (const c of cases) {
        it(`${e.name} with ${c.name} → 401`, async () => {
          await registersNothing(async () => {
            const res = await call(e.method, e.path(c.serial()), { headers: c.headers(), body: e.body });
            if (e.method === 'HEAD') {
              assert.equal(res.status, 401);
              assert.equal(res.text, '');
              return;
            }
            assertProblem(res, 401, 'unauthorized');
            refusals.push({ name: `${e.name}, ${c.name}`, contentType: res.headers.get('content-type'), text: res.text });
          });
          assert.equal((await pushTokensOf(device)).has(card.serial), true, 'the registration is still there');
        });
      }
    }

    it('the 401 bodies are byte-identical', () => {
      assert.equal(refusals.length, 3 * cases.length);
      for (const r of refusals) assert.deepEqual({ ...r, name: refusals[0]!.name }, refusals[0], r.name);
    });

    it('the serials list needs no token, but a token on it changes nothing', async () => {
      const res = await call('GET', `/apple/v1/devices/${device}/registrations/${PT}`, { headers: auth(hex(16)) });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.serialNumbers, [card.serial]);
    });
  });

  describe('an unknown pass type → 404 not_found', () => {
    const foreign = 'pass.com.example.other';
    const cases: { name: string; method: string; path: () => string; body?: unknown; token?: boolean }[] = [
      {
        name: 'register',
        method: 'POST',
        path: () => regPath(newDevice(), card.serial, foreign),
        body: { pushToken: newPushToken() },
        token: true,
      },
      { name: 'unregister', method: 'DELETE', path: () => regPath(device, card.serial, foreign), token: true },
      { name: 'serials list', method: 'GET', path: () => `/apple/v1/devices/${device}/registrations/${foreign}` },
      { name: 'latest pass', method: 'GET', path: () => passPath(card.serial, foreign), token: true },
    ];
    for (const c of cases) {
      it(`${c.name} → 404`, async () => {
        await registersNothing(async () => {
          const res = await call(c.method, c.path(), { headers: c.token ? auth(card.token) : {}, body: c.body });
          assertProblem(res, 404, 'not_found');
        });
      });
    }
  });

  describe('a malformed deviceLibraryIdentifier → 400 validation_failed (with the right token)', () => {
    const devices: [string, string][] = [
      ['200 characters', 'a'.repeat(200)],
      ['NUL', '%00'],
      ['a space', 'ab%20cd'],
      ['an encoded ../', '%2E%2E%2Fetc'],
      ['a non-ASCII letter', 'caf%C3%A9'],
      ['a quote', 'ab%22cd'],
    ];
    for (const [name, bad] of devices) {
      it(`${name}: register, unregister, serials list`, async () => {
        await registersNothing(async () => {
          const reg = await call('POST', regPath(bad, card.serial), { headers: auth(card.token), body: { pushToken: newPushToken() } });
          assertProblem(reg, 400, 'validation_failed', ['deviceLibraryIdentifier']);
          const unreg = await call('DELETE', regPath(bad, card.serial), { headers: auth(card.token) });
          assertProblem(unreg, 400, 'validation_failed', ['deviceLibraryIdentifier']);
          const list = await call('GET', `/apple/v1/devices/${bad}/registrations/${PT}`);
          assertProblem(list, 400, 'validation_failed', ['deviceLibraryIdentifier']);
        });
      });
    }

    it('a bare .. never reaches a registration (the URL resolves it away)', async () => {
      await registersNothing(async () => {
        const res = await call('POST', regPath('..', card.serial), { headers: auth(card.token), body: { pushToken: newPushToken() } });
        assert.ok(res.status >= 400, `${res.status}`);
      });
    });
  });

  describe('a malformed push token or body → 400 validation_failed, nothing registered', () => {
    const bodies: { name: string; body?: unknown; raw?: string; headers?: Record<string, string> }[] = [
      { name: 'not hex', body: { pushToken: 'z'.repeat(64) } },
      { name: 'too short', body: { pushToken: 'ab'.repeat(10) } },
      { name: 'too long', body: { pushToken: 'a'.repeat(201) } },
      { name: 'hex with NUL', body: { pushToken: `${hex(32)}\u0000` } },
      { name: 'missing', body: {} },
      { name: 'a number', body: { pushToken: 1234567890 } },
      { name: 'null', body: { pushToken: null } },
      { name: 'a null body', raw: 'null', headers: { 'content-type': 'application/json' } },
      { name: 'an array body', body: [{ pushToken: hex(32) }] },
      { name: 'a string body', body: hex(32) },
      { name: 'a non-JSON body', raw: `pushToken=${hex(32)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      { name: 'truncated JSON', raw: `{"pushToken":"${hex(32)}"`, headers: { 'content-type': 'application/json' } },
      { name: 'an empty body', raw: '' },
      { name: 'no body at all' },
    ];
    for (const b of bodies) {
      it(`${b.name} → 400`, async () => {
        await registersNothing(async () => {
          const res = await call('POST', regPath(newDevice(), card.serial), {
            headers: { ...auth(card.token), ...b.headers },
            body: b.body,
            raw: b.raw,
          });
          assertProblem(res, 400, 'validation_failed');
        });
      });
    }
  });

  describe('a passesUpdatedSince we never gave out → 400 validation_failed', () => {
    for (const tag of ['abc', '-1', '1e9', '1.5', ' 1', '', '9'.repeat(25), '9'.repeat(19), '18446744073709551616']) {
      it(`"${tag.length > 20 ? `${tag.length} digits` : tag}" → 400`, async () => {
        const res = await serials(device, tag);
        assertProblem(res, 400, 'validation_failed', ['passesUpdatedSince']);
      });
    }

    it('the largest tag that fits → 204', async () => {
      assert.equal((await serials(device, '999999999999999999')).status, 204);
    });
  });

  describe('bodies over 64 KB → 413 payload_too_large', () => {
    const MB = JSON.stringify({ logs: ['x'.repeat(1024 * 1024)] });
    const JSON_HEADERS = { 'content-type': 'application/json' };

    it('a 1 MB log, with Content-Length', async () => {
      const res = await call('POST', '/apple/v1/log', {
        raw: MB,
        headers: { ...JSON_HEADERS, 'content-length': String(Buffer.byteLength(MB)) },
      });
      assertProblem(res, 413, 'payload_too_large');
    });

    it('a 1 MB log, without Content-Length', async () => {
      const res = await call('POST', '/apple/v1/log', { raw: MB, headers: JSON_HEADERS });
      assertProblem(res, 413, 'payload_too_large');
    });

    it('a 1 MB log, streamed in chunks without Content-Length: refused before the end', async () => {
      const chunk = new TextEncoder().encode('x'.repeat(16 * 1024));
      let sent = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(ctl) {
          if (sent >= 64) return ctl.close();
          sent++;
          ctl.enqueue(chunk);
        },
      });
      const req = new Request(`${PUBLIC_URL}/apple/v1/log`, {
        method: 'POST',
        headers: { ...JSON_HEADERS, 'x-forwarded-for': randomIp() },
        body: stream,
        duplex: 'half',
      } as RequestInit);
      assert.equal(req.headers.get('content-length'), null);
      assertProblem(asReply(await request(req)), 413, 'payload_too_large');
      assert.ok(sent < 64, `the server stopped reading early (read ${sent} of 64 chunks)`);
    });

    it('a 1 MB registration: nothing registered', async () => {
      await registersNothing(async () => {
        const raw = JSON.stringify({ pushToken: hex(32), padding: 'x'.repeat(1024 * 1024) });
        const res = await call('POST', regPath(newDevice(), card.serial), { raw, headers: { ...auth(card.token), ...JSON_HEADERS } });
        assertProblem(res, 413, 'payload_too_large');
      });
    });
  });

  describe('a malformed log → 400 validation_failed, nothing logged', () => {
    const bodies: { name: string; body?: unknown; raw?: string }[] = [
      { name: 'logs not an array', body: { logs: 'one line' } },
      { name: 'logs missing', body: {} },
      { name: 'a line that is not a string', body: { logs: [42] } },
      { name: 'a line over 4000 characters', body: { logs: ['x'.repeat(4001)] } },
      { name: 'over 100 lines', body: { logs: Array.from({ length: 101 }, () => 'line') } },
      { name: 'an array body', body: ['line'] },
      { name: 'a non-JSON body', raw: 'logs=line' },
      { name: 'an empty body', raw: '' },
    ];
    for (const b of bodies) {
      it(`${b.name} → 400`, async () => {
        const before = h.logs.length;
        assertProblem(await call('POST', '/apple/v1/log', { body: b.body, raw: b.raw }), 400, 'validation_failed');
        assert.equal(h.logs.length, before);
      });
    }
  });

  describe('the log rate limit', () => {
    after(() => h.setNow(undefined));

    it('the 61st post in a minute from one IP → 429 with Retry-After; another IP is still served', async () => {
      h.setNow(midWindow(60));
      const ip = `192.0.2.${1 + (randomBytes(1)[0]! % 250)}`;
      for (let i = 1; i <= 60; i++) {
        const res = await call('POST', '/apple/v1/log', { body: { logs: [] }, ip });
        assert.equal(res.status, 200, `post ${i}: ${res.text}`);
      }
      const res = await call('POST', '/apple/v1/log', { body: { logs: ['one too many'] }, ip });
      assertProblem(res, 429, 'rate_limited');
      assert.equal(res.headers.get('retry-after'), '30', 'the rest of the window');
      assert.ok(!h.logs.some((l) => l.includes('one too many')), 'the refused line was not logged');
      assert.equal((await call('POST', '/apple/v1/log', { body: { logs: [] } })).status, 200, 'another IP');
    });
  });
});
