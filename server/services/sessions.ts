// Who is calling the merchant API: a session (the dashboard's cookie) or an API key (a till).
import { deleteSession, getApiKeyPrincipal, getSessionPrincipal, insertSession } from '../db/queries/auth.ts';
import type { Principal } from '../domain/principal.ts';
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

export const endSession = ({ db }: Pick<Deps, 'db'>, id: string) => deleteSession(db, sha256(id));

export const sessionPrincipal = ({ db }: Pick<Deps, 'db'>, id: string): Promise<Principal | undefined> =>
  getSessionPrincipal(db, sha256(id));

/**
 * The principal of a till's API key, read from the database on every request (one indexed
 * lookup): a revoked key is refused at once, by every process.
 */
export const apiKeyPrincipal = ({ db }: Pick<Deps, 'db'>, key: string): Promise<Principal | undefined> =>
  getApiKeyPrincipal(db, sha256(key));
