import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { parseServiceAccount, type ServiceAccount } from '../passes/google/jwt.ts';

const optionalUrl = (protocols: RegExp, hint: string) =>
  z
    .string()
    .trim()
    .refine((v) => {
      try {
        return protocols.test(new URL(v).protocol);
      } catch {
        return false;
      }
    }, hint)
    .optional();

const flag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .optional()
  .transform((v) => (v === undefined || v === '' ? undefined : ['1', 'true', 'yes'].includes(v)));

/**
 * How many reverse proxies stand in front of the server: a count (`2`: a CDN, then a load
 * balancer), or a yes/no (`1`/`true`/`yes` is one, `0`/`false`/`no` none).
 */
const proxyHops = z
  .string()
  .trim()
  .regex(/^(\d{1,2}|true|false|yes|no)?$/, 'must be the number of reverse proxies in front of the server (0, 1, 2…), or true/false')
  .optional()
  .transform((v) =>
    v === undefined || v === '' ? undefined : v === 'true' || v === 'yes' ? 1 : v === 'false' || v === 'no' ? 0 : Number(v),
  );

/** This machine's names: a production build tried locally may be served over plain http there. */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The issuer id in development: a placeholder (Google's ids are numbers it assigns). */
export const DEV_GOOGLE_ISSUER_ID = '3388000000000000000';

/** Every environment variable the server reads. Unknown variables are ignored. */
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  PUBLIC_URL: optionalUrl(/^https?:$/, 'must be an absolute http(s) URL, e.g. https://loyalty.example.com'),
  DATA_DIR: z.string().min(1).default('.data'),
  // Not `new URL()`: a Unix-socket URL (postgres://user@/db?host=/var/run/postgresql) has no host.
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// URL')
    .optional(),
  POSTGRES_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// URL')
    .optional(),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  TRUST_PROXY: proxyHops,
  DEMO: flag,
  WEBHOOK_PRIVATE_ADDRESSES: z.enum(['allow', 'refuse']).optional(),
  APPLE_PASS_TYPE_ID: z
    .string()
    .trim()
    .regex(/^pass\.[A-Za-z0-9][A-Za-z0-9.-]*$/, 'must be a pass type identifier like pass.com.example.loyalty')
    .default('pass.dev.fidelio'),
  APPLE_TEAM_ID: z
    .string()
    .trim()
    .regex(/^[A-Z0-9]{10}$/, 'must be the 10-character team identifier from the Apple developer account')
    .default('FIDELIODEV'),
  APPLE_CERT: z.string().trim().min(1).optional(),
  APPLE_KEY: z.string().trim().min(1).optional(),
  APPLE_KEY_PASSPHRASE: z.string().optional(),
  APPLE_WWDR: z.string().trim().min(1).optional(),
  APNS_HOST: optionalUrl(/^https:$/, 'must be an https:// URL, e.g. https://api.push.apple.com'),
  GOOGLE_ISSUER_ID: z
    .string()
    .trim()
    .regex(/^\d{1,30}$/, 'must be the numeric issuer id from the Google Pay & Wallet Console')
    .default(DEV_GOOGLE_ISSUER_ID),
  GOOGLE_SERVICE_ACCOUNT: z.string().trim().min(1).optional(),
  // http too: a local stand-in in tests.
  GOOGLE_WALLET_API: optionalUrl(/^https?:$/, 'must be an http(s) URL, e.g. https://walletobjects.googleapis.com/walletobjects/v1'),
  GOOGLE_TOKEN_URL: optionalUrl(/^https?:$/, 'must be an http(s) URL, e.g. https://oauth2.googleapis.com/token'),
  SMTP_URL: optionalUrl(/^smtps?:$/, 'must be an smtp:// or smtps:// URL, e.g. smtp://user:password@smtp.example.com:587'),
  MAIL_FROM: z
    .string()
    .trim()
    .refine((v) => parseMailbox(v) !== null, 'must be an address, optionally with a name: Café Lune <hello@example.com>')
    .optional(),
});

export type DatabaseConfig = { driver: 'pglite'; dataDir: string } | { driver: 'pg'; url: string } | { driver: 'vercel'; url: string };

