import { createRoute } from '@hono/zod-openapi';
import { messageBody, messageSentSchema, reachSchema } from '../../contract/merchant.ts';
import { json, jsonBody, problems } from '../../contract/shared.ts';
import type { Deps } from '../../http/env.ts';
import { broadcastMessage, messageReach } from '../../services/messages.ts';
import { merchantApp, owner, security } from './shared.ts';

const tags = ['Merchant: messages'];

/** A short text on every member's pass, with a lock-screen notification. */
export function messageRoutes(deps: Deps) {
  const app = merchantApp();

  app.openapi(
    owner(
      createRoute({
        method: 'post',
        path: '/messages',
        tags,
        security,
        summary: 'Send a message to every pass',
        description:
          'Up to 300 characters on the back of every pass, with a lock-screen notification; 3 in any 24 hours (Google Wallet’s limit for a pass, kept for Apple Wallet too).',
        request: { body: jsonBody(messageBody) },
        responses: {
          202: json(messageSentSchema, 'Queued: how many passes and Apple devices it reaches.'),
          ...problems('validation_failed', 'unauthorized', 'forbidden', 'rate_limited'),
        },
      }),
    ),
    async (c) => c.json(await broadcastMessage(deps, c.var.principal.merchantId, c.req.valid('json').text), 202),
  );

  // Before sending: how many passes (cards) and Apple Wallet devices a message would reach.
  app.openapi(
    owner(
      createRoute({
        method: 'get',
        path: '/messages/reach',
        tags,
        security,
        summary: 'How many a message would reach',
        responses: { 200: json(reachSchema, 'The cards and the Apple Wallet devices.'), ...problems('unauthorized', 'forbidden') },
      }),
    ),
    async (c) => c.json(await messageReach(deps, c.var.principal.merchantId), 200),
  );

  return app;
}
