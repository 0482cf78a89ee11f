// Loading the Pass Type ID certificate from the environment (every way it can be wrong says which
// variable), and the development certificates generated once into a folder.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { X509Certificate, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { devCertificates, loadAppleCertificates, readPemOrPath, type AppleCertificates } from '../../passes/apple/certificates.ts';

const PASS = 'pass.dev.fidelio.certs';
const OTHER = 'pass.dev.fidelio.other';
const TEAM = 'TEAMCERT12';

let tmp: string;
let dev: AppleCertificates; // in tmp/a
let other: AppleCertificates; // tmp/b: a copy of tmp/a, then asked for another pass type id
let bFilesBefore: string;

const mtimes = (dir: string) => ['root.pem', 'wwdr.pem', 'signer.pem', 'signer.key'].map((f) => statSync(join(dir, f)).mtimeMs);
const base = () => ({ cert: dev.certPem, key: dev.keyPem, wwdr: dev.wwdrPem, passTypeId: PASS, teamId: TEAM });

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'fidelio-certs-'));
  dev = await devCertificates(join(tmp, 'a'), PASS, TEAM);
  cpSync(join(tmp, 'a'), join(tmp, 'b'), { recursive: true });
  bFilesBefore = readFileSync(join(tmp, 'b', 'signer.pem'), 'utf8');
  other = await devCertificates(join(tmp, 'b'), OTHER, TEAM);
});
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('devCertificates', () => {
  it('writes root, WWDR, signer and key, the key readable by its owner only', () => {
    const dir = join(tmp, 'a');
    assert.equal(statSync(join(dir, 'signer.key')).mode & 0o777, 0o600);
    assert.equal(readFileSync(join(dir, 'root.pem'), 'utf8'), dev.rootPem);
    assert.equal(dev.source, 'development');
    assert.equal(dev.dir, dir);
    assert.equal(dev.signer.chain.length, 1);
    assert.match(dev.signer.chain[0]!.subject, /CN=fidelio development WWDR \(not Apple\)/);
    assert.match(dev.keyPem, /^-----BEGIN PRIVATE KEY-----\n/);
    assert.ok(dev.signer.certificate.checkIssued(dev.signer.chain[0]!));
    assert.ok(dev.signer.chain[0]!.checkIssued(new X509Certificate(dev.rootPem!)));
  });

  it('reuses the certificates already in the folder', async () => {
    const dir = join(tmp, 'a');
    const before = mtimes(dir);
    const again = await devCertificates(dir, PASS, TEAM);
    assert.equal(again.signer.certificate.fingerprint256, dev.signer.certificate.fingerprint256);
    assert.equal(again.rootPem, dev.rootPem);
    assert.deepEqual(mtimes(dir), before, 'nothing rewritten');
  });

  it('regenerates for another pass type id', () => {
    assert.notEqual(other.signer.certificate.fingerprint256, dev.signer.certificate.fingerprint256);
    assert.notEqual(other.rootPem, dev.rootPem);
    assert.match(other.signer.certificate.subject, new RegExp(`^UID=${OTHER.replace(/\./g, '\\.')}\n`));
    assert.notEqual(readFileSync(join(tmp, 'b', 'signer.pem'), 'utf8'), bFilesBefore);
  });

  it('gives two concurrent callers on an empty folder the same certificates', async () => {
    const dir = join(tmp, 'c');
    const [x, y] = await Promise.all([devCertificates(dir, PASS, TEAM), devCertificates(dir, PASS, TEAM)]);
    assert.equal(x.signer.certificate.fingerprint256, y.signer.certificate.fingerprint256);
    assert.equal((await devCertificates(dir, PASS, TEAM)).signer.certificate.fingerprint256, x.signer.certificate.fingerprint256);
    assert.deepEqual(readdirSync(dir).sort(), ['root.pem', 'signer.key', 'signer.pem', 'wwdr.pem'], 'no lock or temporary file left');
  });
});

