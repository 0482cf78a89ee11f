// Who is calling the merchant API: a session (the dashboard's cookie) or an API key (a till).
import { deleteSession, getApiKeyPrincipal, getSessionPrincipal, insertApiKey, insertSession } from '../db/queries/auth.ts';
import type { Principal } from '../domain/principal.ts';
import type { Deps } from './deps.ts';
import { newApiKey, newSessionId, sha256 } from './tokens.ts';

export const SESSION_DAYS = 14;

/** Starts a session; returns the id for the cookie (only its hash is stored). */
export async function startSession({ db }: Pick<Deps, 'db'>, userId: string, merchantId: string): Promise<{ id: string; expiresAt: Date }> {
  const id = newSessionId();
  const expiresAt = new Date(Date.now() + SESSION_DAYS * 86_400_000);
  await insertSession(db, { idHash: sha256(id), userId, merchantId, expiresAt });
  return { id, expiresAt };
}

export const endSession = ({ db }: Pick<Deps, 'db'>, id: string) => deleteSession(db, sha256(id));

export const sessionPrincipal = ({ db }: Pick<Deps, 'db'>, id: string): Promise<Principal | undefined> =>
  getSessionPrincipal(db, sha256(id));

/**
 * API keys seen in the last 30 s, so a busy till costs no extra query per request. Bounded;
 * a revoked key (no route revokes one yet) would keep working for at most API_KEY_TTL_MS.
 */
const API_KEY_TTL_MS = 30_000;
const apiKeyCache = new Map<string, { principal: Principal; until: number }>();

export async function apiKeyPrincipal({ db }: Pick<Deps, 'db'>, key: string): Promise<Principal | undefined> {
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

/** A new API key for a till; the key itself is returned once and only its hash is kept. */
export async function createApiKey({ db }: Pick<Deps, 'db'>, merchantId: string, name: string) {
  const key = newApiKey();
  const row = await insertApiKey(db, { merchantId, name, prefix: key.slice(0, 7), keyHash: sha256(key) });
  return { id: row.id, name, key, createdAt: row.created_at.toISOString() };
}
