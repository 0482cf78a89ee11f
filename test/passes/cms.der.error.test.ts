// The DER reader of passes/apple/cms.ts fed bad input: every malformed case is refused with its own
// `DER: …` error, never read as some value and never a TypeError or RangeError from inside. The
// message is matched so that each case proves the guard meant for it fired (another guard failing
// later would hide a missing one).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import {
  NULL,
  bitString,
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

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const fill = (n: number) => Buffer.alloc(n, 0xab);

/** Asserts that `read` refuses with a `DER: ` error matching `message`. */
function refuses(read: () => unknown, message: RegExp) {
  assert.throws(read, (e: unknown) => {
    assert.ok(e instanceof Error && !(e instanceof TypeError) && !(e instanceof RangeError), `not a reader error: ${String(e)}`);
    assert.match(e.message, /^DER: /);
    assert.match(e.message, message);
    return true;
  });
}

// A real certificate and Name to break in small ways.
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
const SHA256_RSA = seq(oid('1.2.840.113549.1.1.11'), NULL);
const NAME = seq(
  setOf(seq(oid('2.5.4.3'), tlv(0x0c, Buffer.from('fidelio')))),
  setOf(seq(oid('2.5.4.11'), tlv(0x13, Buffer.from('TEAM')))),
);
const VALIDITY = seq(time(new Date('2025-01-01T00:00:00Z')), time(new Date('2035-01-01T00:00:00Z')));
const SPKI = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
const tbsOf = (...fields: Buffer[]) => seq(...fields);
const TBS = tbsOf(ctx(0, int(2)), int(7), SHA256_RSA, NAME, VALIDITY, NAME, SPKI);
const certOf = (tbs: Buffer) => seq(tbs, SHA256_RSA, bitString(sign('sha256', tbs, privateKey)));
const CERT = new X509Certificate(certOf(TBS)).raw;

describe('derChildren refuses malformed DER', () => {
  const cases: Array<[what: string, input: Buffer, message: RegExp]> = [
    ['a multi-byte tag (universal)', hex('1f 01 00'), /multi-byte tags/],
    ['a multi-byte tag (context, constructed)', hex('bf 81 00 00'), /multi-byte tags/],
    ['a lone tag, no length', hex('04'), /truncated header/],
    ['a lone tag after a good element', hex('05 00 30'), /truncated header/],
    ['an indefinite length (0x80)', hex('30 80 05 00 00 00'), /unsupported length/],
    ['a length of 5 length octets', hex('04 85 00 00 00 00 01 ab'), /unsupported length/],
    ['the reserved length octet 0xff', hex('04 ff'), /unsupported length/],
    ['a long form cut after its first octet', hex('04 81'), /overruns/],
    ['a long form cut inside its length octets', hex('04 82 01'), /overruns/],
    ['a four-octet long form cut short', hex('04 84 01 00 00'), /overruns/],
    ['a short length longer than the input', hex('04 05 01 02'), /overruns/],
    ['a long length longer than the input', Buffer.concat([hex('04 81 80'), fill(127)]), /overruns/],
    ['a 4 GiB length', Buffer.concat([hex('04 84 ff ff ff ff'), fill(8)]), /overruns/],
    ['a second element running past the end', hex('05 00 04 03 01 02'), /overruns/],
    ['a long form for a length under 128', Buffer.concat([hex('04 81 05'), fill(5)]), /non-minimal length/],
    ['a long form for 127', Buffer.concat([hex('04 81 7f'), fill(127)]), /non-minimal length/],
    ['a long form for 0', hex('04 81 00'), /non-minimal length/],
    ['a leading zero octet (0x00 0x80)', Buffer.concat([hex('04 82 00 80'), fill(128)]), /non-minimal length/],
    ['a leading zero octet (0x00 0x01 0x00)', Buffer.concat([hex('04 83 00 01 00'), fill(256)]), /non-minimal length/],
  ];
  for (const [what, input, message] of cases) it(what, () => refuses(() => derChildren(input), message));

  it('still reads the smallest long forms and the longest supported one', () => {
    assert.equal(derChildren(Buffer.concat([hex('04 81 80'), fill(128)]))[0]?.content.length, 128);
    assert.equal(derChildren(Buffer.concat([hex('04 82 01 00'), fill(256)]))[0]?.content.length, 256);
    const [big] = derChildren(Buffer.concat([hex('04 84 01 00 00 00'), Buffer.alloc(2 ** 24)]));
    assert.equal(big?.content.length, 2 ** 24);
  });
});

