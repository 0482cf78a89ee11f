import { createRoute, z } from '@hono/zod-openapi';
import { problems } from '../contract/shared.ts';
import type { Deps } from '../http/env.ts';
import { apiApp } from '../http/validate.ts';
import { logoFile } from '../services/logos.ts';

/** `/logos/<merchant>.<sha8>.png`: a merchant's uploaded logo, public; a new logo is a new name, so cached for a year. */
export function logoRoutes(deps: Deps) {
  const app = apiApp();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/logos/{file}',
      tags: ['Images'],
      summary: 'A merchant’s uploaded logo',
      description: 'Public and immutable: a new logo is a new name.',
      request: { params: z.object({ file: z.string().openapi({ example: '0b5f0c8e-1d4a-4c1e-9a39-0f6f4a1f2b3c.1a2b3c4d.png' }) }) },
      responses: {
        200: { description: 'A 150×150 PNG.', content: { 'image/png': { schema: { type: 'string', format: 'binary' } } } },
        ...problems('not_found'),
      },
    }),
    async (c) => {
      const png = await logoFile(deps, c.req.valid('param').file);
      return c.body(new Uint8Array(png), 200, {
        'Content-Type': 'image/png',
        'Cache-Control': 'public, max-age=31536000, immutable',
        'Cross-Origin-Resource-Policy': 'cross-origin',
      });
    },
  );
  return app;
}
