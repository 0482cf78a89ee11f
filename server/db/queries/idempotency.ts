import type { Queryable } from '../index.ts';

/**
 * Claims an Idempotency-Key for this transaction. If another transaction holds the same key
 * uncommitted, Postgres makes this INSERT wait until that one ends. Returns true when the
 * key is ours, false when an answer was already committed under it.
 */
export async function claimIdempotencyKey(q: Queryable, merchantId: string, key: string, requestHash: string): Promise<boolean> {
  const { rows } = await q.query(
    `INSERT INTO idempotency_keys (merchant_id, key, request_hash) VALUES ($1, $2, $3)
     ON CONFLICT (merchant_id, key) DO NOTHING RETURNING 1 AS claimed`,
    [merchantId, key, requestHash],
    'claimIdempotencyKey',
  );
  return rows.length === 1;
}

export async function getIdempotentAnswer(
  q: Queryable,
  merchantId: string,
  key: string,
): Promise<{ request_hash: string; status: number; body: unknown } | undefined> {
  const { rows } = await q.query<{ request_hash: string; status: number; body: unknown }>(
    'SELECT request_hash, status, body FROM idempotency_keys WHERE merchant_id = $1 AND key = $2',
    [merchantId, key],
    'getIdempotentAnswer',
  );
  return rows[0];
}
