import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { json, problems } from '../contract/shared.ts';
import { deviceId, logBody, registrationBody, serialsQuery, updatedSerialsSchema, walletPathParams } from '../contract/wallet.ts';
import { invalidField, notFound } from '../errors.ts';
import { clientIp } from '../http/client.ts';
import { attachment } from '../http/headers.ts';
import { passLastModified, passUnchangedSince } from '../http/conditional.ts';
import type { Deps } from '../http/env.ts';
import { apiApp, documented, parse } from '../http/validate.ts';
import {
  appleWallet,
  applePass,
  authorizePass,
  passFetched,
  deviceLog,
  registerDevice,
  unregisterDevice,
  updatedSerials,
} from '../services/apple-wallet.ts';
import type { SignedPass } from '../wallets/apple/wallet.ts';
import { enforceRateLimit, LIMITS } from '../services/rate-limit.ts';

const PKPASS = 'application/vnd.apple.pkpass';
const tags = ['Apple Wallet'];

const etagOf = (version: number) => `"${version}"`;

/** Whether the client's copy (ETag or date) is the current pass. */
function unchanged(c: Context, card: { version: number; updated_at: Date }): boolean {
  const ifNoneMatch = c.req.header('If-None-Match');
  if (ifNoneMatch !== undefined) return ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etagOf(card.version));
  return passUnchangedSince(card.updated_at, c.req.header('If-Modified-Since'));
}

function validators(c: Context, card: { version: number; updated_at: Date }) {
  c.header('Last-Modified', passLastModified(card.updated_at).toUTCString());
  c.header('ETag', etagOf(card.version));
  // A phone or browser may keep it, but asks every time whether it changed.
  c.header('Cache-Control', 'no-cache');
}

/** The pass; `download`: as a file named after the shop (`cafe-lune.pkpass`), not for Apple's web service. */
function sendPass(c: Context, pass: SignedPass, download = false) {
  validators(c, { version: pass.version, updated_at: pass.updatedAt });
  c.header('Content-Type', PKPASS);
  if (download) c.header('Content-Disposition', attachment(pass.fileName.ascii, pass.fileName.utf8));
  return c.body(new Uint8Array(pass.bytes));
}

const passResponses = {
  200: { description: 'The signed pass.', content: { [PKPASS]: { schema: { type: 'string', format: 'binary' } } } },
  304: { description: 'Unchanged since the `If-None-Match` / `If-Modified-Since` given.' },
} as const;

const applePassHeader = z.object({
  authorization: z.string().openapi({ example: 'ApplePass 9b1c…', description: '`ApplePass <the pass’s authenticationToken>`.' }),
});

/**
 * The pass download (`/passes/apple/:serial.pkpass`) and Apple's PassKit web service under
 * `/apple/v1` (`webServiceURL` = `<PUBLIC_URL>/apple`), as Apple specifies it. The web service
 * checks the pass's token before it reads anything else of the request.
 */
