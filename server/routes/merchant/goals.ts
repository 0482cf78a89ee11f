import { createRoute } from '@hono/zod-openapi';
import { goalBody, goalParams, goalPatchBody, goalSchema, goalsSchema } from '../../contract/goals.ts';
import { empty, json, jsonBody, problems } from '../../contract/shared.ts';
import type { Deps } from '../../http/env.ts';
import { changeGoal, createGoal, merchantGoals, removeGoal } from '../../services/goals.ts';
import { merchantApp, owner, security } from './shared.ts';

const tags = ['Merchant: goals'];

/** The owner's SMART goals on the KPIs. Every route is the owner's. */
export function goalRoutes(deps: Deps) {
  const app = merchantApp();

  app.openapi(
    owner(
      createRoute({
        method: 'get',
        path: '/goals',
        tags,
        security,
        summary: 'The goals and where they stand',
        description: 'The nearest deadline first; each with its current figure, progress, pace and status today.',
        responses: { 200: json(goalsSchema, 'The goals.'), ...problems('unauthorized', 'forbidden') },
      }),
    ),
    async (c) => c.json(await merchantGoals(deps, c.var.principal.merchantId), 200),
  );

  app.openapi(
    owner(
      createRoute({
        method: 'post',
        path: '/goals',
        tags,
        security,
        summary: 'Set a goal',
        description: 'A KPI, a target and the days to reach it in; without `baseline`, the figure is measured now.',
        request: { body: jsonBody(goalBody) },
        responses: { 201: json(goalSchema, 'The goal.'), ...problems('validation_failed', 'unauthorized', 'forbidden') },
      }),
    ),
    async (c) => c.json(await createGoal(deps, c.var.principal.merchantId, c.req.valid('json')), 201),
  );

  app.openapi(
    owner(
      createRoute({
        method: 'patch',
        path: '/goals/{id}',
        tags,
        security,
        summary: 'Change a goal',
        description:
          'The fields given change. A measured baseline is measured again when the metric or `from` changes, or with `baseline: null`.',
        request: { params: goalParams, body: jsonBody(goalPatchBody) },
        responses: { 200: json(goalSchema, 'The goal.'), ...problems('validation_failed', 'unauthorized', 'forbidden', 'not_found') },
      }),
    ),
    async (c) => c.json(await changeGoal(deps, c.var.principal.merchantId, c.req.valid('param').id, c.req.valid('json')), 200),
  );

  app.openapi(
    owner(
      createRoute({
        method: 'delete',
        path: '/goals/{id}',
        tags,
        security,
        summary: 'Remove a goal',
        request: { params: goalParams },
        responses: { 204: empty('Removed.'), ...problems('unauthorized', 'forbidden', 'not_found') },
      }),
    ),
    async (c) => {
      await removeGoal(deps, c.var.principal.merchantId, c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  return app;
}
