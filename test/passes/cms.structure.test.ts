// The pass `signature` taken apart with an independent ASN.1 reader (asn1js + PKI.js) and checked
// field by field against what Apple Wallet expects (RFC 5652 SignedData, detached, SHA-256, the
// WWDR intermediate and the signer embedded, contentType / signingTime / messageDigest signed in
// DER order). `openssl cms -verify` alone accepts a content type of 0.0 or a missing signingTime;
// Wallet refuses both, so these are asserted here.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, verify } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { devCertificates, type AppleCertificates } from '../../passes/apple/certificates.ts';
import { signManifest } from '../../passes/apple/cms.ts';

const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
};
const MANIFEST = Buffer.from(JSON.stringify({ 'pass.json': 'a'.repeat(40), 'icon.png': 'b'.repeat(40) }));

let tmp: string;
let certs: AppleCertificates;

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'fidelio-cms-structure-'));
  certs = await devCertificates(join(tmp, 'certs'), 'pass.dev.fidelio.structure', 'TEAMSTRUCT');
});
after(() => rmSync(tmp, { recursive: true, force: true }));

/** The children of a constructed element (asserting that it is one). */
function kids(node: asn1js.AsnType | undefined): asn1js.AsnType[] {
  assert.ok(node instanceof asn1js.Constructed, `expected a constructed element, got ${node?.constructor.name}`);
  return node.valueBlock.value;
}
/** The verbatim bytes an element was decoded from. */
const raw = (node: asn1js.AsnType | undefined) => Buffer.from((node as asn1js.BaseBlock).valueBeforeDecodeView);
const tagByte = (node: asn1js.AsnType | undefined) => raw(node)[0];
const toArrayBuffer = (b: Uint8Array) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

/** Decodes a signature, asserting that it is one element with nothing after it and no BER-only forms. */
function decode(signature: Buffer) {
  const { offset, result } = asn1js.fromBER(signature);
  assert.equal(result.error, '', result.error);
  assert.equal(offset, signature.length, 'no bytes after the ContentInfo');
  const contentInfo = pkijs.ContentInfo.fromBER(toArrayBuffer(signature));
  const signedData = new pkijs.SignedData({ schema: contentInfo.content });
  // The same tree by hand, for the bytes as written (PKI.js keeps parsed values, not encodings).
  const [, explicit] = kids(result);
  const [sd] = kids(explicit);
  const [, , encap, certificates, signerInfos] = kids(sd);
  const [signerInfo] = kids(signerInfos);
  return { result, contentInfo, signedData, encap, certificates, signerInfo };
}

/** X.690 §11.6: SET OF components ascending, compared as octet strings padded with trailing zeros. */
function derLess(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x < y;
  }
  return false;
}

/** The shortest definite length octets for `n` (X.690 §10.1.2: short form below 128, else no leading zero). */
function minimalLength(n: number): number[] {
  if (n < 0x80) return [n];
  const hex = n.toString(16);
  const bytes = [...Buffer.from(hex.padStart(hex.length + (hex.length % 2), '0'), 'hex')];
  return [0x80 | bytes.length, ...bytes];
}

/** Walks every element, asserting definite lengths in their shortest form (DER, X.690 §10.1). */
function assertMinimalLengths(node: asn1js.AsnType, path = 'root'): void {
  const block = node as asn1js.BaseBlock;
  const bytes = Buffer.from(block.valueBeforeDecodeView);
  assert.equal(block.lenBlock.isIndefiniteForm, false, `${path}: indefinite length`);
  const expected = minimalLength(block.lenBlock.length);
  assert.deepEqual(
    [...bytes.subarray(1, 1 + expected.length)],
    expected,
    `${path}: length ${block.lenBlock.length} not in its minimal form`,
  );
  if (node instanceof asn1js.Constructed) node.valueBlock.value.forEach((child, i) => assertMinimalLengths(child, `${path}/${i}`));
}

