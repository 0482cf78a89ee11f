// Every .pkpass the server hands out, opened and checked the way Wallet and the public
// validators do (../shared/research/apple-wallet.md, "Checks a conformance test can make" 1–11).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PKPass } from 'passkit-generator';
import { Harness, type Merchant } from '../support/harness.ts';
import { openPass, type OpenedPass, pngSize, sha1, verifySignature } from '../support/pkpass.ts';
import { assertProblem } from '../support/problem.ts';

let h: Harness;
let m: Merchant;

before(async () => {
  h = await Harness.start();
  m = await h.signUpMerchant('Café Lune');
});
after(() => h.close());

async function download(serial: string, headers: Record<string, string> = {}) {
  const res = await h.app.request(`/passes/apple/${serial}.pkpass`, { headers });
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
}

async function pass(serial: string): Promise<OpenedPass & { bytes: Buffer }> {
  const { res, bytes } = await download(serial);
  assert.equal(res.status, 200);
  return { ...openPass(bytes), bytes };
}

const stamp = (serial: string, count = 1) => h.post(`/api/merchant/cards/${serial}/stamps`, { count }, { cookie: m.cookie });
const token = async (serial: string) =>
  (await h.db.query<{ auth_token: string }>('SELECT auth_token FROM cards WHERE serial = $1', [serial])).rows[0]!.auth_token;

const allFields = (p: any) =>
  ['headerFields', 'primaryFields', 'secondaryFields', 'auxiliaryFields', 'backFields'].flatMap((k) => p.storeCard[k] ?? []);
const field = (p: any, key: string) => allFields(p).find((f: any) => f.key === key);

/** The checks every pass must pass, whatever its program. */
function assertConformant(p: OpenedPass & { bytes: Buffer }, serial: string) {
  // 1. The package: pass.json, manifest, signature and the icons at the zip's root.
  for (const name of ['pass.json', 'manifest.json', 'signature', 'icon.png', 'icon@2x.png', 'icon@3x.png']) {
    assert.ok(p.files.has(name), `${name} in the zip`);
  }
  // 2. Required keys.
  const j = p.pass;
  assert.equal(j.formatVersion, 1);
  assert.equal(j.passTypeIdentifier, h.apple!.identity.passTypeId);
  assert.match(j.passTypeIdentifier, /^pass\./);
  assert.equal(j.teamIdentifier, h.config.apple.teamId);
  assert.equal(j.serialNumber, serial);
  for (const k of ['organizationName', 'description']) assert.ok(typeof j[k] === 'string' && j[k].length > 0, k);
  const styles = ['boardingPass', 'coupon', 'eventTicket', 'generic', 'storeCard'].filter((s) => s in j);
  assert.deepEqual(styles, ['storeCard']);
  // 3. Fields: keys unique across the pass, one primary, ≤ 4 secondary + auxiliary, every
  // changeMessage (or the string it names) holds %@ in both languages.
  const keys = allFields(j).map((f: any) => f.key);
  assert.equal(new Set(keys).size, keys.length, `unique keys: ${keys}`);
  assert.equal(j.storeCard.primaryFields.length, 1);
  assert.ok(j.storeCard.secondaryFields.length + j.storeCard.auxiliaryFields.length <= 4);
  for (const f of allFields(j)) {
    if (f.changeMessage === undefined) continue;
    for (const lang of ['en', 'fr'] as const)
      assert.match(p.strings[lang][f.changeMessage] ?? f.changeMessage, /%@/, `${f.key} in ${lang}`);
    if (f.currencyCode) assert.equal(typeof f.value, 'number');
  }
  // Every label is a pass.strings key in both languages.
  for (const f of allFields(j)) {
    if (f.label) for (const lang of ['en', 'fr'] as const) assert.ok(p.strings[lang][f.label], `${f.label} in ${lang}.lproj`);
  }
  // 4. The QR code is the serial: what the dashboard scans.
  assert.deepEqual(j.barcodes[0], { format: 'PKBarcodeFormatQR', message: serial, messageEncoding: 'iso-8859-1', altText: serial });
  // 5. The web service and the card's own token.
  assert.equal(j.webServiceURL, `${h.config.publicUrl}/apple`);
  assert.ok(j.authenticationToken.length >= 16);
  // 6. Colours as rgb().
  for (const k of ['backgroundColor', 'foregroundColor', 'labelColor']) assert.match(j[k], /^rgb\(\d{1,3}, \d{1,3}, \d{1,3}\)$/);
  assert.ok((j.locations ?? []).length <= 10);
  // 7. Images at their sizes.
  const sizes: Record<string, [number, number]> = { icon: [29, 29], logo: [50, 50], strip: [375, 144] };
  for (const [name, [w, hgt]] of Object.entries(sizes)) {
    for (const [suffix, scale] of [
      ['', 1],
      ['@2x', 2],
      ['@3x', 3],
    ] as const) {
      assert.deepEqual(pngSize(p.files.get(`${name}${suffix}.png`)!), { width: w * scale, height: hgt * scale }, `${name}${suffix}`);
    }
  }
  // 8. The manifest lists exactly the other files, with their SHA-1.
  const listed = Object.keys(p.manifest).sort();
  const present = [...p.files.keys()].filter((n) => n !== 'manifest.json' && n !== 'signature').sort();
  assert.deepEqual(listed, present);
  for (const name of present) assert.equal(p.manifest[name], sha1(p.files.get(name)!), name);
  // 9. The signature verifies against the development root CA.
  const verified = verifySignature(p.files, h.apple!.certificates.rootPem!);
  assert.equal(verified.code, 0, verified.stderr);
}

