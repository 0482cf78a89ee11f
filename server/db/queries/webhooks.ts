// Webhooks: the owner's endpoints, a delivery per event and endpoint (queued with its outbox row
// in the transaction that causes the event), and each attempt's outcome.
import type { Queryable } from '../index.ts';

export interface WebhookRow {
  id: string;
  url: string;
  events: string[];
  created_at: Date;
}

export async function insertWebhook(
  q: Queryable,
  w: { merchantId: string; url: string; events: readonly string[]; secret: string },
): Promise<WebhookRow> {
  const { rows } = await q.query<WebhookRow>(
    'INSERT INTO webhooks (merchant_id, url, events, secret) VALUES ($1, $2, $3, $4) RETURNING id, url, events, created_at',
    [w.merchantId, w.url, w.events, w.secret],
  );
  return rows[0]!;
}

/** The merchant's webhooks, oldest first, with their deliveries of the last 30 days by outcome. */
export async function listWebhooks(q: Queryable, merchantId: string): Promise<(WebhookRow & { delivered: number; failing: number })[]> {
  const { rows } = await q.query<WebhookRow & { delivered: number; failing: number }>(
    `SELECT w.id, w.url, w.events, w.created_at,
            (SELECT count(*) FROM webhook_deliveries d WHERE d.webhook_id = w.id AND d.status = 'delivered')::int AS delivered,
            (SELECT count(*) FROM webhook_deliveries d
              WHERE d.webhook_id = w.id AND (d.status = 'failed'
                 OR (d.status = 'pending' AND EXISTS (SELECT FROM webhook_attempts a WHERE a.delivery_id = d.id))))::int AS failing
       FROM webhooks w WHERE w.merchant_id = $1 ORDER BY w.created_at, w.id`,
    [merchantId],
  );
  return rows;
}

/** Removes a webhook with its deliveries and their queued sends; false if the merchant has none by this id. */
export async function deleteWebhook(q: Queryable, merchantId: string, id: string): Promise<boolean> {
  const { rows } = await q.query('DELETE FROM webhooks WHERE merchant_id = $1 AND id = $2 RETURNING 1', [merchantId, id]);
  return rows.length > 0;
}

/** One event to send: its type, id, the exact body, and the person it is about (if any). */
export interface WebhookEventRow {
  type: string;
  eventId: string;
  body: string;
  customerId: string | null;
}

/**
 * Queues each event for every webhook of the merchant that wants its type: a delivery row and
 * its outbox row (channel 'webhook', target the delivery's id), in the transaction of the change
 * that causes them; the worker sends them after the commit.
 */
export async function queueWebhookEvents(q: Queryable, merchantId: string, events: readonly WebhookEventRow[]): Promise<number> {
  if (events.length === 0) return 0;
  const { rows } = await q.query<{ n: number }>(
    `WITH e AS (SELECT * FROM unnest($2::text[], $3::uuid[], $4::text[], $5::uuid[]) AS e (type, event_id, body, customer_id)),
          d AS (INSERT INTO webhook_deliveries (merchant_id, webhook_id, event_id, type, customer_id, body)
                SELECT $1, w.id, e.event_id, e.type, e.customer_id, e.body
                  FROM webhooks w JOIN e ON e.type = ANY (w.events)
                 WHERE w.merchant_id = $1
                RETURNING id),
          o AS (INSERT INTO outbox (merchant_id, channel, target) SELECT $1, 'webhook', id::text FROM d)
     SELECT count(*)::int AS n FROM d`,
    [merchantId, events.map((e) => e.type), events.map((e) => e.eventId), events.map((e) => e.body), events.map((e) => e.customerId)],
    'queueWebhookEvents',
  );
  return rows[0]!.n;
}

/** What the worker needs to send a delivery: where, the secret, the body, when it was queued. */
export interface DeliveryToSend {
  id: string;
  url: string;
  secret: string;
  body: string;
  status: string;
  retry_until: Date;
}

