import { createHash } from 'node:crypto';
import type { Queryable } from '../db/index.ts';
import { claimIdempotencyKey, getIdempotentAnswer, saveIdempotentAnswer } from '../db/queries/idempotency.ts';
import { ApiError } from '../errors.ts';

export interface Answer<T> {
  status: number;
  body: T;
}

/** A fingerprint of what a key was first used for: same key, other request → 409. */
export function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256').update(`${method} ${path}\n${JSON.stringify(body ?? null)}`).digest('base64url');
}

/**
 * Runs `fn` at most once per (merchant, key), inside the caller's transaction. A repeat gets
 * the stored answer; a repeat in flight waits for the first one to commit. If `fn` throws,
 * the transaction rolls back and the key is not remembered.
 */
export async function once<T>(
  tx: Queryable,
  merchantId: string,
  key: string | undefined,
  hash: string,
  fn: () => Promise<Answer<T>>,
): Promise<Answer<T>> {
  if (key === undefined) return fn();
  if (await claimIdempotencyKey(tx, merchantId, key, hash)) {
    const answer = await fn();
    await saveIdempotentAnswer(tx, merchantId, key, answer.status, answer.body);
    return answer;
  }
  const stored = await getIdempotentAnswer(tx, merchantId, key);
  if (!stored || stored.status === null) throw new Error('idempotency key claimed without an answer');
  if (stored.request_hash !== hash) {
    throw new ApiError('conflict', 'This Idempotency-Key was already used for a different request.');
  }
  return { status: stored.status, body: stored.body as T };
}
