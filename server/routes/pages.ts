import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { recoverBody } from '../contract/public.ts';
import { AppError } from '../errors.ts';
import { clientIp } from '../http/client.ts';
import type { Deps } from '../http/env.ts';
import { apiApp, documented } from '../http/validate.ts';
import { cardPageHtml } from '../pages/card.ts';
import { joinPageHtml, type Recovery } from '../pages/join.ts';
import { notFoundHtml } from '../pages/not-found.ts';
import { requestCardRecovery } from '../services/mail.ts';
import { cardPage, joinPage } from '../services/pages.ts';
import { programBySlug } from '../services/programs.ts';

const tags = ['Pages'];
const html = { 'text/html': { schema: { type: 'string' } } } as const;

/** What the join page can say of a request for the card by e-mail. */
const RECOVERY: readonly Recovery[] = ['sent', 'limited', 'invalid', 'off'];

/**
 * A page (or a redirect), or the "not found" page when the service finds nothing by that name.
 * Its Content-Security-Policy (this server only; the page's own style element, which carries the
 * merchant's colours, by its hash; no frames around it) is added by server/http/headers.ts.
 */
async function page(c: Context, what: 'program' | 'card', render: () => Promise<Response | string | Promise<string>>) {
  try {
    const out = await render();
    return out instanceof Response ? out : c.html(out);
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
        query: z.object({
          ref: z.string().max(200).optional().openapi({ description: 'The inviting member’s referral code.' }),
          recover: z
            .string()
            .optional()
            .openapi({ description: 'What became of a request for the card by e-mail (`sent`, `limited`, `invalid`): said on the page.' }),
        }),
      },
      responses: { 200: { description: 'The page.', content: html }, 404: { description: 'No such program (a page).', content: html } },
    }),
    (c) =>
      page(c, 'program', async () => {
        c.header('Cache-Control', 'public, max-age=60');
        const { ref, recover } = c.req.valid('query');
        return joinPageHtml(
          await joinPage(deps, c.req.valid('param').slug, ref),
          RECOVERY.find((r) => r === recover),
        );
      }),
  );

  // "Already a member?": the join page's form (no JavaScript needed) asks for the card by e-mail,
  // then comes back to the page, which says what became of it (post, redirect, get).
  documented(
    app,
    createRoute({
      method: 'post',
      path: '/j/{slug}/recover',
      tags,
      summary: 'Ask for one’s card by e-mail, from the join page',
      description:
        'A form (`email`). Answers 303 to the join page, `?recover=sent` whether or not the address is a member’s (the same as ' +
        '`POST /api/public/programs/{slug}/recover`, with its rate limits: `limited`), `invalid` for an address that is none.',
      request: {
        params: z.object({ slug: z.string() }),
        body: { required: true, content: { 'application/x-www-form-urlencoded': { schema: z.object({ email: z.string() }) } } },
      },
      responses: {
        303: { description: 'Back to the join page, saying what happened.' },
        404: { description: 'No such program (a page).', content: html },
      },
    }),
    async (c) => {
      const slug = c.req.param('slug') ?? '';
      const back = (status: Recovery) => c.redirect(`/j/${encodeURIComponent(slug)}?recover=${status}#recover`, 303);
      const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
      const email = recoverBody.safeParse({ email: form.email });
      return page(c, 'program', async () => {
        const program = await programBySlug(deps, slug);
        if (!email.success) return back('invalid');
        try {
          await requestCardRecovery(deps, program, email.data.email, { ip: clientIp(c, deps.config.trustProxy) });
        } catch (err) {
          if (err instanceof AppError && err.code === 'rate_limited') return back('limited');
          if (err instanceof AppError && err.code === 'unavailable') return back('off');
          throw err;
        }
        return back('sent');
      });
    },
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
