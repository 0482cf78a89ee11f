// The service account's signatures: the "Add to Google Wallet" JWT (RS256, `aud: "google"`,
// `typ: "savetowallet"`) and the OAuth2 JWT-bearer assertion exchanged for an access token.
// Signed with jose (the newest google-auth-library needs Node 22).
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importPKCS8, SignJWT } from 'jose';
import type { LoyaltyClass, LoyaltyObject } from './objects.ts';

export const SAVE_URL = 'https://pay.google.com/gp/v/save/';
/** Past 1,800 characters a save JWT may be cut by the browser (Google's guidance); the whole link is kept under it. */
export const SAVE_LINK_MAX = 1800;
export const WALLET_SCOPE = 'https://www.googleapis.com/auth/wallet_object.issuer';

/** The fields of a service account's JSON key that signing needs. */
export interface ServiceAccount {
  client_email: string;
  private_key: string;
  private_key_id?: string;
}

/** A service account ready to sign: its email, key id and imported private key. */
export interface Signer {
  email: string;
  keyId: string | undefined;
  key: CryptoKey;
  /** `file`: GOOGLE_SERVICE_ACCOUNT; `development`: a key generated in DATA_DIR (Google accepts nothing it signs). */
  source: 'file' | 'development';
}

/**
 * Reads a service-account key given as JSON text or as the path of its JSON file. A private key
 * whose newlines came through an environment variable as `\n` is mended.
 */
export function parseServiceAccount(value: string): ServiceAccount {
  const text = value.trim().startsWith('{') ? value : readFileSync(value.trim(), 'utf8');
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error('the service-account key is not JSON (give the JSON text or the path of the key file)');
  }
  const email = json.client_email;
  const key = json.private_key;
  if (typeof email !== 'string' || !email.includes('@')) throw new Error('the service-account key has no client_email');
  if (typeof key !== 'string' || !key.includes('PRIVATE KEY')) throw new Error('the service-account key has no private_key');
  return {
    client_email: email,
    private_key: key.replace(/\\n/g, '\n'),
    ...(typeof json.private_key_id === 'string' && { private_key_id: json.private_key_id }),
  };
}

export async function signerFor(account: ServiceAccount, source: Signer['source'] = 'file'): Promise<Signer> {
  let key: CryptoKey;
  try {
    key = await importPKCS8(account.private_key, 'RS256');
  } catch (err) {
    throw new Error(`the service account's private_key is not a PKCS#8 RSA key: ${(err as Error).message}`, { cause: err });
  }
  return { email: account.client_email, keyId: account.private_key_id, key, source };
}

/** A development service account kept in `dir/service-account.json` (made once). */
export function devServiceAccount(dir: string): ServiceAccount {
  const file = join(dir, 'service-account.json');
  if (existsSync(file)) return parseServiceAccount(file);
  mkdirSync(dir, { recursive: true });
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const account = {
    type: 'service_account',
    client_email: 'fidelio-development@fidelio.invalid',
    private_key_id: 'development',
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
  writeFileSync(file, JSON.stringify(account, null, 2) + '\n', { mode: 0o600 });
  return account;
}

/** What a save JWT carries: the objects by reference (`{id, classId}`), or in full with their class. */
export interface SavePayload {
  loyaltyObjects: ({ id: string; classId: string } | LoyaltyObject | object)[];
  loyaltyClasses?: (LoyaltyClass | object)[];
}

/**
 * The "Add to Google Wallet" link: `https://pay.google.com/gp/v/save/<jwt>`, the JWT signed
 * RS256 by the service account with Google's claims. `origins`: the sites allowed to show the
 * button for it.
 */
export async function saveLink(signer: Signer, payload: SavePayload, origins: readonly string[], now = Date.now()): Promise<string> {
  const jwt = await new SignJWT({ typ: 'savetowallet', origins: [...origins], payload })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...(signer.keyId && { kid: signer.keyId }) })
    .setIssuer(signer.email)
    .setAudience('google')
    .setIssuedAt(Math.floor(now / 1000))
    .sign(signer.key);
  return SAVE_URL + jwt;
}

/** The assertion of the JWT-bearer grant (RFC 7523) for an access token to the Wallet API, valid one hour. */
export async function tokenAssertion(signer: Signer, tokenUrl: string, now = Date.now()): Promise<string> {
  const iat = Math.floor(now / 1000);
  return new SignJWT({ scope: WALLET_SCOPE })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...(signer.keyId && { kid: signer.keyId }) })
    .setIssuer(signer.email)
    .setAudience(tokenUrl)
    .setIssuedAt(iat)
    .setExpirationTime(iat + 3600)
    .sign(signer.key);
}
