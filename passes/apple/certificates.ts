// The certificates that sign Apple Wallet passes (and authenticate to APNs): loaded from the
// environment (APPLE_CERT, APPLE_KEY, APPLE_KEY_PASSPHRASE, APPLE_WWDR) with errors that say which
// variable is wrong and how, or — in development — generated once into a folder: a throwaway root
// CA, a stand-in "WWDR" intermediate and a Pass Type ID certificate laid out like Apple's. Such
// passes verify with `openssl cms -verify … -CAfile root.pem` but an iPhone will not install them.
import { X509Certificate, createHash, createPrivateKey, generateKeyPair, randomBytes, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import {
  NULL,
  RSA_ONLY,
  bitString,
  bool,
  certificateFields,
  ctx,
  derChildren,
  int,
  nameAttributes,
  octets,
  oid,
  rsaSign,
  seq,
  setOf,
  time,
  tlv,
  type SignerIdentity,
} from './cms.ts';

const generateRsa = promisify(generateKeyPair);

export interface AppleCertificates {
  passTypeId: string;
  teamId: string;
  signer: SignerIdentity;
  /** PEM strings for TLS client authentication to APNs. */
  certPem: string;
  /** Unencrypted PKCS#8 PEM, exported from the key. */
  keyPem: string;
  wwdrPem: string;
  source: 'environment' | 'development';
  /** Development only: the throwaway root CA (the `-CAfile` for openssl) and the folder. */
  rootPem?: string;
  dir?: string;
}

const OID_UID = '0.9.2342.19200300.100.1.1';
const OID_OU = '2.5.4.11';
const OID_PASSBOOK_SIGNING = '1.2.840.113635.100.4.14';
const OID_PASS_TYPE_ID_EXT = '1.2.840.113635.100.6.1.16';
const DAY = 24 * 60 * 60 * 1000;

// ---------------------------------------------------------------------------------------------
// From the environment
// ---------------------------------------------------------------------------------------------

/** An env value is PEM text (literal `\n` escapes allowed, as in env files) or the path of a file. */
export function readPemOrPath(value: string, what: string): string {
  if (value.includes('-----BEGIN')) return value.replace(/\\n/g, '\n');
  const path = value.trim();
  if (!path) throw new Error(`${what} is empty: set it to PEM text or to the path of a PEM file`);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new Error(`${what}: cannot read the file ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { cause: e });
  }
  const text = bytes.toString('utf8');
  if (text.includes('-----BEGIN')) return text;
  try {
    return new X509Certificate(bytes).toString(); // a DER .cer, as Apple's portal hands them out
  } catch {
    return text; // not PEM, not a DER certificate: the caller says what it expected
  }
}

function parseCertificates(pem: string, what: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  try {
    if (blocks.length === 0) throw new Error('no BEGIN CERTIFICATE block');
    return blocks.map((b) => new X509Certificate(b));
  } catch (e) {
    throw new Error(`${what} is not a valid PEM X.509 certificate (${(e as Error).message})`, { cause: e });
  }
}

function parseKey(pem: string, passphrase: string | undefined): KeyObject {
  // "BEGIN ENCRYPTED PRIVATE KEY" (PKCS#8) or "Proc-Type: 4,ENCRYPTED" (traditional PKCS#1)
  const encrypted = /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type:\s*4,ENCRYPTED/.test(pem);
  const missing = () => new Error('APPLE_KEY is encrypted but APPLE_KEY_PASSPHRASE is not set');
  if (encrypted && !passphrase) throw missing();
  try {
    return createPrivateKey(encrypted ? { key: pem, passphrase } : { key: pem });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_MISSING_PASSPHRASE') throw Object.assign(missing(), { cause: e });
    if (encrypted) throw new Error(`APPLE_KEY_PASSPHRASE is wrong: it does not decrypt APPLE_KEY (${(e as Error).message})`, { cause: e });
    throw new Error(`APPLE_KEY is not a valid PEM private key (PKCS#1 or PKCS#8, optionally encrypted): ${(e as Error).message}`, {
      cause: e,
    });
  }
}

function subjectField(cert: X509Certificate, oid: string): string | undefined {
  return nameAttributes(certificateFields(cert.raw).subject).find(([type]) => type === oid)?.[1];
}

const expired = (cert: X509Certificate, margin = 0) => new Date(cert.validTo).getTime() < Date.now() + margin;

