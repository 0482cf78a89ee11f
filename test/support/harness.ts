import { randomBytes } from 'node:crypto';
import { createApp } from '../../server/app.ts';
import { type Config, loadConfig } from '../../server/config.ts';
import type { Db } from '../../server/db/index.ts';
import type { Deps } from '../../server/services/deps.ts';
import type { Balances } from '../../server/domain/rules.ts';
import { MAIL_WORKER, MailChannel, type MailChannelOptions } from '../../server/mail/channel.ts';
import { openMailTransport, type SmtpOptions } from '../../server/mail/transport.ts';
import { OutboxWorker, type OutboxWorkerOptions } from '../../server/outbox/worker.ts';
import type { PushWorker } from '../../server/wallets/apple/channel.ts';
import { WEBHOOK_WORKER, WebhookChannel, type WebhookChannelOptions } from '../../server/webhooks/channel.ts';
import { type AppleWallet, openAppleWallet } from '../../server/wallets/apple/wallet.ts';
import { type GoogleWallet, openGoogleWallet } from '../../server/wallets/google/wallet.ts';
import { PassImages } from '../../passes/images.ts';
import { openTestDb, type TestDb } from './db.ts';
import { cacheAndLedger } from './ledger.ts';

export const PUBLIC_URL = 'http://fidelio.test';

export interface Reply<T = any> {
  status: number;
  headers: Headers;
  body: T;
  /** The body as sent, byte for byte. */
  text: string;
}

export interface CallOptions {
  body?: unknown;
  /** Sent as is (string) instead of JSON. */
  raw?: string;
  headers?: Record<string, string>;
  /** A session cookie from `signUpMerchant`. */
  cookie?: string;
  /** Defaults to the server's own origin when a cookie is sent (the dashboard). */
  origin?: string | null;
  /** Client IP (X-Forwarded-For); a random one by default so rate limits do not collide. */
  ip?: string;
}

export interface Merchant {
  id: string;
  email: string;
  password: string;
  cookie: string;
  program: any;
}

/**
 * The app against a fresh database (PGlite or Postgres per TEST_DB), called in process with
 * `app.request()`. One per test file; `close()` it in `after()`.
 */
export class Harness {
  readonly app: ReturnType<typeof createApp>;
  readonly db: Db;
  readonly config: Config;
  readonly testDb: TestDb;

  readonly apple: AppleWallet | null;
  /** What the server logged (Apple device logs, push worker notes). */
  readonly logs: string[];
  readonly google: GoogleWallet | null;
  /** A push worker a test started: the routes wake it after each write, as in the server. */
  worker: PushWorker | undefined;
  /** A Google Wallet update worker a test started (woken like `worker`). */
  googleWorker: OutboxWorker | undefined;
  /** The mail worker a test started with `startMailWorker` (woken like `worker`). */
  mailWorker: OutboxWorker | undefined;
  /** The webhook worker a test started with `startWebhookWorker` (woken like `worker`). */
  webhookWorker: OutboxWorker | undefined;
  /** What the app's services are given: a test calls a service (a daily job) with it. */
  readonly deps: Deps;
  /** The services' clock: the wall clock until a test sets it (`setNow`). */
  now: Date | undefined;

  private constructor(testDb: TestDb, config: Config, apple: AppleWallet | null, google: GoogleWallet | null, logs: string[]) {
    this.testDb = testDb;
    this.db = testDb.db;
    this.config = config;
    this.apple = apple;
    this.google = google;
    this.logs = logs;
    const wake = () => {
      this.worker?.wake();
      this.googleWorker?.wake();
      this.mailWorker?.wake();
      this.webhookWorker?.wake();
    };
    this.deps = { config, db: testDb.db, apple, google, outbox: { wake }, clock: () => this.now ?? new Date() };
    this.app = createApp(this.deps);
  }

  /** Sets the services' clock (an ISO string or a Date); `undefined` goes back to the wall clock. */
  setNow(at: string | Date | undefined): void {
    this.now = at === undefined ? undefined : new Date(at);
  }

