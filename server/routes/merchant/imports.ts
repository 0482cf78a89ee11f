import { createRoute } from '@hono/zod-openapi';
import type { Locale } from '../../../common/localize.ts';
import { importPreviewSchema, importQuery, importSchema, importsSchema, importStartedSchema } from '../../contract/control.ts';
import { idParams } from '../../contract/merchant.ts';
import { json, problems } from '../../contract/shared.ts';
import type { Deps } from '../../http/env.ts';
import { requestLanguage } from '../../http/language.ts';
import { localizeMessage } from '../../http/messages.ts';
import { AppError } from '../../errors.ts';
import { importState, MAX_IMPORT_BYTES, previewImport, recentImports, startImport } from '../../services/imports.ts';
import { merchantApp, owner, security } from './shared.ts';

const tags = ['Merchant: import'];

/** The paths whose bodies are CSV files (app.ts gives them their own size limit and no JSON check). */
export const IMPORT_PATHS = new Set(['/api/merchant/imports', '/api/merchant/imports/preview']);

const csvBody = {
  required: true,
  description: `A CSV file up to ${MAX_IMPORT_BYTES / 1024 / 1024} MB: UTF-8 or Windows-1252, \`,\` \`;\` or tab between fields, a header line.`,
  content: { 'text/csv': { schema: { type: 'string' as const, format: 'binary' } } },
};

/** The file's bytes; `unsupported_media_type` for a body that says it is something else than text. */
async function csvBytes(c: { req: { header(name: string): string | undefined; arrayBuffer(): Promise<ArrayBuffer> } }) {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  // Browsers label a .csv as text/csv, application/vnd.ms-excel (Windows with Excel), or nothing.
  if (type && !['text/csv', 'text/plain', 'application/csv', 'application/vnd.ms-excel', 'application/octet-stream'].includes(type)) {
    throw new AppError('unsupported_media_type', `Send the CSV file itself (Content-Type: text/csv), not ${type.slice(0, 60)}.`);
  }
  return new Uint8Array(await c.req.arrayBuffer());
}

/** An import's line errors in the request's language (they are kept as written, in English). */
const inLanguage = <T extends { errors: { line: number; message: string }[] }>(state: T, language: Locale): T => ({
  ...state,
  errors: state.errors.map((e) => ({ ...e, message: localizeMessage(e.message, language) })),
});

const errors = problems('validation_failed', 'unauthorized', 'forbidden', 'payload_too_large', 'unsupported_media_type');

/** The CSV import: members and their balances brought over from paper cards or another app. */
export function importRoutes(deps: Deps) {
  const app = merchantApp();

  app.openapi(
    owner(
      createRoute({
        method: 'post',
        path: '/imports/preview',
        tags,
        security,
        summary: 'Preview a CSV file',
        description:
          'Its encoding and delimiter, the header, the column found for each field, the first rows and the number of rows. Nothing is kept.',
        request: { body: csvBody },
        responses: { 200: json(importPreviewSchema, 'The preview.'), ...errors },
      }),
    ),
    async (c) => c.json(await previewImport(deps, c.var.principal.merchantId, await csvBytes(c)), 200),
  );

  app.openapi(
    owner(
      createRoute({
        method: 'post',
        path: '/imports',
        tags,
        security,
        summary: 'Import members from a CSV file',
        description:
          'Runs in the background (follow it with `GET /imports/{id}`), batch by batch: a restart resumes it. Idempotent by e-mail: a member already there is not created again, and an opening balance is given once per card (a ledger entry `imported`). A line that cannot be read (a bad e-mail, birthday or balance, a negative or absurd balance, an e-mail already on an earlier line) is reported with its number; the others go in. Welcome mails only with `welcome=true`.',
        request: { query: importQuery, body: csvBody },
        responses: { 202: json(importStartedSchema, 'The import started.'), ...errors },
      }),
    ),
    async (c) => {
      const { id } = await startImport(deps, c.var.principal.merchantId, c.var.principal.actor, await csvBytes(c), c.req.valid('query'));
      deps.imports?.wake();
      return c.json({ id }, 202);
    },
  );

  app.openapi(
    owner(
      createRoute({
        method: 'get',
        path: '/imports',
        tags,
        security,
        summary: 'The last imports',
        responses: { 200: json(importsSchema, 'The last 20, newest first.'), ...problems('unauthorized', 'forbidden') },
      }),
    ),
    async (c) => {
      const { imports } = await recentImports(deps, c.var.principal.merchantId);
      return c.json({ imports: imports.map((i) => inLanguage(i, requestLanguage(c))) }, 200);
    },
  );

  app.openapi(
    owner(
      createRoute({
        method: 'get',
        path: '/imports/{id}',
        tags,
        security,
        summary: 'How an import is going',
        request: { params: idParams },
        responses: {
          200: json(importSchema, 'Rows done, members created and updated, errors with their line.'),
          ...problems('unauthorized', 'forbidden', 'not_found'),
        },
      }),
    ),
    async (c) => c.json(inLanguage(await importState(deps, c.var.principal.merchantId, c.req.valid('param').id), requestLanguage(c)), 200),
  );

  return app;
}
