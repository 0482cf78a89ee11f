// The limit on RSA signatures running at once in passes/apple/cms.ts (one core left to the event
// loop), observed without clocks: node:crypto's `sign` is swapped for one that holds each callback
// until the test lets it go (module.syncBuiltinESMExports makes `import { sign } from 'node:crypto'`
// see the swap), and os.availableParallelism is set before a fresh copy of cms.ts is loaded, so the
// limit is checked for several core counts whatever this machine has.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { syncBuiltinESMExports } from 'node:module';
import os from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { devCertificates } from '../../passes/apple/certificates.ts';

type SignCallback = (error: Error | null, signature: Buffer) => void;
type Cms = typeof import('../../passes/apple/cms.ts');

const originalSign = crypto.sign;
const originalParallelism = os.availableParallelism;
afterEach(() => {
  crypto.sign = originalSign;
  os.availableParallelism = originalParallelism;
  syncBuiltinESMExports();
});

/** What the limit must be on a machine with `cores` cores. */
const limitFor = (cores: number) => Math.max(1, cores - 1);

let copies = 0;
/** A fresh copy of cms.ts, loaded as if the machine had `cores` cores. */
async function cmsWith(cores: number): Promise<Cms> {
  os.availableParallelism = () => cores;
  syncBuiltinESMExports();
  return (await import(`../../passes/apple/cms.ts?cores=${cores}&copy=${copies++}`)) as Cms;
}

/** Replaces crypto.sign: each asynchronous call waits in `held` until the test calls it back. */
function holdSignatures() {
  const held: Array<{ data: Buffer; callback: SignCallback }> = [];
  crypto.sign = ((algorithm: string, data: Buffer, key: crypto.KeyObject, callback?: SignCallback) => {
    if (!callback) return originalSign(algorithm, data, key);
    held.push({ data, callback });
  }) as typeof crypto.sign;
  syncBuiltinESMExports();
  return held;
}

/** Lets every pending promise callback run (no timers involved: one turn of the event loop). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

const KEY = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;

describe('rsaSign: at most one signature per core but one in flight', () => {
  for (const cores of [1, 2, 4, 8]) {
    it(`${cores} core(s): ${limitFor(cores)} at once out of ${3 * limitFor(cores) + 2}, each slot handed on, every caller answered`, async () => {
      const { rsaSign } = await cmsWith(cores);
      const held = holdSignatures();
      const limit = limitFor(cores);
      const total = 3 * limit + 2;
      const results: Array<Buffer | undefined> = [];
      const calls = Array.from({ length: total }, (_, i) => rsaSign(Buffer.of(i), KEY).then((s) => (results[i] = s)));
      await settle();
      let finished = 0;
      while (finished < total) {
        const inFlight = held.length - finished;
        assert.equal(inFlight, Math.min(limit, total - finished), `after ${finished} finished: ${inFlight} in flight`);
        const next = held[finished]!;
        next.callback(null, Buffer.concat([Buffer.from('signed:'), next.data]));
        finished++;
        await settle();
      }
      await Promise.all(calls);
      assert.equal(held.length, total, 'each call signed once');
      assert.deepEqual(
        held.map((h) => h.data[0]),
        Array.from({ length: total }, (_, i) => i),
        'first come, first served',
      );
      results.forEach((s, i) => assert.deepEqual(s, Buffer.from([...Buffer.from('signed:'), i]), `caller ${i} got its own signature`));
    });
  }

  it('hands the slot on when a signature fails, and gives all slots back afterwards', async () => {
    const { rsaSign } = await cmsWith(4);
    const held = holdSignatures();
    const outcomes: string[] = [];
    const calls = Array.from({ length: 5 }, (_, i) =>
      rsaSign(Buffer.of(i), KEY).then(
        () => outcomes.push(`${i} ok`),
        (e: Error) => outcomes.push(`${i} ${e.message}`),
      ),
    );
    await settle();
    assert.equal(held.length, 3);
    held[0]!.callback(new Error('boom'), Buffer.alloc(0));
    await settle();
    assert.equal(held.length, 4, 'the failed signature’s slot went to the next caller');
    for (let i = 1; i < 5; i++) {
      held[i]!.callback(null, Buffer.of(i));
      await settle();
    }
    await Promise.all(calls);
    assert.deepEqual(outcomes.sort(), ['0 boom', '1 ok', '2 ok', '3 ok', '4 ok']);

    // Every slot came back: a second burst again gets the whole limit at once.
    const again = Array.from({ length: 4 }, (_, i) => rsaSign(Buffer.of(10 + i), KEY));
    await settle();
    assert.equal(held.length - 5, 3);
    for (let i = 5; i < 9; i++) {
      held[i]!.callback(null, Buffer.of(i));
      await settle();
    }
    await Promise.all(again);
  });

  it('keeps real signatures from signManifest under the limit (counted around crypto.sign)', async () => {
    const tmp = mkdtempSync(join(os.tmpdir(), 'fidelio-cms-concurrency-'));
    try {
      const cores = 3;
      const cms = await cmsWith(cores);
      const { signer } = await devCertificates(join(tmp, 'certs'), 'pass.dev.fidelio.concurrency', 'TEAMCONCUR');
      let inFlight = 0;
      let most = 0;
      let calls = 0;
      crypto.sign = ((algorithm: string, data: Buffer, key: crypto.KeyObject, callback?: SignCallback) => {
        if (!callback) return originalSign(algorithm, data, key);
        calls++;
        most = Math.max(most, ++inFlight);
        originalSign(algorithm, data, key, (error, signature) => {
          inFlight--;
          callback(error, signature);
        });
      }) as typeof crypto.sign;
      syncBuiltinESMExports();
      const manifests = Array.from({ length: 20 }, (_, i) => Buffer.from(`{"pass.json":"${i}"}`));
      const signatures = await Promise.all(manifests.map((m) => cms.signManifest(m, signer)));
      assert.equal(signatures.length, 20);
      assert.equal(calls, 20);
      assert.ok(most <= limitFor(cores), `${most} signatures in flight at once (limit ${limitFor(cores)})`);
      assert.ok(most >= 1);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
