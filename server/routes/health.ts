import { Hono } from 'hono';
import type { Deps } from '../http/env.ts';

/** Liveness and readiness for load balancers and orchestrators. */
export function healthRoutes({ db }: Deps) {
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    try {
      await db.query('SELECT 1');
      return c.json({ status: 'ready', database: db.driver });
    } catch {
      return c.json({ status: 'unavailable', database: db.driver }, 503);
    }
  });
  return app;
}
