// What the merchant API's resources share: their app, the owner-only mark, who writes to a card.
import type { RouteConfig } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { ownerOnly } from '../../http/auth.ts';
import type { AppEnv } from '../../http/env.ts';
import { apiApp } from '../../http/validate.ts';
import type { CardWrite } from '../../services/card-writes.ts';
import { requestHash } from '../../services/idempotency.ts';

export const merchantApp = () => apiApp<AppEnv>();

/** The merchant API's security schemes, for the OpenAPI document. */
export const security: Record<string, string[]>[] = [{ session: [] }, { apiKey: [] }];

/**
 * An owner-only route: staff and API keys get 403 `forbidden` before anything else is read
 * (the check runs ahead of validation), and the document says so.
 */
export function owner<R extends RouteConfig>(route: R): R {
  const middleware = route.middleware === undefined ? [] : Array.isArray(route.middleware) ? route.middleware : [route.middleware];
  return {
    ...route,
    middleware: [ownerOnly, ...middleware],
    description: `**Owner only** (staff and API keys get 403).${route.description ? ` ${route.description}` : ''}`,
    'x-owner-only': true,
  };
}

/** Who writes to which card; with an Idempotency-Key, the fingerprint of this request. */
export function cardWrite(c: Context<AppEnv>, serial: string, body: unknown): CardWrite {
  const key = c.req.header('idempotency-key');
  const { merchantId, actor } = c.var.principal;
  return {
    merchantId,
    serial,
    actor,
    idempotency: key === undefined ? undefined : { key, hash: requestHash(c.req.method, c.req.path, body) },
  };
}
