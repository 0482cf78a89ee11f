// The small DER encoder and reader behind the pass `signature` (passes/apple/cms.ts), held against an
// independent ASN.1 library (asn1js): every element we write decodes there to the value we meant, with
// its length in the one form DER allows; SET OF comes out sorted; times switch from UTCTime to
// GeneralizedTime at 2050. Random cases draw from a seeded generator: a failure prints its seed, and
// CMS_TEST_SEED=<seed> replays it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import {
  NULL,
  bitString,
  bool,
  certificateFields,
  ctx,
  derChildren,
  int,
  nameAttributes,
  octets,
  oid,
  seq,
  setOf,
  time,
  tlv,
} from '../../passes/apple/cms.ts';

const SEED = Number(process.env.CMS_TEST_SEED ?? Math.floor(Math.random() * 2 ** 32));
/** mulberry32: small, seedable, good enough to pick test cases. */
function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  /** An integer in [min, max]. */
  const between = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => between(0, 255)));
  const pick = <T>(items: readonly T[]): T => items[between(0, items.length - 1)]!;
  return { between, bytes, pick };
}
const seeded = (what: string) => `${what} (CMS_TEST_SEED=${SEED})`;

/** The shortest definite length octets for `n` (X.690 §10.1: short form below 128, else no leading zero). */
function minimalLength(n: number): number[] {
  if (n < 0x80) return [n];
  const hex = n.toString(16);
  const bytes = [...Buffer.from(hex.padStart(hex.length + (hex.length % 2), '0'), 'hex')];
  return [0x80 | bytes.length, ...bytes];
}

/** Decodes one element with asn1js, asserting that it spans all of `der`. */
function decode(der: Uint8Array) {
  const { offset, result } = asn1js.fromBER(der, { maxContentLength: 2 ** 26 });
  assert.equal(result.error, '', seeded(`asn1js: ${result.error}`));
  assert.equal(offset, der.length, seeded('asn1js read the whole element'));
  return result;
}

/** X.690 §11.6: SET OF components ascending, compared as octet strings padded with trailing zeros. */
function derNotAfter(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x < y;
  }
  return true;
}

const LENGTHS = [0, 1, 2, 127, 128, 129, 255, 256, 257, 65_535, 65_536, 65_537, 16_777_215, 16_777_216];

