import type { Queryable } from '../index.ts';

export interface MerchantRow {
  id: string;
  name: string;
  email: string;
}

export interface UserRow {
  id: string;
  merchant_id: string;
  email: string;
  password_hash: string;
  role: 'owner' | 'staff';
}

export async function insertMerchant(q: Queryable, m: { name: string; email: string }): Promise<MerchantRow> {
  const { rows } = await q.query<MerchantRow>('INSERT INTO merchants (name, email) VALUES ($1, $2) RETURNING id, name, email', [
    m.name,
    m.email,
  ]);
  return rows[0]!;
}

export async function getMerchant(q: Queryable, id: string): Promise<MerchantRow | undefined> {
  const { rows } = await q.query<MerchantRow>('SELECT id, name, email FROM merchants WHERE id = $1', [id]);
  return rows[0];
}

export async function insertUser(
  q: Queryable,
  u: { merchantId: string; email: string; passwordHash: string; role: 'owner' | 'staff'; locationId?: string | null },
): Promise<UserRow> {
  const { rows } = await q.query<UserRow>(
    `INSERT INTO staff_users (merchant_id, email, password_hash, role, location_id) VALUES ($1, $2, $3, $4, $5)
     RETURNING id, merchant_id, email, password_hash, role`,
    [u.merchantId, u.email, u.passwordHash, u.role, u.locationId ?? null],
  );
  return rows[0]!;
}

export async function getUserByEmail(q: Queryable, email: string): Promise<UserRow | undefined> {
  const { rows } = await q.query<UserRow>(
    'SELECT id, merchant_id, email, password_hash, role FROM staff_users WHERE lower(email) = lower($1)',
    [email],
  );
  return rows[0];
}

/**
 * What a merchant's message reaches: its cards (each has a pass) and the distinct Apple
 * Wallet push tokens registered for them (a device gets one push, however many cards it holds).
 */
export async function countPassReach(q: Queryable, merchantId: string): Promise<{ cards: number; devices: number }> {
  const { rows } = await q.query<{ cards: number; devices: number }>(
    `SELECT (SELECT count(*) FROM cards WHERE merchant_id = $1)::int AS cards,
            (SELECT count(DISTINCT r.push_token) FROM apple_registrations r JOIN cards c ON c.id = r.card_id
              WHERE c.merchant_id = $1)::int AS devices`,
    [merchantId],
    'countPassReach',
  );
  return rows[0]!;
}
