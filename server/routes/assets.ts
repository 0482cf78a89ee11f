import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { type Context, Hono } from 'hono';
import { AppError } from '../errors.ts';
import type { Deps } from '../http/env.ts';
import { DASHBOARD_DIR, DEMO_SITE_DIR, WIDGET_FILE } from '../paths.ts';

export interface WidgetBundle {
  code: string;
  /** 10 hex characters of the content's SHA-256: the immutable alias `/widget.<hash>.js`. */
  hash: string;
}

/** The built widget, read once; undefined when `npm run build` has not run. */
export function loadWidget(file = WIDGET_FILE): WidgetBundle | undefined {
  try {
    const code = readFileSync(file, 'utf8');
    return { code, hash: createHash('sha256').update(code).digest('hex').slice(0, 10) };
  } catch {
    return undefined;
  }
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
    if (c.req.header('if-none-match') === etag) return c.body(null, 304);
    return c.body(widget.code, 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
  };

  app.get('/widget.js', serveWidget(false));
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
