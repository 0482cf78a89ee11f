// Apple Push Notification service client for Wallet pass updates.
//
// A pass update push is `POST /3/device/<pushToken>` over HTTP/2 + TLS, authenticated by the Pass Type ID
// certificate as the TLS client certificate, with `apns-topic: <passTypeIdentifier>` and an empty JSON
// dictionary as the body. The device then asks our PassKit web service what changed.
// Apple asks providers to keep one connection open and push many notifications over it as concurrent
// streams (rapid connect/disconnect looks like a denial-of-service attack), so one HTTP/2 session is reused
// for every push, opened lazily and replaced only once it has died.
import http2 from 'node:http2';

export interface ApnsOptions {
  /** Base URL, e.g. `https://api.push.apple.com` (Wallet pass tokens are production tokens). */
  host: string;
  /** The pass type identifier, e.g. `pass.com.example.loyalty`. */
  topic: string;
  /** The Pass Type ID certificate and its private key (PEM), used as the TLS client certificate. */
  certPem: string;
  keyPem: string;
  /** Trusted CA certificates (PEM) instead of Node's default roots; for tests against a local server. */
  ca?: string;
  /** How long a request may stay silent before it is abandoned as 'retry' / 'timeout'. Default 10 s. */
  requestTimeoutMs?: number;
  /** Cap on streams in flight; also bounded by the server's SETTINGS_MAX_CONCURRENT_STREAMS. Default 500. */
  maxConcurrent?: number;
}

export type PushOutcome =
  /** APNs accepted the notification. */
  | { status: 'sent'; apnsId?: string }
  /** The token is dead (410 Unregistered, 400 BadDeviceToken / DeviceTokenNotForTopic): drop the registration. */
  | { status: 'gone'; reason: string }
  /** Transient (429, 5xx, timeout, network error, GOAWAY, stream reset): try again later. */
  | { status: 'retry'; reason: string; retryAfterMs?: number }
  /** Any other rejection (403 BadCertificate, 400 BadTopic, ...): our configuration, not the token; log it. */
  | { status: 'failed'; reason: string };

/** Push tokens are hex strings (32 bytes today; Apple says not to assume a fixed length). */
const TOKEN = /^[0-9a-fA-F]{64,200}$/;
/** 400 reasons that condemn the token rather than our request. */
const GONE_400 = new Set(['BadDeviceToken', 'DeviceTokenNotForTopic']);
/** Error bodies are tiny JSON objects; never buffer more than this. */
const MAX_BODY = 4096;

export class ApnsClient {
  private readonly timeoutMs: number;
  private readonly maxConcurrent: number;
  private session: http2.ClientHttp2Session | undefined;
  /** Pushes holding a stream slot, and the ones queued for a slot (FIFO). */
  private active = 0;
  private readonly queue: Array<(ok: boolean) => void> = [];
  private closed = false;
  /** Sessions with a liveness ping outstanding. */
  private readonly probing = new WeakSet<http2.ClientHttp2Session>();

  constructor(private readonly o: ApnsOptions) {
    this.timeoutMs = o.requestTimeoutMs ?? 10_000;
    this.maxConcurrent = Math.max(1, o.maxConcurrent ?? 500);
  }

  /** Sends one pass update push. Never rejects: every failure is a PushOutcome. */
  async push(token: string): Promise<PushOutcome> {
    if (!TOKEN.test(token)) return { status: 'gone', reason: 'BadDeviceToken' };
    if (!(await this.acquire())) return { status: 'retry', reason: 'client closed' };
    try {
      return await this.send(token);
    } catch (err) {
      // session.request() throws synchronously on a session that died between our check and the call.
      return { status: 'retry', reason: errorReason(err) };
    } finally {
      this.release();
    }
  }

  /** Stops taking pushes, fails the queued ones as 'retry', and lets the streams in flight finish. */
  async close(): Promise<void> {
    this.closed = true;
    for (const wake of this.queue.splice(0)) wake(false);
    const s = this.session;
    this.session = undefined;
    if (s && !s.closed && !s.destroyed) await new Promise<void>((resolve) => s.close(resolve));
  }

  // --- concurrency: a counting semaphore whose size follows the server's SETTINGS ---

  private limit(): number {
    // Until the server's SETTINGS frame arrives, remoteSettings is empty: nghttp2 then assumes 100 streams
    // (`peerMaxConcurrentStreams`) and holds back the rest; a server whose limit is lower refuses the excess
    // with REFUSED_STREAM, which send() resends. Afterwards the server's own limit applies here.
    const remote = this.session?.remoteSettings.maxConcurrentStreams;
    return Math.min(this.maxConcurrent, remote || this.maxConcurrent);
  }

