// The 'webhook' outbox channel: each row is one delivery (an event for one endpoint), POSTed
// signed, each attempt written down; retried with backoff for a day, then given up.
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { Db } from '../db/index.ts';
import type { OutboxRow } from '../db/queries/outbox.ts';
import { getDeliveryToSend, recordWebhookAttempt } from '../db/queries/webhooks.ts';
import { isPublicAddress, literalAddress, signatureHeader, webhookRetryDelayMs } from '../domain/webhooks.ts';
import type { Delivery, OutboxChannel } from '../outbox/worker.ts';

export interface WebhookChannelOptions {
  /** Refuse loopback, private and link-local addresses (production): checked on every connection. */
  publicOnly: boolean;
  /** How long a receiver has to answer. */
  timeoutMs?: number;
  /** The clock for the day of retries (tests). */
  now?: () => Date;
}

/** The worker's settings: many receivers are slow, so many in flight; a short lease is enough with the timeout. */
export const WEBHOOK_WORKER = { maxInFlight: 200, leaseMs: 120_000 } as const;

/** Why an address is refused, as the attempt's error. */
const REFUSED = 'refused: the address is loopback, private or link-local';

/**
 * A DNS lookup that refuses what resolves to a non-public address, so that a name pointing at
 * 127.0.0.1 or 169.254.169.254 (or changed to, after the webhook was saved) is never connected to.
 */
function publicLookup(
  hostname: string,
  options: LookupOptions,
  callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
): void {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
    if (err) return callback(err, []);
    const bad = addresses.find((a) => !isPublicAddress(a.address));
    if (bad) return callback(Object.assign(new Error(`${REFUSED} (${bad.address})`), { code: 'EADDRREFUSED' }), []);
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0]!.address, addresses[0]!.family);
  });
}

export class WebhookChannel implements OutboxChannel {
  readonly name = 'webhook';
  readonly label = 'Webhooks';
  readonly #db: Db;
  readonly #options: Required<Omit<WebhookChannelOptions, 'now'>> & Pick<WebhookChannelOptions, 'now'>;
  readonly #agents: { http: http.Agent; https: https.Agent };

  constructor(db: Db, options: WebhookChannelOptions) {
    this.#db = db;
    this.#options = { timeoutMs: 10_000, ...options };
    const agent = { keepAlive: true, maxSockets: 20, ...(options.publicOnly && { lookup: publicLookup }) };
    this.#agents = { http: new http.Agent(agent), https: new https.Agent(agent) };
  }

  async deliver(row: OutboxRow): Promise<Delivery> {
    const d = await getDeliveryToSend(this.#db, row.target);
    if (!d) return { status: 'gone', reason: 'no such delivery (its webhook was removed?)' };
    if (d.status === 'delivered') return { status: 'sent' };
    const now = this.#options.now?.() ?? new Date();
    const started = performance.now();
    const answer = await this.#post(d.url, d.body, signatureHeader(d.secret, d.body, now), d.id);
    const durationMs = Math.round(performance.now() - started);
    const ok = answer.status !== null && answer.status >= 200 && answer.status < 300;
    const error =
      answer.error ??
      (ok
        ? null
        : answer.status! >= 300 && answer.status! < 400
          ? `answered ${answer.status} (redirects are not followed)`
          : `answered ${answer.status}`);
    const delay = webhookRetryDelayMs(row.attempts + 1);
    const giveUp = !ok && now.getTime() + delay > d.retry_until.getTime();
    await recordWebhookAttempt(this.#db, {
      deliveryId: d.id,
      status: answer.status,
      error,
      durationMs,
      outcome: ok ? 'delivered' : giveUp ? 'failed' : 'pending',
    });
    if (ok) return { status: 'sent' };
    if (giveUp) return { status: 'rejected', reason: `${d.url}: given up after a day: ${error}` };
    return { status: 'retry', reason: error!, retryAfterMs: delay };
  }

  /** POSTs the body; the receiver's status, or why it never answered. Never rejects. */
  #post(url: string, body: string, signature: string, deliveryId: string): Promise<{ status: number | null; error?: string }> {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return Promise.resolve({ status: null, error: 'not a valid URL' });
    }
    const literal = literalAddress(target);
    if (this.#options.publicOnly && literal !== undefined && !isPublicAddress(literal)) {
      return Promise.resolve({ status: null, error: `${REFUSED} (${literal})` });
    }
    const client = target.protocol === 'https:' ? https : http;
    return new Promise((resolve) => {
      const req = client.request(
        target,
        {
          method: 'POST',
          agent: target.protocol === 'https:' ? this.#agents.https : this.#agents.http,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'user-agent': 'fidelio-webhooks/1',
            'fidelio-signature': signature,
            'fidelio-delivery': deliveryId,
          },
          timeout: this.#options.timeoutMs,
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? null }));
          res.on('error', () => resolve({ status: res.statusCode ?? null }));
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.#options.timeoutMs / 1000} s`)));
      req.on('error', (err) => resolve({ status: null, error: err.message }));
      req.end(body);
    });
  }

  async close(): Promise<void> {
    this.#agents.http.destroy();
    this.#agents.https.destroy();
  }
}
