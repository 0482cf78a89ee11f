import { createRoute, z } from '@hono/zod-openapi';
import { type Locale, localize } from '../../common/localize.ts';
import { problems } from '../contract/shared.ts';
import type { Deps } from '../http/env.ts';
import { apiApp } from '../http/validate.ts';
import { marketingConsent, type MarketingConsentView, unsubscribe } from '../services/mail.ts';

const tags = ['E-mail'];
const params = z.object({
  token: z.string().openapi({ description: 'From the marketing mail’s `List-Unsubscribe` header or its link.', example: 'q2x…' }),
});
const page = { 'text/html': { schema: { type: 'string' as const } } };

const strings = localize({
  title: ['Unsubscribe', 'Se désabonner'],
  ask: [(m: string) => `Stop the news from ${m}?`, (m: string) => `Ne plus recevoir les nouvelles de ${m} ?`],
  explain: [
    (m: string) => `You will get no more marketing e-mails from ${m}. Your card stays as it is.`,
    (m: string) => `Vous ne recevrez plus d’e-mails promotionnels de ${m}. Votre carte reste telle quelle.`,
  ],
  button: ['Unsubscribe', 'Me désabonner'],
  notSubscribed: [
    (m: string) => `You get no marketing e-mails from ${m}.`,
    (m: string) => `Vous ne recevez pas d’e-mails promotionnels de ${m}.`,
  ],
  done: [
    (m: string) => `Done: you will get no more marketing e-mails from ${m}. Your card stays as it is.`,
    (m: string) => `C’est fait : vous ne recevrez plus d’e-mails promotionnels de ${m}. Votre carte reste telle quelle.`,
  ],
});

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function html(language: Locale, body: string): string {
  return `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escape(strings(language).title)}</title>
<style>body{font:17px/1.5 system-ui,sans-serif;color:#1f2328;max-width:32rem;margin:3rem auto;padding:0 1rem}
button{font:inherit;padding:.6em 1.2em;border-radius:8px;border:1px solid #1f2328;background:#1f2328;color:#fff;cursor:pointer}
button:focus-visible{outline:3px solid #0969da;outline-offset:2px}</style></head>
<body><main>${body}</main></body></html>`;
}

/**
 * `/u/<token>`: the way out of marketing mail. The one-click POST (RFC 8058, what a mail client's
 * "Unsubscribe" sends, and the page's button) withdraws the consent; the GET only shows the button,
 * since mail clients and scanners open links on their own.
 */
export function unsubscribeRoutes(deps: Deps) {
  const app = apiApp();
  const { config } = deps;

  const answer = (view: MarketingConsentView, body: string) => {
    // The page's policy (its style element by hash, forms to us only) comes from server/http/headers.ts.
    const headers = { 'Cache-Control': 'no-store' };
    return { text: html(view.language, body), headers };
  };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/u/{token}',
      tags,
      summary: 'The unsubscribe page of a marketing mail',
      description:
        'Shows a button that sends the one-click POST; opening the link changes nothing (mail clients open links by themselves).',
      request: { params },
      responses: { 200: { description: 'A small HTML page in the member’s language.', content: page }, ...problems('not_found') },
    }),
    async (c) => {
      const { token } = c.req.valid('param');
      const view = await marketingConsent(deps, token);
      const t = strings(view.language);
      const m = escape(view.merchantName);
      const body = view.subscribed
        ? `<h1>${escape(t.ask(view.merchantName))}</h1><p>${escape(t.explain(view.merchantName))}</p>
<form method="post" action="${escape(`${config.publicUrl}/u/${token}`)}"><input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit">${escape(t.button)}</button></form>`
        : `<h1>${m}</h1><p>${escape(t.notSubscribed(view.merchantName))}</p>`;
      const { text, headers } = answer(view, body);
      return c.html(text, 200, headers);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/u/{token}',
      tags,
      summary: 'Unsubscribe from marketing mail (one click)',
      description:
        'RFC 8058 one-click unsubscribe: the body a mail client sends (`List-Unsubscribe=One-Click`) is not needed. Withdraws the ' +
        'member’s marketing consent, recorded with its time; sending it again changes nothing.',
      request: { params },
      responses: { 200: { description: 'Done (or already done): a small HTML page saying so.', content: page }, ...problems('not_found') },
    }),
    async (c) => {
      const view = await unsubscribe(deps, c.req.valid('param').token);
      const t = strings(view.language);
      const { text, headers } = answer(view, `<h1>${escape(view.merchantName)}</h1><p>${escape(t.done(view.merchantName))}</p>`);
      return c.html(text, 200, headers);
    },
  );

  return app;
}