  private acquire(): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    if (this.active < this.limit() && this.queue.length === 0) {
      this.active++;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => this.queue.push(resolve));
  }

  private release(): void {
    this.active--;
    this.pump();
    // Nothing in flight: let the process exit even though the connection stays open for later pushes.
    if (this.active === 0) this.session?.unref();
  }

  /** Hands free slots to queued pushes (also called when the server raises its stream limit). */
  private pump(): void {
    while (this.queue.length > 0 && this.active < this.limit()) {
      this.active++;
      this.queue.shift()!(true);
    }
  }

  // --- the connection ---

  private connect(): http2.ClientHttp2Session {
    if (this.session && !this.session.closed && !this.session.destroyed) return this.session;
    const s = http2.connect(this.o.host, { cert: this.o.certPem, key: this.o.keyPem, ca: this.o.ca });
    // Once a session is going away, new pushes must open a fresh one; its own streams still finish (or
    // fail, and resolve as 'retry' through their 'error'/'close' events).
    const forget = () => {
      if (this.session === s) this.session = undefined;
    };
    s.on('goaway', forget);
    s.on('close', forget);
    s.on('error', forget); // without a listener a TLS or socket error would crash the process
    s.on('remoteSettings', () => this.pump());
    this.session = s;
    return s;
  }

  /**
   * A request timed out: make sure the connection itself is alive. A handshake that never finishes, or a
   * socket silently dropped by a NAT, would otherwise swallow every later push until the OS gives up.
   */
  private probe(s: http2.ClientHttp2Session): void {
    // One probe per session at a time: many requests time out together, and Node cancels (with an error)
    // pings beyond maxOutstandingPings, which must not be mistaken for a dead connection.
    if (s.closed || s.destroyed || this.probing.has(s)) return;
    if (s.connecting) return void s.destroy();
    this.probing.add(s);
    const timer = setTimeout(() => s.destroy(), this.timeoutMs).unref();
    s.ping((err) => {
      clearTimeout(timer);
      this.probing.delete(s);
      if (err && !s.destroyed) s.destroy();
    });
  }

  /** Sends one request; a stream the server refused unprocessed (REFUSED_STREAM) is sent again. */
  private async send(token: string): Promise<PushOutcome> {
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.request(token);
      if (outcome !== 'refused') return outcome;
      // Typically streams opened before the server's SETTINGS arrived that exceed its stream limit.
      if (attempt === 3) return { status: 'retry', reason: 'REFUSED_STREAM' };
    }
  }

  private request(token: string): Promise<PushOutcome | 'refused'> {
    const s = this.connect();
    s.ref(); // a stream is about to be in flight: keep the process alive until it ends
    const stream = s.request({
      ':method': 'POST',
      ':path': `/3/device/${token}`,
      'apns-topic': this.o.topic,
      'content-type': 'application/json',
    });

    return new Promise((resolve) => {
      let settled = false;
      const done = (outcome: PushOutcome | 'refused') => {
        if (settled) return;
        settled = true;
        resolve(outcome);
      };
      let status = 0;
      let apnsId: string | undefined;
      let retryAfter: string | undefined;
      let body = '';
      let error: unknown;

      // An inactivity timeout: a hung request gives its slot back instead of holding it forever.
      stream.setTimeout(this.timeoutMs, () => {
        done({ status: 'retry', reason: 'timeout' });
        stream.close(http2.constants.NGHTTP2_CANCEL);
        this.probe(s);
      });
      stream.on('response', (headers) => {
        status = Number(headers[':status']);
        apnsId = header(headers['apns-id']);
        retryAfter = header(headers['retry-after']);
      });
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        if (body.length < MAX_BODY) body += chunk;
      });
      stream.on('error', (err) => (error = err));
      // 'close' always comes last, whether the answer arrived, the stream was reset, or the whole session
      // died (a dropped connection or a refused TLS handshake just closes our streams, with no error).
      stream.on('close', () => {
        if (status) return done(classify(status, apnsId, body, retryAfter));
        if (stream.rstCode === http2.constants.NGHTTP2_REFUSED_STREAM) return done('refused');
        if (error) return done({ status: 'retry', reason: errorReason(error) });
        done({ status: 'retry', reason: `closed without a response (code ${stream.rstCode ?? 'unknown'})` });
      });
      stream.end('{}');
    });
  }
}

function classify(status: number, apnsId: string | undefined, body: string, retryAfter: string | undefined): PushOutcome {
  if (status === 200) return apnsId ? { status: 'sent', apnsId } : { status: 'sent' };
  const reason = bodyReason(body) ?? `HTTP ${status}`;
  if (status === 410) return { status: 'gone', reason };
  if (status === 400 && GONE_400.has(reason)) return { status: 'gone', reason };
  if (status === 429 || status >= 500) {
    const ms = retryAfterMs(retryAfter);
    return ms === undefined ? { status: 'retry', reason } : { status: 'retry', reason, retryAfterMs: ms };
  }
  return { status: 'failed', reason };
}

/** `{"reason": "..."}`, or undefined for an empty, non-JSON or otherwise shaped body. */
function bodyReason(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object' && 'reason' in parsed && typeof parsed.reason === 'string' && parsed.reason) {
      return parsed.reason;
    }
  } catch {
    // not JSON
  }
  return undefined;
}

/** Retry-After is either delay-seconds or an HTTP date. */
function retryAfterMs(value: string | undefined): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function errorReason(err: unknown): string {
  if (err && typeof err === 'object') {
    const { code, message } = err as { code?: unknown; message?: unknown };
    if (typeof code === 'string') return typeof message === 'string' ? `${code}: ${message}` : code;
    if (typeof message === 'string') return message;
  }
  return String(err);
}
