// The published contract: GET /api/openapi.json is an OpenAPI 3.1 document generated from the
// routes' own zod schemas, and it lists every route the app serves (a route added without a
// description fails here), with its errors; /api/docs is its readable page.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { apiDocs, DOCS_FILE } from '../../scripts/api-docs.ts';
import { Harness } from '../support/harness.ts';

/**
 * Served, and not in the document on purpose: static files (the widget bundle and its hashed
 * alias, the dashboard app, the demo site), the document and its page, and CORS preflights.
 */
const NOT_API = [
  'GET /',
  'GET /demo',
  'GET /widget.js',
  'GET /favicon.ico',
  'GET /favicon.svg',
  'GET /:file{widget\\.[0-9a-f]{10}\\.js}',
  'GET /dashboard',
  'GET /dashboard/',
  'GET /api/openapi.json',
  'GET /api/docs',
];

type Operation = {
  summary?: string;
  tags?: string[];
  security?: unknown[];
  responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;
};
type Doc = { openapi: string; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };

let h: Harness;
let doc: Doc;

before(async () => {
  h = await Harness.start();
  const res = await h.get<Doc>('/api/openapi.json');
  assert.equal(res.status, 200);
  doc = res.body;
});
after(() => h.close());

/** `METHOD /path/{param}` for each operation of the document. */
const documented = () =>
  new Set(Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`)));

/** `METHOD /path/{param}` for each route the app serves (middleware and preflights left out). */
function served(): Set<string> {
  const out = new Set<string>();
  for (const r of h.app.routes) {
    if (r.method === 'ALL' || r.method === 'OPTIONS') continue;
    const key = `${r.method} ${r.path}`;
    if (NOT_API.includes(key) || r.path.includes('*')) continue;
    out.add(`${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`);
  }
  return out;
}

describe('GET /api/openapi.json', () => {
  it('is an OpenAPI 3.1 document of this server', () => {
    assert.equal(doc.openapi, '3.1.0');
    assert.ok(Object.keys(doc.paths).length >= 30);
  });

  it('lists every route the app serves, and nothing it does not serve', () => {
    const routes = served();
    const ops = documented();
    assert.deepEqual([...routes].filter((r) => !ops.has(r)).sort(), [], 'routes missing from the document');
    assert.deepEqual([...ops].filter((o) => !routes.has(o)).sort(), [], 'documented operations the app does not serve');
  });

  it('has the routes API.md names, the merchant and the public API among them', () => {
    const ops = documented();
    for (const op of [
      'GET /api/public/programs/{slug}',
      'POST /api/public/programs/{slug}/signup',
      'GET /api/public/cards/{serial}',
      'POST /api/merchant/cards/{serial}/stamps',
      'GET /api/merchant/kpis',
      'POST /apple/v1/devices/{device}/registrations/{passType}/{serial}',
      'GET /passes/google/{serial}',
    ]) {
      assert.ok(ops.has(op), `${op} is documented`);
    }
  });

  it('gives every operation a summary, a tag, a success answer and its problem answers', () => {
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const where = `${method.toUpperCase()} ${path}`;
        assert.ok(op.summary, `${where}: summary`);
        assert.ok(op.tags?.length, `${where}: tag`);
        const statuses = Object.keys(op.responses);
        assert.ok(
          statuses.some((s) => /^[23]/.test(s)),
          `${where}: a success answer`,
        );
        // /readyz answers 503 with its own status object (what load balancers read); a page's
        // errors are pages.
        for (const s of statuses.filter((s) => /^[45]/.test(s) && path !== '/readyz' && !op.tags?.includes('Pages'))) {
          assert.ok(op.responses[s]!.content?.['application/problem+json'], `${where}: ${s} is a problem`);
          assert.match(op.responses[s]!.description, /`[a-z_]+`/, `${where}: ${s} names its code`);
        }
      }
    }
  });

  it('says which merchant routes need a session or an API key, and which are the owner’s', () => {
    const open = new Set(['/api/merchant/signup', '/api/merchant/login', '/api/merchant/logout']);
    for (const [path, item] of Object.entries(doc.paths)) {
      if (!path.startsWith('/api/merchant/') || open.has(path)) continue;
      for (const [method, op] of Object.entries(item)) assert.ok(op.security?.length, `${method} ${path}: security`);
    }
    const put = doc.paths['/api/merchant/program']!.put as Operation & { description?: string; 'x-owner-only'?: boolean };
    assert.equal(put['x-owner-only'], true);
    assert.match(put.description ?? '', /Owner only/);
    assert.equal((doc.paths['/api/merchant/cards/{serial}/stamps']!.post as { 'x-owner-only'?: boolean })['x-owner-only'], undefined);
  });

  it('resolves every schema reference', () => {
    const refs = JSON.stringify(doc).match(/"#\/components\/schemas\/[^"]+"/g) ?? [];
    assert.ok(refs.length > 10);
    for (const ref of new Set(refs)) {
      const name = ref.slice('"#/components/schemas/'.length, -1);
      assert.ok(doc.components.schemas[name], `${name} is defined`);
    }
  });

  it('describes answers from the same zod schemas the browser apps take their types from', () => {
    const card = doc.components.schemas.Card as { required: string[]; properties: Record<string, unknown> };
    assert.deepEqual(Object.keys(card.properties).sort(), [
      'cashbackBalance',
      'customerName',
      'points',
      'programType',
      'rewardsAvailable',
      'serial',
      'stamps',
      'stampsRequired',
      'tier',
      'updatedAt',
    ]);
  });
});

describe('GET /api/docs', () => {
  it('is an HTML page of every operation, made on this server (no script, nothing fetched elsewhere)', async () => {
    const res = await h.get('/api/docs');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /^text\/html/);
    for (const path of Object.keys(doc.paths)) assert.ok(res.text.includes(path.replace(/&/g, '&amp;')), `${path} is on the page`);
    assert.doesNotMatch(res.text, /<script|https?:\/\/(?!fidelio\.test)[^"'\s<]+\.(js|css)/);
  });
});

describe('docs/api.md', () => {
  it('lists the routes of this code (`npm run docs` writes them)', async () => {
    const current = readFileSync(DOCS_FILE, 'utf8');
    assert.equal(current, await apiDocs(current), 'docs/api.md is out of date: run `npm run docs`');
  });

  it('is written again when a route changes', async () => {
    const stale = readFileSync(DOCS_FILE, 'utf8').replace('`/api/merchant/kpis`', '`/api/merchant/figures`');
    assert.notEqual(await apiDocs(stale), stale);
  });
});
