import { createHash } from 'node:crypto';
import type { Queryable } from '../db/index.ts';
import { claimIdempotencyKey, getIdempotentAnswer } from '../db/queries/idempotency.ts';
import { AppError } from '../errors.ts';

/** A fingerprint of what a key was first used for: same key, other request → 409. */
export function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n${JSON.stringify(body ?? null)}`)
    .digest('base64url');
}

/**
 * Claims an Idempotency-Key inside the caller's transaction: true when this request is the
 * first (its answer is then saved with its writes, see `writeCardChange`); false when an
 * answer is stored. A duplicate in flight waits here until the first commits or rolls back
 * (if it rolls back, the key was never remembered and this request claims it).
 */
export const claim = (tx: Queryable, merchantId: string, k: { key: string; hash: string }) =>
  claimIdempotencyKey(tx, merchantId, k.key, k.hash);

/** The stored answer for a key; `conflict` when the key was used for another request. */
export async function replay<T>(tx: Queryable, merchantId: string, k: { key: string; hash: string }): Promise<T> {
  const stored = await getIdempotentAnswer(tx, merchantId, k.key);
  if (!stored || stored.status === null) throw new Error('idempotency key claimed without an answer');
  if (stored.request_hash !== k.hash) {
    throw new AppError('conflict', 'This Idempotency-Key was already used for a different request.');
  }
  return stored.body as T;
}
