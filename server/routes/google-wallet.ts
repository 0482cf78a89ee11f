import { createRoute, z } from '@hono/zod-openapi';
import { problems } from '../contract/shared.ts';
import type { Deps } from '../http/env.ts';
import { apiApp } from '../http/validate.ts';
import { googleImage, googleSaveUrl } from '../services/google-wallet.ts';

const tags = ['Google Wallet'];

/**
 * The "Add to Google Wallet" link (`/passes/google/:serial` → 302 to Google's save page) and the
 * images the passes show (`/passes/google/images/<merchant>/<design>-<state>.png`).
 */
export function googleRoutes(deps: Deps) {
  const app = apiApp();

  // A new design or stamp count is a new name, so an image never changes: cached for a year.
  app.openapi(
    createRoute({
      method: 'get',
      path: '/passes/google/images/{merchant}/{file}',
      tags,
      summary: 'A picture a Google Wallet pass shows',
      description: 'The hero (stamp grid) or the logo of a merchant’s current design; immutable.',
      request: { params: z.object({ merchant: z.string(), file: z.string().openapi({ example: '3f2a9c0d1b7e-s7of10.png' }) }) },
      responses: {
        200: { description: 'A PNG.', content: { 'image/png': { schema: { type: 'string', format: 'binary' } } } },
        ...problems('not_found', 'unavailable'),
      },
    }),
    async (c) => {
      const { merchant, file } = c.req.valid('param');
      const png = await googleImage(deps, merchant, file);
      return c.body(new Uint8Array(png), 200, {
        'Content-Type': 'image/png',
        'Cache-Control': 'public, max-age=31536000, immutable',
        'Cross-Origin-Resource-Policy': 'cross-origin',
      });
    },
  );

  // Signed afresh on each visit (the JWT has its own iat, and the card its latest state).
  app.openapi(
    createRoute({
      method: 'get',
      path: '/passes/google/{serial}',
      tags,
      summary: 'Add a card to Google Wallet',
      request: { params: z.object({ serial: z.string().openapi({ description: 'The card’s serial.' }) }) },
      responses: {
        302: { description: 'To `https://pay.google.com/gp/v/save/<jwt>`, signed by the service account.' },
        ...problems('not_found', 'unavailable'),
      },
    }),
    async (c) => {
      const url = await googleSaveUrl(deps, c.req.valid('param').serial);
      c.header('Cache-Control', 'no-store');
      c.header('Referrer-Policy', 'no-referrer');
      return c.redirect(url, 302);
    },
  );

  return app;
}
