// The headers that keep our pages and the merchant's data safe in the browser (besides Hono's
// secureHeaders): a strict Content-Security-Policy on every HTML page we serve, camera access
// only where the counter's scanner lives, and no caching of anything a signed-in user fetched.
import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';

/** Inline `<script>` (without `src`) and `<style>` elements of a page. */
const INLINE = /<(script|style)\b([^>]*)>([^]*?)<\/\1>/gi;

const hash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/**
 * The policy for one of our pages: its own origin only; no inline script or style but the
 * page's own `<script>` and `<style>` elements, each allowed by the hash of its text (a
 * merchant's colours are in the hosted pages' style element); no style attribute at all (the
 * widget and the dashboard set their custom properties through the CSSOM, which a policy does not
 * stop); never framed; forms post to us only. Images may be `data:` URLs (the QR codes' and
 * the logos' previews).
 */
export function pagePolicy(html: string): string {
  const scripts = new Set<string>();
  const styles = new Set<string>();
  for (const [, tag, attrs, text] of html.matchAll(INLINE)) {
    if (tag!.toLowerCase() === 'style') styles.add(hash(text!));
    // A module or classic script with a src has no inline text to run; data blocks (JSON-LD) are not run.
    else if (!/\bsrc\s*=/i.test(attrs!) && !/\btype\s*=\s*["']?application\/(ld\+)?json/i.test(attrs!)) scripts.add(hash(text!));
  }
  return [
    "default-src 'self'",
    `script-src 'self'${[...scripts].map((h) => ` ${h}`).join('')}`,
    `style-src 'self'${[...styles].map((h) => ` ${h}`).join('')}`,
    "img-src 'self' data: blob:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** RFC 8187's `value-chars`: a UTF-8 text percent-encoded, but for the few characters it keeps as they are. */
const extValue = (s: string) => encodeURIComponent(s).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * `Content-Disposition` for a download (RFC 6266): `filename` an ASCII name every client reads
 * (its `"` and `\` dropped), and, when the real name is not that, `filename*` with it in UTF-8 for
 * the clients that read it (all current browsers): `attachment; filename="cafe-lune.pkpass";
 * filename*=UTF-8''Caf%C3%A9%20Lune.pkpass`.
 */
export function attachment(ascii: string, utf8 = ascii): string {
  const plain = ascii.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return plain === utf8 ? `attachment; filename="${plain}"` : `attachment; filename="${plain}"; filename*=UTF-8''${extValue(utf8)}`;
}

/** Where the counter's QR scanner runs: the dashboard. */
const CAMERA_PAGES = /^\/dashboard(\/|$)/;

/**
 * For an HTML page: the policy above (unless the route set its own) and `Permissions-Policy`
 * (the camera for the dashboard's scanner, nowhere else). For the merchant API (sessions and
 * till keys): `Cache-Control: no-store`, so no cache keeps a member's data.
 */
export const pageHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  const res = c.res;
  if (c.req.path.startsWith('/api/merchant/')) {
    if (!res.headers.has('cache-control')) res.headers.set('Cache-Control', 'no-store');
    return;
  }
  if (!/^text\/html\b/i.test(res.headers.get('content-type') ?? '') || res.headers.has('content-encoding')) return;
  res.headers.set('Permissions-Policy', CAMERA_PAGES.test(c.req.path) ? 'camera=(self)' : 'camera=()');
  if (res.headers.has('content-security-policy')) return;
  const html = await res.clone().text();
  res.headers.set('Content-Security-Policy', pagePolicy(html));
};
