// The absolute URLs a card hands out, from the server's public URL: pure, so the passes, the
// public API and the tests build them alike.
import type { Program } from './program.ts';

/** Where this server is reached (`PUBLIC_URL`), and whether it runs in development (the demo café). */
export interface Site {
  publicUrl: string;
  env: 'development' | 'production' | 'test';
}

/** The `links` of the public card answer (API.md): absolute URLs. */
export interface CardLinks {
  card: string;
  applePass: string;
  googleSave: string;
  qr: string;
}

export function cardLinks(site: Pick<Site, 'publicUrl'>, serial: string): CardLinks {
  const base = site.publicUrl;
  return {
    card: `${base}/api/public/cards/${serial}`,
    applePass: `${base}/passes/apple/${serial}.pkpass`,
    googleSave: `${base}/passes/google/${serial}`,
    qr: `${base}/api/public/cards/${serial}/qr.svg`,
  };
}

/**
 * Where a referral link sends the friend: the merchant's site, else the first site allowed
 * to show the widget, else this server (its demo café in development).
 */
export function referralUrl(site: Site, program: Pick<Program, 'websiteUrl' | 'allowedOrigins'>, code: string): string {
  const base = program.websiteUrl ?? program.allowedOrigins[0] ?? (site.env === 'development' ? `${site.publicUrl}/demo/` : site.publicUrl);
  const url = new URL(base);
  url.searchParams.set('ref', code);
  return url.toString();
}