export function loadAppleCertificates(input: {
  cert: string;
  key: string;
  passphrase?: string;
  wwdr: string;
  passTypeId: string;
  teamId: string;
}): AppleCertificates {
  const { passTypeId, teamId } = input;
  const [certificate] = parseCertificates(readPemOrPath(input.cert, 'APPLE_CERT'), 'APPLE_CERT') as [X509Certificate];
  const key = parseKey(readPemOrPath(input.key, 'APPLE_KEY'), input.passphrase || undefined);
  if (key.asymmetricKeyType !== 'rsa') throw new Error(`APPLE_KEY: ${RSA_ONLY}; this one is ${key.asymmetricKeyType}`);
  if (!certificate.checkPrivateKey(key)) {
    throw new Error(
      `APPLE_KEY does not match APPLE_CERT (${certificate.subject.replace(/\n/g, ', ')}): they must be the certificate and its own key`,
    );
  }
  if (expired(certificate)) throw new Error(`APPLE_CERT expired on ${certificate.validTo}: renew the Pass Type ID certificate`);
  const uid = subjectField(certificate, OID_UID);
  if (uid !== undefined && uid !== passTypeId) {
    throw new Error(`APPLE_CERT is the certificate of pass type id "${uid}", but the pass type id configured is "${passTypeId}"`);
  }
  const ou = subjectField(certificate, OID_OU);
  if (ou !== undefined && ou !== teamId) {
    throw new Error(`APPLE_CERT belongs to team "${ou}" (its OU), but the team id configured is "${teamId}"`);
  }

  const chain = parseCertificates(readPemOrPath(input.wwdr, 'APPLE_WWDR'), 'APPLE_WWDR');
  const issuer = chain.find((c) => certificate.checkIssued(c));
  if (!issuer) {
    throw new Error(
      `APPLE_WWDR did not issue APPLE_CERT (issued by ${certificate.issuer.replace(/\n/g, ', ')}): ` +
        'use the WWDR intermediate of that generation (G4: https://www.apple.com/certificateauthority/AppleWWDRCAG4.cer)',
    );
  }
  if (expired(issuer)) throw new Error(`APPLE_WWDR expired on ${issuer.validTo}: download the current WWDR intermediate`);

  return {
    passTypeId,
    teamId,
    signer: { certificate, key, chain },
    certPem: certificate.toString(),
    keyPem: key.export({ type: 'pkcs8', format: 'pem' }) as string,
    wwdrPem: chain.map((c) => c.toString()).join(''),
    source: 'environment',
  };
}

// ---------------------------------------------------------------------------------------------
// Development: generated once into a folder
// ---------------------------------------------------------------------------------------------

const FILES = ['root.pem', 'wwdr.pem', 'signer.pem', 'signer.key'] as const;
type Tuple4 = [string, string, string, string];

/**
 * The certificates in `dir` if they are for this pass type id and team and good for 30 more days;
 * otherwise a new set is generated and written there (a lock folder keeps concurrent starters apart).
 */
export async function devCertificates(dir: string, passTypeId: string, teamId: string): Promise<AppleCertificates> {
  return (
    (await loadDev(dir, passTypeId, teamId)) ??
    withLock(dir, async () => (await loadDev(dir, passTypeId, teamId)) ?? generateDev(dir, passTypeId, teamId))
  );
}

async function loadDev(dir: string, passTypeId: string, teamId: string): Promise<AppleCertificates | null> {
  try {
    const [rootPem, wwdr, cert, key] = (await Promise.all(FILES.map((f) => readFile(join(dir, f), 'utf8')))) as Tuple4;
    const certs = loadAppleCertificates({ cert, key, wwdr, passTypeId, teamId });
    const root = new X509Certificate(rootPem);
    const [intermediate] = certs.signer.chain as [X509Certificate];
    const all = [root, intermediate, certs.signer.certificate];
    // A set half-written by another process fails one of these, and is then regenerated under the lock.
    const consistent =
      intermediate.checkIssued(root) && intermediate.verify(root.publicKey) && certs.signer.certificate.verify(intermediate.publicKey);
    if (!consistent || subjectField(certs.signer.certificate, OID_UID) !== passTypeId || all.some((c) => expired(c, 30 * DAY))) return null;
    return { ...certs, source: 'development', rootPem, dir };
  } catch {
    return null;
  }
}