describe('readPemOrPath', () => {
  it('takes PEM text (with literal \\n escapes) or a file path', () => {
    assert.equal(readPemOrPath(dev.certPem.replace(/\n/g, '\\n'), 'APPLE_CERT'), dev.certPem);
    writeFileSync(join(tmp, 'cert.pem'), dev.certPem);
    assert.equal(readPemOrPath(join(tmp, 'cert.pem'), 'APPLE_CERT'), dev.certPem);
  });

  it('converts a DER certificate file (.cer, as Apple hands them out) to PEM', () => {
    writeFileSync(join(tmp, 'cert.cer'), dev.signer.certificate.raw);
    assert.equal(readPemOrPath(join(tmp, 'cert.cer'), 'APPLE_CERT'), dev.certPem);
  });

  it('names the variable and the path when the file cannot be read', () => {
    assert.throws(
      () => readPemOrPath('/nonexistent/cert.pem', 'APPLE_CERT'),
      /^Error: APPLE_CERT: cannot read the file \/nonexistent\/cert\.pem \(ENOENT\)$/,
    );
    assert.throws(() => readPemOrPath('  ', 'APPLE_KEY'), /^Error: APPLE_KEY is empty/);
  });
});

describe('loadAppleCertificates', () => {
  const load = (over: Partial<Parameters<typeof loadAppleCertificates>[0]>) => loadAppleCertificates({ ...base(), ...over });

  it('loads PEM text', () => {
    const c = load({});
    assert.equal(c.source, 'environment');
    assert.equal(c.signer.certificate.fingerprint256, dev.signer.certificate.fingerprint256);
    assert.equal(c.keyPem, dev.keyPem);
    assert.equal(c.wwdrPem, dev.wwdrPem);
    assert.equal(c.rootPem, undefined);
  });

  it('loads file paths', () => {
    const dir = join(tmp, 'a');
    const c = load({ cert: join(dir, 'signer.pem'), key: join(dir, 'signer.key'), wwdr: join(dir, 'wwdr.pem') });
    assert.equal(c.signer.certificate.fingerprint256, dev.signer.certificate.fingerprint256);
  });

  it('loads PEM with literal \\n escapes, as in env files', () => {
    const esc = (pem: string) => pem.trim().replace(/\n/g, '\\n');
    const c = load({ cert: esc(dev.certPem), key: esc(dev.keyPem), wwdr: esc(dev.wwdrPem) });
    assert.equal(c.signer.certificate.fingerprint256, dev.signer.certificate.fingerprint256);
  });

  it('loads PKCS#1, encrypted PKCS#8 and encrypted PKCS#1 keys, and exports plain PKCS#8', () => {
    const key = createPrivateKey(dev.keyPem);
    const pkcs1 = key.export({ type: 'pkcs1', format: 'pem' }) as string;
    assert.match(pkcs1, /BEGIN RSA PRIVATE KEY/);
    assert.equal(load({ key: pkcs1 }).keyPem, dev.keyPem);
    const enc8 = key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 's3cret' }) as string;
    assert.match(enc8, /BEGIN ENCRYPTED PRIVATE KEY/);
    assert.equal(load({ key: enc8, passphrase: 's3cret' }).keyPem, dev.keyPem);
    const enc1 = key.export({ type: 'pkcs1', format: 'pem', cipher: 'aes-256-cbc', passphrase: 's3cret' }) as string;
    assert.match(enc1, /Proc-Type: 4,ENCRYPTED/);
    assert.equal(load({ key: enc1, passphrase: 's3cret' }).keyPem, dev.keyPem);
  });

  it('refuses a wrong or a missing passphrase', () => {
    const enc = createPrivateKey(dev.keyPem).export({
      type: 'pkcs8',
      format: 'pem',
      cipher: 'aes-256-cbc',
      passphrase: 's3cret',
    }) as string;
    assert.throws(() => load({ key: enc, passphrase: 'wrong' }), /^Error: APPLE_KEY_PASSPHRASE is wrong: it does not decrypt APPLE_KEY/);
    assert.throws(() => load({ key: enc }), /^Error: APPLE_KEY is encrypted but APPLE_KEY_PASSPHRASE is not set$/);
    assert.throws(() => load({ key: enc, passphrase: '' }), /^Error: APPLE_KEY is encrypted but APPLE_KEY_PASSPHRASE is not set$/);
  });

  it('refuses an EC key', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const key = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    assert.throws(
      () => load({ key }),
      /^Error: APPLE_KEY: the Pass Type ID key must be an RSA key \(Apple issues RSA-2048\); this one is ec$/,
    );
  });

  it('refuses a key that is not the certificate’s', () => {
    assert.throws(() => load({ key: other.keyPem }), /^Error: APPLE_KEY does not match APPLE_CERT \(UID=pass\.dev\.fidelio\.certs, /);
  });

  it('refuses a certificate for another pass type id or team', () => {
    assert.throws(
      () => load({ passTypeId: 'pass.dev.wrong' }),
      /^Error: APPLE_CERT is the certificate of pass type id "pass\.dev\.fidelio\.certs", but the pass type id configured is "pass\.dev\.wrong"$/,
    );
    assert.throws(
      () => load({ teamId: 'OTHERTEAM1' }),
      /^Error: APPLE_CERT belongs to team "TEAMCERT12" \(its OU\), but the team id configured is "OTHERTEAM1"$/,
    );
  });

  it('refuses garbage, naming the variable', () => {
    const garbage = '-----BEGIN CERTIFICATE-----\nZ2FyYmFnZQ==\n-----END CERTIFICATE-----\n';
    assert.throws(() => load({ cert: garbage }), /^Error: APPLE_CERT is not a valid PEM X\.509 certificate/);
    assert.throws(
      () => load({ cert: dev.keyPem }),
      /^Error: APPLE_CERT is not a valid PEM X\.509 certificate \(no BEGIN CERTIFICATE block\)/,
    );
    assert.throws(() => load({ wwdr: garbage }), /^Error: APPLE_WWDR is not a valid PEM X\.509 certificate/);
    assert.throws(
      () => load({ key: '-----BEGIN PRIVATE KEY-----\nZ2FyYmFnZQ==\n-----END PRIVATE KEY-----\n' }),
      /^Error: APPLE_KEY is not a valid PEM private key/,
    );
    assert.throws(() => load({ key: dev.certPem }), /^Error: APPLE_KEY is not a valid PEM private key/);
    assert.throws(() => load({ cert: join(tmp, 'missing.pem') }), /^Error: APPLE_CERT: cannot read the file .*missing\.pem \(ENOENT\)$/);
  });

  it('refuses a WWDR intermediate that did not issue the certificate', () => {
    assert.throws(
      () => load({ wwdr: other.wwdrPem }),
      /^Error: APPLE_WWDR did not issue APPLE_CERT \(issued by CN=fidelio development WWDR \(not Apple\), /,
    );
  });

  it('refuses an expired certificate', () => {
    // A certificate valid in 2020 only, for the same key and subject (openssl ca, since req cannot backdate).
    const ca = join(tmp, 'ca');
    mkdirSync(ca);
    writeFileSync(join(ca, 'index.txt'), '');
    writeFileSync(
      join(ca, 'ca.cnf'),
      '[ca]\ndefault_ca = d\n[d]\ndatabase = index.txt\nnew_certs_dir = .\nrand_serial = yes\ndefault_md = sha256\npolicy = p\n[p]\nUID = optional\nOU = optional\n',
    );
    const sh = (cmd: string, args: string[]) => {
      const r = spawnSync(cmd, args, { cwd: ca, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
    };
    sh('openssl', ['req', '-new', '-key', join(tmp, 'a', 'signer.key'), '-subj', `/UID=${PASS}/OU=${TEAM}`, '-out', 'r.csr']);
    const key = join(tmp, 'a', 'signer.key');
    const dates = ['-startdate', '20200101000000Z', '-enddate', '20210101000000Z'];
    sh('openssl', [
      'ca',
      '-batch',
      '-notext',
      '-config',
      'ca.cnf',
      '-selfsign',
      '-keyfile',
      key,
      '-in',
      'r.csr',
      ...dates,
      '-out',
      'expired.pem',
    ]);
    assert.throws(
      () => load({ cert: join(ca, 'expired.pem') }),
      /^Error: APPLE_CERT expired on Jan {2}1 00:00:00 2021 GMT: renew the Pass Type ID certificate$/,
    );
  });
});
