import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import {
  loggedInSchema,
  loginBody,
  logoutQuery,
  merchantSignupBody,
  meSchema,
  SIGNED_IN_COOKIE,
  signedUpSchema,
} from '../../contract/merchant.ts';
import { empty, json, jsonBody, problems } from '../../contract/shared.ts';
import { clearSessionCookie, refuseForeignOrigin, sessionIdFrom, setSessionCookie } from '../../http/auth.ts';
import { clientIp } from '../../http/client.ts';
import type { Deps } from '../../http/env.ts';
import { logIn, signUpAndStart, whoAmI } from '../../services/accounts.ts';
import { enforceRateLimit, LIMITS } from '../../services/rate-limit.ts';
import { endSession, SESSION_DAYS } from '../../services/sessions.ts';
import { merchantApp, security } from './shared.ts';

const tags = ['Merchant: account'];

/** The signed-in hint (`SIGNED_IN_COOKIE`) beside a new session's cookie: for the dashboard's script, as long-lived as the session. */
function hintSignedIn(c: Context, deps: Deps): void {
  setCookie(c, SIGNED_IN_COOKIE, '1', {
    path: '/',
    sameSite: 'Lax',
    secure: deps.config.publicUrl.startsWith('https:'),
    maxAge: SESSION_DAYS * 86_400,
  });
}

function clearSignedInHint(c: Context, deps: Deps): void {
  deleteCookie(c, SIGNED_IN_COOKIE, { path: '/', secure: deps.config.publicUrl.startsWith('https:') });
}

/** Signing up, logging in and out: before a session exists (the Origin must be the dashboard's). */
export function sessionRoutes(deps: Deps) {
  const app = merchantApp();

  app.openapi(
    createRoute({
      method: 'post',
      path: '/signup',
      tags,
      summary: 'Sign a new merchant up',
      description: 'The business, its owner account and a default 10-stamp program; answers with the session cookie. 10 a minute per IP.',
      request: { body: jsonBody(merchantSignupBody) },
      responses: {
        201: json(signedUpSchema, 'The merchant and the program (`Set-Cookie`: the session, and the `fidelio_signed_in=1` hint).'),
        ...problems('validation_failed', 'forbidden', 'conflict', 'rate_limited'),
      },
    }),
    async (c) => {
      refuseForeignOrigin(c, deps);
      await enforceRateLimit(deps, LIMITS.merchantSignupPerIp, clientIp(c, deps.config.trustProxy));
      const { merchant, program, session } = await signUpAndStart(deps, c.req.valid('json'));
      await setSessionCookie(c, deps, session.id);
      hintSignedIn(c, deps);
      return c.json({ merchant, program }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/login',
      tags,
      summary: 'Log in',
      description:
        'At most 10 tries per email from one IP and 50 per IP in 15 minutes, and 100 per email in an hour from anywhere: wrong guesses from elsewhere do not lock the owner out. A wrong password and an unknown email get the same answer.',
      request: { body: jsonBody(loginBody) },
      responses: {
        200: json(loggedInSchema, 'Signed in (`Set-Cookie`: the session, and the `fidelio_signed_in=1` hint for the dashboard).'),
        ...problems('validation_failed', 'unauthorized', 'forbidden', 'rate_limited'),
      },
    }),
    async (c) => {
      refuseForeignOrigin(c, deps);
      const { email, password } = c.req.valid('json');
      const { merchant, session } = await logIn(deps, email, password, { ip: clientIp(c, deps.config.trustProxy) });
      await setSessionCookie(c, deps, session.id);
      hintSignedIn(c, deps);
      return c.json({ merchant }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/logout',
      tags,
      summary: 'Log out',
      description:
        'Ends this session; with `?everywhere=true`, every session of the account (other browsers and phones are asked to log in again). API keys are not sessions: they stay.',
      request: { query: logoutQuery },
      responses: {
        204: empty('The session is over (also when there was none); both cookies are cleared.'),
        ...problems('validation_failed', 'forbidden'),
      },
    }),
    async (c) => {
      refuseForeignOrigin(c, deps);
      const { everywhere } = c.req.valid('query');
      const sessionId = await sessionIdFrom(c, deps);
      if (sessionId) await endSession(deps, sessionId, { everywhere });
      clearSessionCookie(c, deps);
      clearSignedInHint(c, deps);
      return c.body(null, 204);
    },
  );

  return app;
}

/** Who is signed in: the dashboard shows owner-only screens to the owner only. */
export function meRoutes(deps: Deps) {
  const app = merchantApp();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/me',
      tags,
      security,
      summary: 'Who is signed in',
      responses: { 200: json(meSchema, 'The merchant, the user (none for an API key), the role and how.'), ...problems('unauthorized') },
    }),
    async (c) => c.json(await whoAmI(deps, c.var.principal), 200),
  );
  return app;
}
