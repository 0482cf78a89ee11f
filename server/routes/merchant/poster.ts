import { createRoute } from '@hono/zod-openapi';
import { posterQuery } from '../../contract/merchant.ts';
import { problems } from '../../contract/shared.ts';
import type { Deps } from '../../http/env.ts';
import { merchantPoster } from '../../services/posters.ts';
import { merchantApp, security } from './shared.ts';

const binary = { schema: { type: 'string' as const, format: 'binary' } };

/** The poster for the shop's counter: the join page's QR code, the offer, three steps. Any principal of the merchant. */
export function posterRoutes(deps: Deps) {
  const app = merchantApp();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/poster',
      tags: ['Merchant: program'],
      security,
      summary: 'The in-store poster',
      description:
        'One page: the merchant’s name and logo, the offer in words, a QR code of the program’s join page (`/j/{slug}`) ' +
        'that a phone reads from a metre away, and three steps. Sent as a download (`poster-{slug}-{size}.{format}`), never cached.',
      request: { query: posterQuery },
      responses: {
        200: { description: 'The poster.', content: { 'application/pdf': binary, 'image/png': binary } },
        ...problems('validation_failed', 'unauthorized', 'unavailable'),
      },
    }),
    async (c) => {
      const poster = await merchantPoster(deps, c.var.principal.merchantId, c.req.valid('query'));
      return c.body(new Uint8Array(poster.bytes), 200, {
        'Content-Type': poster.contentType,
        'Content-Disposition': `attachment; filename="${poster.filename}"`,
        'Cache-Control': 'no-store',
      });
    },
  );

  return app;
}
