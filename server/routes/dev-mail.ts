import { Hono } from 'hono';
import type { Deps } from '../http/env.ts';
import { devMail, devMails } from '../services/dev-mail.ts';

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * `/dev/mail`: the mails a development server wrote to DATA_DIR/mail (no SMTP_URL), newest
 * first, each readable as text (`?raw`: the .eml). Mounted in development only, and not part of
 * the API document.
 */
export function devMailRoutes(deps: Deps) {
  const app = new Hono();
  app.get('/dev/mail', (c) => {
    const mails = devMails(deps);
    const rows = mails
      .map(
        (m) =>
          `<tr><td>${escape(m.date)}</td><td>${escape(m.to)}</td><td><a href="/dev/mail/${encodeURIComponent(m.file)}">${escape(m.subject || '(no subject)')}</a></td>` +
          `<td><a href="/dev/mail/${encodeURIComponent(m.file)}?raw">.eml</a></td></tr>`,
      )
      .join('\n');
    return c.html(
      `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>fidelio: mail sent (development)</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:2rem;color:#1f2328}table{border-collapse:collapse}td,th{padding:.3rem .8rem;border-bottom:1px solid #d0d7de;text-align:left}</style></head>
<body><h1>Mail sent (development)</h1><p>${mails.length ? `${mails.length} mails, newest first.` : 'No mail yet.'} Set <code>SMTP_URL</code> to send them for real.</p>
<table><thead><tr><th>date</th><th>to</th><th>subject</th><th>as sent</th></tr></thead><tbody>
${rows}
</tbody></table></body></html>`,
      200,
      { 'Cache-Control': 'no-store' },
    );
  });
  // The mail as a person reads it; `?raw` gives the .eml as it was written.
  app.get('/dev/mail/:file', (c) => {
    const mail = devMail(deps, c.req.param('file'));
    return c.text(c.req.query('raw') === undefined ? mail.readable : mail.raw, 200, {
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
  });
  return app;
}