describe('DER encoder, read back by asn1js', () => {
  it('writes every length in its minimal definite form, the content unchanged', () => {
    const { between, bytes } = generator(SEED);
    const lengths = [...LENGTHS, ...Array.from({ length: 40 }, () => between(0, 70_000))];
    for (const n of lengths) {
      const content = n > 100_000 ? Buffer.alloc(n, n & 0xff) : bytes(n);
      const der = octets(content);
      assert.deepEqual([...der.subarray(1, 1 + minimalLength(n).length)], minimalLength(n), seeded(`length ${n}`));
      assert.equal(der.length, 1 + minimalLength(n).length + n, seeded(`length ${n}: size`));
      const back = decode(der);
      assert.ok(back instanceof asn1js.OctetString, seeded(`length ${n}: an OCTET STRING`));
      assert.equal(back.lenBlock.isIndefiniteForm, false, seeded(`length ${n}: definite`));
      assert.equal(back.lenBlock.length, n, seeded(`length ${n}: as read`));
      assert.ok(Buffer.from(back.valueBlock.valueHexView).equals(content), seeded(`length ${n}: content`));
    }
  });

  it('nests: a SEQUENCE and a [n] of elements decode to the same elements, any sizes', () => {
    const { between, bytes } = generator(SEED + 1);
    for (let round = 0; round < 30; round++) {
      const parts = Array.from({ length: between(0, 4) }, () => octets(bytes(between(0, 300))));
      const n = between(0, 30);
      for (const [der, check] of [
        [seq(...parts), (el: asn1js.AsnType) => el instanceof asn1js.Sequence],
        [ctx(n, ...parts), (el: asn1js.AsnType) => el.idBlock.tagClass === 3 && el.idBlock.tagNumber === n && el.idBlock.isConstructed],
      ] as const) {
        const back = decode(der);
        assert.ok(check(back), seeded(`round ${round}: tag`));
        assert.ok(back instanceof asn1js.Constructed);
        assert.deepEqual(
          back.valueBlock.value.map((el) => Buffer.from(el.valueBeforeDecodeView)),
          parts,
          seeded(`round ${round}: children`),
        );
      }
    }
  });

  it('writes INTEGER, BIT STRING, BOOLEAN and NULL as asn1js reads them', () => {
    const { between, bytes } = generator(SEED + 2);
    const numbers = [0, 1, 127, 128, 255, 256, 32_767, 32_768, 65_535, 65_536, 2 ** 31 - 1, 2 ** 31, 2 ** 32, Number.MAX_SAFE_INTEGER];
    for (let n = 0; n < 300; n++) numbers.push(n, between(0, 2 ** 40));
    for (const bad of [-1, 0.5, Number.NaN, 2 ** 53])
      assert.throws(() => int(bad), { name: 'RangeError', message: /^DER: INTEGER from .*non-negative safe integer/ });
    for (const n of numbers) {
      const der = int(n);
      const back = decode(der);
      assert.ok(back instanceof asn1js.Integer);
      assert.equal(back.toBigInt(), BigInt(n), seeded(`INTEGER ${n}`));
      // Minimal two's complement: no leading 0x00 unless the next octet has its top bit set.
      assert.ok(der[1] === 1 || der[2] !== 0 || der[3]! >= 0x80, seeded(`INTEGER ${n}: minimal`));
    }
    for (let round = 0; round < 20; round++) {
      const serial = bytes(between(1, 20));
      serial[0] = between(1, 0x7f); // positive and minimal, as the caller must give it
      const back = decode(int(serial));
      assert.ok(back instanceof asn1js.Integer);
      assert.equal(back.toBigInt(), BigInt(`0x${serial.toString('hex')}`), seeded('INTEGER from bytes'));

      const bits = bytes(between(1, 300));
      const unused = between(0, 7);
      bits[bits.length - 1]! &= 0xff << unused;
      const bs = decode(bitString(bits, unused));
      assert.ok(bs instanceof asn1js.BitString);
      assert.equal(bs.valueBlock.unusedBits, unused);
      assert.ok(Buffer.from(bs.valueBlock.valueHexView).equals(bits), seeded('BIT STRING'));
    }
    const empty = decode(bitString(Buffer.alloc(0)));
    assert.ok(empty instanceof asn1js.BitString && empty.valueBlock.unusedBits === 0);
    for (const b of [true, false]) {
      const back = decode(bool(b));
      assert.ok(back instanceof asn1js.Boolean);
      assert.equal(back.getValue(), b);
      assert.deepEqual([...bool(b)], [0x01, 0x01, b ? 0xff : 0x00], 'DER TRUE is 0xFF');
    }
    assert.ok(decode(NULL) instanceof asn1js.Null);
    assert.deepEqual([...NULL], [0x05, 0x00]);
    const prim = decode(tlv(0x0c, Buffer.from('café ☕')));
    assert.ok(prim instanceof asn1js.Utf8String && prim.getValue() === 'café ☕');
  });

  it('writes OBJECT IDENTIFIERs that asn1js reads back, the ones in use and random ones', () => {
    const { between, pick } = generator(SEED + 3);
    const oids = [
      '1.2.840.113549.1.7.1',
      '1.2.840.113549.1.7.2',
      '2.16.840.1.101.3.4.2.1',
      '1.2.840.113549.1.1.1',
      '1.2.840.113549.1.1.11',
      '1.2.840.113549.1.9.3',
      '1.2.840.113549.1.9.4',
      '1.2.840.113549.1.9.5',
      '1.2.840.113635.100.6.1.16',
      '0.9.2342.19200300.100.1.1',
      '2.5.4.11',
      '2.5.29.19',
      '0.0',
      '1.39.127.128.16383.16384.2097151.2097152.268435455.268435456.4294967295',
      '2.47',
      '2.48', // the first subidentifier, 40·2 + 48 = 128, takes two octets
      '2.999.3',
    ];
    const size = () => pick([0x7f, 0x3fff, 0x1fffff, 0xfffffff, 0xffffffff, 2 ** 40]);
    for (let round = 0; round < 100; round++) {
      const first = between(0, 2);
      const second = first === 2 ? between(0, size()) : between(0, 39);
      oids.push([first, second, ...Array.from({ length: between(0, 8) }, () => between(0, size()))].join('.'));
    }
    for (const dotted of oids) {
      const back = decode(oid(dotted));
      assert.ok(back instanceof asn1js.ObjectIdentifier, seeded(dotted));
      assert.equal(back.getValue(), dotted, seeded(dotted));
    }
  });

  it('sorts SET OF by the encodings of its elements, whatever order they come in', () => {
    const { between, bytes, pick } = generator(SEED + 4);
    const element = (): Buffer =>
      pick([
        () => octets(bytes(between(0, 3))),
        () => octets(bytes(pick([126, 127, 128, 129, 255, 256]))), // short and long length forms side by side
        () => int(between(0, 127)),
        () => oid(`1.2.${between(0, 300)}.${between(0, 3)}`),
        () => bool(between(0, 1) === 1),
        () => NULL,
        () => seq(octets(bytes(between(0, 2))), int(between(0, 3))),
        () => tlv(pick([0x04, 0x0c, 0x13, 0x16, 0x80]), bytes(between(0, 4))),
        () => setOf(int(between(0, 3)), int(between(0, 3))),
      ])();
    for (let round = 0; round < 200; round++) {
      const items = Array.from({ length: between(0, 8) }, element);
      if (items.length > 1 && between(0, 3) === 0) items.push(Buffer.from(items[0]!)); // a duplicate
      const given = items.map((b) => Buffer.from(b));
      const der = setOf(...items);
      const back = decode(der);
      assert.ok(back instanceof asn1js.Set, seeded(`round ${round}: a SET`));
      const children = back.valueBlock.value.map((el) => Buffer.from(el.valueBeforeDecodeView));
      for (let i = 1; i < children.length; i++) {
        assert.ok(derNotAfter(children[i - 1]!, children[i]!), seeded(`round ${round}: element ${i} out of order`));
      }
      const hex = (list: Buffer[]) => list.map((b) => b.toString('hex')).sort();
      assert.deepEqual(hex(children), hex(given), seeded(`round ${round}: the same elements`));
      const shuffled = [...given].sort(() => between(0, 1) - 0.5);
      assert.ok(setOf(...shuffled).equals(der), seeded(`round ${round}: independent of input order`));
    }
  });

  it('writes UTCTime for 1950–2049 and GeneralizedTime otherwise, to the second', () => {
    const { between } = generator(SEED + 5);
    const cases: Array<[string, 'UTCTime' | 'GeneralizedTime', string]> = [
      ['1949-12-31T23:59:59.999Z', 'GeneralizedTime', '19491231235959Z'],
      ['1950-01-01T00:00:00.000Z', 'UTCTime', '500101000000Z'],
      ['1999-12-31T23:59:59.000Z', 'UTCTime', '991231235959Z'],
      ['2000-01-01T00:00:00.000Z', 'UTCTime', '000101000000Z'],
      ['2049-12-31T23:59:59.999Z', 'UTCTime', '491231235959Z'],
      ['2050-01-01T00:00:00.000Z', 'GeneralizedTime', '20500101000000Z'],
      ['2051-02-03T04:05:06.000Z', 'GeneralizedTime', '20510203040506Z'],
    ];
    for (let round = 0; round < 200; round++) {
      const date = new Date(Date.UTC(between(1900, 2200), 0, 1) + between(0, 365 * 86_400 - 1) * 1000);
      const y = date.getUTCFullYear();
      const text = date.toISOString().replace(/[-:T]|\.\d+/g, '');
      cases.push([
        date.toISOString(),
        y >= 1950 && y <= 2049 ? 'UTCTime' : 'GeneralizedTime',
        y >= 1950 && y <= 2049 ? text.slice(2) : text,
      ]);
    }
    for (const [iso, type, text] of cases) {
      const der = time(new Date(iso));
      assert.equal(der.subarray(2).toString('latin1'), text, seeded(iso));
      const back = decode(der);
      assert.equal(back.constructor.name, type, seeded(iso));
      assert.ok(back instanceof asn1js.UTCTime || back instanceof asn1js.GeneralizedTime);
      assert.equal(back.toDate().toISOString(), iso.replace(/\.\d+Z$/, '.000Z'), seeded(iso));
    }
  });
});

