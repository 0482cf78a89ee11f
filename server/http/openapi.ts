// The published contract: the OpenAPI 3.1 document generated from the routes' zod schemas
// (`GET /api/openapi.json`), and a readable reference page made from it (`GET /api/docs`):
// plain HTML from this server, no script and no request to anyone else.
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Env } from 'hono';
import type { Config } from '../config.ts';

type Doc = ReturnType<OpenAPIHono['getOpenAPI31Document']>;

const DESCRIPTION = `The HTTP API of fidelio, an open-source loyalty program: the **public API** the widget calls from
merchants' sites (CORS: each program's allowed origins), the **merchant API** of the dashboard and of tills, and the
**wallet** routes (Apple's PassKit web service, Google Wallet save links). Every error is \`application/problem+json\`
with a stable \`code\`. Writes to a card take an \`Idempotency-Key\`: the same key sent again gives the first answer
again and changes nothing.`;

/** The document's sections, in the order a reader meets them. */
const TAGS = [
  { name: 'Pages', description: 'The pages this server hosts for customers: a program’s join page, a member’s card page.' },
  { name: 'Public API', description: 'What the widget calls from merchants’ sites.' },
  { name: 'Merchant: account', description: 'Signing up, logging in, who is signed in.' },
  { name: 'Merchant: cards', description: 'The counter: look a card up, stamp it, record a purchase, redeem.' },
  { name: 'Merchant: customers', description: 'The customers, their history, export and erasure.' },
  { name: 'Merchant: program', description: 'The program, its logo, the KPIs.' },
  { name: 'Merchant: reviews', description: 'Moderation before reviews show on the website.' },
  { name: 'Merchant: messages', description: 'A message on the back of every pass.' },
  { name: 'Merchant: team', description: 'Staff accounts and the tills’ API keys: created, listed, revoked.' },
  {
    name: 'Merchant: webhooks',
    description: 'Signed deliveries of joins, stamps, rewards and reviews to the owner’s URLs, with their log.',
  },
  { name: 'Merchant: import', description: 'Members and their balances brought over from a CSV file.' },
  { name: 'Apple Wallet', description: 'The pass download and Apple’s PassKit web service.' },
  { name: 'Google Wallet', description: 'The save link and the pictures of the passes.' },
  { name: 'Images', description: 'Merchants’ logos.' },
  { name: 'E-mail', description: 'The way out of marketing mail: the one-click unsubscribe link (RFC 8058).' },
  { name: 'Operations', description: 'Liveness and readiness.' },
];

type Op = { method: string; path: string; op: Schema };

/** The operations of the document by tag, in the document's order of tags. */
function operationsByTag(doc: Doc): [tag: string, ops: Op[]][] {
  const byTag = new Map<string, Op[]>((doc.tags ?? []).map((t) => [t.name, []]));
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item as Record<string, Schema>)) {
      if (typeof op !== 'object' || !op.responses) continue;
      const tag = (op.tags as string[] | undefined)?.[0] ?? 'Other';
      byTag.set(tag, [...(byTag.get(tag) ?? []), { method, path, op }]);
    }
  }
  return [...byTag].filter(([, ops]) => ops.length > 0);
}

/** The document of `app`, made once when first asked for (the routes do not change after start). */
export function apiDocument<E extends Env>(app: OpenAPIHono<E>, config: Pick<Config, 'publicUrl'>): () => Doc {
  let doc: Doc | undefined;
  return () => {
    if (doc) return doc;
    app.openAPIRegistry.registerComponent('securitySchemes', 'session', {
      type: 'apiKey',
      in: 'cookie',
      name: 'fidelio_session',
      description: 'The dashboard’s session (from `POST /api/merchant/login`); a write must carry `Origin` = this server (CSRF).',
    });
    app.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', {
      type: 'http',
      scheme: 'bearer',
      description: 'A till’s API key (`POST /api/merchant/api-keys`): stamps, purchases, redemptions and one card looked up by serial.',
    });
    doc = app.getOpenAPI31Document({
      openapi: '3.1.0',
      info: { title: 'fidelio', version: '1', description: DESCRIPTION, license: { name: 'MIT' } },
      servers: [{ url: config.publicUrl }],
      tags: TAGS,
    });
    return doc;
  };
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The little markdown the descriptions use: `code` and **strong**. */
const inline = (s: string) =>
  escape(s)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');

// The document is JSON of any shape (JSON Schema, OpenAPI objects), walked by hand.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Schema = Record<string, any>;

/** A schema in a line or a nested list: its type, and its fields with theirs. */
function schemaHtml(doc: Doc, schema: Schema | undefined, depth = 0): string {
  if (!schema) return '';
  const ref = typeof schema.$ref === 'string' ? schema.$ref.split('/').pop()! : undefined;
  if (ref) {
    const target = (doc.components?.schemas as Record<string, Schema> | undefined)?.[ref];
    return depth > 3 || !target ? `<a href="#schema-${ref}">${ref}</a>` : schemaHtml(doc, target, depth);
  }
  const variants = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(variants)) return variants.map((v: Schema) => schemaHtml(doc, v, depth)).join(' | ');
  if (schema.type === 'array') return `array of ${schemaHtml(doc, schema.items, depth + 1)}`;
  if (schema.type === 'object' && schema.properties) {
    const required = new Set<string>(schema.required ?? []);
    const rows = Object.entries(schema.properties as Record<string, Schema>).map(
      ([name, s]) =>
        `<li><code>${escape(name)}</code>${required.has(name) ? '' : '?'}: ${schemaHtml(doc, s, depth + 1)}` +
        `${s.description ? ` — ${inline(s.description)}` : ''}</li>`,
    );
    return `object<ul>${rows.join('')}</ul>`;
  }
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : (schema.type ?? (schema.const !== undefined ? 'const' : 'any'));
  const enumText = Array.isArray(schema.enum)
    ? ` (${schema.enum.map((e: unknown) => `<code>${escape(JSON.stringify(e))}</code>`).join(', ')})`
    : '';
  const format = schema.format ? ` (${escape(schema.format)})` : '';
  return `${escape(String(type))}${format}${enumText}`;
}

