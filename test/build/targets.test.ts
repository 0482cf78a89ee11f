// The built browser code holds no syntax newer than the browsers we support (README, "Browser
// support"; vite.config.ts, BROWSER_TARGET): Safari and iOS 16, Firefox ESR 140, Chromium 100.
// Their common ground is ES2022 without class `static {}` blocks, which Safari accepts from 16.4:
// with one in it, the widget never appears on an iPhone on iOS 16.3 or older. Web APIs (not
// syntax) are held against the same list by ESLint (eslint-plugin-compat, package.json
// "browserslist").
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'acorn';
import { full } from 'acorn-walk';

/** What in `code` the supported browsers cannot parse: an ES2023+ syntax error, or a static block. */
export function newerSyntax(code: string): string[] {
  let ast;
  try {
    ast = parse(code, { ecmaVersion: 2022, sourceType: 'module' });
  } catch (err) {
    return [`not ES2022: ${(err as Error).message}`];
  }
  const found: string[] = [];
  full(ast, (node) => {
    if (node.type === 'StaticBlock') found.push(`class static block at ${node.start} (Safari < 16.4)`);
  });
  return found;
}

describe('the syntax check', () => {
  it('finds what the supported browsers would reject', () => {
    assert.deepEqual(newerSyntax('class A { static x = 1; #y = 2; m() { return #y in this; } }'), []);
    assert.match(newerSyntax('class A { static { this.x = 1; } }')[0]!, /static block/);
    assert.match(newerSyntax('const r = /[\\p{L}--a]/v;')[0]!, /not ES2022/); // ES2024
    assert.match(newerSyntax('#!/usr/bin/env node\nlet a;')[0]!, /not ES2022/); // ES2023
    assert.match(newerSyntax('import a from "./a.json" with { type: "json" };')[0]!, /not ES2022/); // ES2025
  });
});

describe('the built widget and dashboard', () => {
  let out: string;
  before(() => {
    out = mkdtempSync(join(tmpdir(), 'fidelio-targets-'));
    for (const mode of ['widget', 'dashboard'])
      execFileSync('npx', ['vite', 'build', '--mode', mode, '--logLevel', 'warn', '--outDir', join(out, mode)], { stdio: 'inherit' });
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  const scripts = (dir: string): string[] =>
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.js'))
      .map((f) => join(dir, f));

  for (const mode of ['widget', 'dashboard'])
    it(`${mode}: every script parses in Safari 16, Firefox ESR 140 and Chromium 100`, () => {
      const files = scripts(join(out, mode));
      assert.ok(files.length > 0, `no script was built for ${mode}`);
      for (const file of files) assert.deepEqual(newerSyntax(readFileSync(file, 'utf8')), [], file);
    });
});
