import { createRoute } from '@hono/zod-openapi';
import { kpisQuery, kpisSchema, logoSchema, programAnswerSchema, programPreviewSchema } from '../../contract/merchant.ts';
import { empty, json, jsonBody, problems } from '../../contract/shared.ts';
import { programSchema } from '../../domain/program.ts';
import type { Deps } from '../../http/env.ts';
import { merchantKpis } from '../../services/kpis.ts';
import { removeLogo, saveLogo } from '../../services/logos.ts';
import { getProgram, previewProgram, saveProgram } from '../../services/programs.ts';
import { merchantApp, owner, security } from './shared.ts';

const tags = ['Merchant: program'];

/** The path of the logo upload: the API's one raw (image) body, with its own size limit. */
export const LOGO_PATH = '/api/merchant/program/logo';

/** The program and its logo (the owner changes them; every pass is re-issued), and the KPIs. */
export function programRoutes(deps: Deps) {
  const app = merchantApp();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/program',
      tags,
      security,
      summary: 'The program',
      responses: { 200: json(programAnswerSchema, 'The program object (it always has its `slug`).'), ...problems('unauthorized') },
    }),
    async (c) => c.json({ program: await getProgram(deps, c.var.principal.merchantId) }, 200),
  );

  app.openapi(
    owner(
      createRoute({
        method: 'put',
        path: '/program',
        tags,
        security,
        summary: 'Replace the program',
        description:
          'The whole object, as GET gave it, changed; `slug` cannot change. A change re-issues every pass. With fewer stamps for a reward, the cards holding at least the new number get their rewards in the same transaction (`POST /program/preview` counts them first).',
        request: { body: jsonBody(programSchema) },
        responses: {
          200: json(programAnswerSchema, 'The program as stored.'),
          ...problems('validation_failed', 'unauthorized', 'forbidden'),
        },
      }),
    ),
    async (c) => {
      const { merchantId, actor } = c.var.principal;
      return c.json({ program: await saveProgram(deps, merchantId, c.req.valid('json'), actor) }, 200);
    },
  );

  // The editor's warning before a save: what the change would do to the cards now.
  app.openapi(
    owner(
      createRoute({
        method: 'post',
        path: '/program/preview',
        tags,
        security,
        summary: 'What saving the program would change',
        description: 'The program as PUT would take it; nothing is saved.',
        request: { body: jsonBody(programSchema) },
        responses: {
          200: json(programPreviewSchema, 'The cards the save would change.'),
          ...problems('validation_failed', 'unauthorized', 'forbidden'),
        },
      }),
    ),
    async (c) => c.json(await previewProgram(deps, c.var.principal.merchantId, c.req.valid('json')), 200),
  );

  // The program's logo: a raw PNG or JPEG body (app.ts lets this path through with 2 MB and no JSON check).
  app.openapi(
    owner(
      createRoute({
        method: 'put',
        path: '/program/logo',
        tags,
        security,
        summary: 'Upload the logo',
        description: 'A PNG or JPEG up to 2 MB, stored as a 150×150 PNG; every pass is re-issued with it.',
        request: {
          body: {
            required: true,
            content: {
              'image/png': { schema: { type: 'string', format: 'binary' } },
              'image/jpeg': { schema: { type: 'string', format: 'binary' } },
            },
          },
        },
        responses: {
          200: json(logoSchema, 'Where the logo is served.'),
          ...problems('validation_failed', 'unauthorized', 'forbidden', 'payload_too_large', 'unsupported_media_type'),
        },
      }),
    ),
    async (c) => {
      const bytes = Buffer.from(await c.req.arrayBuffer());
      return c.json(await saveLogo(deps, c.var.principal.merchantId, bytes, c.req.header('content-type')), 200);
    },
  );

  app.openapi(
    owner(
      createRoute({
        method: 'delete',
        path: '/program/logo',
        tags,
        security,
        summary: 'Remove the logo',
        description: 'The passes go back to the drawn mark.',
        responses: { 204: empty('Removed.'), ...problems('unauthorized', 'forbidden') },
      }),
    ),
    async (c) => {
      await removeLogo(deps, c.var.principal.merchantId);
      return c.body(null, 204);
    },
  );

  // Any principal of the merchant (owner, staff, API key).
  app.openapi(
    createRoute({
      method: 'get',
      path: '/kpis',
      tags,
      security,
      summary: 'The KPIs of a period',
      description: 'ISO days, `to` inclusive, at most 5 years; none = all time. Each KPI’s formula is in `formulas`.',
      request: { query: kpisQuery },
      responses: { 200: json(kpisSchema, 'The KPIs and their series.'), ...problems('validation_failed', 'unauthorized') },
    }),
    async (c) => c.json(await merchantKpis(deps, c.var.principal.merchantId, c.req.valid('query')), 200),
  );

  return app;
}
