import { type Hook, OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { Env, Handler, MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import { AppError, type FieldError } from '../errors.ts';
import { requestLanguage, zodErrors } from './language.ts';
import { message } from './messages.ts';

export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
}

const invalid = (errors: FieldError[]) => new AppError('validation_failed', message('fields_invalid', 'en'), { errors });

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

/**
 * What every route's zod validation does with its result: a failure is `validation_failed`
 * naming the failing fields, and so is a string holding U+0000 (except in path parameters:
 * those are ids each route matches against its own pattern, so a NUL one is not found).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the hook serves every route, whatever its types
export const validationHook: Hook<any, any, any, void> = (result) => {
  if (!result.success) throw invalid(fieldErrors(result.error));
  const nul = result.target === 'param' ? undefined : nulPath(result.data);
  if (nul !== undefined) throw invalid([{ path: nul, message: message('nul_character', 'en') }]);
};

const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json/i;
const FORM_MEDIA_TYPE = /^(multipart\/form-data|application\/x-www-form-urlencoded)/i;

/** The zod schema `route` validates `target` (json, query, param, …) with, if any. */
function routeSchema(route: RouteConfig, target: string): z.ZodType | undefined {
  const request = route.request;
  let schema: unknown;
  if (target === 'json' || target === 'form') {
    const content = request?.body?.content ?? {};
    const type = Object.keys(content).find((t) => (target === 'json' ? JSON_MEDIA_TYPE : FORM_MEDIA_TYPE).test(t));
    const media: unknown = type ? content[type as keyof typeof content] : undefined;
    schema = media && typeof media === 'object' && 'schema' in media ? media.schema : undefined;
  } else {
    schema = { query: request?.query, param: request?.params, header: request?.headers, cookie: request?.cookies }[target];
  }
  return schema && typeof schema === 'object' && '_zod' in schema ? (schema as z.ZodType) : undefined;
}

/**
 * `validationHook` for one route, with zod's messages in the request's language: a value refused
 * in another language than English is parsed again with that language's error map (per parse,
 * since requests in both languages interleave; @hono/zod-openapi's validator takes no parse
 * options). fidelio's own messages are localized where the answer is written (`sendProblem`).
 */
function localizedHook(route: RouteConfig): Hook<unknown, Env, string, void> {
  return async (result, c) => {
    if (result.success) return validationHook(result, c);
    const language = requestLanguage(c);
    const schema = language === 'en' ? undefined : routeSchema(route, result.target);
    // On a failure the validator hands the hook the value it parsed as `data`.
    const again = schema && (await schema.safeParseAsync((result as { data?: unknown }).data, { error: zodErrors(language) }));
    throw invalid(fieldErrors(again && !again.success ? again.error : result.error));
  };
}

/**
 * A Hono app whose routes are described by zod schemas (the OpenAPI document) and validated with
 * `validationHook`, their field messages in the request's language.
 */
export function apiApp<E extends Env = Env>(): OpenAPIHono<E> {
  const app = new OpenAPIHono<E>({ defaultHook: validationHook });
  const register = app.openapi;
  // A route's own hook, if it has one, stays its own.
  app.openapi = ((route: RouteConfig, handler: never, hook?: never) =>
    register(route, handler, hook ?? (localizedHook(route) as never))) as unknown as typeof app.openapi;
  return app;
}

/** `value` checked against `schema` by hand (a route that validates after authorizing), or `validation_failed`. */
export function parse<T extends z.ZodType>(schema: T, value: unknown, path?: string): z.output<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw invalid(path ? [{ path, message: r.error.issues[0]!.message }] : fieldErrors(r.error));
}

const JSON_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i;

/**
 * For requests with a body: a non-empty body must be JSON (415 otherwise; Hono's validator
 * would silently read `{}`), and an empty one is no body, which the validators read as `{}`:
 * a bare POST works where every field is optional.
 */
export const jsonBodies: MiddlewareHandler = async (c, next) => {
  if (c.req.method === 'POST' || c.req.method === 'PUT' || c.req.method === 'PATCH') {
    const text = await c.req.text();
    if (text.trim() === '') {
      // No body, whatever its Content-Type says: the validators then read `{}`.
      const headers = new Headers(c.req.raw.headers);
      headers.delete('content-type');
      headers.delete('content-length');
      c.req.raw = new Request(c.req.raw.url, { method: c.req.method, headers });
    } else if (!JSON_TYPE.test(c.req.header('content-type') ?? '')) {
      throw new AppError('unsupported_media_type', 'Send JSON with Content-Type: application/json.');
    }
  }
  await next();
};

/**
 * Documents `route` in the app's OpenAPI document and mounts `handler` for it as it is, with
 * no validation ahead of it: for routes that must check who is calling before they look at the
 * request (Apple's web service), or that stream what the document cannot type.
 */
export function documented<E extends Env>(app: OpenAPIHono<E>, route: RouteConfig, handler: Handler<E>): void {
  app.openAPIRegistry.registerPath(route);
  app.on(route.method.toUpperCase(), route.path.replace(/\{([^}]+)\}/g, ':$1'), handler);
}
