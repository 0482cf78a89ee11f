import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Harness, Merchant, Reply } from './harness.ts';

/** Asserts a problem+json answer with this status and code; for validation, these field paths. */
export function assertProblem(res: Reply, status: number, code: string, paths?: string[]) {
  const where = `${res.status} ${JSON.stringify(res.body)}`;
  assert.equal(res.status, status, where);
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/, where);
  const b = res.body;
  assert.equal(typeof b, 'object', where);
  for (const field of ['type', 'title', 'detail'] as const) {
    assert.equal(typeof b[field], 'string', `${field}: ${where}`);
    assert.ok(b[field].length > 0, `${field}: ${where}`);
  }
  assert.equal(b.status, status, where);
  assert.equal(b.code, code, where);
  assert.doesNotMatch(JSON.stringify(b), /\bat .+:\d+:\d+/, 'no stack trace');
  if (code === 'validation_failed') {
    assert.ok(Array.isArray(b.errors) && b.errors.length > 0, `errors[]: ${where}`);
    for (const e of b.errors) {
      assert.equal(typeof e.path, 'string', where);
      assert.equal(typeof e.message, 'string', where);
      assert.ok(e.message.length > 0, where);
    }
    if (paths) {
      const got = new Set(b.errors.map((e: { path: string }) => e.path));
      for (const p of paths) assert.ok(got.has(p), `expected an error at "${p}": ${where}`);
    }
  }
}

/** One refused request: where it goes, what it sends, and the problem it must get back. */
export interface ProblemCase {
  name: string;
  method?: string;
  /** `{slug}` and `{serial}` are filled in from the fixture. */
  path: string;
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
  /** Send the merchant's session cookie (and the server's own Origin). */
  cookie?: boolean;
  status: number;
  code: string;
  paths?: string[];
}

/** The merchant, and one of its cards, that a table of cases runs against (set in `before`). */
export type ProblemFixture = () => { h: Harness; m: Merchant; serial: string };

/** One test per case: the request, then `assertProblem` on its answer. */
export function problemTable(title: string, fixture: ProblemFixture, cases: ProblemCase[]): void {
  describe(title, () => {
    for (const c of cases) {
      it(`${c.name} → ${c.status} ${c.code}`, async () => {
        const { h, m, serial } = fixture();
        const path = c.path.replace('{slug}', m.program.slug).replace('{serial}', serial);
        const res = await h.call(c.method ?? 'POST', path, {
          body: c.body,
          raw: c.raw,
          headers: c.headers,
          cookie: c.cookie ? m.cookie : undefined,
        });
        assertProblem(res, c.status, c.code, c.paths);
      });
    }
  });
}