  /**
   * `googleApi`: settings of the Google REST client (e.g. a short timeout against a fake that
   * hangs); `db`: a database to use instead of a fresh one per TEST_DB (the bench).
   */
  static async start(
    env: Record<string, string> = {},
    googleApi: { requestTimeoutMs?: number; maxConcurrent?: number } = {},
    db?: TestDb,
  ): Promise<Harness> {
    const testDb = db ?? (await openTestDb());
    const config = loadConfig({
      NODE_ENV: 'test',
      PUBLIC_URL,
      SESSION_SECRET: 'test-secret-test-secret-test-secret-0123',
      TRUST_PROXY: '1',
      DATA_DIR: '.data/test',
      ...env,
    });
    const logs: string[] = [];
    const apple = await openAppleWallet(config, (line) => logs.push(line));
    const google = await openGoogleWallet(config, apple?.images ?? new PassImages(), (line) => logs.push(line), googleApi);
    return new Harness(testDb, config, apple, google, logs);
  }

  async close(): Promise<void> {
    await this.worker?.stop();
    await this.googleWorker?.stop();
    await this.mailWorker?.stop();
    await this.webhookWorker?.stop();
    await this.testDb.close();
  }

  /**
   * Starts a mail worker as the server does (the transport `config.mail` names: SMTP_URL, or files
   * in development), replacing one started before. `smtp`: the transport's timeouts (short ones
   * against a fake that hangs); `wallets`: the wallets the welcome mail may offer (default: the
   * harness's); `worker`: the outbox worker's options (the server's, with a short poll, by default).
   */
  async startMailWorker(
    opts: { smtp?: SmtpOptions; wallets?: MailChannelOptions['wallets']; worker?: OutboxWorkerOptions } = {},
  ): Promise<OutboxWorker> {
    const mail = this.config.mail;
    if (!mail) throw new Error('e-mail is off in this harness: start it with SMTP_URL (or NODE_ENV=development)');
    await this.mailWorker?.stop();
    const channel = new MailChannel(
      this.db,
      openMailTransport(mail, opts.smtp),
      { ...this.config, mail },
      { wallets: opts.wallets ?? { apple: Boolean(this.apple), google: Boolean(this.google) } },
    );
    const worker = new OutboxWorker(this.db, channel, { ...MAIL_WORKER, pollMs: 50, log: (line) => this.logs.push(line), ...opts.worker });
    this.mailWorker = worker;
    worker.start();
    return worker;
  }

  /**
   * Starts a webhook worker as the server does, replacing one started before. `channel`: a short
   * timeout against a receiver that hangs, public addresses only (production's rule), the clock.
   */
  startWebhookWorker(channel: Partial<WebhookChannelOptions> = {}, worker: OutboxWorkerOptions = {}): OutboxWorker {
    const w = new OutboxWorker(this.db, new WebhookChannel(this.db, { publicOnly: this.config.webhooks.publicOnly, ...channel }), {
      ...WEBHOOK_WORKER,
      pollMs: 50,
      log: (line) => this.logs.push(line),
      ...worker,
    });
    void this.webhookWorker?.stop();
    this.webhookWorker = w;
    w.start();
    return w;
  }

  async call<T = any>(method: string, path: string, opts: CallOptions = {}): Promise<Reply<T>> {
    const headers: Record<string, string> = { 'x-forwarded-for': opts.ip ?? randomIp(), ...opts.headers };
    let body: string | undefined;
    if (opts.raw !== undefined) body = opts.raw;
    else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    if (opts.cookie) headers.cookie = opts.cookie;
    const origin = opts.origin === undefined ? (opts.cookie ? this.config.publicOrigin : null) : opts.origin;
    if (origin) headers.origin = origin;
    const res = await this.app.request(path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    if (/json/.test(res.headers.get('content-type') ?? '') && text) parsed = JSON.parse(text);
    return { status: res.status, headers: res.headers, body: parsed as T, text };
  }

  /** An answer as bytes (status, content type, body text): to compare two answers exactly. */
  async exact(method: string, path: string, headers: Record<string, string>, body?: unknown) {
    const res = await this.call(method, path, { headers, body });
    return { status: res.status, contentType: res.headers.get('content-type'), text: res.text };
  }

  /** The `n` of a `SELECT count(*)::int AS n …`. */
  async count(sql: string, params: unknown[] = []): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(sql, params);
    return rows[0]!.n;
  }