async function withLock<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const lock = join(dir, '.lock');
  for (const deadline = Date.now() + 60_000; ;) {
    try {
      await mkdir(lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const since = (await stat(lock).catch(() => null))?.mtimeMs ?? Date.now();
      if (Date.now() - since > 30_000) {
        await rm(lock, { recursive: true, force: true }); // left by a crashed process
      } else if (Date.now() > deadline) {
        throw new Error(`devCertificates: ${lock} is held by another process (remove it if none runs)`, { cause: e });
      } else {
        await sleep(50);
      }
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

async function writeAtomic(path: string, text: string, mode: number): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, text, { mode });
  await rename(tmp, path);
}

// Certificates in DER by hand (RFC 5280): v3, sha256WithRSAEncryption, the given extensions plus
// subject and authority key identifiers. (@peculiar/x509 would need a Reflect polyfill.)
type Name = Array<[oid: string, value: string]>;
type KeyPair = { publicKey: KeyObject; privateKey: KeyObject };
const CN = '2.5.4.3';
const O = '2.5.4.10';
const C = '2.5.4.6';
const SHA256_WITH_RSA = seq(oid('1.2.840.113549.1.1.11'), NULL);

/** One attribute per RDN, in the given order; C as PrintableString, the rest UTF8String. */
const name = (attrs: Name) =>
  seq(...attrs.map(([type, value]) => setOf(seq(oid(type), tlv(type === C ? 0x13 : 0x0c, Buffer.from(value))))));
const extension = (type: string, critical: boolean, value: Buffer) => seq(oid(type), ...(critical ? [bool(true)] : []), octets(value));
const basicConstraints = (ca: boolean, pathLength?: number) =>
  extension('2.5.29.19', true, seq(...(ca ? [bool(true)] : []), ...(pathLength === undefined ? [] : [int(pathLength)])));
const keyCertSignCrlSign = extension('2.5.29.15', true, bitString(Uint8Array.of(0x06), 1)); // bits 5, 6
const digitalSignature = extension('2.5.29.15', true, bitString(Uint8Array.of(0x80), 7)); // bit 0

/** SHA-1 of the subjectPublicKey bits (RFC 5280 §4.2.1.2, method 1). */
function keyId(publicKey: KeyObject): Buffer {
  const [spki] = derChildren(publicKey.export({ type: 'spki', format: 'der' }));
  const [, bits] = derChildren(spki!.content);
  return createHash('sha1').update(bits!.content.subarray(1)).digest();
}

async function issue(p: { subject: Name; issuer: Name; keys: KeyPair; issuerKeys: KeyPair; days: number; extensions: Buffer[] }) {
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x3f) | 0x40; // positive, and minimal as an INTEGER
  const notBefore = new Date(Date.now() - 60 * 60 * 1000); // an hour back, for clock skew
  const extensions = [
    ...p.extensions,
    extension('2.5.29.14', false, octets(keyId(p.keys.publicKey))),
    extension('2.5.29.35', false, seq(tlv(0x80, keyId(p.issuerKeys.publicKey)))),
  ];
  const tbs = seq(
    ctx(0, int(2)),
    int(serial),
    SHA256_WITH_RSA,
    name(p.issuer),
    seq(time(notBefore), time(new Date(notBefore.getTime() + p.days * DAY))),
    name(p.subject),
    p.keys.publicKey.export({ type: 'spki', format: 'der' }),
    ctx(3, seq(...extensions)),
  );
  return new X509Certificate(seq(tbs, SHA256_WITH_RSA, bitString(await rsaSign(tbs, p.issuerKeys.privateKey))));
}

async function generateDev(dir: string, passTypeId: string, teamId: string): Promise<AppleCertificates> {
  // Three RSA-2048 keys, generated in parallel in the threadpool.
  const rsa = (): Promise<KeyPair> => generateRsa('rsa', { modulusLength: 2048 });
  const [rootKeys, wwdrKeys, signerKeys] = await Promise.all([rsa(), rsa(), rsa()]);
  const rootName: Name = [
    [CN, 'fidelio development root CA'],
    [O, 'fidelio development'],
    [C, 'US'],
  ];
  const wwdrName: Name = [
    [CN, 'fidelio development WWDR (not Apple)'],
    [OID_OU, 'G4'],
    [O, 'fidelio development'],
    [C, 'US'],
  ];
  const root = await issue({
    subject: rootName,
    issuer: rootName,
    keys: rootKeys,
    issuerKeys: rootKeys,
    days: 3652,
    extensions: [basicConstraints(true), keyCertSignCrlSign],
  });
  const wwdr = await issue({
    subject: wwdrName,
    issuer: rootName,
    keys: wwdrKeys,
    issuerKeys: rootKeys,
    days: 3652,
    extensions: [basicConstraints(true, 0), keyCertSignCrlSign],
  });
  const signer = await issue({
    // Apple's layout and order: UID, CN, OU (the team id), O, C.
    subject: [
      [OID_UID, passTypeId],
      [CN, `Pass Type ID: ${passTypeId}`],
      [OID_OU, teamId],
      [O, 'fidelio development'],
      [C, 'US'],
    ],
    issuer: wwdrName,
    keys: signerKeys,
    issuerKeys: wwdrKeys,
    days: 365,
    extensions: [
      basicConstraints(false),
      digitalSignature,
      extension('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.2'), oid(OID_PASSBOOK_SIGNING))), // clientAuth, Passbook signing
      extension(OID_PASS_TYPE_ID_EXT, false, tlv(0x0c, Buffer.from(passTypeId))),
    ],
  });

  const keyPem = signerKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const [rootPem, wwdrPem, certPem] = [root, wwdr, signer].map((c) => c.toString());
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // One file at a time, each atomically; a reader that sees a mixed set rejects it (see loadDev).
  await writeAtomic(join(dir, 'signer.key'), keyPem, 0o600);
  await writeAtomic(join(dir, 'signer.pem'), certPem!, 0o644);
  await writeAtomic(join(dir, 'wwdr.pem'), wwdrPem!, 0o644);
  await writeAtomic(join(dir, 'root.pem'), rootPem!, 0o644);
  return {
    ...loadAppleCertificates({ cert: certPem!, key: keyPem, wwdr: wwdrPem!, passTypeId, teamId }),
    source: 'development',
    rootPem,
    dir,
  };
}