function operationHtml(doc: Doc, method: string, path: string, op: Schema): string {
  const id = `${method}-${path}`.replace(/[^\w-]+/g, '-');
  const params = (op.parameters ?? []) as Schema[];
  const body = op.requestBody?.content as Record<string, Schema> | undefined;
  const responses = Object.entries((op.responses ?? {}) as Record<string, Schema>);
  return `<section id="${id}" class="op">
<h3><span class="m m-${method}">${method.toUpperCase()}</span> <code>${escape(path)}</code></h3>
${op.summary ? `<p class="summary">${inline(op.summary)}</p>` : ''}${op.description ? `<p>${inline(op.description)}</p>` : ''}
${
  params.length
    ? `<h4>Parameters</h4><ul>${params
        .map(
          (p) =>
            `<li><code>${escape(p.name)}</code> (${escape(p.in)}${p.required ? ', required' : ''}): ${schemaHtml(doc, p.schema)}` +
            `${(p.description ?? p.schema?.description) ? ` — ${inline(p.description ?? p.schema.description)}` : ''}</li>`,
        )
        .join('')}</ul>`
    : ''
}${
    body
      ? `<h4>Body</h4>${Object.entries(body)
          .map(([type, media]) => `<p><code>${escape(type)}</code>: ${schemaHtml(doc, media.schema)}</p>`)
          .join('')}`
      : ''
  }<h4>Answers</h4><ul>${responses
    .map(([status, r]) => {
      const json = r.content?.['application/json']?.schema as Schema | undefined;
      return `<li><strong>${escape(status)}</strong> ${inline(r.description ?? '')}${json ? `<div>${schemaHtml(doc, json)}</div>` : ''}</li>`;
    })
    .join('')}</ul>
</section>`;
}

/** The reference page: every operation by tag, with its parameters, body and answers. */
export function referencePage(doc: Doc): string {
  const tags = operationsByTag(doc);
  const anchor = (method: string, path: string) => `${method}-${path}`.replace(/[^\w-]+/g, '-');
  const sections = tags
    .map(
      ([tag, ops]) => `<h2 id="${escape(tag)}">${escape(tag)}</h2>${ops.map((o) => operationHtml(doc, o.method, o.path, o.op)).join('\n')}`,
    )
    .join('\n');
  const nav = tags
    .map(([tag, ops]) => {
      const items = ops.map(
        (o) =>
          `<li><a href="#${anchor(o.method, o.path)}"><span class="m m-${o.method}">${o.method.toUpperCase()}</span> ${escape(o.path)}</a></li>`,
      );
      return `<li><a href="#${escape(tag)}">${escape(tag)}</a><ul>${items.join('')}</ul></li>`;
    })
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>fidelio API reference</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;color:#1f2328;margin:0;display:flex}
nav{width:20rem;flex:none;height:100vh;overflow:auto;position:sticky;top:0;background:#f6f8fa;padding:1rem;box-sizing:border-box;font-size:14px}
nav ul{list-style:none;padding-left:.75rem;margin:.25rem 0}nav li li a{display:block;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}main{padding:1rem 2rem;max-width:60rem;min-width:0}
code{font:14px ui-monospace,monospace;background:#f3f4f6;padding:0 .2em;border-radius:4px}
.op{border-top:1px solid #d0d7de;padding:.5rem 0}.op h3{margin:.5rem 0;overflow-wrap:anywhere}.summary{font-weight:600}
.m{display:inline-block;min-width:4.2em;font:700 12px ui-monospace,monospace;text-align:center;border-radius:4px;padding:.1em .3em;color:#fff;background:#57606a}
.m-get{background:#0969da}.m-post{background:#1a7f37}.m-put,.m-patch{background:#9a6700}.m-delete{background:#cf222e}
a{color:#0969da}@media (max-width:50rem){body{display:block}nav{position:static;width:auto;height:auto}}
</style></head>
<body><nav><p><strong>fidelio API</strong> · <a href="/api/openapi.json">openapi.json</a></p><ul>${nav}</ul></nav>
<main><h1>${escape(doc.info.title)} API reference</h1><p>${inline(doc.info.description ?? '')}</p>${sections}</main></body></html>`;
}

/** Markdown of every operation by tag (method, path, what it does, who may call it): docs/api.md's route list. */
export function routeTable(doc: Doc): string {
  return operationsByTag(doc)
    .map(([tag, ops]) => {
      const rows = ops.map(({ method, path, op }) => {
        const who = op['x-owner-only'] ? 'owner' : op['x-people-only'] ? 'owner, staff' : op.security ? 'owner, staff, API key' : 'anyone';
        return `| ${method.toUpperCase()} \`${path}\` | ${op.summary ?? ''} | ${who} | ${Object.keys(op.responses as object).join(', ')} |`;
      });
      return `### ${tag}\n\n| route | what | who | answers |\n|---|---|---|---|\n${rows.join('\n')}\n`;
    })
    .join('\n');
}
