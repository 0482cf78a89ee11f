// The pieces every part of the HTTP contract uses: the problem answer, the error responses of
// a route, and the common parameters.
import { z } from '@hono/zod-openapi';
import { ERROR_CODES, type ErrorCode } from '../errors.ts';

/** An error answer (RFC 9457 `application/problem+json`) with a stable `code`. */
export const problemSchema = z
  .object({
    type: z.string().openapi({ example: 'urn:fidelio:problem:not_found' }),
    title: z.string().openapi({ example: 'Not found' }),
    status: z.number().int().openapi({ example: 404 }),
    detail: z.string().openapi({ example: 'No card with this serial.' }),
    code: z.enum(ERROR_CODES),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .openapi({ description: 'For `validation_failed`: each failing field (`(body)` for the body as a whole).' }),
  })
  .openapi('Problem');

/** What each error code means to a caller, and its status. */
const ERRORS: Record<ErrorCode, { status: number; meaning: string }> = {
  validation_failed: { status: 400, meaning: 'a field is missing or invalid (`errors` names each), or the body is not JSON' },
  unauthorized: { status: 401, meaning: 'not signed in, or the credentials are wrong' },
  forbidden: { status: 403, meaning: 'not allowed: another site (CORS, CSRF), or an owner-only action' },
  not_found: { status: 404, meaning: 'nothing by this name (another merchant’s is not found alike)' },
  conflict: { status: 409, meaning: 'conflicts with what exists (an email taken, an Idempotency-Key reused for another request)' },
  already_member: { status: 409, meaning: 'this email is already a member of the program' },
  insufficient_balance: { status: 409, meaning: 'the card does not hold enough for this redemption or correction' },
  payload_too_large: { status: 413, meaning: 'the body is over the limit (64 KB; 2 MB for a logo)' },
  unsupported_media_type: { status: 415, meaning: 'the body is not of a type this route takes' },
  rate_limited: { status: 429, meaning: 'too many requests: wait the `Retry-After` seconds' },
  internal_error: { status: 500, meaning: 'a failure on the server’s side' },
  unavailable: { status: 503, meaning: 'this feature is not set up on this server' },
};

/** The error responses of a route, by code (codes of one status share its entry). */
export function problems(...codes: ErrorCode[]) {
  const byStatus: Record<number, { description: string; content: { 'application/problem+json': { schema: typeof problemSchema } } }> = {};
  for (const code of codes) {
    const { status, meaning } = ERRORS[code];
    const line = `\`${code}\`: ${meaning}`;
    const entry = byStatus[status];
    if (entry) entry.description += `; ${line}`;
    else byStatus[status] = { description: line, content: { 'application/problem+json': { schema: problemSchema } } };
  }
  return byStatus;
}

/** A JSON body (required: an empty body reads as `{}`, so a schema with only optional fields takes it). */
export const jsonBody = <T extends z.ZodType>(schema: T, description?: string) => ({
  required: true,
  ...(description ? { description } : {}),
  content: { 'application/json': { schema } },
});

/** A JSON answer. */
export const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });

/** An answer without a body. */
export const empty = (description: string) => ({ description });

/** A card's serial in the path: any string (one that is not a serial is not found). */
export const serialParams = z.object({
  serial: z.string().max(64).openapi({ example: 'k7q2m4x9p3v8w5t6r2n4b7c3d5', description: 'The card’s serial (26 base32 characters).' }),
});

/** A list's position: opaque, from the previous page's `nextCursor`. */
export const cursorParam = z.string().max(200).optional().openapi({ description: 'The previous page’s `nextCursor`.' });

/** An ISO date-time, UTC. */
export const dateTime = z.string().openapi({ format: 'date-time', example: '2026-12-04T14:00:00.000Z' });
