// The document every hosted page shares: small, mobile-first, in the merchant's colours, with
// nothing fetched from anyone else (the widget comes from this server).
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { readableOn } from '../../common/colour.ts';
import { REVIEWS_ROOM, WIDGET_ROOM } from '../../common/embed.ts';
import type { Locale } from '../../common/localize.ts';

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

export interface Shell {
  lang: Locale;
  title: string;
  /** The program's colours (`#rrggbb`, validated by the program schema). */
  colours: { background: string; foreground: string };
  /** The merchant's logo, when this server serves it (a page asks nothing of anyone else). */
  logoUrl: string | null;
  merchantName: string;
  /** More of the merchant's band: the program, its offer. */
  header?: Html;
  /** What a search engine shows under the title (the pages of one person have none). */
  description?: string;
  /** Pages of one person (a card): kept out of search engines. */
  noindex?: boolean;
  /** The page loads the widget's elements. */
  widget?: boolean;
  body: Html;
}

const STYLE = `
*,::before,::after{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;background:#f6f8fa}
.brand{background:var(--bg);color:var(--fg);padding:1.25rem 1rem 1.5rem}
.brand>*,main>*{max-width:32rem;margin-left:auto;margin-right:auto}
.who{display:flex;align-items:center;gap:.75rem;font-weight:600}
.who img{width:48px;height:48px;border-radius:8px;background:#fff;object-fit:contain}
h1{font-size:1.6rem;line-height:1.2;margin:.75rem auto .25rem}
.offer{font-size:1.25rem;font-weight:700;margin:.25rem auto}
main{padding:1rem}
section{margin:1rem auto;background:#fff;border:1px solid #d0d7de;border-radius:12px;padding:1rem}
h2{font-size:1.1rem;margin:0 0 .5rem}
.invite{border-color:var(--bg);border-width:2px}
ol,ul{padding-left:1.25rem;margin:0}
.muted{color:#57606a;font-size:.875rem}
.serial{font-family:ui-monospace,monospace;overflow-wrap:anywhere}
.pass{background:var(--bg);color:var(--fg);border-radius:12px;padding:1rem 1.25rem}
.stamps{display:grid;grid-template-columns:repeat(5,minmax(0,44px));gap:.5rem;margin:.5rem 0}
.stamps i{display:grid;place-items:center;aspect-ratio:1;border:2px dashed;border-radius:50%;font-style:normal}
.stamps .on{border-style:solid;background:var(--fg);color:var(--bg)}
.big{font-size:2.25rem;font-weight:700}
figure{display:flex;align-items:center;gap:1rem;margin:0}
figure svg{flex:none;width:160px;height:160px;background:#fff;padding:6px;border:1px solid #d0d7de;border-radius:8px}
.wallets{display:flex;flex-wrap:wrap;gap:.5rem;justify-content:center}
.wallets a{display:inline-flex;align-items:center;min-height:48px;padding:0 1rem;border-radius:10px;background:#000;color:#fff;font-weight:600;text-decoration:none}
.visits li{display:flex;justify-content:space-between;gap:1rem;border-bottom:1px solid #eaeef2;padding:.25rem 0}
.visits{list-style:none;padding:0}
fidelio-widget,fidelio-review,fidelio-survey,fidelio-referral{--fidelio-primary:var(--bg);--fidelio-on-primary:var(--fg)}
fidelio-widget{${WIDGET_ROOM}}
fidelio-reviews{${REVIEWS_ROOM}}
fidelio-review,fidelio-survey,fidelio-referral{display:block;min-height:12em}
form{display:grid;gap:.5rem}
label{font-weight:600}
input{font:inherit;min-height:44px;padding:.5rem .75rem;border:1px solid #6e7781;border-radius:6px}
button{font:inherit;font-weight:600;min-height:44px;padding:.5rem 1.25rem;border:0;border-radius:12px;background:var(--bg);color:var(--fg);cursor:pointer;justify-self:start}
.notice{padding:.75rem 1rem;border-radius:6px;background:#f0fbf4;border:1px solid #a3cfbb}
.notice.bad{background:#fff5f5;border-color:#f1aeb5}
footer{text-align:center;padding:1rem}
a{color:#0969da}
`;

/** A whole page. */
export function layout(s: Shell): Html {
  const fg = readableOn(s.colours.background, s.colours.foreground);
  return html`<!doctype html>
<html lang="${s.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${s.noindex ? html`<meta name="robots" content="noindex, nofollow">` : ''}
${s.description ? html`<meta name="description" content="${s.description}">` : ''}
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<meta name="theme-color" content="${s.colours.background}">
<title>${s.title}</title>
<style>:root{--bg:${s.colours.background};--fg:${fg}}${raw(STYLE)}</style>
${s.widget ? html`<script type="module" src="/widget.js"></script>` : ''}
</head>
<body>
<header class="brand">
<div class="who">${s.logoUrl ? html`<img src="${s.logoUrl}" alt="" width="48" height="48">` : ''}<span>${s.merchantName}</span></div>
${s.header ?? ''}
</header>
${s.body}
</body>
</html>`;
}
