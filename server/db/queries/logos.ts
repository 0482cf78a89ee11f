import type { Queryable } from '../index.ts';

export interface LogoRow {
  png: Buffer;
  sha256: string;
}

/** bytea reads as a Buffer (pg) or a Uint8Array (PGlite). */
const asLogo = (row: { png: Uint8Array; sha256: string } | undefined): LogoRow | undefined =>
  row && { png: Buffer.from(row.png), sha256: row.sha256 };

export async function getMerchantLogo(q: Queryable, merchantId: string): Promise<LogoRow | undefined> {
  const { rows } = await q.query<{ png: Uint8Array; sha256: string }>(
    'SELECT png, sha256 FROM merchant_logos WHERE merchant_id = $1',
    [merchantId],
    'getMerchantLogo',
  );
  return asLogo(rows[0]);
}

/** The logo at its public file name: the merchant's, if its SHA-256 starts with `sha8`. */
export async function getLogoFile(q: Queryable, merchantId: string, sha8: string): Promise<Buffer | undefined> {
  const { rows } = await q.query<{ png: Uint8Array; sha256: string }>(
    'SELECT png, sha256 FROM merchant_logos WHERE merchant_id = $1 AND left(sha256, 8) = $2',
    [merchantId, sha8],
    'getLogoFile',
  );
  return asLogo(rows[0])?.png;
}

/** Stores the logo; returns the SHA-256 of the one it replaced, if any. */
export async function upsertMerchantLogo(q: Queryable, merchantId: string, logo: LogoRow): Promise<string | null> {
  const { rows } = await q.query<{ previous: string | null }>(
    `WITH old AS (SELECT sha256 FROM merchant_logos WHERE merchant_id = $1 FOR UPDATE),
          up AS (INSERT INTO merchant_logos (merchant_id, png, sha256) VALUES ($1, $2, $3)
                 ON CONFLICT (merchant_id) DO UPDATE SET png = EXCLUDED.png, sha256 = EXCLUDED.sha256, updated_at = now())
     SELECT (SELECT sha256 FROM old) AS previous`,
    [merchantId, logo.png, logo.sha256],
  );
  return rows[0]?.previous ?? null;
}

export async function deleteMerchantLogo(q: Queryable, merchantId: string): Promise<boolean> {
  const { rows } = await q.query('DELETE FROM merchant_logos WHERE merchant_id = $1 RETURNING 1', [merchantId]);
  return rows.length > 0;
}
