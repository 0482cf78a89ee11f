import { authenticate } from '../../http/auth.ts';
import type { Deps } from '../../http/env.ts';
import { cardRoutes } from './cards.ts';
import { customerRoutes } from './customers.ts';
import { goalRoutes } from './goals.ts';
import { importRoutes } from './imports.ts';
import { messageRoutes } from './messages.ts';
import { posterRoutes } from './poster.ts';
import { programRoutes } from './program.ts';
import { reviewRoutes } from './reviews.ts';
import { meRoutes, sessionRoutes } from './session.ts';
import { merchantApp } from './shared.ts';
import { teamRoutes } from './team.ts';
import { webhookRoutes } from './webhooks.ts';

/**
 * The merchant API: the dashboard (session cookie + CSRF) and tills (bearer API key). One
 * sub-app per resource; owner-only routes are marked with `owner()` in their resource.
 */
export function merchantRoutes(deps: Deps) {
  const app = merchantApp();
  app.route('/', sessionRoutes(deps));
  // Everything below needs a session or an API key.
  app.use('*', authenticate(deps));
  app.route('/', meRoutes(deps));
  app.route('/', programRoutes(deps));
  app.route('/', posterRoutes(deps));
  app.route('/', cardRoutes(deps));
  app.route('/', customerRoutes(deps));
  app.route('/', reviewRoutes(deps));
  app.route('/', messageRoutes(deps));
  app.route('/', teamRoutes(deps));
  app.route('/', goalRoutes(deps));
  app.route('/', webhookRoutes(deps));
  app.route('/', importRoutes(deps));
  return app;
}
