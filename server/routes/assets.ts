import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { type Context, Hono } from 'hono';
import { AppError } from '../errors.ts';
import { compressBody, type Encoding, negotiateEncoding } from '../http/compress.ts';
import type { Deps } from '../http/env.ts';
import { DASHBOARD_DIR, DEMO_SITE_DIR, WIDGET_FILE } from '../paths.ts';
import { FAVICON_SVG, faviconIco } from '../services/favicon.ts';

export interface WidgetBundle {
  code: string;
  /** 10 hex characters of the content's SHA-256: the immutable alias `/widget.<hash>.js`. */
  hash: string;
  /** The code compressed, by encoding (Brotli 11, gzip 9). */
  encoded?: Record<Encoding, Uint8Array<ArrayBuffer>>;
}

/** The build's `file.br` or `file.gz` when it is there and not older than `file`; else made now. */
function encodedFile(file: string, encoding: Encoding, code: string): Uint8Array<ArrayBuffer> {
  const ext = encoding === 'br' ? '.br' : '.gz';
  try {
    if (statSync(file + ext).mtimeMs >= statSync(file).mtimeMs) return new Uint8Array(readFileSync(file + ext));
  } catch {
    // not built with its compressed copies: make them
  }
  return compressBody(Buffer.from(code), encoding, 'best');
}

/** The built widget, read once (with its Brotli and gzip copies); undefined when `npm run build` has not run. */
export function loadWidget(file = WIDGET_FILE): WidgetBundle | undefined {
  let code: string;
  try {
    code = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  return {
    code,
    hash: createHash('sha256').update(code).digest('hex').slice(0, 10),
    encoded: { br: encodedFile(file, 'br', code), gzip: encodedFile(file, 'gzip', code) },
  };
}

/**
 * `/widget.js` (the merchant's script tag; revalidated every 5 minutes, ETag → 304), its
 * content-hashed alias `/widget.<hash>.js` (cached for a year), the merchant dashboard at
 * `/dashboard/`, and in demo mode the demo café at `/demo/`. Module scripts load in CORS mode, so the widget is `*`.
 */
/**
 * `widget`: the bundle (read from `dist/` when not given), or null for "not built".
 * `dashboardDir`: the built dashboard app, served at `/dashboard/`.
 */
export function assetRoutes({ config }: Deps, widget: WidgetBundle | null = loadWidget() ?? null, dashboardDir = DASHBOARD_DIR) {
  const app = new Hono();

  const serveWidget = (immutable: boolean) => (c: Context) => {
    if (!widget) throw new AppError('unavailable', 'The widget is not built: run `npm run build`.');
    const etag = `"${widget.hash}"`;
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Cross-Origin-Resource-Policy', 'cross-origin');
    c.header('ETag', etag);
    c.header('X-Widget-Url', `${config.publicUrl}/widget.${widget.hash}.js`);
    c.header('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=300, stale-while-revalidate=86400');
    c.header('Vary', 'Accept-Encoding');
    // Each encoding is its own representation, with its own tag; any of them is the same version.
    if (c.req.header('if-none-match')?.includes(widget.hash)) return c.body(null, 304);
    const encoding = widget.encoded && negotiateEncoding(c.req.header('accept-encoding'));
    if (!encoding) return c.body(widget.code, 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
    c.header('ETag', `"${widget.hash}-${encoding}"`);
    c.header('Content-Encoding', encoding);
    return c.body(widget.encoded![encoding], 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
  };

  app.get('/widget.js', serveWidget(false));
  // The tab's icon: the pages link to the SVG; browsers also ask for /favicon.ico on their own.
  const DAY = 'public, max-age=86400';
  app.get('/favicon.svg', (c) => c.body(FAVICON_SVG, 200, { 'Content-Type': 'image/svg+xml', 'Cache-Control': DAY }));
  app.get('/favicon.ico', async (c) =>
    c.body(new Uint8Array(await faviconIco()), 200, { 'Content-Type': 'image/x-icon', 'Cache-Control': DAY }),
  );
  app.get('/:file{widget\\.[0-9a-f]{10}\\.js}', (c) => {
    if (!widget || c.req.param('file') !== `widget.${widget.hash}.js`) throw new AppError('not_found', 'No widget with this version.');
    return serveWidget(true)(c);
  });

  // The dashboard: index.html is read on each request and revalidated (a rebuild shows at once);
  // the files it loads have content hashes in their names, so they are cached for a year.
  const serveDashboard = (c: Context) => {
    let page: string;
    try {
      page = readFileSync(join(dashboardDir, 'index.html'), 'utf8');
    } catch {
      throw new AppError('unavailable', 'The dashboard is not built: run `npm run build`.');
    }
    c.header('Cache-Control', 'no-cache');
    return c.html(page);
  };
  app.get('/dashboard', serveDashboard);
  app.get('/dashboard/', serveDashboard);
  app.use(
    '/dashboard/assets/*',
    async (c, next) => {
      await next();
      if (c.res.status === 200) c.header('Cache-Control', 'public, max-age=31536000, immutable');
    },
    serveStatic({
      root: relative(process.cwd(), dashboardDir),
      rewriteRequestPath: (path) => path.replace(/^\/dashboard/, ''),
      // The build's `.br` and `.gz` copies, as the client accepts (Vary: Accept-Encoding).
      precompressed: true,
    }),
  );

  if (config.demo) {
    app.get('/', (c) => c.redirect('/demo/'));
    app.get('/demo', (c) => c.redirect('/demo/'));
    app.use(
      '/demo/*',
      serveStatic({
        root: relative(process.cwd(), DEMO_SITE_DIR),
        rewriteRequestPath: (path) => path.replace(/^\/demo/, ''),
      }),
    );
  }
  return app;
}
