// The page for an address that names no program or card: a page, not JSON, in both languages.
import { html } from 'hono/html';
import { strings } from './strings.ts';

export function notFoundHtml(what: 'program' | 'card') {
  const en = strings('en');
  const fr = strings('fr');
  const line = (t: typeof en) => (what === 'program' ? t.noProgram : t.noCard);
  return html`<!doctype html>
    <html lang="fr">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>${fr.notFoundTitle} · ${en.notFoundTitle}</title>
        <style>
          body {
            margin: 0;
            padding: 2rem 1rem;
            font:
              16px/1.5 system-ui,
              sans-serif;
            color: #1f2328;
            text-align: center;
          }
        </style>
      </head>
      <body>
        <h1>${fr.notFoundTitle}</h1>
        <p>${line(fr)}</p>
        <p lang="en">${line(en)}</p>
      </body>
    </html>`;
}
