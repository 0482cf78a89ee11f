import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { ApiError, type ErrorCode, problem } from './errors.ts';
import type { Deps } from './http/env.ts';
import { jsonBodies } from './http/validate.ts';
import { appleRoutes } from './routes/apple.ts';
import { assetRoutes, type WidgetBundle } from './routes/assets.ts';
import { googleRoutes } from './routes/google.ts';
import { healthRoutes } from './routes/health.ts';
import { logoRoutes } from './routes/logos.ts';
import { merchantRoutes } from './routes/merchant.ts';
import { publicRoutes } from './routes/public.ts';
import { LOGO_PATH, MAX_LOGO_BYTES } from './services/logos.ts';

/** JSON bodies on the API are small; 64 KB is generous. */
export const MAX_BODY_BYTES = 64 * 1024;

const STATUS_CODES: Partial<Record<number, ErrorCode>> = {
  400: 'validation_failed',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  503: 'unavailable',
};

/** The whole HTTP app, for the server and for in-process tests. */
export function createApp(deps: Deps, options: { widget?: WidgetBundle | null; dashboardDir?: string } = {}) {
  const app = new Hono();

  app.use('*', secureHeaders({ crossOriginResourcePolicy: false }));
  const limit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new ApiError('payload_too_large', `The request body is larger than ${MAX_BODY_BYTES / 1024} KB.`);
    },
  });
  // The logo upload is the one raw (image) body on the API: its own limit, and no JSON check.
  const logoLimit = bodyLimit({
    maxSize: MAX_LOGO_BYTES,
    onError: () => {
      throw new ApiError('payload_too_large', `The logo is larger than ${MAX_LOGO_BYTES / 1024 / 1024} MB.`);
    },
  });
  app.use('/api/*', (c, next) => (c.req.path === LOGO_PATH ? logoLimit(c, next) : limit(c, next)));
  app.use('/apple/*', limit);
  app.use('/api/*', (c, next) => (c.req.path === LOGO_PATH ? next() : jsonBodies(c, next)));

  app.route('/', healthRoutes(deps));
  app.route('/', assetRoutes(deps, options.widget, options.dashboardDir));
  app.route('/', logoRoutes(deps));
  app.route('/api/public', publicRoutes(deps));
  app.route('/api/merchant', merchantRoutes(deps));
  app.route('/', appleRoutes(deps));
  app.route('/', googleRoutes(deps));

  app.notFound((c) =>
    c.json(problem('not_found', `Nothing at ${c.req.method} ${c.req.path}.`), 404, { 'Content-Type': 'application/problem+json' }),
  );

  app.onError((err, c) => {
    let body;
    if (err instanceof ApiError) {
      body = problem(err.code, err.detail, err.errors);
      for (const [k, v] of Object.entries(err.headers ?? {})) c.header(k, v);
    } else if (err instanceof HTTPException && STATUS_CODES[err.status]) {
      // Hono's own: the validator's "Malformed JSON in request body", and the like.
      const code = STATUS_CODES[err.status]!;
      const detail = err.message || 'Invalid request.';
      // A validation answer always lists what failed; for a body that is not JSON, the body.
      body = problem(code, detail, code === 'validation_failed' ? [{ path: '(body)', message: detail }] : undefined);
    } else {
      console.error(`[fidelio] ${c.req.method} ${c.req.path} failed:`, err);
      body = problem('internal_error', 'Something went wrong on our side. Please try again.');
    }
    return c.json(body, body.status as 400, { 'Content-Type': 'application/problem+json' });
  });

  return app;
}
