import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { AppError } from '../errors.ts';
import type { Deps } from '../http/env.ts';
import { apiApp } from '../http/validate.ts';
import { cardPageHtml } from '../pages/card.ts';
import { joinPageHtml } from '../pages/join.ts';
import { notFoundHtml } from '../pages/not-found.ts';
import { cardPage, joinPage } from '../services/pages.ts';

const tags = ['Pages'];
const html = { 'text/html': { schema: { type: 'string' } } } as const;

/**
 * What the pages may load: this server only (the widget, the logo), inline styles (the
 * merchant's colours; the widget sets its theme in a style attribute), no frames around them.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** A page, or the "not found" page when the service finds nothing by that name. */
async function page(c: Context, what: 'program' | 'card', render: () => Promise<string | Promise<string>>) {
  c.header('Content-Security-Policy', CSP);
  try {
    return c.html(await render());
  } catch (err) {
    if (err instanceof AppError && err.code === 'not_found') return c.html(notFoundHtml(what), 404);
    throw err;
  }
}

/**
 * The hosted pages, in production too: a program's join page (`/j/:slug`, where the poster's
 * QR code leads) and a member's card page (`/c/:serial`, linked from the welcome mail).
 */
export function pageRoutes(deps: Deps) {
  const app = apiApp();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/j/{slug}',
      tags,
      summary: 'A program’s join page',
      description: 'The offer in words, the invitation (`?ref=` a member’s code), the join form. An unknown program is a 404 page.',
      request: {
        params: z.object({ slug: z.string() }),
        query: z.object({ ref: z.string().max(200).optional().openapi({ description: 'The inviting member’s referral code.' }) }),
      },
      responses: { 200: { description: 'The page.', content: html }, 404: { description: 'No such program (a page).', content: html } },
    }),
    (c) =>
      page(c, 'program', async () => {
        c.header('Cache-Control', 'public, max-age=60');
        return joinPageHtml(await joinPage(deps, c.req.valid('param').slug, c.req.valid('query').ref));
      }),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/c/{serial}',
      tags,
      summary: 'A member’s card page',
      description:
        'The card as on the pass, its QR code, the wallets this server issues, the visits, the invitation, a review. ' +
        'For its holder: not indexed, never cached, no referrer sent on. An unknown card is a 404 page.',
      request: { params: z.object({ serial: z.string() }) },
      responses: { 200: { description: 'The page.', content: html }, 404: { description: 'No such card (a page).', content: html } },
    }),
    (c) =>
      page(c, 'card', async () => {
        c.header('Cache-Control', 'no-store');
        c.header('X-Robots-Tag', 'noindex, nofollow');
        c.header('Referrer-Policy', 'no-referrer');
        return cardPageHtml(await cardPage(deps, c.req.valid('param').serial));
      }),
  );

  return app;
}
