import type { Queryable } from '../index.ts';

export interface StaffRow {
  id: string;
  email: string;
  role: 'owner' | 'staff';
  location_id: string | null;
  created_at: Date;
}

export async function listStaff(q: Queryable, merchantId: string): Promise<StaffRow[]> {
  const { rows } = await q.query<StaffRow>(
    'SELECT id, email, role, location_id, created_at FROM staff_users WHERE merchant_id = $1 ORDER BY created_at, id',
    [merchantId],
  );
  return rows;
}

/** Removes a staff account (not an owner); its sessions end with it. */
export async function deleteStaff(q: Queryable, merchantId: string, id: string): Promise<boolean> {
  const { rows } = await q.query(`DELETE FROM staff_users WHERE merchant_id = $1 AND id = $2 AND role = 'staff' RETURNING 1`, [
    merchantId,
    id,
  ]);
  return rows.length > 0;
}

/** One account of the merchant, by id (the signed-in user of a session). */
export async function getStaff(q: Queryable, merchantId: string, id: string): Promise<StaffRow | undefined> {
  const { rows } = await q.query<StaffRow>(
    'SELECT id, email, role, location_id, created_at FROM staff_users WHERE merchant_id = $1 AND id = $2',
    [merchantId, id],
  );
  return rows[0];
}