  get = <T = any>(path: string, opts?: CallOptions) => this.call<T>('GET', path, opts);
  post = <T = any>(path: string, body?: unknown, opts: CallOptions = {}) => this.call<T>('POST', path, { ...opts, body });
  put = <T = any>(path: string, body?: unknown, opts: CallOptions = {}) => this.call<T>('PUT', path, { ...opts, body });

  /** A new merchant (owner) with its session cookie. */
  async signUpMerchant(name = 'Test Café'): Promise<Merchant> {
    const email = `owner-${randomBytes(5).toString('hex')}@example.com`;
    const password = 'correct horse battery';
    const res = await this.post('/api/merchant/signup', { businessName: name, email, password });
    if (res.status !== 201) throw new Error(`merchant signup failed: ${res.status} ${JSON.stringify(res.body)}`);
    const cookie = cookieFrom(res.headers);
    return { id: res.body.merchant.id, email, password, cookie, program: res.body.program };
  }

  /** Replaces the merchant's program with `changes` applied. */
  async setProgram(m: Merchant, changes: Record<string, unknown>): Promise<any> {
    const res = await this.put('/api/merchant/program', { ...m.program, ...changes }, { cookie: m.cookie });
    if (res.status !== 200) throw new Error(`program update failed: ${res.status} ${JSON.stringify(res.body)}`);
    m.program = res.body.program;
    return m.program;
  }

  /** A staff account of the merchant, added by the owner through the API, and its session. */
  async addStaff(m: Merchant, password = 'staff password 1'): Promise<{ id: string; email: string; password: string; cookie: string }> {
    const email = `staff-${randomBytes(5).toString('hex')}@example.com`;
    const created = await this.post('/api/merchant/staff', { email, password }, { cookie: m.cookie });
    if (created.status !== 201) throw new Error(`adding staff failed: ${created.status} ${JSON.stringify(created.body)}`);
    const login = await this.post('/api/merchant/login', { email, password });
    if (login.status !== 200) throw new Error(`staff login failed: ${login.status}`);
    return { id: created.body.id, email, password, cookie: cookieFrom(login.headers) };
  }

  /** A new API key of the merchant (a till's), created by the owner. */
  async apiKey(m: Merchant, name = 'till'): Promise<string> {
    const res = await this.post('/api/merchant/api-keys', { name }, { cookie: m.cookie });
    if (res.status !== 201) throw new Error(`creating an API key failed: ${res.status}`);
    return res.body.key;
  }

  /** A customer joins the merchant's program; returns the signup answer's card. */
  async join(m: Merchant, extra: Record<string, unknown> = {}): Promise<any> {
    const res = await this.post(`/api/public/programs/${m.program.slug}/signup`, {
      name: 'Alex Customer',
      email: `c-${randomBytes(5).toString('hex')}@example.com`,
      consent: { terms: true, marketing: false },
      ...extra,
    });
    if (res.status !== 201) throw new Error(`customer signup failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.card;
  }

  /** The card's cached balances next to the balances recomputed from its ledger. */
  async cacheAndLedger(serial: string): Promise<{ cached: Balances; fromLedger: Balances; entries: number }> {
    const { cached, fromLedger, entries } = await cacheAndLedger(this.db, serial);
    return { cached, fromLedger, entries: entries.length };
  }
}

export function cookieFrom(headers: Headers): string {
  const set = headers.get('set-cookie') ?? '';
  // `__Host-fidelio_session` behind https.
  const m = /((?:__Host-)?fidelio_session)=([^;]+)/.exec(set);
  if (!m) throw new Error(`no session cookie in ${set}`);
  return `${m[1]}=${m[2]}`;
}

export function randomIp(): string {
  const b = randomBytes(3);
  return `10.${b[0]}.${b[1]}.${b[2]}`;
}
