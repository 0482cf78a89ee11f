import type { Queryable } from '../index.ts';

/** Counts one hit in a fixed window; returns the hits in that window so far, this one included. */
export async function hitRateLimit(q: Queryable, bucket: string, windowStart: Date): Promise<number> {
  const { rows } = await q.query<{ hits: number }>(
    `INSERT INTO rate_limits (bucket, window_start, hits) VALUES ($1, $2, 1)
     ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limits.hits + 1
     RETURNING hits`,
    [bucket, windowStart],
    'hitRateLimit',
  );
  return rows[0]!.hits;
}

export async function deleteOldRateLimits(q: Queryable, before: Date): Promise<void> {
  await q.query('DELETE FROM rate_limits WHERE window_start < $1', [before]);
}
