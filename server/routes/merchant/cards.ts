import { createRoute } from '@hono/zod-openapi';
import {
  adjustedSchema,
  adjustmentBody,
  cardOnlySchema,
  idempotencyHeaders,
  purchaseBody,
  purchasedSchema,
  redeemedSchema,
  redemptionBody,
  redemptionParams,
  redemptionUndoneSchema,
  stampBody,
  stampedSchema,
} from '../../contract/merchant.ts';
import { json, jsonBody, problems, serialParams } from '../../contract/shared.ts';
import type { Deps } from '../../http/env.ts';
import { adjustCard, purchase, redeemReward, stampCard, undoRedemptionOf } from '../../services/card-writes.ts';
import { REDEMPTION_UNDO_WINDOW_MS } from '../../domain/rules.ts';
import { getMerchantCard } from '../../services/cards.ts';
import { deliveriesOfCard } from '../../services/deliveries.ts';
import { deliveriesSchema } from '../../contract/control.ts';
import { cardWrite, merchantApp, owner, security, signedIn } from './shared.ts';

const tags = ['Merchant: cards'];
const writeErrors = ['validation_failed', 'unauthorized', 'forbidden', 'not_found', 'conflict'] as const;

/**
 * The counter's lookup and every write to a card: stamps, purchases, redemptions, and the
 * owner's corrections. Each write is one transaction and takes an `Idempotency-Key`.
 */
export function cardRoutes(deps: Deps) {
  const app = merchantApp();

  // The counter looks a card up before stamping it: this merchant's cards only.
  app.openapi(
    createRoute({
      method: 'get',
      path: '/cards/{serial}',
      tags,
      security,
      summary: 'Look a card up',
      description: 'Another merchant’s card is not found, like an unknown serial.',
      request: { params: serialParams },
      responses: { 200: json(cardOnlySchema, 'The card.'), ...problems('unauthorized', 'not_found') },
    }),
    async (c) => c.json(await getMerchantCard(deps, c.var.principal.merchantId, c.req.valid('param').serial), 200),
  );

  app.openapi(
    signedIn(
      createRoute({
        method: 'get',
        path: '/cards/{serial}/deliveries',
        tags,
        security,
        summary: 'What reached the phones',
        description:
          'For each phone (an APNs device token’s first characters) and Google Wallet: when an update was queued, sent, what APNs or Google answered, and for Apple when the phone then fetched the new pass. Newest first; kept 30 days.',
        request: { params: serialParams },
        responses: { 200: json(deliveriesSchema, 'The delivery log.'), ...problems('unauthorized', 'forbidden', 'not_found') },
      }),
    ),
    async (c) => c.json(await deliveriesOfCard(deps, c.var.principal.merchantId, c.req.valid('param').serial), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/cards/{serial}/stamps',
      tags,
      security,
      summary: 'Add stamps',
      description: 'Stamps programs. A completed card earns its reward (extra stamps carry over); a first visit pays a pending referral.',
      request: { params: serialParams, headers: idempotencyHeaders, body: jsonBody(stampBody) },
      responses: { 200: json(stampedSchema, 'The card after the stamps.'), ...problems(...writeErrors) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const w = cardWrite(c, c.req.valid('param').serial, body);
      return c.json(await stampCard(deps, w, { count: body.count, purchaseAmountMinor: body.purchaseAmount }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/cards/{serial}/purchases',
      tags,
      security,
      summary: 'Record a purchase',
      description: 'Points, tiers and cashback programs.',
      request: { params: serialParams, headers: idempotencyHeaders, body: jsonBody(purchaseBody) },
      responses: { 200: json(purchasedSchema, 'The card after the purchase.'), ...problems(...writeErrors) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const w = cardWrite(c, c.req.valid('param').serial, body);
      return c.json(await purchase(deps, w, { amountMinor: body.amount }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/cards/{serial}/redemptions',
      tags,
      security,
      summary: 'Redeem a reward or spend cashback',
      request: { params: serialParams, headers: idempotencyHeaders, body: jsonBody(redemptionBody) },
      responses: { 200: json(redeemedSchema, 'The card after the redemption.'), ...problems(...writeErrors, 'insufficient_balance') },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const w = cardWrite(c, c.req.valid('param').serial, body);
      return c.json(await redeemReward(deps, w, { rewardId: body.rewardId, amountMinor: body.amount }), 200);
    },
  );

  // The counter's "Undo" a few seconds after a reward was used by a mistaken tap.
  app.openapi(
    createRoute({
      method: 'post',
      path: '/cards/{serial}/redemptions/{id}/undo',
      tags,
      security,
      summary: 'Undo a redemption',
      description: `Within ${REDEMPTION_UNDO_WINDOW_MS / 60_000} minutes of the redemption: what it took is given back exactly (a stamps card's reward, the points, the cashback) by a \`redemption_undone\` ledger entry (the redemption's stays), and the passes are updated. A redemption already undone is not undone twice: the answer is then the card as it is, with the same \`undone\`, and nothing changes. A redemption of another card or merchant is not found; later than the window, 409 \`conflict\`.`,
      request: { params: redemptionParams, headers: idempotencyHeaders },
      responses: { 200: json(redemptionUndoneSchema, 'The card after the undo.'), ...problems(...writeErrors) },
    }),
    async (c) => {
      const { serial, id } = c.req.valid('param');
      return c.json(await undoRedemptionOf(deps, cardWrite(c, serial, undefined), id), 200);
    },
  );

  // The owner corrects a card by hand, saying why (a forgotten stamp, a goodwill gesture, a mistake).
  app.openapi(
    owner(
      createRoute({
        method: 'post',
        path: '/cards/{serial}/adjustments',
        tags,
        security,
        summary: 'Correct a card by hand',
        description: 'With a reason kept on the ledger. Never below zero; a completed stamps card earns its reward. Not a visit.',
        request: { params: serialParams, headers: idempotencyHeaders, body: jsonBody(adjustmentBody) },
        responses: { 200: json(adjustedSchema, 'The card after the correction.'), ...problems(...writeErrors, 'insufficient_balance') },
      }),
    ),
    async (c) => {
      const body = c.req.valid('json');
      const w = cardWrite(c, c.req.valid('param').serial, body);
      return c.json(await adjustCard(deps, w, body), 200);
    },
  );

  return app;
}
