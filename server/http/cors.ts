import type { Context } from 'hono';
import type { Config } from '../config.ts';
import { AppError } from '../errors.ts';

const LOCALHOST = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/;

/**
 * Whether a page at `origin` may call a program's public API: the server's own origin, the
 * program's allowed origins, and in development any localhost.
 */
export function originAllowed(config: Config, allowedOrigins: readonly string[], origin: string): boolean {
  return origin === config.publicOrigin || allowedOrigins.includes(origin) || (config.env === 'development' && LOCALHOST.test(origin));
}

/**
 * CORS for the public API. An allowed Origin gets Access-Control-Allow-Origin; a write from a
 * disallowed Origin is refused with 403 (a simple POST needs no preflight, so the missing
 * header alone would not stop it). No Origin (servers, curl) passes.
 */
export function publicCors(c: Context, config: Config, allowedOrigins: readonly string[], opts: { write: boolean }): void {
  // The answer depends on Origin, also when there is none: a shared cache must not hand an
  // answer without Access-Control-Allow-Origin to an allowed site (or one with it to another).
  c.header('Vary', 'Origin', { append: true });
  const origin = c.req.header('origin');
  if (origin === undefined) return;
  if (originAllowed(config, allowedOrigins, origin)) {
    c.header('Access-Control-Allow-Origin', origin);
  } else if (opts.write) {
    throw new AppError('forbidden', `This website (${origin}) is not allowed to use this loyalty program.`);
  }
}

/** The answer to a preflight for an allowed origin. */
export function preflight(c: Context, config: Config, allowedOrigins: readonly string[]): Response {
  const origin = c.req.header('origin');
  if (origin !== undefined && originAllowed(config, allowedOrigins, origin)) {
    c.header('Access-Control-Allow-Origin', origin);
    c.header('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    c.header('Access-Control-Allow-Headers', 'Content-Type');
    c.header('Access-Control-Max-Age', '600');
  }
  c.header('Vary', 'Origin');
  return c.body(null, 204);
}
