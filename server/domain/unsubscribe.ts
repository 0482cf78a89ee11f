// The unsubscribe link of marketing mail (`<PUBLIC_URL>/u/<token>`): the token names the member
// and proves the server made it — the customer id and an HMAC of it under the server's secret —
// so it cannot be guessed or made for another member, and needs nothing stored.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Site } from './links.ts';

const ID_BYTES = 16;
const MAC_BYTES = 16;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Keeps these MACs apart from anything else the same secret signs (session cookies). */
const mac = (secret: string, id: Buffer) => createHmac('sha256', secret).update('fidelio unsubscribe\0').update(id).digest();

/** The token of a customer (a UUID): 43 URL-safe characters. */
export function unsubscribeToken(secret: string, customerId: string): string {
  if (!UUID.test(customerId)) throw new Error(`not a customer id: ${customerId}`);
  const id = Buffer.from(customerId.replace(/-/g, ''), 'hex');
  return Buffer.concat([id, mac(secret, id).subarray(0, MAC_BYTES)]).toString('base64url');
}

/** The customer a token names, or null when it is not one of ours (compared in constant time). */
export function customerOfUnsubscribeToken(secret: string, token: string): string | null {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const bytes = Buffer.from(token, 'base64url');
  // Exactly our encoding: the spare bits of the last character are not a second spelling.
  if (bytes.length !== ID_BYTES + MAC_BYTES || bytes.toString('base64url') !== token) return null;
  const id = bytes.subarray(0, ID_BYTES);
  if (!timingSafeEqual(bytes.subarray(ID_BYTES), mac(secret, id).subarray(0, MAC_BYTES))) return null;
  const hex = id.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The one-click unsubscribe URL of a customer (List-Unsubscribe, and the link in the mail). */
export const unsubscribeUrl = (site: Pick<Site, 'publicUrl'>, secret: string, customerId: string) =>
  `${site.publicUrl}/u/${unsubscribeToken(secret, customerId)}`;
