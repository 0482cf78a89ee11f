import { createRoute, z } from '@hono/zod-openapi';
import { idParams, merchantReviewSchema, merchantReviewsSchema, moderationBody, reviewsQuery } from '../../contract/merchant.ts';
import { json, jsonBody, problems } from '../../contract/shared.ts';
import { cursor } from '../../http/cursor.ts';
import type { Deps } from '../../http/env.ts';
import { merchantReviews, moderateReview } from '../../services/reviews.ts';
import { merchantApp, owner, security } from './shared.ts';

const tags = ['Merchant: reviews'];

/** Reviews before they show on the website: the owner approves or rejects each. */
export function reviewRoutes(deps: Deps) {
  const app = merchantApp();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/reviews',
      tags,
      security,
      summary: 'Reviews, newest first',
      request: { query: reviewsQuery },
      responses: {
        200: json(merchantReviewsSchema, 'A page of reviews, of one status or all.'),
        ...problems('validation_failed', 'unauthorized'),
      },
    }),
    async (c) => {
      const { status, cursor: after, limit } = c.req.valid('query');
      const { items, next } = await merchantReviews(deps, c.var.principal.merchantId, {
        status,
        after: after ? cursor.decode(after) : undefined,
        limit,
      });
      return c.json({ reviews: items, nextCursor: next && cursor.encode(next.at, next.id) }, 200);
    },
  );

  app.openapi(
    owner(
      createRoute({
        method: 'patch',
        path: '/reviews/{id}',
        tags,
        security,
        summary: 'Approve or reject a review',
        request: { params: idParams, body: jsonBody(moderationBody) },
        responses: {
          200: json(z.object({ review: merchantReviewSchema }), 'The review as it is now.'),
          ...problems('validation_failed', 'unauthorized', 'forbidden', 'not_found'),
        },
      }),
    ),
    async (c) => {
      const review = await moderateReview(deps, c.var.principal.merchantId, c.req.valid('param').id, c.req.valid('json').status);
      return c.json({ review }, 200);
    },
  );

  return app;
}
