// Who is calling the merchant API: a session (the dashboard's cookie) or an API key (a till).
import {
  deleteSession,
  deleteUserSessions,
  getApiKeyPrincipal,
  getSessionPrincipal,
  insertSession,
  touchApiKey,
} from '../db/queries/auth.ts';
import type { Principal } from '../domain/principal.ts';
import type { Db } from '../db/index.ts';
import type { Deps } from './deps.ts';
import { newSessionId, sha256 } from './tokens.ts';

export const SESSION_DAYS = 14;

/** Starts a session; returns the id for the cookie (only its hash is stored). */
export async function startSession({ db }: Pick<Deps, 'db'>, userId: string, merchantId: string): Promise<{ id: string; expiresAt: Date }> {
  const id = newSessionId();
  const expiresAt = new Date(Date.now() + SESSION_DAYS * 86_400_000);
  await insertSession(db, { idHash: sha256(id), userId, merchantId, expiresAt });
  return { id, expiresAt };
}

/**
 * Ends the session, or with `everywhere` every session of its user: on every device, the
 * dashboard asks for a login again (a lost phone, a computer left signed in).
 */
export const endSession = ({ db }: Pick<Deps, 'db'>, id: string, { everywhere = false } = {}) =>
  everywhere ? deleteUserSessions(db, sha256(id)) : deleteSession(db, sha256(id));

export const sessionPrincipal = ({ db }: Pick<Deps, 'db'>, id: string): Promise<Principal | undefined> =>
  getSessionPrincipal(db, sha256(id));

/**
 * Keys seen by this process, when it is the only one using its database (PGlite: the data
 * directory is locked by one process): a busy till then costs no query per request, and a
 * revocation (which goes through this process) drops its key from here at once. On a Postgres
 * server several processes may share the keys, so each request reads its key there.
 */
const KEY_CACHE_MAX = 1000;
type CachedKey = Principal & { keyId: string; touchedAt: number };
const keyCache = new WeakMap<Db, Map<string, CachedKey>>();

/** A key's last use is written at most this often. */
const TOUCH_EVERY_MS = 60_000;

/**
 * The principal of a till's API key: a revoked key is refused at once, by every process. Its
 * last use is written at most once a minute, after the answer (a failure to write it costs the
 * request nothing).
 */
export async function apiKeyPrincipal({ db }: Pick<Deps, 'db'>, key: string): Promise<Principal | undefined> {
  const hash = sha256(key).toString('base64');
  const cache = db.driver === 'pglite' ? cacheOf(db) : undefined;
  const hit = cache?.get(hash);
  if (hit) {
    if (Date.now() - hit.touchedAt > TOUCH_EVERY_MS) touch(db, hit);
    return principalOf(hit);
  }
  const found = await getApiKeyPrincipal(db, sha256(key));
  if (!found) return undefined;
  const { stale, ...rest } = found;
  const kept: CachedKey = { ...rest, touchedAt: stale ? 0 : Date.now() };
  if (stale) touch(db, kept);
  if (cache) {
    if (cache.size >= KEY_CACHE_MAX) cache.delete(cache.keys().next().value!);
    cache.set(hash, kept);
  }
  return principalOf(kept);
}

/** A revoked key is no longer known here (the database refuses it for every other process). */
export function forgetApiKey(db: Db, keyId: string): void {
  const cache = keyCache.get(db);
  if (!cache) return;
  for (const [hash, p] of cache) if (p.keyId === keyId) cache.delete(hash);
}

function cacheOf(db: Db): Map<string, CachedKey> {
  let cache = keyCache.get(db);
  if (!cache) keyCache.set(db, (cache = new Map()));
  return cache;
}

function touch(db: Db, key: CachedKey): void {
  key.touchedAt = Date.now();
  void touchApiKey(db, key.keyId).catch(() => {});
}

const principalOf = ({ keyId: _, touchedAt: __, ...p }: CachedKey): Principal => p;
