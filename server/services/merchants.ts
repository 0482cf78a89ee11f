import type { Db, Queryable } from '../db/index.ts';
import { UNIQUE_VIOLATION, sqlState } from '../db/index.ts';
import { deleteSession, getApiKeyPrincipal, getSessionPrincipal, insertApiKey, insertSession, type Principal } from '../db/queries/auth.ts';
import { countPassReach, getUserByEmail, insertMerchant, insertUser, type MerchantRow } from '../db/queries/merchants.ts';
import { reissueMerchantPasses } from '../db/queries/outbox.ts';
import { deleteStaff } from '../db/queries/staff.ts';
import { getProgramByMerchant, insertProgram, setProgramMessage, updateProgram } from '../db/queries/programs.ts';
import { defaultProgram, type Program, slugify } from '../domain/program.ts';
import { ApiError, notFound } from '../errors.ts';
import { dummyHash, hashPassword, verifyPassword } from './passwords.ts';
import { base32, newApiKey, newSessionId, sha256, isUuid } from './tokens.ts';
import { randomBytes } from 'node:crypto';

export const SESSION_DAYS = 14;

export interface MerchantSignup {
  businessName: string;
  email: string;
  password: string;
  locale?: 'en' | 'fr';
}

/**
 * A new merchant: the business, its owner account and a default 10-stamp program, in one
 * transaction. 409 conflict when the email already has an account.
 */
export async function signUpMerchant(db: Db, input: MerchantSignup): Promise<{ merchant: MerchantRow; program: Program; userId: string }> {
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
      throw new ApiError('conflict', 'An account with this email already exists. Log in instead.');
    }
    if (sqlState(err) === UNIQUE_VIOLATION) throw new ApiError('conflict', 'Please try again.');
    throw err;
  }
}

/** `base`, or `base-xxxx` when taken. A race on the same name ends as a unique violation. */
async function freeSlug(tx: Queryable, base: string): Promise<string> {
  const { rows } = await tx.query('SELECT 1 FROM programs WHERE slug = $1', [base]);
  return rows.length === 0 ? base : `${base}-${base32(randomBytes(3)).slice(0, 4)}`;
}

/** Checks email + password. Unknown email and wrong password look the same, and take as long. */
export async function authenticate(db: Db, email: string, password: string): Promise<{ userId: string; merchantId: string }> {
  const user = await getUserByEmail(db, email);
  const ok = await verifyPassword(password, user?.password_hash ?? (await dummyHash()));
  if (!user || !ok) throw new ApiError('unauthorized', 'Email or password is incorrect.');
  return { userId: user.id, merchantId: user.merchant_id };
}

/** Starts a session; returns the id for the cookie (only its hash is stored). */
export async function startSession(db: Db, userId: string, merchantId: string): Promise<{ id: string; expiresAt: Date }> {
  const id = newSessionId();
  const expiresAt = new Date(Date.now() + SESSION_DAYS * 86_400_000);
  await insertSession(db, { idHash: sha256(id), userId, merchantId, expiresAt });
  return { id, expiresAt };
}

export const endSession = (db: Db, id: string) => deleteSession(db, sha256(id));
export const sessionPrincipal = (db: Db, id: string): Promise<Principal | undefined> => getSessionPrincipal(db, sha256(id));

/**
 * API keys seen in the last 30 s, so a busy till costs no extra query per request. Bounded;
 * a revoked key (no route revokes one yet) would keep working for at most API_KEY_TTL_MS.
 */
const API_KEY_TTL_MS = 30_000;
const apiKeyCache = new Map<string, { principal: Principal; until: number }>();

export async function apiKeyPrincipal(db: Db, key: string): Promise<Principal | undefined> {
  const hash = sha256(key);
  const id = hash.toString('base64');
  const hit = apiKeyCache.get(id);
  if (hit && hit.until > Date.now()) return hit.principal;
  const principal = await getApiKeyPrincipal(db, hash);
  if (principal) {
    if (apiKeyCache.size >= 1000) apiKeyCache.delete(apiKeyCache.keys().next().value!);
    apiKeyCache.set(id, { principal, until: Date.now() + API_KEY_TTL_MS });
  }
  return principal;
}

/** A new API key for a POS; the key itself is returned once and only its hash is kept. */
export async function createApiKey(db: Db, merchantId: string, name: string) {
  const key = newApiKey();
  const row = await insertApiKey(db, { merchantId, name, prefix: key.slice(0, 7), keyHash: sha256(key) });
  return { id: row.id, name, key, createdAt: row.created_at.toISOString() };
}

export async function getProgram(db: Db, merchantId: string): Promise<Program> {
  const row = await getProgramByMerchant(db, merchantId);
  if (!row) throw notFound('This merchant has no program.');
  return row.program;
}

/**
 * Replaces the program (the slug never changes). A change re-issues every pass: each card
 * gets a new version and each registered phone a push, in the same transaction.
 */
export async function saveProgram(db: Db, merchantId: string, program: Omit<Program, 'slug'>): Promise<Program> {
  return db.transaction(async (tx) => {
    const current = await getProgramByMerchant(tx, merchantId);
    if (!current) throw notFound('This merchant has no program.');
    const row = (await updateProgram(tx, merchantId, { ...program, slug: current.program.slug }))!;
    // Both come out of jsonb, with its key order: equal text is an equal program.
    if (JSON.stringify(row.program) !== JSON.stringify(current.program)) await reissueMerchantPasses(tx, merchantId);
    return row.program;
  });
}

/**
 * The merchant's message on every pass (its own field, so the lock screen shows it): every
 * card gets a new version and each registered phone a push. Returns how many it reaches,
 * counted as `messageReach` counts them before sending.
 */
export async function broadcastMessage(db: Db, merchantId: string, text: string): Promise<{ cards: number; devices: number }> {
  return db.transaction(async (tx) => {
    await setProgramMessage(tx, merchantId, text);
    await reissueMerchantPasses(tx, merchantId);
    return countPassReach(tx, merchantId);
  });
}

/** How many passes and devices a message would reach now: the dashboard asks before sending. */
export async function messageReach(db: Db, merchantId: string): Promise<{ cards: number; devices: number }> {
  return countPassReach(db, merchantId);
}

/** A staff account for the merchant (scan, stamp, redeem, look up customers; no owner actions). */
export async function addStaff(db: Db, merchantId: string, input: { email: string; password: string }) {
  const passwordHash = await hashPassword(input.password);
  try {
    const user = await insertUser(db, { merchantId, email: input.email, passwordHash, role: 'staff' });
    return { id: user.id, email: user.email, role: user.role };
  } catch (err) {
    if (sqlState(err) === UNIQUE_VIOLATION) throw new ApiError('conflict', 'An account with this email already exists.');
    throw err;
  }
}

/** Removes a staff account (never an owner); its sessions end with it. */
export async function removeStaff(db: Db, merchantId: string, id: string): Promise<void> {
  if (!isUuid(id) || !(await deleteStaff(db, merchantId, id))) throw notFound('No staff account with this id.');
}
