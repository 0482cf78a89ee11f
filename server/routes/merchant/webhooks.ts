import { createRoute } from '@hono/zod-openapi';
import {
  webhookBody,
  webhookCreatedSchema,
  webhookDeliveriesSchema,
  webhookDeliveryParams,
  webhookDeliverySchema,
  webhooksSchema,
} from '../../contract/control.ts';
import { idParams } from '../../contract/merchant.ts';
import { empty, json, jsonBody, problems } from '../../contract/shared.ts';
import type { Deps } from '../../http/env.ts';
import { createWebhook, deliveriesOf, removeWebhook, sendAgain, webhooks } from '../../services/webhooks.ts';
import { merchantApp, owner, security } from './shared.ts';

const tags = ['Merchant: webhooks'];

const SIGNING = `Each delivery is a POST of JSON \`{ id, type, createdAt, data }\` with the header
\`Fidelio-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the secret>\` (and
\`Fidelio-Delivery: <delivery id>\`). A 2xx answer within 10 s is a delivery; anything else
(another status, a redirect — not followed —, a timeout) is retried with backoff for a day. In
production only public https addresses are taken (not loopback, private or link-local).`;

/** The owner's webhooks: a till or a spreadsheet follows joins, stamps, rewards and reviews. */
export function webhookRoutes(deps: Deps) {
  const app = merchantApp();

  app.openapi(
    owner(
      createRoute({
        method: 'get',
        path: '/webhooks',
        tags,
        security,
        summary: 'The webhooks',
        responses: {
          200: json(webhooksSchema, 'Oldest first, with their deliveries by outcome.'),
          ...problems('unauthorized', 'forbidden'),
        },
      }),
    ),
    async (c) => c.json(await webhooks(deps, c.var.principal.merchantId), 200),
  );

  app.openapi(
    owner(
      createRoute({
        method: 'post',
        path: '/webhooks',
        tags,
        security,
        summary: 'Register a webhook',
        description: SIGNING,
        request: { body: jsonBody(webhookBody) },
        responses: {
          201: json(webhookCreatedSchema, 'The webhook, with its secret (shown once).'),
          ...problems('validation_failed', 'unauthorized', 'forbidden'),
        },
      }),
    ),
    async (c) => c.json(await createWebhook(deps, c.var.principal.merchantId, c.req.valid('json')), 201),
  );

  app.openapi(
    owner(
      createRoute({
        method: 'delete',
        path: '/webhooks/{id}',
        tags,
        security,
        summary: 'Remove a webhook',
        description: 'With its log; what was still to be sent is not.',
        request: { params: idParams },
        responses: { 204: empty('Removed.'), ...problems('unauthorized', 'forbidden', 'not_found') },
      }),
    ),
    async (c) => {
      await removeWebhook(deps, c.var.principal.merchantId, c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  app.openapi(
    owner(
      createRoute({
        method: 'get',
        path: '/webhooks/{id}/deliveries',
        tags,
        security,
        summary: 'A webhook’s deliveries',
        description: 'The last 50, newest first, each with its attempts (status, error, time taken). Kept 30 days.',
        request: { params: idParams },
        responses: { 200: json(webhookDeliveriesSchema, 'The log.'), ...problems('unauthorized', 'forbidden', 'not_found') },
      }),
    ),
    async (c) => c.json(await deliveriesOf(deps, c.var.principal.merchantId, c.req.valid('param').id), 200),
  );

  app.openapi(
    owner(
      createRoute({
        method: 'post',
        path: '/webhooks/{id}/deliveries/{deliveryId}/retry',
        tags,
        security,
        summary: 'Send a delivery again',
        description: 'Now, whatever became of it, and retried for another day if it fails.',
        request: { params: webhookDeliveryParams },
        responses: { 202: json(webhookDeliverySchema, 'The delivery, pending.'), ...problems('unauthorized', 'forbidden', 'not_found') },
      }),
    ),
    async (c) => {
      const { id, deliveryId } = c.req.valid('param');
      return c.json(await sendAgain(deps, c.var.principal.merchantId, id, deliveryId), 202);
    },
  );

  return app;
}
