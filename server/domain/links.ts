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
  /** The customer's own page of the card (HTML). */
  page: string;
  applePass: string;
  googleSave: string;
  qr: string;
}

export function cardLinks(site: Pick<Site, 'publicUrl'>, serial: string): CardLinks {
  const base = site.publicUrl;
  return {
    card: `${base}/api/public/cards/${serial}`,
    page: cardPageUrl(site, serial),
    applePass: `${base}/passes/apple/${serial}.pkpass`,
    googleSave: `${base}/passes/google/${serial}`,
    qr: `${base}/api/public/cards/${serial}/qr.svg`,
  };
}

/** A card's page: the card as on the pass, for its holder (the serial is the secret). */
export const cardPageUrl = (site: Pick<Site, 'publicUrl'>, serial: string) => `${site.publicUrl}/c/${serial}`;

/** A program's join page on this server (the poster's QR code), with the inviting member's code. */
export function joinUrl(site: Pick<Site, 'publicUrl'>, slug: string, ref?: string): string {
  const url = new URL(`${site.publicUrl}/j/${encodeURIComponent(slug)}`);
  if (ref) url.searchParams.set('ref', ref);
  return url.toString();
}

/**
 * Where a referral link sends the friend: the merchant's site, else the first site allowed
 * to show the widget, else the program's join page on this server.
 */
export function referralUrl(
  site: Pick<Site, 'publicUrl'>,
  program: Pick<Program, 'slug' | 'websiteUrl' | 'allowedOrigins'>,
  code: string,
): string {
  const base = program.websiteUrl ?? program.allowedOrigins[0];
  if (!base) return joinUrl(site, program.slug, code);
  const url = new URL(base);
  url.searchParams.set('ref', code);
  return url.toString();
}
