import assert from 'node:assert/strict';
import type { Reply } from './harness.ts';

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
