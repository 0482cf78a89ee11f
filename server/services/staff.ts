// The merchant's team: staff accounts scan, stamp, redeem and look customers up.
import { UNIQUE_VIOLATION, sqlState } from '../db/index.ts';
import { insertUser } from '../db/queries/merchants.ts';
import { deleteStaff, listStaff } from '../db/queries/staff.ts';
import { AppError, notFound } from '../errors.ts';
import { checkShop } from './api-keys.ts';
import type { Deps } from './deps.ts';
import { hashPassword } from './passwords.ts';
import { isUuid } from './tokens.ts';

/** The merchant's accounts (the owner and staff), oldest first. */
export async function team({ db }: Pick<Deps, 'db'>, merchantId: string) {
  const staff = await listStaff(db, merchantId);
  return {
    staff: staff.map((s) => ({ id: s.id, email: s.email, role: s.role, locationId: s.location_id, createdAt: s.created_at.toISOString() })),
  };
}

/** A staff account for the merchant (no owner actions), of one shop or every one. `conflict` when the email has an account. */
export async function addStaff(
  deps: Pick<Deps, 'db'>,
  merchantId: string,
  input: { email: string; password: string; locationId?: string | null },
) {
  const locationId = await checkShop(deps, merchantId, input.locationId);
  const passwordHash = await hashPassword(input.password);
  try {
    const user = await insertUser(deps.db, { merchantId, email: input.email, passwordHash, role: 'staff', locationId });
    return { id: user.id, email: user.email, role: user.role, locationId };
  } catch (err) {
    if (sqlState(err) === UNIQUE_VIOLATION) throw new AppError('conflict', 'An account with this email already exists.');
    throw err;
  }
}

/** Removes a staff account (never an owner); its sessions end with it. */
export async function removeStaff({ db }: Pick<Deps, 'db'>, merchantId: string, id: string): Promise<void> {
  if (!isUuid(id) || !(await deleteStaff(db, merchantId, id))) throw notFound('No staff account with this id.');
}
