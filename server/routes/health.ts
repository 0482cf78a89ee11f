import { createRoute, z } from '@hono/zod-openapi';
import { json } from '../contract/shared.ts';
import type { Deps } from '../http/env.ts';
import { apiApp } from '../http/validate.ts';
import { databaseReady } from '../services/health.ts';

const tags = ['Operations'];
const status = z.object({ status: z.string(), database: z.string().optional() });

/** Liveness and readiness for load balancers and orchestrators. */
export function healthRoutes(deps: Deps) {
  const app = apiApp();
  app.openapi(
    createRoute({ method: 'get', path: '/healthz', tags, summary: 'Liveness', responses: { 200: json(status, 'The process is up.') } }),
    (c) => c.json({ status: 'ok' }, 200),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/readyz',
      tags,
      summary: 'Readiness',
      responses: { 200: json(status, 'The database answers.'), 503: json(status, 'The database does not answer.') },
    }),
    async (c) => {
      const ready = await databaseReady(deps);
      return ready.ok
        ? c.json({ status: 'ready', database: ready.driver }, 200)
        : c.json({ status: 'unavailable', database: ready.driver }, 503);
    },
  );
  return app;
}
