// The pass `signature` (detached CMS SignedData) checked with the system's openssl, and the stored
// zip writer checked with Info-ZIP's `unzip -t` and an independent reader (fflate).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { devCertificates, type AppleCertificates } from '../../passes/apple/certificates.ts';
import { signManifest } from '../../passes/apple/cms.ts';
import { zipStored } from '../../passes/apple/zip.ts';
import { opensslVerify } from '../support/pkpass.ts';
import { readZip } from '../support/zip.ts';

const PASS = 'pass.dev.fidelio.cms';
const TEAM = 'TEAMCMS123';
const MANIFEST = Buffer.from(
  JSON.stringify({ 'pass.json': 'a'.repeat(40), 'icon.png': 'b'.repeat(40), 'fr.lproj/pass.strings': 'c'.repeat(40) }),
);

let tmp: string;
let certs: AppleCertificates;
let other: AppleCertificates; // a second, unrelated development CA

function run(cmd: string, args: string[]) {
  const r = spawnSync(cmd, args, { cwd: tmp, encoding: 'utf8' });
  if (r.error) throw r.error;
  return r;
}
const openssl = (...args: string[]) => run('openssl', args);

/** `openssl cms -verify` of the signature over the manifest, against `rootPem`. */
function verify(manifest: Uint8Array, signature: Uint8Array, rootPem = certs.rootPem!) {
  const r = opensslVerify(manifest, signature, rootPem);
  return { status: r.code, stderr: r.stderr };
}

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'fidelio-cms-'));
  [certs, other] = await Promise.all([
    devCertificates(join(tmp, 'certs'), PASS, TEAM),
    devCertificates(join(tmp, 'other'), 'pass.dev.other', TEAM),
  ]);
});
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('signManifest', () => {
  it('produces a detached SignedData that openssl verifies up to the root', async () => {
    const r = verify(MANIFEST, await signManifest(MANIFEST, certs.signer));
    assert.equal(r.status, 0, r.stderr);
  });

  it('fails verification when one byte of the manifest changes', async () => {
    const signature = await signManifest(MANIFEST, certs.signer);
    const flipped = Buffer.from(MANIFEST);
    flipped[10]! ^= 0x01;
    const r = verify(flipped, signature);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /content verify error/);
  });

  it('fails verification against another root CA', async () => {
    const r = verify(MANIFEST, await signManifest(MANIFEST, certs.signer), other.rootPem);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /certificate verify error|unable to get local issuer certificate/);
  });

  it('carries contentType, messageDigest and a current signingTime (UTCTime)', async () => {
    writeFileSync(join(tmp, 'signature'), await signManifest(MANIFEST, certs.signer));
    const out = openssl('cms', '-cmsout', '-print', '-inform', 'DER', '-in', 'signature').stdout;
    assert.match(out, /contentType \(1\.2\.840\.113549\.1\.9\.3\)/);
    assert.match(out, /messageDigest \(1\.2\.840\.113549\.1\.9\.4\)/);
    assert.match(out, /eContent: <ABSENT>/, 'detached');
    assert.match(out, /digestAlgorithm: \s*algorithm: sha256/);
    const time = /UTCTIME:(.+ GMT)/.exec(out)?.[1];
    assert.ok(time, out);
    assert.ok(Math.abs(Date.parse(time) - Date.now()) < 5 * 60_000, `signingTime ${time}`);
  });

  it('writes signingTime as GeneralizedTime from 2050 on, and still verifies', async () => {
    const signature = await signManifest(MANIFEST, certs.signer, new Date('2051-02-03T04:05:06Z'));
    writeFileSync(join(tmp, 'signature'), signature);
    assert.match(
      openssl('cms', '-cmsout', '-print', '-inform', 'DER', '-in', 'signature').stdout,
      /GENERALIZEDTIME:Feb {2}3 04:05:06 2051 GMT/,
    );
    assert.equal(verify(MANIFEST, signature).status, 0);
  });

  it('is deterministic for the same manifest, signer and time', async () => {
    const at = new Date('2030-01-01T00:00:00Z');
    assert.deepEqual(await signManifest(MANIFEST, certs.signer, at), await signManifest(MANIFEST, certs.signer, at));
  });

  it('embeds exactly the WWDR intermediate and the signer, in that order', async () => {
    writeFileSync(join(tmp, 'signature'), await signManifest(MANIFEST, certs.signer));
    const pems = openssl('pkcs7', '-inform', 'DER', '-in', 'signature', '-print_certs').stdout.match(
      /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g,
    );
    const squash = (pem: string) => pem.replace(/\s+/g, '');
    assert.deepEqual(pems?.map(squash), [certs.wwdrPem, certs.certPem].map(squash));
  });

  it('uses a signer certificate laid out like Apple’s (UID, OU, EKU, pass type id extension)', () => {
    writeFileSync(join(tmp, 'signer.pem'), certs.certPem);
    const text = openssl('x509', '-in', 'signer.pem', '-noout', '-text').stdout;
    assert.match(
      text,
      new RegExp(`Subject: UID = ${PASS.replace(/\./g, '\\.')}, CN = Pass Type ID: ${PASS.replace(/\./g, '\\.')}, OU = ${TEAM}, `),
    );
    assert.equal(/1\.2\.840\.113635\.100\.6\.1\.16:\s*\n\s*\.\.(\S+)/.exec(text)?.[1], PASS);
    assert.match(text, /Extended Key Usage:\s*\n\s*TLS Web Client Authentication, 1\.2\.840\.113635\.100\.4\.14/);
    assert.match(text, /Basic Constraints: critical\s*\n\s*CA:FALSE/);
    assert.match(text, /Key Usage: critical\s*\n\s*Digital Signature\s*\n/);
    writeFileSync(join(tmp, 'wwdr.pem'), certs.wwdrPem);
    writeFileSync(join(tmp, 'root.pem'), certs.rootPem!);
    assert.equal(openssl('verify', '-CAfile', 'root.pem', '-untrusted', 'wwdr.pem', 'signer.pem').status, 0);
  });

  it('refuses a key that is not RSA', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    await assert.rejects(signManifest(MANIFEST, { ...certs.signer, key: privateKey }), /must be an RSA key \(Apple issues RSA-2048\)/);
  });

  it('does not block the event loop while signing', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    try {
      const manifests = Array.from({ length: 50 }, (_, i) => Buffer.from(`{"pass.json":"${i}"}`));
      const signatures = await Promise.all(manifests.map((m) => signManifest(m, certs.signer)));
      assert.equal(signatures.length, 50);
    } finally {
      clearInterval(timer);
    }
    assert.ok(ticks >= 1, `the 1 ms interval ticked ${ticks} times`);
  });
});