describe('signManifest, taken apart by PKI.js', () => {
  it('is a ContentInfo of type id-signedData, one DER element, every length definite and minimal', async () => {
    const signature = await signManifest(MANIFEST, certs.signer);
    const { result, contentInfo, signedData } = decode(signature);
    assert.equal(contentInfo.contentType, OID.signedData);
    assert.equal(signedData.version, 1);
    assertMinimalLengths(result);
  });

  it('encapsulates id-data, detached (no eContent), with SHA-256 as the only digest algorithm', async () => {
    const { signedData, encap } = decode(await signManifest(MANIFEST, certs.signer));
    assert.equal(signedData.encapContentInfo.eContentType, OID.data);
    assert.equal(signedData.encapContentInfo.eContent, undefined, 'detached: no eContent');
    assert.equal(kids(encap).length, 1, 'EncapsulatedContentInfo holds only its type');
    assert.deepEqual(
      signedData.digestAlgorithms.map((a) => a.algorithmId),
      [OID.sha256],
    );
    assert.equal(signedData.crls, undefined);
  });

  it('embeds the WWDR intermediate and the signer certificate, byte for byte, WWDR first', async () => {
    const { signedData, certificates } = decode(await signManifest(MANIFEST, certs.signer));
    assert.equal(tagByte(certificates), 0xa0, 'certificates [0] IMPLICIT');
    assert.deepEqual(kids(certificates).map(raw), [...certs.signer.chain.map((c) => c.raw), certs.signer.certificate.raw]);
    assert.equal(signedData.certificates?.length, 2);
    for (const c of signedData.certificates ?? []) assert.ok(c instanceof pkijs.Certificate);
  });

  it('has one SignerInfo naming the signer by issuer and serial number, SHA-256 and rsaEncryption', async () => {
    const { signedData, signerInfo } = decode(await signManifest(MANIFEST, certs.signer));
    assert.equal(signedData.signerInfos.length, 1);
    const [info] = signedData.signerInfos;
    assert.equal(info!.version, 1);
    assert.ok(info!.sid instanceof pkijs.IssuerAndSerialNumber);
    const signer = pkijs.Certificate.fromBER(toArrayBuffer(certs.signer.certificate.raw));
    assert.ok(info!.sid.issuer.isEqual(signer.issuer), 'sid.issuer = the signer certificate’s issuer');
    assert.ok(info!.sid.serialNumber.isEqual(signer.serialNumber), 'sid.serialNumber = the signer certificate’s serial');
    assert.equal(info!.digestAlgorithm.algorithmId, OID.sha256);
    assert.equal(info!.signatureAlgorithm.algorithmId, OID.rsaEncryption);
    // rsaEncryption takes NULL parameters (RFC 3370 §3.2); SHA-256 none (RFC 5754 §2).
    const [, , digestAlgorithm, , signatureAlgorithm] = kids(signerInfo);
    assert.equal(kids(digestAlgorithm).length, 1, 'SHA-256 without parameters');
    const [, parameters] = kids(signatureAlgorithm);
    assert.ok(parameters instanceof asn1js.Null, 'rsaEncryption with NULL parameters');
    assert.equal(info!.unsignedAttrs, undefined);
  });

  it('signs contentType = id-data, signingTime (UTCTime, now) and messageDigest = SHA-256(manifest), in DER order', async () => {
    const before = Date.now();
    const { signerInfo } = decode(await signManifest(MANIFEST, certs.signer));
    const signedAttrs = kids(signerInfo)[3];
    assert.equal(tagByte(signedAttrs), 0xa0, 'signedAttrs [0] IMPLICIT');
    const attributes = kids(signedAttrs);
    const parsed = attributes.map((a) => new pkijs.Attribute({ schema: a }));
    assert.deepEqual(
      parsed.map((a) => a.type),
      [OID.contentType, OID.signingTime, OID.messageDigest],
      'each attribute once, in the order DER sorts their encodings',
    );
    for (let i = 1; i < attributes.length; i++)
      assert.ok(derLess(raw(attributes[i - 1]), raw(attributes[i])), `attribute ${i} out of SET OF order`);
    for (const a of parsed) assert.equal(a.values.length, 1, `${a.type} has one value`);
    const [contentType, signingTime, messageDigest] = parsed.map((a) => a.values[0]);

    assert.ok(contentType instanceof asn1js.ObjectIdentifier);
    assert.equal(contentType.valueBlock.toString(), OID.data);

    assert.ok(signingTime instanceof asn1js.UTCTime, `signingTime is a ${signingTime.constructor.name}, not a UTCTime`);
    const at = signingTime.toDate().getTime();
    assert.ok(at >= Math.floor(before / 1000) * 1000 && at <= Date.now(), `signingTime ${signingTime.toDate().toISOString()} is not now`);

    assert.ok(messageDigest instanceof asn1js.OctetString);
    assert.deepEqual(Buffer.from(messageDigest.valueBlock.valueHexView), createHash('sha256').update(MANIFEST).digest());
  });

  it('writes a signingTime of 2050 on as GeneralizedTime and of 1950–2049 as UTCTime', async () => {
    for (const [iso, type] of [
      ['1949-12-31T23:59:59Z', asn1js.GeneralizedTime],
      ['1950-01-01T00:00:00Z', asn1js.UTCTime],
      ['2049-12-31T23:59:59Z', asn1js.UTCTime],
      ['2050-01-01T00:00:00Z', asn1js.GeneralizedTime],
    ] as const) {
      const { signedData } = decode(await signManifest(MANIFEST, certs.signer, new Date(iso)));
      const attr = signedData.signerInfos[0]!.signedAttrs!.attributes.find((a) => a.type === OID.signingTime);
      const value = attr?.values[0];
      assert.ok(value instanceof type, `${iso}: a ${value?.constructor.name}, not a ${type.name}`);
      assert.equal(value.toDate().toISOString(), iso.replace('Z', '.000Z'));
    }
  });

  it('carries an RSA signature over the DER SET of the signed attributes, by the signer’s key', async () => {
    const { signerInfo } = decode(await signManifest(MANIFEST, certs.signer));
    const [, , , signedAttrs, , signatureValue] = kids(signerInfo);
    assert.ok(signatureValue instanceof asn1js.OctetString);
    const signature = Buffer.from(signatureValue.valueBlock.valueHexView);
    // RFC 5652 §5.4: the signature covers the attributes with the SET OF tag, not the [0] IMPLICIT one.
    const asSet = Buffer.concat([Buffer.of(0x31), raw(signedAttrs).subarray(1)]);
    const key = certs.signer.certificate.publicKey;
    assert.ok(verify('sha256', asSet, key, signature), 'verifies over SET OF');
    assert.ok(!verify('sha256', raw(signedAttrs), key, signature), 'not over the [0] encoding');
    assert.ok(!verify('sha256', asSet, certs.signer.chain[0]!.publicKey, signature), 'not by the WWDR key');
  });

  it('verifies with PKI.js up to the development root, and not over another manifest', async () => {
    const signature = await signManifest(MANIFEST, certs.signer);
    const root = pkijs.Certificate.fromBER(toArrayBuffer(Buffer.from(certs.rootPem!.replace(/-----[^-]+-----|\s/g, ''), 'base64')));
    const check = (manifest: Buffer) =>
      decode(signature).signedData.verify({ signer: 0, data: toArrayBuffer(manifest), checkChain: true, trustedCerts: [root] });
    assert.equal(await check(MANIFEST), true);
    const flipped = Buffer.from(MANIFEST);
    flipped[3]! ^= 0x01;
    assert.equal(await check(flipped).catch(() => false), false);
  });
});
