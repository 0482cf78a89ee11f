// A merchant's account: signing up (the business, its owner and a default program), logging in
// and out, and who is signed in.
import { randomBytes } from 'node:crypto';
import type { Queryable } from '../db/index.ts';
import { UNIQUE_VIOLATION, sqlState } from '../db/index.ts';
import { getMerchant, getUserByEmail, insertMerchant, insertUser, type MerchantRow } from '../db/queries/merchants.ts';
import { insertProgram } from '../db/queries/programs.ts';
import { getStaff } from '../db/queries/staff.ts';
import { defaultProgram, type Program, slugify } from '../domain/program.ts';
import type { Locale } from '../../common/localize.ts';
import type { Principal } from '../domain/principal.ts';
import { AppError } from '../errors.ts';
import type { Deps } from './deps.ts';
import { dummyHash, hashPassword, verifyPassword } from './passwords.ts';
import { enforceRateLimit, LIMITS } from './rate-limit.ts';
import { startSession } from './sessions.ts';
import { base32 } from './tokens.ts';

export interface MerchantSignup {
  businessName: string;
  email: string;
  password: string;
  locale?: Locale;
}

/** The merchant as the API shows it. */
export const merchantView = (m: MerchantRow) => ({ id: m.id, name: m.name, email: m.email });

/**
 * A new merchant: the business, its owner account and a default 10-stamp program, in one
 * transaction. `conflict` when the email already has an account.
 */
export async function signUpMerchant(
  { db }: Pick<Deps, 'db'>,
  input: MerchantSignup,
): Promise<{ merchant: MerchantRow; program: Program; userId: string }> {
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.transaction(async (tx) => {
      const merchant = await insertMerchant(tx, { name: input.businessName, email: input.email });
      const user = await insertUser(tx, { merchantId: merchant.id, email: input.email, passwordHash, role: 'owner' });
      const slug = await freeSlug(tx, slugify(input.businessName));
      const program = await insertProgram(tx, merchant.id, defaultProgram(slug, input.businessName, input.locale));
      return { merchant, program: program.program, userId: user.id };
    });
  } catch (err) {
    if (sqlState(err) === UNIQUE_VIOLATION && String((err as { constraint?: string }).constraint ?? '').includes('email')) {
      throw new AppError('conflict', 'An account with this email already exists. Log in instead.');
    }
    if (sqlState(err) === UNIQUE_VIOLATION) throw new AppError('conflict', 'Please try again.');
    throw err;
  }
}

/** Signs a new merchant up and opens the owner's session. */
export async function signUpAndStart(deps: Pick<Deps, 'db'>, input: MerchantSignup) {
  const { merchant, program, userId } = await signUpMerchant(deps, input);
  const session = await startSession(deps, userId, merchant.id);
  return { merchant: merchantView(merchant), program, session };
}

/** `base`, or `base-xxxx` when taken. A race on the same name ends as a unique violation. */
async function freeSlug(tx: Queryable, base: string): Promise<string> {
  const { rows } = await tx.query('SELECT 1 FROM programs WHERE slug = $1', [base]);
  return rows.length === 0 ? base : `${base}-${base32(randomBytes(3)).slice(0, 4)}`;
}

/**
 * Logs in with email and password, and opens a session. At most 10 tries per email from one IP
 * and 50 per IP in 15 minutes, 100 per email in an hour: a stranger's wrong guesses do not lock
 * the owner out from another place. An unknown email and a wrong password look the same, and
 * take as long.
 */
export async function logIn(deps: Pick<Deps, 'db'>, email: string, password: string, client: { ip: string }) {
  await enforceRateLimit(deps, LIMITS.loginPerIp, client.ip);
  await enforceRateLimit(deps, LIMITS.loginPerEmailAndIp, `${email} ${client.ip}`);
  await enforceRateLimit(deps, LIMITS.loginPerEmail, email);
  const user = await getUserByEmail(deps.db, email);
  const ok = await verifyPassword(password, user?.password_hash ?? (await dummyHash()));
  if (!user || !ok) throw new AppError('unauthorized', 'Email or password is incorrect.');
  const session = await startSession(deps, user.id, user.merchant_id);
  const merchant = await getMerchant(deps.db, user.merchant_id);
  return { merchant: merchant ? merchantView(merchant) : null, session };
}

/** Who is signed in: the merchant, the user (none for an API key), the role and how. */
export async function whoAmI({ db }: Pick<Deps, 'db'>, principal: Principal) {
  const { merchantId, role, actor, via, locationId } = principal;
  const merchant = await getMerchant(db, merchantId);
  const user = actor.startsWith('user:') ? await getStaff(db, merchantId, actor.slice(5)) : undefined;
  return {
    merchant: merchant ? merchantView(merchant) : null,
    user: user ? { id: user.id, email: user.email, role: user.role } : null,
    role,
    via,
    locationId,
  };
}
