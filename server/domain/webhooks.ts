// Webhooks, the pure part: the signature a receiver checks (as Stripe's), the addresses a
// delivery may not reach, and the retry schedule.
import { createHmac, randomBytes } from 'node:crypto';
import ipaddr from 'ipaddr.js';

/** A webhook's signing secret, shown once: `whsec_` + 192 random bits. */
export const newWebhookSecret = () => `whsec_${randomBytes(24).toString('base64url')}`;

/**
 * The `Fidelio-Signature` header of a delivery: `t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "<t>.<body>">` with the webhook's secret. A receiver recomputes v1 over the raw body and
 * refuses a t too far from its clock (replays).
 */
export function signatureHeader(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
}

/**
 * Whether an IP address is one a webhook may reach in production: a public unicast address,
 * not loopback (127.0.0.1, ::1), private (10/8, 172.16/12, 192.168/16, fc00::/7), link-local
 * (169.254/16 — the cloud metadata service —, fe80::/10), carrier-grade NAT, multicast,
 * reserved or unspecified. An IPv4 address written as IPv6 (::ffff:127.0.0.1) is judged as IPv4.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  return ip.range() === 'unicast';
}

/** The host of a webhook URL as an IP address, when it is written as one (`[::1]` → `::1`). */
export function literalAddress(url: URL): string | undefined {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return ipaddr.isValid(host) ? host : undefined;
}

/** Deliveries are retried for this long after the event, then given up. */
export const WEBHOOK_RETRY_FOR_MS = 24 * 3_600_000;

/**
 * The wait after n failed attempts: 10 s, 40 s, 2 min 40, 11 min, 43 min, then every hour —
 * some 28 attempts over the day a delivery is retried for.
 */
export function webhookRetryDelayMs(failedAttempts: number): number {
  return Math.min(3_600_000, 10_000 * 4 ** Math.max(0, failedAttempts - 1));
}