describe('certificateFields refuses what is not one DER Certificate', () => {
  const cases: Array<[what: string, input: Buffer, message: RegExp]> = [
    ['empty input', Buffer.alloc(0), /expected Certificate/],
    ['an OCTET STRING instead of a SEQUENCE', octets(CERT), /expected Certificate/],
    ['a stray byte after the certificate', Buffer.concat([CERT, hex('00')]), /truncated header/],
    ['a NULL after the certificate', Buffer.concat([CERT, NULL]), /after the Certificate/],
    ['two certificates end to end', Buffer.concat([CERT, CERT]), /after the Certificate/],
    ['a certificate cut short by one byte', CERT.subarray(0, CERT.length - 1), /overruns/],
    ['a certificate whose header is cut', CERT.subarray(0, 3), /overruns/],
    ['an empty SEQUENCE', hex('30 00'), /expected TBSCertificate/],
    ['a TBSCertificate that is not a SEQUENCE', seq(octets(TBS)), /expected TBSCertificate/],
    ['a TBSCertificate with nothing in it', certOf(tbsOf()), /malformed TBSCertificate/],
    ['a TBSCertificate of only a version and serial', certOf(tbsOf(ctx(0, int(2)), int(7))), /malformed TBSCertificate/],
    [
      'a serial number that is not an INTEGER',
      certOf(tbsOf(ctx(0, int(2)), octets(hex('07')), SHA256_RSA, NAME, VALIDITY, NAME, SPKI)),
      /malformed TBSCertificate/,
    ],
    [
      'an issuer that is not a SEQUENCE',
      certOf(tbsOf(ctx(0, int(2)), int(7), SHA256_RSA, setOf(NAME), VALIDITY, NAME, SPKI)),
      /malformed TBSCertificate/,
    ],
    [
      'a subject that is not a SEQUENCE',
      certOf(tbsOf(ctx(0, int(2)), int(7), SHA256_RSA, NAME, VALIDITY, octets(NAME), SPKI)),
      /malformed TBSCertificate/,
    ],
    ['a missing subject', certOf(tbsOf(int(7), SHA256_RSA, NAME, VALIDITY)), /malformed TBSCertificate/],
    ['an indefinite length inside the TBSCertificate', seq(hex('30 80 02 01 07 00 00')), /unsupported length/],
    ['a non-minimal length inside the TBSCertificate', seq(Buffer.concat([hex('30 81 03'), int(7)])), /non-minimal length/],
  ];
  for (const [what, input, message] of cases) it(what, () => refuses(() => certificateFields(input), message));

  it('reads the certificate these cases break, and a view into a larger buffer', () => {
    const fields = certificateFields(CERT);
    assert.deepEqual([...fields.serialNumber], [0x02, 0x01, 0x07]);
    assert.ok(fields.issuer.equals(NAME) && fields.subject.equals(NAME));
    const padded = Buffer.concat([hex('ffff'), CERT, hex('ffff')]);
    assert.ok(certificateFields(padded.subarray(2, 2 + CERT.length)).subject.equals(NAME));
  });
});

describe('nameAttributes refuses what is not a DER Name', () => {
  const atv = (type: Buffer, value: Buffer) => seq(type, value);
  const utf8 = (s: string) => tlv(0x0c, Buffer.from(s));
  const cn = oid('2.5.4.3');
  const cases: Array<[what: string, input: Buffer, message: RegExp]> = [
    ['empty input', Buffer.alloc(0), /expected Name/],
    ['a SET instead of a SEQUENCE', setOf(setOf(atv(cn, utf8('x')))), /expected Name/],
    ['bytes after the Name', Buffer.concat([NAME, hex('05 00')]), /after the Name/],
    ['an RDN that is a SEQUENCE, not a SET', seq(seq(atv(cn, utf8('x')))), /malformed RelativeDistinguishedName/],
    ['an empty RDN', seq(setOf()), /malformed RelativeDistinguishedName/],
    ['an RDN that is an OCTET STRING', seq(octets(atv(cn, utf8('x')))), /malformed RelativeDistinguishedName/],
    ['an attribute that is a SET, not a SEQUENCE', seq(setOf(setOf(cn, utf8('x')))), /malformed AttributeTypeAndValue/],
    ['an attribute with no value', seq(setOf(seq(cn))), /malformed AttributeTypeAndValue/],
    ['an empty attribute', seq(setOf(seq())), /malformed AttributeTypeAndValue/],
    ['an attribute type that is not an OID', seq(setOf(atv(utf8('2.5.4.3'), utf8('x')))), /malformed AttributeTypeAndValue/],
    ['an attribute with a third element', seq(setOf(seq(cn, utf8('x'), utf8('y')))), /malformed AttributeTypeAndValue/],
    ['an empty OID', seq(setOf(atv(hex('06 00'), utf8('x')))), /malformed OBJECT IDENTIFIER/],
    ['an OID cut inside an arc', seq(setOf(atv(hex('06 03 55 04 83'), utf8('x')))), /malformed OBJECT IDENTIFIER/],
    ['an OID arc with a leading 0x80', seq(setOf(atv(hex('06 04 55 04 80 03'), utf8('x')))), /malformed OBJECT IDENTIFIER/],
    ['a BMPString of an odd length', seq(setOf(atv(cn, hex('1e 03 00 41 00')))), /malformed BMPString/],
    ['an RDN whose content overruns', seq(hex('31 05 30 09 06 03 55')), /overruns/],
    ['an indefinite-length RDN', seq(hex('31 80 00 00')), /unsupported length/],
  ];
  for (const [what, input, message] of cases) it(what, () => refuses(() => nameAttributes(input), message));

  it('reads a well-formed Name, multi-valued RDNs and large OID arcs included', () => {
    const arc2_999_16384 = hex('06 05 88 37 81 80 00'); // 2.999.16384: a first subidentifier over 127
    const name = seq(
      setOf(atv(oid('2.5.4.3'), utf8('a')), atv(oid('1.2.840.113549.1.9.1'), tlv(0x16, Buffer.from('b@c')))),
      setOf(atv(arc2_999_16384, tlv(0x1e, hex('00 41 20 ac')))),
    );
    assert.deepEqual(nameAttributes(name), [
      ['2.5.4.3', 'a'],
      ['1.2.840.113549.1.9.1', 'b@c'],
      ['2.999.16384', 'A€'],
    ]);
    assert.deepEqual(nameAttributes(seq()), []);
  });
});
