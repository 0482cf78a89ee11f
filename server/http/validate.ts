import { zValidator } from '@hono/zod-validator';
import type { MiddlewareHandler, ValidationTargets } from 'hono';
import type { z } from 'zod';
import { ApiError, type FieldError } from '../errors.ts';

export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
}

/**
 * The path of the first string in `value` that holds U+0000: Postgres stores no NUL in text
 * or jsonb, and would answer such a parameter with an error (a 500) instead of a refusal.
 */
export function nulPath(value: unknown, path: string[] = []): string | undefined {
  if (typeof value === 'string') return value.includes('\0') ? path.join('.') || '(body)' : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, v] of Object.entries(value)) {
    const found = nulPath(key, path) ?? nulPath(v, [...path, key]);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** zod validation that fails with 400 `validation_failed` and the failing fields. */
export const valid = <T extends z.ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) =>
  zValidator(target, schema, (result) => {
    if (!result.success) {
      throw new ApiError('validation_failed', 'Some fields are missing or invalid.', {
        errors: fieldErrors(result.error as unknown as z.ZodError),
      });
    }
    // Path parameters are ids each route matches against its own pattern: a NUL one is a 404.
    const nul = target === 'param' ? undefined : nulPath(result.data);
    if (nul !== undefined) {
      throw new ApiError('validation_failed', 'Some fields are missing or invalid.', {
        errors: [{ path: nul, message: 'must not contain the NUL character (U+0000)' }],
      });
    }
  });

const JSON_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i;

/**
 * For requests with a body: a non-empty body must be JSON (415 otherwise; Hono's validator
 * would silently read `{}`), and an empty body reads as `{}`, so a bare POST works where
 * every field is optional.
 */
export const jsonBodies: MiddlewareHandler = async (c, next) => {
  if (c.req.method === 'POST' || c.req.method === 'PUT' || c.req.method === 'PATCH') {
    const text = await c.req.text();
    if (text.trim() === '') {
      // Hono's json() parses the cached text, so the text is what must read as `{}`.
      (c.req as unknown as { bodyCache: Record<string, unknown> }).bodyCache.text = Promise.resolve('{}');
    } else if (!JSON_TYPE.test(c.req.header('content-type') ?? '')) {
      throw new ApiError('unsupported_media_type', 'Send JSON with Content-Type: application/json.');
    }
  }
  await next();
};
