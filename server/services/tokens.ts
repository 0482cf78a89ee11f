import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** Lower-case RFC 4648 base32 without padding: easy to read aloud, type, and put in a QR code. */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** A card serial: 128 random bits from the CSPRNG, 26 characters. */
export const newSerial = () => base32(randomBytes(16));
/** The per-card ApplePass authentication token: 256 random bits. */
export const newAuthToken = () => randomBytes(32).toString('base64url');
/** A referral code: 50 random bits, 10 characters, meant to be shared. */
export const newReferralCode = () => base32(randomBytes(7)).slice(0, 10);
/** A session id for the cookie: 256 random bits. */
export const newSessionId = () => randomBytes(32).toString('base64url');
/** An API key, shown once: `fk_` + 256 random bits. */
export const newApiKey = () => `fk_${randomBytes(32).toString('base64url')}`;

export const sha256 = (s: string): Buffer => createHash('sha256').update(s).digest();

/** Constant-time string comparison. */
export function safeEqual(a: string, b: string): boolean {
  const x = sha256(a);
  const y = sha256(b);
  return timingSafeEqual(x, y);
}

/** Whether `value` is a UUID in the dashed form Postgres reads (any case): anything else names no row. */
export const isUuid = (value: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

/** Card serials are 26 base32 characters; anything else cannot be a card. */
export const SERIAL_PATTERN = /^[a-z2-7]{26}$/;
