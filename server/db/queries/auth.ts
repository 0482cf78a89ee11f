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
  const { rows } = await q.query<{ merchant_id: string; role: 'owner' | 'staff'; user_id: string }>(
    `SELECT s.merchant_id, u.role, u.id AS user_id
       FROM sessions s JOIN staff_users u ON u.id = s.user_id
      WHERE s.id_hash = $1 AND s.expires_at > now()`,
    [idHash],
    'getSessionPrincipal',
  );
  const r = rows[0];
  return r && { merchantId: r.merchant_id, role: r.role, actor: `user:${r.user_id}`, via: 'session' };
}

export async function deleteSession(q: Queryable, idHash: Buffer): Promise<void> {
  await q.query('DELETE FROM sessions WHERE id_hash = $1', [idHash]);
}

export async function insertApiKey(
  q: Queryable,
  k: { merchantId: string; name: string; prefix: string; keyHash: Buffer },
): Promise<{ id: string; created_at: Date }> {
  const { rows } = await q.query<{ id: string; created_at: Date }>(
    'INSERT INTO api_keys (merchant_id, name, prefix, key_hash) VALUES ($1, $2, $3, $4) RETURNING id, created_at',
    [k.merchantId, k.name, k.prefix, k.keyHash],
  );
  return rows[0]!;
}

/** API keys act with staff rights: stamp, purchase, redeem, look up customers. */
export async function getApiKeyPrincipal(q: Queryable, keyHash: Buffer): Promise<Principal | undefined> {
  const { rows } = await q.query<{ id: string; merchant_id: string }>(
    'SELECT id, merchant_id FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL',
    [keyHash],
    'getApiKeyPrincipal',
  );
  const r = rows[0];
  return r && { merchantId: r.merchant_id, role: 'staff', actor: `key:${r.id}`, via: 'api_key' };
}