export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly port: number;
  readonly host: string;
  /** Origin + path the world reaches the server at, without a trailing slash. */
  readonly publicUrl: string;
  readonly publicOrigin: string;
  readonly dataDir: string;
  readonly database: DatabaseConfig;
  readonly sessionSecret: string;
  /**
   * How many reverse proxies stand in front (TRUST_PROXY): the client IP is the X-Forwarded-For
   * hop that many places from the right, the one the outermost proxy saw. 0: the socket's.
   */
  readonly trustProxy: number;
  /** Seed and serve the demo merchant. */
  readonly demo: boolean;
  readonly apple: AppleConfig;
  readonly google: GoogleConfig;
  /** Null: e-mail is off (production or test without SMTP_URL): nothing is queued, recovery is unavailable. */
  readonly mail: MailConfig | null;
  /**
   * Webhooks may reach only public addresses over https (production, or
   * WEBHOOK_PRIVATE_ADDRESSES=refuse); elsewhere a till on 127.0.0.1 is fine.
   */
  readonly webhooks: { readonly publicOnly: boolean };
}

/** A mailbox: an address and the name shown with it. */
export interface Mailbox {
  readonly name: string | null;
  readonly address: string;
}

export interface MailConfig {
  /**
   * Where mail goes: an SMTP server (SMTP_URL), or, in development without one, `.eml` files in
   * DATA_DIR/mail (listed at /dev/mail).
   */
  readonly transport:
    | {
        readonly kind: 'smtp';
        readonly host: string;
        readonly port: number;
        /** smtps:// (TLS from the first byte); smtp:// upgrades with STARTTLS when the server offers it. */
        readonly secure: boolean;
        readonly auth: { readonly user: string; readonly pass: string } | null;
      }
    | { readonly kind: 'files'; readonly dir: string };
  /** The From of every mail (MAIL_FROM). */
  readonly from: Mailbox;
}

export interface GoogleConfig {
  readonly issuerId: string;
  /**
   * The service account's key (GOOGLE_SERVICE_ACCOUNT, a path or JSON text). Null: nothing is
   * sent to Google; in development a generated key signs the save links, in production Google
   * Wallet is off.
   */
  readonly serviceAccount: ServiceAccount | null;
  /** The Wallet REST API base, without a trailing slash. */
  readonly api: string;
  readonly tokenUrl: string;
}

export interface AppleConfig {
  readonly passTypeId: string;
  readonly teamId: string;
  /**
   * The Pass Type ID certificate, its key and Apple's WWDR intermediate (each a path or PEM
   * text). Null: development certificates, or in production no Apple Wallet passes at all.
   */
  readonly certificates: { cert: string; key: string; passphrase?: string; wwdr: string } | null;
  readonly apnsHost: string;
  /** Push to APNs: with real certificates, or when APNS_HOST names a server (a local stand-in). */
  readonly push: boolean;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Parses the environment once at start. A missing or malformed variable throws a
 * ConfigError whose message is one line naming every bad variable.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      const name = String(i.path[0]);
      const got = env[name];
      return `${name} ${i.message}${got === undefined ? '' : ` (got ${JSON.stringify(got)})`}`;
    });
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const dataDir = resolve(e.DATA_DIR);

  if (production && !e.SESSION_SECRET) {
    throw new ConfigError('invalid configuration: SESSION_SECRET is required when NODE_ENV=production (32+ random characters)');
  }
  if (production && !e.PUBLIC_URL) {
    throw new ConfigError('invalid configuration: PUBLIC_URL is required when NODE_ENV=production');
  }
  // Passes carry PUBLIC_URL as their web service, and Wallet calls only https ones.
  if (production && new URL(e.PUBLIC_URL!).protocol === 'http:' && !LOOPBACK.has(new URL(e.PUBLIC_URL!).hostname)) {
    throw new ConfigError(
      `invalid configuration: PUBLIC_URL must be an https:// URL when NODE_ENV=production (Apple and Google Wallet call the server only over https; http only for localhost, 127.0.0.1 and [::1]) (got ${JSON.stringify(e.PUBLIC_URL)})`,
    );
  }

  const appleFiles = [e.APPLE_CERT, e.APPLE_KEY, e.APPLE_WWDR];
  if (appleFiles.some(Boolean) && !appleFiles.every(Boolean)) {
    const missing = ['APPLE_CERT', 'APPLE_KEY', 'APPLE_WWDR'].filter((_, i) => !appleFiles[i]);
    throw new ConfigError(`invalid configuration: APPLE_CERT, APPLE_KEY and APPLE_WWDR go together; missing ${missing.join(', ')}`);
  }

  let serviceAccount: ServiceAccount | null = null;
  if (e.GOOGLE_SERVICE_ACCOUNT) {
    try {
      serviceAccount = parseServiceAccount(e.GOOGLE_SERVICE_ACCOUNT);
    } catch (err) {
      throw new ConfigError(`invalid configuration: GOOGLE_SERVICE_ACCOUNT: ${(err as Error).message}`);
    }
    if (!env.GOOGLE_ISSUER_ID) {
      throw new ConfigError(
        'invalid configuration: GOOGLE_SERVICE_ACCOUNT needs GOOGLE_ISSUER_ID (the issuer id from the Pay & Wallet Console)',
      );
    }
  }

  if (production && e.SMTP_URL && !e.MAIL_FROM) {
    throw new ConfigError(
      'invalid configuration: MAIL_FROM is required with SMTP_URL when NODE_ENV=production (e.g. Café Lune <hello@example.com>)',
    );
  }

  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  const database: DatabaseConfig = e.DATABASE_URL
    ? { driver: 'pg', url: e.DATABASE_URL }
    : e.POSTGRES_URL
      ? { driver: 'vercel', url: e.POSTGRES_URL }
      : { driver: 'pglite', dataDir: join(dataDir, 'pglite') };

  return Object.freeze({
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    publicOrigin: new URL(publicUrl).origin,
    dataDir,
    database,
    sessionSecret: e.SESSION_SECRET ?? devSecret(dataDir),
    trustProxy: e.TRUST_PROXY ?? 0,
    demo: e.DEMO ?? !production,
    apple: Object.freeze({
      passTypeId: e.APPLE_PASS_TYPE_ID,
      teamId: e.APPLE_TEAM_ID,
      certificates: e.APPLE_CERT
        ? { cert: e.APPLE_CERT, key: e.APPLE_KEY!, passphrase: e.APPLE_KEY_PASSPHRASE, wwdr: e.APPLE_WWDR! }
        : null,
      apnsHost: (e.APNS_HOST ?? 'https://api.push.apple.com').replace(/\/+$/, ''),
      push: Boolean(e.APPLE_CERT || e.APNS_HOST),
    }),
    google: Object.freeze({
      issuerId: e.GOOGLE_ISSUER_ID,
      serviceAccount,
      api: (e.GOOGLE_WALLET_API ?? 'https://walletobjects.googleapis.com/walletobjects/v1').replace(/\/+$/, ''),
      tokenUrl: e.GOOGLE_TOKEN_URL ?? 'https://oauth2.googleapis.com/token',
    }),
    mail: mailConfig(e.SMTP_URL, e.MAIL_FROM, e.NODE_ENV, dataDir),
    webhooks: Object.freeze({ publicOnly: (e.WEBHOOK_PRIVATE_ADDRESSES ?? (production ? 'refuse' : 'allow')) === 'refuse' }),
  });
}