describe('DER reader, on well-formed input', () => {
  it('splits elements laid end to end, every length form, as asn1js does', () => {
    const { between, bytes, pick } = generator(SEED + 6);
    for (let round = 0; round < 30; round++) {
      const elements = Array.from({ length: between(0, 6) }, () =>
        pick([() => octets(bytes(pick([0, 1, 127, 128, 255, 256, between(0, 70_000)]))), () => seq(int(between(0, 9))), () => NULL])(),
      );
      const read = derChildren(Buffer.concat(elements));
      assert.equal(read.length, elements.length, seeded(`round ${round}`));
      read.forEach((el, i) => {
        const back = decode(elements[i]!);
        assert.ok(el.der.equals(elements[i]!), seeded(`round ${round}, element ${i}: der`));
        assert.equal(el.tag, elements[i]![0]);
        assert.ok(
          el.content.equals(Buffer.from(back.valueBeforeDecodeView).subarray(back.idBlock.blockLength + back.lenBlock.blockLength)),
        );
      });
    }
    assert.deepEqual(derChildren(Buffer.alloc(0)), []);
  });

  it('reads serial number, issuer and subject of a certificate as PKI.js does, verbatim', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    // A certificate of our own making, so its Name can hold a BMPString, a PrintableString and UTF-8.
    const cert = selfSigned(privateKey, [
      ['2.5.4.3', 0x0c, 'Café ☕ — 名前'],
      ['0.9.2342.19200300.100.1.1', 0x13, 'pass.dev.fidelio'],
      ['2.5.4.11', 0x1e, 'TEAM€ü'],
    ]);
    const fields = certificateFields(cert.raw);
    assert.ok(decode(cert.raw) instanceof asn1js.Sequence);
    const pki = pkijs.Certificate.fromBER(cert.raw);
    assert.ok(fields.serialNumber.equals(Buffer.from(pki.serialNumber.toBER())));
    assert.equal(fields.serialNumber.subarray(2).toString('hex').toUpperCase().replace(/^0+/, ''), cert.serialNumber.replace(/^0+/, ''));
    assert.ok(fields.issuer.equals(Buffer.from(pki.issuer.toSchema().toBER())));
    assert.ok(fields.subject.equals(Buffer.from(pki.subject.toSchema().toBER())));
    assert.deepEqual(nameAttributes(fields.subject), [
      ['2.5.4.3', 'Café ☕ — 名前'],
      ['0.9.2342.19200300.100.1.1', 'pass.dev.fidelio'],
      ['2.5.4.11', 'TEAM€ü'],
    ]);
    assert.deepEqual(
      nameAttributes(fields.subject),
      pki.subject.typesAndValues.map((tv) => [tv.type, tv.value.valueBlock.value]),
    );
  });

  it('reads a certificate without the [0] version field (v1)', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const cert = selfSigned(privateKey, [['2.5.4.3', 0x0c, 'v1']], { v1: true });
    assert.equal(cert.subject, 'CN=v1');
    const fields = certificateFields(cert.raw);
    assert.deepEqual(nameAttributes(fields.issuer), [['2.5.4.3', 'v1']]);
    assert.deepEqual([...fields.serialNumber], [0x02, 0x01, 0x2a]);
  });
});

/** A self-signed certificate whose subject and issuer have the given attributes (OID, string tag, text). */
function selfSigned(key: KeyObject, attrs: Array<[string, number, string]>, opts: { v1?: boolean } = {}) {
  const encode = (tag: number, text: string) => (tag === 0x1e ? Buffer.from(text, 'utf16le').swap16() : Buffer.from(text, 'utf8'));
  const name = seq(...attrs.map(([type, tag, text]) => setOf(seq(oid(type), tlv(tag, encode(tag, text))))));
  const sha256WithRsa = seq(oid('1.2.840.113549.1.1.11'), NULL);
  const tbs = seq(
    ...(opts.v1 ? [] : [ctx(0, int(2))]),
    int(42),
    sha256WithRsa,
    name,
    seq(time(new Date('2025-01-01T00:00:00Z')), time(new Date('2035-01-01T00:00:00Z'))),
    name,
    createPublicKey(key).export({ type: 'spki', format: 'der' }),
  );
  return new X509Certificate(seq(tbs, sha256WithRsa, bitString(sign('sha256', tbs, key))));
}
