import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { AppError } from './errors.ts';
import { compress } from './http/compress.ts';
import { pageHeaders } from './http/headers.ts';
import type { Deps } from './http/env.ts';
import { apiDocument, referencePage } from './http/openapi.ts';
import { errorAnswer, problem, sendProblem } from './http/problem.ts';
import { apiApp, jsonBodies } from './http/validate.ts';
import { appleRoutes } from './routes/apple-wallet.ts';
import { assetRoutes, type WidgetBundle } from './routes/assets.ts';
import { devMailRoutes } from './routes/dev-mail.ts';
import { googleRoutes } from './routes/google-wallet.ts';
import { healthRoutes } from './routes/health.ts';
import { logoRoutes } from './routes/logos.ts';
import { merchantRoutes } from './routes/merchant/index.ts';
import { pageRoutes } from './routes/pages.ts';
import { LOGO_PATH } from './routes/merchant/program.ts';
import { publicRoutes } from './routes/public.ts';
import { unsubscribeRoutes } from './routes/unsubscribe.ts';
import { MAX_LOGO_BYTES } from './services/logos.ts';
import { MAX_IMPORT_BYTES } from './services/imports.ts';
import { IMPORT_PATHS } from './routes/merchant/imports.ts';

/** JSON bodies on the API are small; 64 KB is generous. */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Refuses a body over `maxSize` bytes with 413 `payload_too_large`: from its Content-Length,
 * before reading it, or once a body without one grows past it. The rest of the body is then
 * still on its way, and Node would read some of it and reset the connection, under the next
 * request a keep-alive client sends on it: the answer says `Connection: close`, so the client
 * opens a new connection for the next one.
 */
const limitBody = (maxSize: number, detail: string) =>
  bodyLimit({
    maxSize,
    onError: (c) => {
      c.header('Connection', 'close');
      throw new AppError('payload_too_large', detail);
    },
  });

/** The whole HTTP app, for the server and for in-process tests. */
export function createApp(deps: Deps, options: { widget?: WidgetBundle | null; dashboardDir?: string } = {}) {
  const app = apiApp();

  app.use('*', secureHeaders({ crossOriginResourcePolicy: false }));
  // Compression wraps the rest: it sees the answer once the page headers are on it.
  app.use('*', compress);
  app.use('*', pageHeaders);
  const limit = limitBody(MAX_BODY_BYTES, `The request body is larger than ${MAX_BODY_BYTES / 1024} KB.`);
  // The logo upload is the one raw (image) body on the API: its own limit, and no JSON check.
  const logoLimit = limitBody(MAX_LOGO_BYTES, `The logo is larger than ${MAX_LOGO_BYTES / 1024 / 1024} MB.`);
  // So is an imported CSV file.
  const importLimit = limitBody(MAX_IMPORT_BYTES, `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB: split it in parts.`);
  const rawBody = (path: string) => path === LOGO_PATH || IMPORT_PATHS.has(path);
  app.use('/api/*', (c, next) =>
    c.req.path === LOGO_PATH ? logoLimit(c, next) : IMPORT_PATHS.has(c.req.path) ? importLimit(c, next) : limit(c, next),
  );
  app.use('/apple/*', limit);
  app.use('/j/*', limit);
  app.use('/api/*', (c, next) => (rawBody(c.req.path) ? next() : jsonBodies(c, next)));

  app.route('/', healthRoutes(deps));
  app.route('/', assetRoutes(deps, options.widget, options.dashboardDir));
  app.route('/', logoRoutes(deps));
  app.route('/api/public', publicRoutes(deps));
  app.route('/api/merchant', merchantRoutes(deps));
  app.route('/', appleRoutes(deps));
  app.route('/', googleRoutes(deps));
  app.route('/', pageRoutes(deps));
  app.route('/', unsubscribeRoutes(deps));
  // The mails a development server wrote to files instead of sending them; nowhere else.
  if (deps.config.env === 'development' && deps.config.mail?.transport.kind === 'files') app.route('/', devMailRoutes(deps));

  // The contract, published from the routes' own schemas.
  const doc = apiDocument(app, deps.config);
  app.get('/api/openapi.json', (c) => c.json(doc()));
  app.get('/api/docs', (c) => c.html(referencePage(doc())));

  app.notFound((c) => sendProblem(c, problem('not_found', `Nothing at ${c.req.method} ${c.req.path}.`)));
  app.onError(errorAnswer);

  return app;
}
