// The owner's webhooks: registered (the secret shown once), listed, removed; their deliveries'
// log and "send again". Events are queued by the services that cause them (`webhookEvent`).
import { randomUUID } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import type { WebhookEvent } from '../contract/control.ts';
import {
  type DeliveryLogRow,
  deleteWebhook,
  insertWebhook,
  listWebhooks,
  requeueDelivery,
  webhookDeliveries,
  type WebhookEventRow,
} from '../db/queries/webhooks.ts';
import { isPublicAddress, literalAddress, newWebhookSecret } from '../domain/webhooks.ts';
import { invalidField, notFound } from '../errors.ts';
import type { Deps } from './deps.ts';
import { isUuid } from './tokens.ts';

/** Deliveries a webhook's log shows. */
const LOG_LENGTH = 50;

/**
 * Whether the webhook may go to this URL: http(s); where only public addresses are allowed
 * (production), https, and neither an IP literal nor a name that resolves to a loopback, private
 * or link-local address. A name that does not resolve now is taken (each delivery checks again).
 */
async function checkUrl(deps: Pick<Deps, 'config'>, raw: string): Promise<string> {
  const url = new URL(raw);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalidField('url', 'must be an http or https URL');
  if (url.username || url.password) throw invalidField('url', 'must not carry a user name or password');
  if (!deps.config.webhooks.publicOnly) return url.href;
  if (url.protocol !== 'https:') throw invalidField('url', 'must be an https URL');
  const literal = literalAddress(url);
  const addresses = literal
    ? [literal]
    : await lookup(url.hostname, { all: true }).then(
        (a) => a.map((x) => x.address),
        () => [],
      );
  if (addresses.some((a) => !isPublicAddress(a))) throw invalidField('url', 'private, loopback and link-local addresses are refused');
  return url.href;
}

const hookOf = (w: { id: string; url: string; events: string[]; created_at: Date }) => ({
  id: w.id,
  url: w.url,
  events: w.events as WebhookEvent[],
  createdAt: w.created_at.toISOString(),
});

export async function createWebhook(deps: Pick<Deps, 'db' | 'config'>, merchantId: string, input: { url: string; events: WebhookEvent[] }) {
  const url = await checkUrl(deps, input.url);
  const secret = newWebhookSecret();
  const row = await insertWebhook(deps.db, { merchantId, url, events: [...new Set(input.events)], secret });
  return { ...hookOf(row), secret };
}

export async function webhooks({ db }: Pick<Deps, 'db'>, merchantId: string) {
  return { webhooks: (await listWebhooks(db, merchantId)).map((w) => ({ ...hookOf(w), delivered: w.delivered, failing: w.failing })) };
}

export async function removeWebhook({ db }: Pick<Deps, 'db'>, merchantId: string, id: string): Promise<void> {
  if (!isUuid(id) || !(await deleteWebhook(db, merchantId, id))) throw notFound('No webhook with this id.');
}

const deliveryOf = (d: DeliveryLogRow) => ({
  id: d.id,
  eventId: d.event_id,
  type: d.type as WebhookEvent,
  status: d.status,
  createdAt: d.created_at.toISOString(),
  deliveredAt: d.delivered_at?.toISOString() ?? null,
  nextAttemptAt: d.status === 'pending' && d.next_attempt_at ? new Date(d.next_attempt_at).toISOString() : null,
  attempts: d.attempts.map((a) => ({ ...a, at: new Date(a.at).toISOString() })),
});

/** A webhook's last deliveries, newest first, with their attempts. */
export async function deliveriesOf({ db }: Pick<Deps, 'db'>, merchantId: string, webhookId: string) {
  const rows = isUuid(webhookId) ? await webhookDeliveries(db, merchantId, webhookId, LOG_LENGTH) : undefined;
  if (!rows) throw notFound('No webhook with this id.');
  return { deliveries: rows.map(deliveryOf) };
}

/** "Send again": the delivery goes out now and is retried for another day. */
export async function sendAgain(deps: Pick<Deps, 'db' | 'outbox'>, merchantId: string, webhookId: string, deliveryId: string) {
  const row = isUuid(webhookId) && isUuid(deliveryId) ? await requeueDelivery(deps.db, merchantId, webhookId, deliveryId) : undefined;
  if (!row) throw notFound('No delivery with this id.');
  deps.outbox.wake();
  return deliveryOf(row);
}

/** One event, as every webhook that wants it receives it: `{ id, type, createdAt, data }`. */
export function webhookEvent(
  type: WebhookEvent,
  data: Record<string, unknown>,
  customerId: string | null,
  at = new Date(),
): WebhookEventRow {
  const eventId = randomUUID();
  return { type, eventId, customerId, body: JSON.stringify({ id: eventId, type, createdAt: at.toISOString(), data }) };
}
