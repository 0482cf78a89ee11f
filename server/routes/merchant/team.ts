import { createRoute } from '@hono/zod-openapi';
import { apiKeyBody, apiKeyCreatedSchema, idParams, staffBody, staffCreatedSchema, staffSchema } from '../../contract/merchant.ts';
import { empty, json, jsonBody, problems } from '../../contract/shared.ts';
import type { Deps } from '../../http/env.ts';
import { apiKeyListSchema } from '../../contract/control.ts';
import { apiKeys, createApiKey, revokeKey } from '../../services/api-keys.ts';
import { addStaff, removeStaff, team } from '../../services/staff.ts';
import { merchantApp, owner, security } from './shared.ts';

const tags = ['Merchant: team'];

/** The owner's team: staff accounts, and API keys for the tills. Every route is the owner's. */
export function teamRoutes(deps: Deps) {
  const app = merchantApp();

  app.openapi(
    owner(
      createRoute({
        method: 'get',
        path: '/staff',
        tags,
        security,
        summary: 'The accounts',
        responses: { 200: json(staffSchema, 'The owner and the staff, oldest first.'), ...problems('unauthorized', 'forbidden') },
      }),
    ),
    async (c) => c.json(await team(deps, c.var.principal.merchantId), 200),
  );

  app.openapi(
    owner(
      createRoute({
        method: 'post',
        path: '/staff',
        tags,
        security,
        summary: 'Add a staff account',
        description: 'Staff scan, stamp, redeem and look customers up; nothing else.',
        request: { body: jsonBody(staffBody) },
        responses: {
          201: json(staffCreatedSchema, 'The new account.'),
          ...problems('validation_failed', 'unauthorized', 'forbidden', 'conflict'),
        },
      }),
    ),
    async (c) => c.json(await addStaff(deps, c.var.principal.merchantId, c.req.valid('json')), 201),
  );

  // A staff account leaves: its sessions end with it. Owners are not removed here.
  app.openapi(
    owner(
      createRoute({
        method: 'delete',
        path: '/staff/{id}',
        tags,
        security,
        summary: 'Remove a staff account',
        description: 'Its sessions end with it. An owner is not removed here.',
        request: { params: idParams },
        responses: { 204: empty('Removed.'), ...problems('unauthorized', 'forbidden', 'not_found') },
      }),
    ),
    async (c) => {
      await removeStaff(deps, c.var.principal.merchantId, c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  app.openapi(
    owner(
      createRoute({
        method: 'post',
        path: '/api-keys',
        tags,
        security,
        summary: 'Create an API key for a till',
        description:
          'A till’s key: it stamps, buys, redeems and looks up one card by its serial (the customer list, exports and a person’s data need the owner or staff signed in). Tied to a shop, every visit it records is that shop’s. Shown once; only its hash is kept.',
        request: { body: jsonBody(apiKeyBody) },
        responses: {
          201: json(apiKeyCreatedSchema, 'The key, shown once.'),
          ...problems('validation_failed', 'unauthorized', 'forbidden'),
        },
      }),
    ),
    async (c) => c.json(await createApiKey(deps, c.var.principal.merchantId, c.req.valid('json')), 201),
  );

  app.openapi(
    owner(
      createRoute({
        method: 'get',
        path: '/api-keys',
        tags,
        security,
        summary: 'The tills’ API keys',
        description: 'Name, shop, created, last used (to the minute); never the secret. Revoked keys are not listed.',
        responses: { 200: json(apiKeyListSchema, 'The keys that work, oldest first.'), ...problems('unauthorized', 'forbidden') },
      }),
    ),
    async (c) => c.json(await apiKeys(deps, c.var.principal.merchantId), 200),
  );

  app.openapi(
    owner(
      createRoute({
        method: 'delete',
        path: '/api-keys/{id}',
        tags,
        security,
        summary: 'Revoke an API key',
        description: 'The next request with it is a 401, on every server process.',
        request: { params: idParams },
        responses: { 204: empty('Revoked.'), ...problems('unauthorized', 'forbidden', 'not_found') },
      }),
    ),
    async (c) => {
      await revokeKey(deps, c.var.principal.merchantId, c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  return app;
}