describe('zipStored', () => {
  const files: Array<[string, Buffer]> = [
    ['pass.json', Buffer.from('{"formatVersion":1}')],
    ['manifest.json', MANIFEST],
    ['icon@2x.png', randomBytes(100_000)],
    ['fr.lproj/pass.strings', Buffer.from('"stamps" = "Tampons café";\n')],
    ['zh-Hans.lproj/pass.strings', Buffer.from('"stamps" = "印章";\n')],
    ['é-ü/名前.txt', Buffer.from('utf-8 name')],
    ['empty', Buffer.alloc(0)],
  ];

  it('passes `unzip -t`', () => {
    writeFileSync(join(tmp, 'test.zip'), zipStored(files));
    const r = run('/usr/bin/unzip', ['-t', 'test.zip']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /No errors detected/);
  });

  it('gives back every file byte for byte, UTF-8 names and empty files included', () => {
    const back = readZip(zipStored(files));
    assert.deepEqual(
      [...back.keys()],
      files.map(([name]) => name),
    );
    for (const [name, data] of files) assert.ok(back.get(name)?.equals(data), name);
  });

  it('stores (method 0) with the UTF-8 flag and a fixed date, so output is deterministic', () => {
    const zip = zipStored(files);
    assert.equal(zip.readUInt32LE(0), 0x04034b50);
    assert.equal(zip.readUInt16LE(6), 0x0800, 'general purpose flags: UTF-8 names');
    assert.equal(zip.readUInt16LE(8), 0, 'method: stored');
    assert.deepEqual(zipStored(files), zip);
    const total = files.reduce((n, [name, data]) => n + 30 + 46 + 2 * Buffer.byteLength(name) + data.length, 22);
    assert.equal(zip.length, total);
  });

  it('handles an empty archive and refuses duplicate names', () => {
    assert.equal(readZip(zipStored([])).size, 0);
    assert.throws(
      () =>
        zipStored([
          ['a', Buffer.from('1')],
          ['a', Buffer.from('2')],
        ]),
      /duplicate entry a/,
    );
  });
});
