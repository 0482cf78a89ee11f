// The Google Wallet REST API (walletobjects/v1) for loyalty classes and objects, with an OAuth2
// access token from the service account (a JWT-bearer grant), cached until it expires. Knows
// nothing of the outbox or of cards: `wallet.ts` builds what it sends, `channel.ts` decides when.
import http from 'node:http';
import https from 'node:https';
import { isDeepStrictEqual } from 'node:util';
import { type Signer, tokenAssertion } from '../../../passes/google/jwt.ts';
import type { LoyaltyClass, LoyaltyObject } from '../../../passes/google/objects.ts';

export interface GoogleApiOptions {
  /** The REST base, e.g. `https://walletobjects.googleapis.com/walletobjects/v1`. */
  api: string;
  tokenUrl: string;
  signer: Signer;
  /** How long a request may take before it is abandoned (a 'retry'). Default 10 s. */
  requestTimeoutMs?: number;
  /** Requests in flight at most. Default 32. */
  maxConcurrent?: number;
}

/** A REST answer: the status (0: no answer — network error or timeout) and the JSON body. */
export interface ApiAnswer {
  status: number;
  /** Google's JSON, read by nobody but the log (`reason`): not typed. */
  body: unknown;
  /** From Retry-After, on a 429 or 503. */
  retryAfterMs?: number;
  /** Why it failed, for the log. */
  reason?: string;
}

/** Refresh the token this long before Google says it expires. */
const TOKEN_MARGIN_MS = 60_000;
const MAX_ERROR_BODY = 4096;

export class GoogleWalletApi {
  readonly #o: GoogleApiOptions;
  readonly #timeoutMs: number;
  readonly #maxConcurrent: number;
  #active = 0;
  readonly #queue: (() => void)[] = [];
  #token: { value: string; expiresAt: number } | undefined;
  #fetchingToken: Promise<string> | undefined;
  readonly #agents: { http: http.Agent; https: https.Agent };
  /** Access tokens obtained, since start (tests: one per hour, not one per call). */
  tokensFetched = 0;

  constructor(o: GoogleApiOptions) {
    this.#o = o;
    this.#timeoutMs = o.requestTimeoutMs ?? 10_000;
    this.#maxConcurrent = Math.max(1, o.maxConcurrent ?? 32);
    // Idle kept-alive sockets are unref'd by the agent: they never hold the process open.
    const options = { keepAlive: true, maxSockets: this.#maxConcurrent + 1 };
    this.#agents = { http: new http.Agent(options), https: new https.Agent(options) };
  }

  /** An access token: the cached one while it is good, else one new one shared by every caller. */
  async token(): Promise<string> {
    if (this.#token && Date.now() < this.#token.expiresAt - TOKEN_MARGIN_MS) return this.#token.value;
    this.#fetchingToken ??= this.#fetchToken().finally(() => (this.#fetchingToken = undefined));
    return this.#fetchingToken;
  }

  async #fetchToken(): Promise<string> {
    const assertion = await tokenAssertion(this.#o.signer, this.#o.tokenUrl);
    const form = new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString();
    const res = await this.#call('POST', this.#o.tokenUrl, { 'content-type': 'application/x-www-form-urlencoded' }, form, this.#timeoutMs);
    const text = res.text;
    if (res.status < 200 || res.status >= 300)
      throw new TokenError(res.status, `token endpoint answered ${res.status}: ${text.slice(0, 200)}`);
    const body = JSON.parse(text) as { access_token?: string; expires_in?: number };
    if (!body.access_token) throw new TokenError(res.status, 'token endpoint answered without an access_token');
    this.tokensFetched++;
    this.#token = { value: body.access_token, expiresAt: Date.now() + (body.expires_in ?? 3600) * 1000 };
    return body.access_token;
  }

  /** Forgets `token` if it is still the cached one (Google said 401: expired or revoked). */
  #invalidate(token: string) {
    if (this.#token?.value === token) this.#token = undefined;
  }

  /**
   * One call to the API. A 401 gets a new token and one more try. Never rejects: a network
   * error, a timeout or a token endpoint that fails is status 0 (or the token endpoint's 4xx).
   */
  async request(method: string, path: string, body?: unknown, timeoutMs = this.#timeoutMs): Promise<ApiAnswer> {
    await this.#acquire();
    try {
      for (let attempt = 0; ; attempt++) {
        let token: string;
        try {
          token = await this.token();
        } catch (err) {
          const status = err instanceof TokenError && err.status >= 400 && err.status < 500 ? err.status : 0;
          return { status, body: null, reason: `no access token: ${(err as Error).message}` };
        }
        const answer = await this.#send(method, path, body, token, timeoutMs);
        if (answer.status !== 401 || attempt > 0) return answer;
        this.#invalidate(token);
      }
    } finally {
      this.#release();
    }
  }

  async #send(method: string, path: string, body: unknown, token: string, timeoutMs: number): Promise<ApiAnswer> {
    try {
      const headers: Record<string, string> = { authorization: `Bearer ${token}` };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await this.#call(
        method,
        `${this.#o.api}${path}`,
        headers,
        body === undefined ? undefined : JSON.stringify(body),
        timeoutMs,
      );
      let json: unknown = null;
      try {
        json = res.text ? JSON.parse(res.text) : null;
      } catch {
        json = null;
      }
      const answer: ApiAnswer = { status: res.status, body: json };
      if (res.status < 200 || res.status >= 300)
        answer.reason = `${method} ${path.replace(/\/[^/]*$/, '/…')}: ${res.status} ${res.text.slice(0, MAX_ERROR_BODY)}`;
      const retryAfter = res.retryAfter;
      if (retryAfter !== undefined) {
        const seconds = Number(retryAfter);
        const at = Date.parse(retryAfter);
        if (Number.isFinite(seconds)) answer.retryAfterMs = Math.max(0, seconds * 1000);
        else if (Number.isFinite(at)) answer.retryAfterMs = Math.max(0, at - Date.now());
      }
      return answer;
    } catch (err) {
      return { status: 0, body: null, reason: `${method} ${path}: ${(err as Error).message}` };
    }
  }

