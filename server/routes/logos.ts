import { Hono } from 'hono';
import type { Deps } from '../http/env.ts';
import { logoFile } from '../services/logos.ts';

/** `/logos/<merchant>.<sha8>.png`: a merchant's uploaded logo, public; a new logo is a new name, so cached for a year. */
export function logoRoutes({ db }: Deps) {
  const app = new Hono();
  app.get('/logos/:file', async (c) => {
    const png = await logoFile(db, c.req.param('file'));
    return c.body(new Uint8Array(png), 200, {
      'Content-Type': 'image/png',
      'Cache-Control': 'public, max-age=31536000, immutable',
      'Cross-Origin-Resource-Policy': 'cross-origin',
    });
  });
  return app;
}
