import { Hono } from 'hono';
import { ApiError } from '../errors.ts';
import type { Deps } from '../http/env.ts';
import type { GoogleWallet } from '../services/google.ts';

function wallet(deps: Deps): GoogleWallet {
  if (!deps.google) throw new ApiError('unavailable', 'Google Wallet is not set up on this server (no service account).');
  return deps.google;
}

/**
 * The "Add to Google Wallet" link (`/passes/google/:serial` → 302 to Google's save page) and the
 * images the passes show (`/passes/google/images/<merchant>/<design>-<state>.png`).
 */
export function googleRoutes(deps: Deps) {
  const { db } = deps;
  const app = new Hono();

  // A new design or stamp count is a new name, so an image never changes: cached for a year.
  app.get('/passes/google/images/:merchant/:file', async (c) => {
    const png = await wallet(deps).image(db, c.req.param('merchant'), c.req.param('file'));
    return c.body(new Uint8Array(png), 200, {
      'Content-Type': 'image/png',
      'Cache-Control': 'public, max-age=31536000, immutable',
      'Cross-Origin-Resource-Policy': 'cross-origin',
    });
  });

  // Signed afresh on each visit (the JWT has its own iat, and the card its latest state).
  app.get('/passes/google/:serial', async (c) => {
    const url = await wallet(deps).saveUrl(db, c.req.param('serial'));
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'no-referrer');
    return c.redirect(url, 302);
  });

  return app;
}