/** The From of development and test mail when MAIL_FROM is not set. */
export const DEV_MAIL_FROM = 'fidelio <no-reply@localhost>';

function mailConfig(smtpUrl: string | undefined, from: string | undefined, env: Config['env'], dataDir: string): MailConfig | null {
  const mailbox = parseMailbox(from ?? DEV_MAIL_FROM)!;
  if (smtpUrl) {
    const u = new URL(smtpUrl);
    const secure = u.protocol === 'smtps:';
    const user = decodeURIComponent(u.username);
    return Object.freeze({
      transport: Object.freeze({
        kind: 'smtp' as const,
        host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: u.port ? Number(u.port) : secure ? 465 : 587,
        secure,
        auth: user ? { user, pass: decodeURIComponent(u.password) } : null,
      }),
      from: mailbox,
    });
  }
  // Development without a server: the mails are files the demo shows. Elsewhere, no e-mail.
  if (env !== 'development') return null;
  return Object.freeze({ transport: Object.freeze({ kind: 'files' as const, dir: join(dataDir, 'mail') }), from: mailbox });
}

/**
 * `hello@example.com` or `Café Lune <hello@example.com>` (the name may be quoted); null for
 * anything else. No control characters anywhere: the name goes into a header.
 */
export function parseMailbox(value: string): Mailbox | null {
  // A control character (CR, LF) in a header value would start a header of its own.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) return null;
  const address = /^[^\s@<>()",;:\\[\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
  const bare = value.trim();
  if (address.test(bare)) return { name: null, address: bare };
  const m = /^(.*?)\s*<([^<>]+)>$/.exec(bare);
  if (!m || !address.test(m[2]!)) return null;
  const name = m[1]!
    .trim()
    .replace(/^"(.*)"$/, '$1')
    .trim();
  if (/[<>"]/.test(name)) return null;
  return { name: name || null, address: m[2]! };
}

/** A development session secret, generated once and kept in DATA_DIR. */
function devSecret(dataDir: string): string {
  const file = join(dataDir, 'session-secret');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    mkdirSync(dataDir, { recursive: true });
    const secret = randomBytes(32).toString('base64url');
    writeFileSync(file, secret + '\n', { mode: 0o600 });
    return secret;
  }
}
