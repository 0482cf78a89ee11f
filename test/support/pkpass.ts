import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readZip } from './zip.ts';

/** A .pkpass opened the way a conformance check looks at it. */
export interface OpenedPass {
  files: Map<string, Buffer>;
  pass: any;
  manifest: Record<string, string>;
  strings: { en: Record<string, string>; fr: Record<string, string> };
}

/** Parses `"key" = "value";` lines (the escapes pass.strings uses: \" \\ \n). */
export function parseStrings(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const unquote = (s: string) => s.replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
  for (const m of text.matchAll(/^"((?:[^"\\]|\\.)*)" = "((?:[^"\\]|\\.)*)";$/gm)) out[unquote(m[1]!)] = unquote(m[2]!);
  return out;
}

export function openPass(bytes: Uint8Array): OpenedPass {
  const files = readZip(bytes);
  const json = (name: string) => JSON.parse(files.get(name)?.toString('utf8') ?? 'null');
  return {
    files,
    pass: json('pass.json'),
    manifest: json('manifest.json'),
    strings: {
      en: parseStrings(files.get('en.lproj/pass.strings')?.toString('utf8') ?? ''),
      fr: parseStrings(files.get('fr.lproj/pass.strings')?.toString('utf8') ?? ''),
    },
  };
}

export const sha1 = (b: Uint8Array) => createHash('sha1').update(b).digest('hex');

/**
 * `openssl cms -verify` of a detached `signature` over `manifest`, against `caPem` (the chain
 * inside the signature must lead there). Returns openssl's exit code and stderr.
 */
export function opensslVerify(manifest: Uint8Array, signature: Uint8Array, caPem: string) {
  const dir = mkdtempSync(join(tmpdir(), 'fidelio-pkpass-'));
  try {
    writeFileSync(join(dir, 'signature'), signature);
    writeFileSync(join(dir, 'manifest.json'), manifest);
    writeFileSync(join(dir, 'ca.pem'), caPem);
    const r = spawnSync(
      'openssl',
      [
        'cms',
        '-verify',
        '-binary',
        '-inform',
        'DER',
        '-in',
        'signature',
        '-content',
        'manifest.json',
        '-CAfile',
        'ca.pem',
        '-purpose',
        'any',
        '-out',
        '/dev/null',
      ],
      { cwd: dir, encoding: 'utf8' },
    );
    if (r.error) throw r.error;
    return { code: r.status, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The pass's signature checked over its manifest (or `manifest`, to try a tampered one). */
export function verifySignature(files: Map<string, Buffer>, caPem: string, manifest = files.get('manifest.json')!) {
  return opensslVerify(manifest, files.get('signature')!, caPem);
}

/** Width and height from a PNG's IHDR. */
export function pngSize(png: Buffer): { width: number; height: number } {
  if (!png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) throw new Error('not a PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}
