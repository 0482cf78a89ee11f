// An iPhone, simulated against the real server (a child process): it downloads the pass,
// registers for updates with a push token, and when staff add a stamp it gets the push on a
// local HTTP/2 TLS server standing in for APNs, asks which passes changed, fetches the new
// pass, gets 304 when it asks again, and unregisters. The server pushes with its (generated
// development) Pass Type ID certificate as TLS client certificate, as with Apple.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { devCertificates } from '../../passes/apple/certificates.ts';
import { openPostgresSchema, TEST_DB, type TestDb } from '../support/db.ts';
import { type FakeApns, makeTlsFixture, startFakeApns } from '../support/fake-apns.ts';
import { until } from '../support/child.ts';
import { openPass, verifySignature } from '../support/pkpass.ts';
import { killServers, type Server, startServer } from '../support/server-process.ts';

const PASS_TYPE_ID = 'pass.test.fidelio.iphone';
const TEAM_ID = 'TEAMTEST01';

let server: Server;
let apns: FakeApns;
let dir: string;
let rootPem: string;
let pgSchema: TestDb | undefined;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fidelio-iphone-'));
  // The server's development certificates, made here first so the stand-in knows whom to trust.
  const certs = await devCertificates(join(dir, 'data', 'apple'), PASS_TYPE_ID, TEAM_ID);
  rootPem = certs.rootPem!;
  const tls = makeTlsFixture(dir);
  apns = await startFakeApns({
    caPem: tls.caPem,
    serverCertPem: tls.serverCertPem,
    serverKeyPem: tls.serverKeyPem,
    requireClientCa: certs.wwdrPem + certs.rootPem!,
  });
  writeFileSync(join(dir, 'apns-ca.pem'), tls.caPem);
  const env: Record<string, string> = {
    DATA_DIR: join(dir, 'data'),
    APPLE_PASS_TYPE_ID: PASS_TYPE_ID,
    APPLE_TEAM_ID: TEAM_ID,
    APNS_HOST: apns.url,
    // How a deployment trusts a private CA; here the stand-in's.
    NODE_EXTRA_CA_CERTS: join(dir, 'apns-ca.pem'),
  };
  if (TEST_DB === 'postgres') {
    pgSchema = await openPostgresSchema();
    env.DATABASE_URL = pgSchema.url!;
  }
  server = await startServer(env);
});