export function appleRoutes(deps: Deps) {
  const app = apiApp();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/passes/apple/{file}',
      tags,
      summary: 'Download a card’s pass',
      description: '`file` is `<serial>.pkpass`. Sends `ETag` and `Last-Modified`; a conditional request for the same pass gets 304.',
      request: { params: z.object({ file: z.string().openapi({ example: 'k7q2m4x9p3v8w5t6r2n4b7c3d5.pkpass' }) }) },
      responses: { ...passResponses, ...problems('not_found', 'unavailable') },
    }),
    async (c) => {
      appleWallet(deps);
      const serial = /^(.+)\.pkpass$/.exec(c.req.valid('param').file)?.[1];
      if (!serial) throw notFound('No such pass.');
      const pass = await applePass(deps, serial);
      const card = { version: pass.version, updated_at: pass.updatedAt };
      if (unchanged(c, card)) {
        validators(c, card);
        return c.body(null, 304);
      }
      return sendPass(c, pass, true);
    },
  );

  const v1 = apiApp();

  /** The pass type in the path must be ours; any other is not served here. */
  const passType = (c: Context) => {
    if (c.req.param('passType') !== appleWallet(deps).identity.passTypeId) throw notFound('Unknown pass type.');
  };
  const device = (c: Context) => parse(deviceId, c.req.param('device'), 'deviceLibraryIdentifier');
  /** A JSON body checked after authorization (a stranger learns nothing from a 400). */
  const body = async <T extends z.ZodType>(c: Context, schema: T): Promise<z.output<T>> => {
    const data: unknown = await c.req.json().catch(() => {
      throw invalidField('(body)', 'malformed JSON', 'The body must be JSON.');
    });
    return parse(schema, data);
  };
  const registration = { params: z.object(walletPathParams), headers: applePassHeader };
  const webService = (summary: string) => ({ tags, summary });

  // Register a device for a pass's updates: 201 new, 200 already registered.
  documented(
    v1,
    createRoute({
      method: 'post',
      path: '/devices/{device}/registrations/{passType}/{serial}',
      ...webService('Register a device for a pass’s updates'),
      request: { ...registration, body: { required: true, content: { 'application/json': { schema: registrationBody } } } },
      responses: {
        201: { description: 'Registered.' },
        200: { description: 'Already registered (the push token is updated).' },
        ...problems('validation_failed', 'unauthorized', 'not_found'),
      },
    }),
    async (c) => {
      passType(c);
      const card = await authorizePass(deps, c.req.param('serial') ?? '', c.req.header('Authorization'));
      const id = device(c);
      const { pushToken } = await body(c, registrationBody);
      const created = await registerDevice(deps, card, id, pushToken);
      return c.body(null, created ? 201 : 200);
    },
  );

  // Unregister: 200 (also when it was not registered: the device's wish holds either way).
  documented(
    v1,
    createRoute({
      method: 'delete',
      path: '/devices/{device}/registrations/{passType}/{serial}',
      ...webService('Unregister a device'),
      request: registration,
      responses: {
        200: { description: 'Unregistered (also when it was not).' },
        ...problems('validation_failed', 'unauthorized', 'not_found'),
      },
    }),
    async (c) => {
      passType(c);
      const card = await authorizePass(deps, c.req.param('serial') ?? '', c.req.header('Authorization'));
      await unregisterDevice(deps, card, device(c));
      return c.body(null, 200);
    },
  );

  // The device's passes changed since its tag: 200 with serials and a newer tag, 204 if none.
  // No token here: the device library identifier is the shared secret (Apple's design).
  documented(
    v1,
    createRoute({
      method: 'get',
      path: '/devices/{device}/registrations/{passType}',
      ...webService('The serials of a device’s passes changed since a tag'),
      request: { params: z.object({ device: walletPathParams.device, passType: walletPathParams.passType }), query: serialsQuery },
      responses: {
        200: json(updatedSerialsSchema, 'The changed serials and a newer tag.'),
        204: { description: 'None changed (or the device is unknown).' },
        ...problems('validation_failed', 'not_found'),
      },
    }),
    async (c) => {
      passType(c);
      const id = device(c);
      const { passesUpdatedSince } = parse(serialsQuery, c.req.query());
      const changed = await updatedSerials(deps, id, passesUpdatedSince ?? null);
      return changed ? c.json(changed) : c.body(null, 204);
    },
  );

  // The latest pass: 304 when the device has it already (checked before any signing).
  documented(
    v1,
    createRoute({
      method: 'get',
      path: '/passes/{passType}/{serial}',
      ...webService('The latest version of a pass'),
      request: { params: z.object({ passType: walletPathParams.passType, serial: walletPathParams.serial }), headers: applePassHeader },
      responses: { ...passResponses, ...problems('unauthorized', 'not_found') },
    }),
    async (c) => {
      passType(c);
      const serial = c.req.param('serial') ?? '';
      const card = await authorizePass(deps, serial, c.req.header('Authorization'));
      await passFetched(deps, serial);
      if (unchanged(c, card)) {
        validators(c, card);
        return c.body(null, 304);
      }
      return sendPass(c, await applePass(deps, serial));
    },
  );

  // What a device reports going wrong with our passes: written to the server log.
  documented(
    v1,
    createRoute({
      method: 'post',
      path: '/log',
      ...webService('Log what went wrong on a device'),
      description: 'Written to the server log. 60 a minute per IP.',
      request: { body: { required: true, content: { 'application/json': { schema: logBody } } } },
      responses: { 200: { description: 'Logged.' }, ...problems('validation_failed', 'rate_limited', 'unavailable') },
    }),
    async (c) => {
      appleWallet(deps);
      await enforceRateLimit(deps, LIMITS.appleLogPerIp, clientIp(c, deps.config.trustProxy));
      deviceLog(deps, (await body(c, logBody)).logs);
      return c.body(null, 200);
    },
  );

  app.route('/apple/v1', v1);
  return app;
}
