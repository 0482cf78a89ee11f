import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import { isOwner, isTill, type Principal } from '../domain/principal.ts';
import { AppError } from '../errors.ts';
import { apiKeyPrincipal, SESSION_DAYS, sessionPrincipal } from '../services/sessions.ts';
import type { AppEnv, Deps } from './env.ts';

export const SESSION_COOKIE = 'fidelio_session';

/**
 * Behind https the session cookie is `__Host-fidelio_session`: the browser keeps it only if it
 * is Secure, for the whole host and no wider domain, so no sibling subdomain can set or shadow it.
 * Plain http (development on one's own machine) cannot have the prefix.
 */
const prefixOf = (deps: Deps) => (deps.config.publicUrl.startsWith('https:') ? ('host' as const) : undefined);

export async function setSessionCookie(c: Context, deps: Deps, sessionId: string): Promise<void> {
  const prefix = prefixOf(deps);
  await setSignedCookie(c, SESSION_COOKIE, sessionId, deps.config.sessionSecret, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: prefix === 'host',
    path: '/',
    maxAge: SESSION_DAYS * 86_400,
    ...(prefix && { prefix }),
  });
}

export function clearSessionCookie(c: Context, deps: Deps): void {
  const prefix = prefixOf(deps);
  deleteCookie(c, SESSION_COOKIE, { path: '/', ...(prefix && { prefix, secure: true }) });
}

/** The session id from a correctly signed cookie, or undefined. */
export async function sessionIdFrom(c: Context, deps: Deps): Promise<string | undefined> {
  const value = await getSignedCookie(c, deps.config.sessionSecret, SESSION_COOKIE, prefixOf(deps));
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses a request whose Origin is present and not the server's own: signup and login must
 * not be driven by another site (login CSRF).
 */
export function refuseForeignOrigin(c: Context, deps: Deps): void {
  const origin = c.req.header('origin');
  if (origin !== undefined && origin !== deps.config.publicOrigin) {
    throw new AppError('forbidden', 'Requests from another site are not allowed here.');
  }
}

/**
 * Who is calling: a bearer API key (POS) or the session cookie (dashboard). A cookie-
 * authenticated write must carry `Origin` equal to the server's own origin (CSRF).
 */
export function authenticate(deps: Deps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    let principal: Principal | undefined;
    const authorization = c.req.header('authorization');
    if (authorization !== undefined) {
      const key = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
      principal = key ? await apiKeyPrincipal(deps, key) : undefined;
      if (!principal) throw new AppError('unauthorized', 'This API key is not valid.');
    } else {
      const sessionId = await sessionIdFrom(c, deps);
      principal = sessionId ? await sessionPrincipal(deps, sessionId) : undefined;
      if (!principal) throw new AppError('unauthorized', 'Please log in.');
      if (!SAFE_METHODS.has(c.req.method) && c.req.header('origin') !== deps.config.publicOrigin) {
        throw new AppError('forbidden', 'This request did not come from the dashboard (CSRF check).');
      }
    }
    c.set('principal', principal);
    await next();
  };
}

/** Owner-only routes (the program, the team, keys, messages, corrections, erasure): staff and API keys get 403. */
export const ownerOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!isOwner(c.var.principal)) throw new AppError('forbidden', 'Only the owner can do this.');
  await next();
};

/** Routes for a person signed in (owner or staff): a till's API key gets 403 (it looks up one card, not the list). */
export const peopleOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (isTill(c.var.principal))
    throw new AppError('forbidden', 'A till’s API key looks up one card by its serial; this needs a person signed in.');
  await next();
};