export async function getDeliveryToSend(q: Queryable, id: string): Promise<DeliveryToSend | undefined> {
  const { rows } = await q.query<DeliveryToSend>(
    `SELECT d.id, w.url, w.secret, d.body, d.status, d.retry_until
       FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = $1`,
    [id],
    'getDeliveryToSend',
  );
  return rows[0];
}

/** Writes down one attempt, and the delivery's state after it (delivered, failed for good, or still pending). */
export async function recordWebhookAttempt(
  q: Queryable,
  a: { deliveryId: string; status: number | null; error: string | null; durationMs: number; outcome: 'delivered' | 'failed' | 'pending' },
): Promise<void> {
  await q.query(
    `WITH a AS (INSERT INTO webhook_attempts (delivery_id, status, error, duration_ms) VALUES ($1, $2, $3, $4))
     UPDATE webhook_deliveries SET status = $5, delivered_at = CASE WHEN $5 = 'delivered' THEN now() END WHERE id = $1`,
    [a.deliveryId, a.status, a.error, a.durationMs, a.outcome],
    'recordWebhookAttempt',
  );
}

export interface DeliveryLogRow {
  id: string;
  event_id: string;
  type: string;
  status: 'pending' | 'delivered' | 'failed';
  created_at: Date;
  delivered_at: Date | null;
  next_attempt_at: Date | null;
  attempts: { at: string; status: number | null; error: string | null; durationMs: number }[];
}

const DELIVERY_LOG = `SELECT d.id, d.event_id, d.type, d.status, d.created_at, d.delivered_at,
         (SELECT o.available_at FROM outbox o WHERE o.channel = 'webhook' AND o.target = d.id::text) AS next_attempt_at,
         coalesce((SELECT json_agg(json_build_object('at', a.created_at, 'status', a.status, 'error', a.error, 'durationMs', a.duration_ms)
                                   ORDER BY a.id)
                     FROM webhook_attempts a WHERE a.delivery_id = d.id), '[]') AS attempts
    FROM webhook_deliveries d`;

/** A webhook's last deliveries, newest first, each with its attempts; undefined when the merchant has no such webhook. */
export async function webhookDeliveries(q: Queryable, merchantId: string, webhookId: string, limit: number) {
  const { rows: hook } = await q.query('SELECT 1 FROM webhooks WHERE merchant_id = $1 AND id = $2', [merchantId, webhookId]);
  if (hook.length === 0) return undefined;
  const { rows } = await q.query<DeliveryLogRow>(
    `${DELIVERY_LOG} WHERE d.webhook_id = $1 ORDER BY d.created_at DESC, d.id LIMIT $2`,
    [webhookId, limit],
    'webhookDeliveries',
  );
  return rows;
}

/**
 * Sends a delivery again ("send again"): pending at once, whatever became of it; its attempts
 * stay in the log. Undefined when the merchant has no such delivery on this webhook.
 */
export async function requeueDelivery(q: Queryable, merchantId: string, webhookId: string, deliveryId: string) {
  const { rows } = await q.query<{ id: string }>(
    `WITH d AS (UPDATE webhook_deliveries SET status = 'pending', delivered_at = NULL, retry_until = now() + interval '1 day'
                 WHERE merchant_id = $1 AND webhook_id = $2 AND id = $3 RETURNING id),
          o AS (INSERT INTO outbox (merchant_id, channel, target) SELECT $1, 'webhook', id::text FROM d
                ON CONFLICT (channel, target) DO UPDATE SET available_at = now(), attempts = 0, lease_until = NULL)
     SELECT id FROM d`,
    [merchantId, webhookId, deliveryId],
  );
  if (rows.length === 0) return undefined;
  const { rows: log } = await q.query<DeliveryLogRow>(`${DELIVERY_LOG} WHERE d.id = $1`, [deliveryId]);
  return log[0];
}