after(async () => {
  killServers();
  await apns?.close();
  await pgSchema?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function call(method: string, path: string, init: { body?: unknown; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...init.headers };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  return fetch(new URL(path, server.url), { method, headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
}

describe('an iPhone with the pass in Wallet', () => {
  it('downloads, registers, is pushed on a stamp, fetches the new pass, gets 304, unregisters', async () => {
    // The merchant and a customer who joins from the widget.
    const signup = await call('POST', '/api/merchant/signup', {
      body: { businessName: 'Café Lune', email: `owner-${randomBytes(4).toString('hex')}@example.com`, password: 'correct horse battery' },
      headers: { origin: server.url },
    });
    assert.equal(signup.status, 201);
    const cookie = signup.headers.get('set-cookie')!.split(';')[0]!;
    const { program } = (await signup.json()) as any;
    const joined = await call('POST', `/api/public/programs/${program.slug}/signup`, {
      body: { name: 'Ana', email: 'ana@example.com', consent: { terms: true, marketing: false } },
    });
    assert.equal(joined.status, 201);
    const { card, links } = (await joined.json()) as any;

    // "Add to Apple Wallet": the pass verifies against the development CA.
    const download = await fetch(links.applePass);
    assert.equal(download.status, 200);
    assert.equal(download.headers.get('content-type'), 'application/vnd.apple.pkpass');
    const first = openPass(Buffer.from(await download.arrayBuffer()));
    assert.equal(verifySignature(first.files, rootPem).code, 0);
    const { webServiceURL, authenticationToken, passTypeIdentifier, serialNumber } = first.pass;
    assert.equal(passTypeIdentifier, PASS_TYPE_ID);
    assert.equal(serialNumber, card.serial);
    const auth = { Authorization: `ApplePass ${authenticationToken}` };
    const device = randomBytes(16).toString('hex');
    const pushToken = randomBytes(32).toString('hex');
    const registration = `${webServiceURL}/v1/devices/${device}/registrations/${PASS_TYPE_ID}/${serialNumber}`;

    // Wallet registers the pass for updates.
    const registered = await fetch(registration, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ pushToken }),
    });
    assert.equal(registered.status, 201);
    const listUrl = `${webServiceURL}/v1/devices/${device}/registrations/${PASS_TYPE_ID}`;
    const initial = await fetch(listUrl);
    assert.equal(initial.status, 200);
    const { lastUpdated: tag0 } = (await initial.json()) as any;

    // Staff add a stamp: the push reaches the stand-in for APNs.
    const stamped = await call('POST', `/api/merchant/cards/${card.serial}/stamps`, {
      body: {},
      headers: { cookie, origin: server.url, 'Idempotency-Key': randomBytes(8).toString('hex') },
    });
    assert.equal(stamped.status, 200);
    await apns.waitFor(1, 10_000);
    const push = apns.received[0]!;
    assert.equal(push.method, 'POST');
    assert.equal(push.path, `/3/device/${pushToken}`);
    assert.equal(push.topic, PASS_TYPE_ID);
    assert.equal(push.body, '{}');
    assert.match(push.clientCertSubject, new RegExp(`UID=${PASS_TYPE_ID.replaceAll('.', '\\.')}`));

    // The phone asks what changed since its tag: this serial, with a newer tag.
    const changed = await fetch(`${listUrl}?passesUpdatedSince=${tag0}`);
    assert.equal(changed.status, 200);
    const list = (await changed.json()) as any;
    assert.deepEqual(list.serialNumbers, [serialNumber]);
    assert.ok(BigInt(list.lastUpdated) > BigInt(tag0));
    assert.equal((await fetch(`${listUrl}?passesUpdatedSince=${list.lastUpdated}`)).status, 204);

    // It fetches the new pass: one stamp now, with its lock-screen message.
    const passUrl = `${webServiceURL}/v1/passes/${PASS_TYPE_ID}/${serialNumber}`;
    const updated = await fetch(passUrl, { headers: { ...auth, 'If-Modified-Since': download.headers.get('last-modified')! } });
    assert.equal(updated.status, 200);
    const second = openPass(Buffer.from(await updated.arrayBuffer()));
    assert.equal(verifySignature(second.files, rootPem).code, 0);
    const stamps = second.pass.storeCard.primaryFields[0];
    assert.equal(stamps.value, '1 / 10');
    assert.equal(second.strings.en[stamps.changeMessage], '%@ — 9 to go!');

    // Asking again with what it has: 304. (Within two seconds of a change the server names the
    // second before, so a change later in that second is not hidden; then it names the second.)
    await sleep(2100);
    const settled = await fetch(passUrl, { headers: auth });
    const lastModified = settled.headers.get('last-modified')!;
    assert.ok(Date.parse(lastModified) > Date.parse(download.headers.get('last-modified')!));
    const notModified = await fetch(passUrl, { headers: { ...auth, 'If-Modified-Since': lastModified } });
    assert.equal(notModified.status, 304);
    assert.equal((await notModified.arrayBuffer()).byteLength, 0);

    // The customer deletes the pass: Wallet unregisters, and the next stamp pushes nothing.
    assert.equal((await fetch(registration, { method: 'DELETE', headers: auth })).status, 200);
    assert.equal((await fetch(listUrl)).status, 204);
    const again = await call('POST', `/api/merchant/cards/${card.serial}/stamps`, { body: {}, headers: { cookie, origin: server.url } });
    assert.equal(again.status, 200);
    // The stamp queues a push per registration before it answers, and a push leaves the queue once
    // APNs has answered it: with nothing queued for the card, a push to the phone would have come.
    const deliveries = `/api/merchant/cards/${card.serial}/deliveries`;
    const queued = async () =>
      ((await (await call('GET', deliveries, { headers: { cookie } })).json()) as any).deliveries.filter(
        (d: { status: string }) => d.status === 'queued' || d.status === 'retrying',
      ).length;
    await until(async () => (await queued()) === 0, 10_000, 'nothing queued for the card');
    assert.equal(apns.received.length, 1, 'no push after unregistering');
  });
});
