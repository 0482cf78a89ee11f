import { createRoute } from '@hono/zod-openapi';
import { customerDetailSchema, customersCsvQuery, customersPageSchema, customersQuery, idParams } from '../../contract/merchant.ts';
import { empty, json, problems } from '../../contract/shared.ts';
import { cursor } from '../../http/cursor.ts';
import { attachment } from '../../http/headers.ts';
import type { Deps } from '../../http/env.ts';
import { consentLogSchema, customerExportSchema } from '../../contract/control.ts';
import { customerDetail, customersCsv, customersPage } from '../../services/customers.ts';
import { customerConsent, eraseCustomer, exportCustomer } from '../../services/personal-data.ts';
import { merchantApp, owner, security, signedIn } from './shared.ts';

const tags = ['Merchant: customers'];

/** The customers: staff look them up; the owner exports and erases them. */
export function customerRoutes(deps: Deps) {
  const app = merchantApp();

  app.openapi(
    signedIn(
      createRoute({
        method: 'get',
        path: '/customers',
        tags,
        security,
        summary: 'Customers, newest first',
        request: { query: customersQuery },
        responses: {
          200: json(customersPageSchema, 'A page of customers with their cards.'),
          ...problems('validation_failed', 'unauthorized', 'forbidden'),
        },
      }),
    ),
    async (c) => {
      const { q, cursor: after, limit } = c.req.valid('query');
      const page = await customersPage(deps, c.var.principal.merchantId, {
        search: q || undefined,
        after: after ? cursor.decode(after) : undefined,
        limit,
      });
      return c.json({ customers: page.customers, nextCursor: page.next && cursor.encode(page.next.at, page.next.id) }, 200);
    },
  );

  // A customer's page: the card and its history. Staff look customers up too.
  app.openapi(
    signedIn(
      createRoute({
        method: 'get',
        path: '/customers/{id}',
        tags,
        security,
        summary: 'A customer, the card and its history',
        request: { params: idParams },
        responses: { 200: json(customerDetailSchema, 'The customer.'), ...problems('unauthorized', 'forbidden', 'not_found') },
      }),
    ),
    async (c) => c.json(await customerDetail(deps, c.var.principal.merchantId, c.req.valid('param').id), 200),
  );

  // Erasure (GDPR): the customer, the card and its history, for good. The dashboard confirms first.
  app.openapi(
    owner(
      createRoute({
        method: 'delete',
        path: '/customers/{id}',
        tags,
        security,
        summary: 'Erase a customer (GDPR)',
        description:
          'The customer, the card and its history, the devices registered for the pass, the consent log, for good. Their reviews keep the rating only (no name, no text); their Google Wallet object is expired and emptied of personal fields; stored Idempotency-Key answers that show their card, and webhook deliveries about them, are dropped. A second erasure is a 404.',
        request: { params: idParams },
        responses: { 204: empty('Erased.'), ...problems('unauthorized', 'forbidden', 'not_found') },
      }),
    ),
    async (c) => {
      await eraseCustomer(deps, c.var.principal.merchantId, c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  app.openapi(
    owner(
      createRoute({
        method: 'get',
        path: '/customers/{id}/export',
        tags,
        security,
        summary: 'Everything held about a customer (GDPR)',
        description:
          'The customer, the card, its ledger, redemptions, referrals, reviews, survey answers, campaign effects, devices, the delivery log and the consent log with its times, as a JSON file.',
        request: { params: idParams },
        responses: { 200: json(customerExportSchema, 'The person’s data.'), ...problems('unauthorized', 'forbidden', 'not_found') },
      }),
    ),
    async (c) => {
      const { id } = c.req.valid('param');
      const data = await exportCustomer(deps, c.var.principal.merchantId, id);
      c.header('Content-Disposition', `attachment; filename="customer-${id}.json"`);
      c.header('Cache-Control', 'no-store');
      return c.json(data, 200);
    },
  );

  app.openapi(
    signedIn(
      createRoute({
        method: 'get',
        path: '/customers/{id}/consent',
        tags,
        security,
        summary: 'A customer’s consent log',
        description: 'Each time the terms or marketing mail were agreed to or withdrawn: by whom, from where, when. Oldest first.',
        request: { params: idParams },
        responses: { 200: json(consentLogSchema, 'The log.'), ...problems('unauthorized', 'forbidden', 'not_found') },
      }),
    ),
    async (c) => c.json(await customerConsent(deps, c.var.principal.merchantId, c.req.valid('param').id), 200),
  );

  app.openapi(
    owner(
      createRoute({
        method: 'get',
        path: '/export/customers.csv',
        tags,
        security,
        summary: 'Every customer as CSV',
        description:
          'By default as stored: `,`-separated, English headers, times in UTC, amounts in minor units. `?delimiter=semicolon&lang=fr` gives what Excel set to French opens in columns: `;`-separated, French headers, times in the program’s time zone, amounts with a decimal comma (`clients.csv`). Spreadsheet formulas in the data are neutralised either way.',
        request: { query: customersCsvQuery },
        responses: {
          200: { description: 'UTF-8 with a BOM, CRLF line ends.', content: { 'text/csv': { schema: { type: 'string' } } } },
          ...problems('validation_failed', 'unauthorized', 'forbidden'),
        },
      }),
    ),
    async (c) => {
      const options = c.req.valid('query');
      const csv = await customersCsv(deps, c.var.principal.merchantId, options);
      return c.body(csv, 200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': attachment(options.lang === 'fr' ? 'clients.csv' : 'customers.csv'),
        'Cache-Control': 'no-store',
      });
    },
  );

  return app;
}
