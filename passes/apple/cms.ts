// The `signature` file of a .pkpass: a DER detached CMS (PKCS#7) SignedData over the exact bytes of
// manifest.json, signed with the Pass Type ID key, carrying the WWDR intermediate and the signer
// certificate, with the contentType / signingTime / messageDigest signed attributes (RFC 5652).
// Hand-written DER + node:crypto: the RSA work runs in libuv's threadpool (async crypto.sign), so a
// signature costs about a millisecond and never blocks the event loop (node-forge took ~60 ms of it).
import { createHash, sign, type KeyObject, type X509Certificate } from 'node:crypto';
import { availableParallelism } from 'node:os';

export interface SignerIdentity {
  /** The Pass Type ID certificate. */
  certificate: X509Certificate;
  /** Its RSA private key. */
  key: KeyObject;
  /** The intermediate(s) embedded in the signature, WWDR first. */
  chain: X509Certificate[];
}

// ---------------------------------------------------------------------------------------------
// DER encoding (just what SignedData and the development certificates need)
// ---------------------------------------------------------------------------------------------

function header(tag: number, length: number): Buffer {
  if (length < 0x80) return Buffer.from([tag, length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Buffer.from([tag, 0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, ...content: Uint8Array[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([header(tag, body.length), body]);
}
export const seq = (...content: Uint8Array[]) => tlv(0x30, ...content);
/** DER SET OF: elements sorted by their encodings. */
const sorted = (...items: Buffer[]) => items.sort(Buffer.compare);
export const setOf = (...items: Buffer[]) => tlv(0x31, ...sorted(...items));
/** Context-specific constructed [n] (EXPLICIT, or IMPLICIT over a constructed type). */
export const ctx = (n: number, ...content: Uint8Array[]) => tlv(0xa0 | n, ...content);
export const octets = (bytes: Uint8Array) => tlv(0x04, bytes);
/** Minimal two's complement of a non-negative number: base 256, a 0x00 in front of a top bit. */
function unsigned(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`DER: INTEGER from ${n}: a non-negative safe integer expected`);
  const bytes = [n % 256];
  for (let rest = Math.floor(n / 256); rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  if (bytes[0]! & 0x80) bytes.unshift(0);
  return Uint8Array.from(bytes);
}
/** INTEGER from a non-negative safe integer, or from big-endian bytes already in minimal two's complement. */
export const int = (n: number | Uint8Array) => tlv(0x02, typeof n === 'number' ? unsigned(n) : n);
export const bitString = (bytes: Uint8Array, unusedBits = 0) => tlv(0x03, Uint8Array.of(unusedBits), bytes);
export const bool = (b: boolean) => Buffer.from([0x01, 0x01, b ? 0xff : 0x00]);
export const NULL = Buffer.from([0x05, 0x00]);

export function oid(dotted: string): Buffer {
  const [a = 0, b = 0, ...rest] = dotted.split('.').map(Number);
  const bytes: number[] = [];
  // The first two arcs share one subidentifier, 40·a + b, which is over 127 from 2.48 on.
  for (const arc of [40 * a + b, ...rest]) {
    const base128 = [arc & 0x7f];
    for (let n = Math.floor(arc / 128); n > 0; n = Math.floor(n / 128)) base128.unshift(0x80 | (n & 0x7f));
    bytes.push(...base128);
  }
  return tlv(0x06, Uint8Array.from(bytes));
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** UTCTime for 1950–2049, GeneralizedTime otherwise (RFC 5652 §11.3, RFC 5280 §4.1.2.5). */
export function time(date: Date): Buffer {
  const y = date.getUTCFullYear();
  const rest = `${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`;
  return y >= 1950 && y < 2050 ? tlv(0x17, Buffer.from(pad(y % 100) + rest)) : tlv(0x18, Buffer.from(pad(y, 4) + rest));
}

const ID_DATA = oid('1.2.840.113549.1.7.1');
const ID_SIGNED_DATA = oid('1.2.840.113549.1.7.2');
const SHA256 = seq(oid('2.16.840.1.101.3.4.2.1'));
const RSA_ENCRYPTION = seq(oid('1.2.840.113549.1.1.1'), NULL);
const ATTR_CONTENT_TYPE = oid('1.2.840.113549.1.9.3');
const ATTR_MESSAGE_DIGEST = oid('1.2.840.113549.1.9.4');
const ATTR_SIGNING_TIME = oid('1.2.840.113549.1.9.5');
const attribute = (type: Buffer, value: Buffer) => seq(type, setOf(value));

// ---------------------------------------------------------------------------------------------
// DER reading (a TLV walker, enough to pick fields out of a certificate)
// ---------------------------------------------------------------------------------------------

export interface Tlv {
  tag: number;
  /** The whole element (header + content). */
  der: Buffer;
  content: Buffer;
}

/** The elements laid end to end in `buf` (e.g. the content of a SEQUENCE). */
export function derChildren(buf: Buffer): Tlv[] {
  const out: Tlv[] = [];
  for (let pos = 0; pos < buf.length;) {
    const tag = buf[pos]!;
    if ((tag & 0x1f) === 0x1f) throw new Error('DER: multi-byte tags are not supported');
    let length = buf[pos + 1];
    let start = pos + 2;
    if (length === undefined) throw new Error('DER: truncated header');
    if (length & 0x80) {
      const n = length & 0x7f;
      if (n === 0 || n > 4) throw new Error('DER: unsupported length');
      length = 0;
      for (let i = 0; i < n; i++) length = length * 256 + (buf[start + i] ?? Number.NaN);
      // DER keeps the short form below 128 and no leading zero octet (X.690 §10.1).
      if (length < 0x80 || buf[start] === 0) throw new Error('DER: non-minimal length');
      start += n;
    }
    const end = start + length;
    if (!(end <= buf.length)) throw new Error('DER: element overruns its container');
    out.push({ tag, der: buf.subarray(pos, end), content: buf.subarray(start, end) });
    pos = end;
  }
  return out;
}

/** The one element that `buf` holds, which must have tag `tag`. */
function only(buf: Buffer, tag: number, what: string): Tlv {
  const [el, ...after] = derChildren(buf);
  if (!el || el.tag !== tag) throw new Error(`DER: expected ${what}`);
  if (after.length) throw new Error(`DER: bytes after the ${what}`);
  return el;
}

/** Fields of a certificate, each as its verbatim DER (TLV). */
export function certificateFields(certDer: Uint8Array): { serialNumber: Buffer; issuer: Buffer; subject: Buffer } {
  const cert = only(Buffer.from(certDer.buffer, certDer.byteOffset, certDer.byteLength), 0x30, 'Certificate');
  const [tbs] = derChildren(cert.content); // then signatureAlgorithm and signatureValue
  if (tbs?.tag !== 0x30) throw new Error('DER: expected TBSCertificate');
  const fields = derChildren(tbs.content);
  if (fields[0]?.tag === 0xa0) fields.shift(); // [0] EXPLICIT version
  const [serialNumber, , issuer, , subject] = fields;
  if (serialNumber?.tag !== 0x02 || issuer?.tag !== 0x30 || subject?.tag !== 0x30) throw new Error('DER: malformed TBSCertificate');
  return { serialNumber: serialNumber.der, issuer: issuer.der, subject: subject.der };
}

function oidToString(content: Buffer): string {
  // Not empty, no subidentifier cut short or starting with a 0x80 pad (X.690 §8.19.2).
  if (!content.length || content.at(-1)! & 0x80) throw new Error('DER: malformed OBJECT IDENTIFIER');
  const arcs: number[] = [];
  let n = 0;
  for (const byte of content) {
    if (byte === 0x80 && n === 0) throw new Error('DER: malformed OBJECT IDENTIFIER');
    n = n * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      if (arcs.length === 0) arcs.push(n < 80 ? Math.floor(n / 40) : 2, n < 80 ? n % 40 : n - 80);
      else arcs.push(n);
      n = 0;
    }
  }
  return arcs.join('.');
}

/** The attributes of a DER Name, in order, as [dotted OID, string value]. */
export function nameAttributes(nameDer: Buffer): Array<[oid: string, value: string]> {
  const out: Array<[string, string]> = [];
  for (const rdn of derChildren(only(nameDer, 0x30, 'Name').content)) {
    const atvs = rdn.tag === 0x31 ? derChildren(rdn.content) : [];
    if (!atvs.length) throw new Error('DER: malformed RelativeDistinguishedName');
    for (const atv of atvs) {
      const [type, value, ...extra] = atv.tag === 0x30 ? derChildren(atv.content) : [];
      if (type?.tag !== 0x06 || !value || extra.length) throw new Error('DER: malformed AttributeTypeAndValue');
      if (value.tag === 0x1e && value.content.length % 2) throw new Error('DER: malformed BMPString');
      const text = value.tag === 0x1e ? Buffer.from(value.content).swap16().toString('utf16le') : value.content.toString('utf8');
      out.push([oidToString(type.content), text]);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// SignedData
// ---------------------------------------------------------------------------------------------

export const RSA_ONLY = 'the Pass Type ID key must be an RSA key (Apple issues RSA-2048)';

/** The parts that depend only on the signer, computed once per SignerIdentity. */
const prepared = new WeakMap<SignerIdentity, { certificates: Buffer; sid: Buffer }>();

function prepare(signer: SignerIdentity): { certificates: Buffer; sid: Buffer } {
  let p = prepared.get(signer);
  if (!p) {
    if (signer.key.asymmetricKeyType !== 'rsa') throw new Error(RSA_ONLY);
    const { issuer, serialNumber } = certificateFields(signer.certificate.raw);
    // [0] IMPLICIT CertificateSet, in the given order (WWDR first, signer last, as Apple's tools do).
    p = { certificates: ctx(0, ...signer.chain.map((c) => c.raw), signer.certificate.raw), sid: seq(issuer, serialNumber) };
    prepared.set(signer, p);
  }
  return p;
}

/**
 * RSA signatures running at once: one core is left to the event loop. libuv's pool has 4
 * threads; on 2 cores, 4 signatures at once would take the main thread's core as well, and
 * every request would wait behind them.
 */
const MAX_SIGNING = Math.max(1, availableParallelism() - 1);
let signing = 0;
const waiting: (() => void)[] = [];

/** RSA PKCS#1 v1.5 with SHA-256, in libuv's threadpool, at most MAX_SIGNING at a time. */
export async function rsaSign(data: Buffer, key: KeyObject): Promise<Buffer> {
  // A slot is free, or handed over by the signature that finishes.
  if (signing < MAX_SIGNING) signing++;
  else await new Promise<void>((resolve) => waiting.push(resolve));
  try {
    return await new Promise((resolve, reject) => sign('sha256', data, key, (err, signature) => (err ? reject(err) : resolve(signature))));
  } finally {
    const next = waiting.shift();
    if (next) next();
    else signing--;
  }
}

/** A DER detached CMS SignedData over exactly `manifest`, as Apple Wallet wants in a pass's `signature`. */
export async function signManifest(manifest: Uint8Array, signer: SignerIdentity, signingTime = new Date()): Promise<Buffer> {
  const { certificates, sid } = prepare(signer);
  const attrs = sorted(
    attribute(ATTR_CONTENT_TYPE, ID_DATA),
    attribute(ATTR_SIGNING_TIME, time(signingTime)),
    attribute(ATTR_MESSAGE_DIGEST, octets(createHash('sha256').update(manifest).digest())),
  );
  // The signature covers the attributes encoded as a SET (0x31); the SignerInfo carries the same
  // content as [0] IMPLICIT (0xA0).
  const signature = await rsaSign(tlv(0x31, ...attrs), signer.key);
  const signerInfo = seq(int(1), sid, SHA256, ctx(0, ...attrs), RSA_ENCRYPTION, octets(signature));
  const signedData = seq(int(1), setOf(SHA256), seq(ID_DATA), certificates, setOf(signerInfo));
  return seq(ID_SIGNED_DATA, ctx(0, signedData));
}
