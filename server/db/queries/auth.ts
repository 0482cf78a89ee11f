import type { Principal } from '../../domain/principal.ts';
import type { Queryable } from '../index.ts';

export async function insertSession(
  q: Queryable,
  s: { idHash: Buffer; userId: string; merchantId: string; expiresAt: Date },
): Promise<void> {
  await q.query('INSERT INTO sessions (id_hash, user_id, merchant_id, expires_at) VALUES ($1, $2, $3, $4)', [
    s.idHash,
    s.userId,
    s.merchantId,
    s.expiresAt,
  ]);
}

export async function getSessionPrincipal(q: Queryable, idHash: Buffer): Promise<Principal | undefined> {
  const { rows } = await q.query<{ merchant_id: string; role: 'owner' | 'staff'; user_id: string; location_id: string | null }>(
    `SELECT s.merchant_id, u.role, u.id AS user_id, u.location_id
       FROM sessions s JOIN staff_users u ON u.id = s.user_id
      WHERE s.id_hash = $1 AND s.expires_at > now()`,
    [idHash],
    'getSessionPrincipal',
  );
  const r = rows[0];
  return r && { merchantId: r.merchant_id, role: r.role, actor: `user:${r.user_id}`, via: 'session', locationId: r.location_id };
}

export async function deleteSession(q: Queryable, idHash: Buffer): Promise<void> {
  await q.query('DELETE FROM sessions WHERE id_hash = $1', [idHash]);
}

/** Deletes every session of the user whose live session this is (that one included); none if it is unknown or expired. */
export async function deleteUserSessions(q: Queryable, idHash: Buffer): Promise<void> {
  await q.query(
    'DELETE FROM sessions WHERE user_id = (SELECT user_id FROM sessions WHERE id_hash = $1 AND expires_at > now())',
    [idHash],
    'deleteUserSessions',
  );
}

export interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  location_id: string | null;
  created_at: Date;
  last_used_at: Date | null;
}

export async function insertApiKey(
  q: Queryable,
  k: { merchantId: string; name: string; prefix: string; keyHash: Buffer; locationId: string | null },
): Promise<ApiKeyRow> {
  const { rows } = await q.query<ApiKeyRow>(
    `INSERT INTO api_keys (merchant_id, name, prefix, key_hash, location_id) VALUES ($1, $2, $3, $4, $5)
     RETURNING id, name, prefix, location_id, created_at, last_used_at`,
    [k.merchantId, k.name, k.prefix, k.keyHash, k.locationId],
  );
  return rows[0]!;
}

/** The merchant's keys that work (never their hash), oldest first. */
export async function listApiKeys(q: Queryable, merchantId: string): Promise<ApiKeyRow[]> {
  const { rows } = await q.query<ApiKeyRow>(
    `SELECT id, name, prefix, location_id, created_at, last_used_at FROM api_keys
      WHERE merchant_id = $1 AND revoked_at IS NULL ORDER BY created_at, id`,
    [merchantId],
  );
  return rows;
}

/** Revokes a key of the merchant's; false if there is none (or it was revoked before). */
export async function revokeApiKey(q: Queryable, merchantId: string, id: string): Promise<boolean> {
  const { rows } = await q.query(
    'UPDATE api_keys SET revoked_at = now() WHERE merchant_id = $1 AND id = $2 AND revoked_at IS NULL RETURNING 1',
    [merchantId, id],
  );
  return rows.length > 0;
}

/**
 * The key's principal when it works (a revoked key finds nothing: every request reads this, so a
 * revocation holds at once on every process). The key acts with staff rights, scoped to a till
 * (`isTill`). `stale`: its last use was written over a minute ago (or never): write it again.
 */
export async function getApiKeyPrincipal(
  q: Queryable,
  keyHash: Buffer,
): Promise<(Principal & { keyId: string; stale: boolean }) | undefined> {
  const { rows } = await q.query<{ id: string; merchant_id: string; location_id: string | null; stale: boolean }>(
    `SELECT id, merchant_id, location_id, (last_used_at IS NULL OR last_used_at < now() - interval '1 minute') AS stale
       FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL`,
    [keyHash],
    'getApiKeyPrincipal',
  );
  const r = rows[0];
  return (
    r && {
      merchantId: r.merchant_id,
      role: 'staff',
      actor: `key:${r.id}`,
      via: 'api_key',
      locationId: r.location_id,
      keyId: r.id,
      stale: r.stale,
    }
  );
}

/** Writes down that a key was used now (at most once a minute: see `getApiKeyPrincipal`). */
export async function touchApiKey(q: Queryable, id: string): Promise<void> {
  await q.query('UPDATE api_keys SET last_used_at = now() WHERE id = $1', [id], 'touchApiKey');
}
