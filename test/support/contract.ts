// The server's answers as its routes describe them (the zod schemas of server/contract/, the ones
// the OpenAPI document is made from), to hold a stand-in answer to: the browser tests' fixtures
// (test/api/browser-fixtures.test.ts) and every answer their stubbed fetch serves
// (web-test-runner.config.mjs, test/browser/support/fetch.ts).
import { z } from 'zod';
import { describedApp } from '../../scripts/api-docs.ts';
import { problemSchema } from '../../server/contract/shared.ts';

/** A route's answer for a status: its media types, and the schema of its JSON body (if it has one). */
type Answer = { types: string[]; schema?: z.ZodType };
type Route = { method: string; path: string; pattern: RegExp; params: number; answers: Map<number, Answer> };

let routes: Route[] | undefined;

/** Each route of the app with its answers by status. */
function routeTable(): Route[] {
  routes ??= describedApp().openAPIRegistry.definitions.flatMap((d) => {
    if (d.type !== 'route') return [];
    const { method, path, responses } = d.route;
    const answers = new Map<number, Answer>();
    for (const [status, response] of Object.entries(responses)) {
      const content = 'content' in response ? (response.content ?? {}) : {};
      const media = content['application/json'];
      const schema = media && 'schema' in media ? media.schema : undefined;
      answers.set(Number(status), { types: Object.keys(content), ...(schema instanceof z.ZodType && { schema }) });
    }
    const segments = path.split(/(\{\w+\})/).map((s) => (/^\{\w+\}$/.test(s) ? '[^/]+' : s.replace(/[.*+?^$()|[\]\\]/g, '\\$&')));
    return [
      { method: method.toUpperCase(), path, pattern: new RegExp(`^${segments.join('')}$`), params: path.split('{').length - 1, answers },
    ];
  });
  return routes;
}

/** The route `METHOD /path` stands for: a literal segment wins over a parameter (`/imports/preview`, not `/imports/{id}`). */
function routeOf(method: string, path: string): Route | undefined {
  return routeTable()
    .filter((r) => r.method === method.toUpperCase() && r.pattern.test(path))
    .sort((a, b) => a.params - b.params)[0];
}

/** Where `given` has a field that `parsed` (the schema's output, unknown fields stripped) lost. */
function unknownFields(given: unknown, parsed: unknown, at: string[] = []): string[] {
  if (Array.isArray(given) && Array.isArray(parsed)) return given.flatMap((g, i) => unknownFields(g, parsed[i], [...at, String(i)]));
  if (!given || !parsed || typeof given !== 'object' || typeof parsed !== 'object') return [];
  return Object.entries(given).flatMap(([key, value]) =>
    key in parsed
      ? unknownFields(value, (parsed as Record<string, unknown>)[key], [...at, key])
      : [`${[...at, key].join('.')}: not a field of this answer`],
  );
}

/**
 * What is wrong with `body` as the server's JSON answer to `METHOD path` with `status`, one line
 * per problem (none: it is an answer the server could give). An error is a problem, the app's one
 * error shape, on any path (a route's own errors, `app.onError`, `app.notFound`) unless the route
 * answers that status with a page; a success must be one the route describes, with its schema's
 * fields and no others.
 */
export function answerIssues(method: string, path: string, status: number, body: unknown): string[] {
  const route = routeOf(method, path);
  const answer = route?.answers.get(status);
  const where = `${method.toUpperCase()} ${route?.path ?? path}`;
  if (answer && !answer.types.some((t) => t.endsWith('json'))) return [`${where} answers ${status} with no JSON body`];
  let schema: z.ZodType | undefined = problemSchema;
  if (status < 400) {
    if (!route) return [`no route of the server answers ${where}`];
    if (!answer) return [`${where} never answers ${status} (it answers ${[...route.answers.keys()].join(', ')})`];
    schema = answer.schema;
    if (!schema) return [`${where}: its ${status} answer has no zod schema to check against`];
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) return parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
  return unknownFields(body, parsed.data);
}
