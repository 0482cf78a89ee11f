import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { deleteRegistration, serialsForDevice, upsertRegistration } from '../db/queries/apple.ts';
import { ApiError, notFound } from '../errors.ts';
import { clientIp } from '../http/client.ts';
import type { Deps } from '../http/env.ts';
import { fieldErrors } from '../http/validate.ts';
import { type AppleWallet, authorizePass, passLastModified, passUnchangedSince, type SignedPass } from '../services/apple.ts';
import { enforceRateLimit, LIMITS } from '../services/rate-limit.ts';

const PKPASS = 'application/vnd.apple.pkpass';

// Apple's deviceLibraryIdentifier and push tokens are hex today; allow a little more, refuse junk.
const deviceId = z.string().regex(/^[A-Za-z0-9._-]{1,128}$/, 'not a device library identifier');
const registrationBody = z.object({
  pushToken: z
    .string()
    .regex(/^[0-9a-fA-F]{64,200}$/, 'must be the hexadecimal push token')
    .transform((t) => t.toLowerCase()),
});
// A tag we gave out: microseconds since the epoch.
const serialsQuery = z.object({
  passesUpdatedSince: z
    .string()
    .regex(/^\d{1,18}$/, 'not a tag this server gave out')
    .optional(),
});
const logBody = z.object({ logs: z.array(z.string().max(4000)).max(100) });

/** A JSON body checked against `schema`, read after authorization (a stranger learns nothing from a 400). */
async function jsonBody<T extends z.ZodType>(c: Context, schema: T): Promise<z.output<T>> {
  const data: unknown = await c.req.json().catch(() => {
    throw new ApiError('validation_failed', 'The body must be JSON.', { errors: [{ path: '(body)', message: 'malformed JSON' }] });
  });
  const r = schema.safeParse(data);
  if (!r.success) throw new ApiError('validation_failed', 'Some fields are missing or invalid.', { errors: fieldErrors(r.error) });
  return r.data;
}

function param<T extends z.ZodType>(schema: T, value: string | undefined, path: string): z.output<T> {
  const r = schema.safeParse(value);
  if (!r.success)
    throw new ApiError('validation_failed', 'Some fields are missing or invalid.', {
      errors: [{ path, message: r.error.issues[0]!.message }],
    });
  return r.data;
}

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

function sendPass(c: Context, pass: SignedPass, filename?: string) {
  validators(c, { version: pass.version, updated_at: pass.updatedAt });
  c.header('Content-Type', PKPASS);
  if (filename) c.header('Content-Disposition', `attachment; filename="${filename}"`);
  return c.body(new Uint8Array(pass.bytes));
}

function wallet(deps: Deps): AppleWallet {
  if (!deps.apple) throw new ApiError('unavailable', 'Apple Wallet passes are not set up on this server (no Pass Type ID certificate).');
  return deps.apple;
}

/**
 * The pass download (`/passes/apple/:serial.pkpass`) and Apple's PassKit web service under
 * `/apple/v1` (`webServiceURL` = `<PUBLIC_URL>/apple`), as Apple specifies it.
 */
export function appleRoutes(deps: Deps) {
  const { db } = deps;
  const app = new Hono();

  app.get('/passes/apple/:file', async (c) => {
    const apple = wallet(deps);
    const serial = /^(.+)\.pkpass$/.exec(c.req.param('file'))?.[1];
    if (!serial) throw notFound('No such pass.');
    const pass = await apple.pass(db, serial);
    const card = { version: pass.version, updated_at: pass.updatedAt };
    if (unchanged(c, card)) {
      validators(c, card);
      return c.body(null, 304);
    }
    return sendPass(c, pass, 'loyalty-card.pkpass');
  });

  const v1 = new Hono();

  /** The pass type in the path must be ours; any other is not served here. */
  const passType = (c: Context) => {
    if (c.req.param('passType') !== wallet(deps).identity.passTypeId) throw notFound('Unknown pass type.');
  };

  // Register a device for a pass's updates: 201 new, 200 already registered.
  v1.post('/devices/:device/registrations/:passType/:serial', async (c) => {
    passType(c);
    const card = await authorizePass(db, c.req.param('serial'), c.req.header('Authorization'));
    const device = param(deviceId, c.req.param('device'), 'deviceLibraryIdentifier');
    const { pushToken } = await jsonBody(c, registrationBody);
    const created = await upsertRegistration(db, { deviceId: device, cardId: card.id, pushToken });
    return c.body(null, created ? 201 : 200);
  });

  // Unregister: 200 (also when it was not registered: the device's wish holds either way).
  v1.delete('/devices/:device/registrations/:passType/:serial', async (c) => {
    passType(c);
    const card = await authorizePass(db, c.req.param('serial'), c.req.header('Authorization'));
    await deleteRegistration(db, param(deviceId, c.req.param('device'), 'deviceLibraryIdentifier'), card.id);
    return c.body(null, 200);
  });

  // The device's passes changed since its tag: 200 with serials and a newer tag, 204 if none.
  // No token here: the device library identifier is the shared secret (Apple's design).
  v1.get('/devices/:device/registrations/:passType', async (c) => {
    passType(c);
    const device = param(deviceId, c.req.param('device'), 'deviceLibraryIdentifier');
    const query = serialsQuery.safeParse(c.req.query());
    if (!query.success)
      throw new ApiError('validation_failed', 'Some fields are missing or invalid.', { errors: fieldErrors(query.error) });
    const rows = await serialsForDevice(db, device, query.data.passesUpdatedSince ?? null);
    if (rows.length === 0) return c.body(null, 204);
    const lastUpdated = rows.reduce((max, r) => (BigInt(r.tag) > BigInt(max) ? r.tag : max), rows[0]!.tag);
    return c.json({ serialNumbers: rows.map((r) => r.serial), lastUpdated });
  });

  // The latest pass: 304 when the device has it already (checked before any signing).
  v1.get('/passes/:passType/:serial', async (c) => {
    passType(c);
    const card = await authorizePass(db, c.req.param('serial'), c.req.header('Authorization'));
    if (unchanged(c, card)) {
      validators(c, card);
      return c.body(null, 304);
    }
    return sendPass(c, await wallet(deps).pass(db, c.req.param('serial')));
  });

  // What a device reports going wrong with our passes: written to the server log.
  v1.post('/log', async (c) => {
    const apple = wallet(deps);
    await enforceRateLimit(db, LIMITS.appleLogPerIp, clientIp(c, deps.config.trustProxy));
    const { logs } = await jsonBody(c, logBody);
    for (const line of logs) apple.log(`[fidelio] Apple Wallet device log: ${line.replace(/[\u0000-\u001f\u007f]+/g, ' ').slice(0, 1000)}`);
    return c.body(null, 200);
  });

  app.route('/apple/v1', v1);
  return app;
}