describe('the .pkpass download', () => {
  it('is a signed storeCard that passes every conformance check', async () => {
    const card = await h.join(m, { name: 'Ana Member' });
    const { res, bytes } = await download(card.serial);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/vnd.apple.pkpass');
    // Named after the shop, the name itself in UTF-8 too (RFC 6266).
    assert.equal(
      res.headers.get('content-disposition'),
      `attachment; filename="cafe-lune.pkpass"; filename*=UTF-8''Caf%C3%A9%20Lune.pkpass`,
    );
    assert.ok(res.headers.get('last-modified'));
    const p = { ...openPass(bytes), bytes };
    assertConformant(p, card.serial);
    assert.equal(p.pass.authenticationToken, await token(card.serial));
    assert.equal(p.pass.organizationName, 'Café Lune');
    assert.equal(field(p.pass, 'member').value, 'Ana Member');
  });

  it('a member in French reads the widget’s words on the back: "Cumulez 10 tampons et obtenez"', async () => {
    const card = await h.join(m, { locale: 'fr' });
    const p = await pass(card.serial);
    assert.match(field(p.pass, 'terms').value, /^Cumulez 10 tampons et obtenez : /);
  });

  it('fails verification when one byte of the manifest changes, or against another CA', async () => {
    const card = await h.join(m);
    const p = await pass(card.serial);
    const tampered = Buffer.from(p.files.get('manifest.json')!);
    tampered[5] = tampered[5]! ^ 1;
    assert.notEqual(verifySignature(p.files, h.apple!.certificates.rootPem!, tampered).code, 0);
    // The signer itself is no root: trusting only it does not verify the chain.
    assert.notEqual(verifySignature(p.files, h.apple!.certificates.certPem).code, 0);
  });

  it('shows the stamps, with a lock-screen message that counts down, and keeps serial and token across versions', async () => {
    const card = await h.join(m);
    const before = await pass(card.serial);
    assert.equal((await stamp(card.serial, 7)).status, 200);
    const after7 = await pass(card.serial);
    assertConformant(after7, card.serial);
    const stamps = field(after7.pass, 'stamps');
    assert.equal(stamps.value, '7 / 10');
    assert.equal(after7.strings.en[stamps.changeMessage], '%@ — 3 to go!');
    assert.equal(after7.strings.fr[stamps.changeMessage], '%@ — plus que 3 !');
    assert.equal(after7.pass.serialNumber, before.pass.serialNumber);
    assert.equal(after7.pass.authenticationToken, before.pass.authenticationToken);
    assert.notEqual(sha1(after7.files.get('strip@3x.png')!), sha1(before.files.get('strip@3x.png')!), 'the stamp grid changed');

    await stamp(card.serial, 2);
    const after9 = await pass(card.serial);
    assert.equal(after9.strings.en[field(after9.pass, 'stamps').changeMessage], '%@ — one more for your reward!');
    await stamp(card.serial, 1);
    const full = await pass(card.serial);
    assert.equal(field(full.pass, 'stamps').value, '0 / 10');
    assert.equal(field(full.pass, 'rewards').value, 1);
    assert.equal(full.strings.en[field(full.pass, 'stamps').changeMessage], 'Your reward is ready! Stamps: %@');
  });

  it('is served from the cache while the card is unchanged: the same bytes, no new signing', async () => {
    const card = await h.join(m);
    const first = await pass(card.serial);
    const builds = h.apple!.stats().builds;
    const again = await pass(card.serial);
    assert.ok(again.bytes.equals(first.bytes));
    assert.equal(h.apple!.stats().builds, builds);
    await stamp(card.serial);
    assert.ok(!(await pass(card.serial)).bytes.equals(first.bytes));
    assert.equal(h.apple!.stats().builds, builds + 1);
  });

  it('answers 304 to If-None-Match with the current ETag, and 200 once the card changed', async () => {
    const card = await h.join(m);
    const { res } = await download(card.serial);
    const etag = res.headers.get('etag')!;
    const same = await download(card.serial, { 'If-None-Match': etag });
    assert.equal(same.res.status, 304);
    assert.equal(same.bytes.length, 0);
    await stamp(card.serial);
    assert.equal((await download(card.serial, { 'If-None-Match': etag })).res.status, 200);
  });

  it('puts the back of the card together: message, referral link, terms, address, website, card number', async () => {
    await h.setProgram(m, {
      referral: { referrerReward: 2, refereeReward: 1 },
      websiteUrl: 'https://cafe-lune.example/',
      address: '12 rue des Lilas, 75011 Paris',
      terms: 'One stamp per visit.',
      locations: [{ latitude: 48.86, longitude: 2.38, relevantText: 'Café Lune is around the corner' }],
    });
    const card = await h.join(m);
    assert.equal((await h.post('/api/merchant/messages', { text: 'Closed on Monday' }, { cookie: m.cookie })).status, 202);
    const p = await pass(card.serial);
    assertConformant(p, card.serial);
    const back = p.pass.storeCard.backFields.map((f: any) => f.key);
    assert.deepEqual(back, ['message', 'referral', 'terms', 'address', 'website', 'card']);
    assert.deepEqual(field(p.pass, 'message'), { key: 'message', label: 'message_label', value: 'Closed on Monday', changeMessage: '%@' });
    assert.match(field(p.pass, 'referral').value, /^https:\/\/cafe-lune\.example\/\?ref=[a-z2-7]{10}$/);
    assert.equal(field(p.pass, 'terms').value, 'One stamp per visit.');
    assert.deepEqual(p.pass.locations, [{ latitude: 48.86, longitude: 2.38, relevantText: 'Café Lune is around the corner' }]);
  });

  it('shows points (with the next reward) and cashback (as money) for those programs', async () => {
    const points = await h.signUpMerchant('Bookshop');
    await h.setProgram(points, {
      type: 'points',
      pointsPerUnit: 1,
      rewards: [{ id: 'tote', name: 'Tote bag', points: 50, costMinor: 300 }],
    });
    const reader = await h.join(points);
    await h.post(`/api/merchant/cards/${reader.serial}/purchases`, { amount: 1250 }, { cookie: points.cookie });
    const p = await pass(reader.serial);
    assertConformant(p, reader.serial);
    assert.equal(field(p.pass, 'points').value, 12);
    assert.equal(field(p.pass, 'next').value, 'Tote bag (50)');

    const cash = await h.signUpMerchant('Salon');
    await h.setProgram(cash, { type: 'cashback', cashbackPercent: 5 });
    const client = await h.join(cash);
    await h.post(`/api/merchant/cards/${client.serial}/purchases`, { amount: 4000 }, { cookie: cash.cookie });
    const c = await pass(client.serial);
    assertConformant(c, client.serial);
    assert.deepEqual(field(c.pass, 'balance'), {
      key: 'balance',
      label: 'balance_label',
      value: 2,
      currencyCode: 'EUR',
      changeMessage: 'balance_change',
    });
  });

  it('is a pass passkit-generator accepts field for field', async () => {
    const card = await h.join(m);
    const p = await pass(card.serial);
    const buffers = Object.fromEntries([...p.files].filter(([name]) => name !== 'manifest.json' && name !== 'signature'));
    const certs = h.apple!.certificates;
    const warnings: unknown[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args);
    try {
      const pk = new PKPass(buffers, { wwdr: certs.wwdrPem, signerCert: certs.certPem, signerKey: certs.keyPem });
      assert.equal(pk.type, 'storeCard');
      assert.equal(pk.primaryFields.length, p.pass.storeCard.primaryFields.length);
      assert.equal(pk.secondaryFields.length, p.pass.storeCard.secondaryFields.length);
      assert.equal(pk.backFields.length, p.pass.storeCard.backFields.length);
      assert.equal(pk.props.barcodes?.[0]?.message, card.serial);
      assert.deepEqual(pk.languages.sort(), ['en', 'fr']);
    } finally {
      console.warn = warn;
    }
    assert.deepEqual(warnings, [], 'passkit-generator dropped or doubted nothing');
  });

  it('answers 404 problem+json for an unknown or malformed serial', async () => {
    for (const path of [
      '/passes/apple/aaaaaaaaaaaaaaaaaaaaaaaaaa.pkpass',
      '/passes/apple/nope.pkpass',
      '/passes/apple/x',
      '/passes/apple/%00.pkpass',
    ]) {
      const res = await h.get(path);
      assertProblem(res, 404, 'not_found');
    }
  });
});