  /**
   * One HTTP request over a kept-alive connection (node:http: a good deal lighter than fetch,
   * which matters at thousands of updates); rejects on a network error or after `timeoutMs`.
   */
  #call(
    method: string,
    url: string,
    headers: Record<string, string>,
    body: string | undefined,
    timeoutMs: number,
  ): Promise<{ status: number; text: string; retryAfter: string | undefined }> {
    return new Promise((resolve, reject) => {
      const u = new URL(url);
      const secure = u.protocol === 'https:';
      if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
      const req = (secure ? https : http).request(u, { method, headers, agent: secure ? this.#agents.https : this.#agents.http }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('error', reject);
        res.on('end', () => {
          clearTimeout(timer);
          const retryAfter = res.headers['retry-after'];
          resolve({ status: res.statusCode ?? 0, text, retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter });
        });
      });
      const timer = setTimeout(() => req.destroy(new Error(`timeout after ${timeoutMs} ms`)), timeoutMs);
      req.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      req.end(body);
    });
  }

  /** Closes the idle kept-alive connections. */
  close(): void {
    this.#agents.http.destroy();
    this.#agents.https.destroy();
  }

  #acquire(): Promise<void> {
    if (this.#active < this.#maxConcurrent) {
      this.#active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#queue.push(resolve));
  }

  #release() {
    const next = this.#queue.shift();
    if (next) next();
    else this.#active--;
  }

  insertClass = (c: LoyaltyClass, timeoutMs?: number) => this.request('POST', '/loyaltyClass', c, timeoutMs);
  patchClass = (id: string, changes: Record<string, unknown>, timeoutMs?: number) =>
    this.request('PATCH', `/loyaltyClass/${encodeURIComponent(id)}`, changes, timeoutMs);
  insertObject = (o: LoyaltyObject, timeoutMs?: number) => this.request('POST', '/loyaltyObject', o, timeoutMs);
  patchObject = (id: string, changes: Record<string, unknown>, timeoutMs?: number) =>
    this.request('PATCH', `/loyaltyObject/${encodeURIComponent(id)}`, changes, timeoutMs);
  addObjectMessage = (id: string, message: unknown) =>
    this.request('POST', `/loyaltyObject/${encodeURIComponent(id)}/addMessage`, { message });
}

class TokenError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The body of a PATCH that makes Google's copy `next`: the top-level fields of `next` that differ
 * from `previous` (what Google was last sent; all of them when that is unknown), without the ids.
 * Google merges a PATCH into what it holds: an array is replaced whole, an object merged key by
 * key, and a field sent as null is removed (its "patch semantics"). So a field `next` no longer
 * has is sent as null (a website taken away, a tier program turned into points), and so is each
 * key a changed object lost (a points balance `{int}` after a stamps one `{string}`), else the
 * old value would stay. When `previous` is unknown, `optional` (every field that may come and go,
 * in its widest shape: `CLASS_OPTIONAL_FIELDS`, `OBJECT_OPTIONAL_FIELDS`) stands for it.
 */
export function changedFields(
  previous: Record<string, unknown> | null,
  next: object,
  optional: Readonly<Record<string, unknown>> = {},
): Record<string, unknown> {
  const before = previous ?? optional;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(next)) {
    if (k === 'id' || k === 'classId') continue;
    // Deep, whatever the key order (the previous one comes back from jsonb, which sorts keys).
    if (!previous || !isDeepStrictEqual(previous[k], v)) out[k] = replacing(before[k], v);
  }
  for (const [k, v] of Object.entries(before)) {
    if (k !== 'id' && k !== 'classId' && !Object.hasOwn(next, k) && v !== null && v !== undefined) out[k] = null;
  }
  return out;
}

/**
 * `next` with a null for each key of `previous` it lost, at every depth where both are objects:
 * what turns `previous` into `next` under Google's merge.
 */
function replacing(previous: unknown, next: unknown): unknown {
  if (!isRecord(previous) || !isRecord(next)) return next;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(next)) out[k] = replacing(previous[k], v);
  for (const k of Object.keys(previous)) if (!Object.hasOwn(next, k)) out[k] = null;
  return out;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether Google accepted the call (2xx). */
export const accepted = (a: ApiAnswer) => a.status >= 200 && a.status < 300;
