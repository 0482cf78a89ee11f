// What the merchant API's resources share: their app, the owner-only mark, who writes to a card.
import type { RouteConfig } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { ownerOnly, peopleOnly } from '../../http/auth.ts';
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

/**
 * A route for the owner and staff signed in: a till's API key gets 403 `forbidden` (a till
 * stamps, redeems and looks up one card; the customer list and the logs are not its business).
 */
export function signedIn<R extends RouteConfig>(route: R): R {
  const middleware = route.middleware === undefined ? [] : Array.isArray(route.middleware) ? route.middleware : [route.middleware];
  return {
    ...route,
    middleware: [peopleOnly, ...middleware],
    description: `**Owner and staff signed in** (a till's API key gets 403).${route.description ? ` ${route.description}` : ''}`,
    'x-people-only': true,
  };
}

/**
 * Who writes to which card, where (the account's or key's shop, else the one the body names),
 * and with an Idempotency-Key, the fingerprint of this request.
 */
export function cardWrite(c: Context<AppEnv>, serial: string, body: unknown): CardWrite {
  const key = c.req.header('idempotency-key');
  const { merchantId, actor, locationId } = c.var.principal;
  const named =
    typeof body === 'object' && body !== null && 'locationId' in body ? (body as { locationId?: string }).locationId : undefined;
  return {
    merchantId,
    serial,
    actor,
    locationId: locationId ?? named ?? null,
    idempotency: key === undefined ? undefined : { key, hash: requestHash(c.req.method, c.req.path, body) },
  };
}
