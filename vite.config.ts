import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, parseAst, type Plugin } from 'vite';

/** The SQL migrations are read from disk next to the bundle (`dist/server/migrations/`). */
const copyMigrations: Plugin = {
  name: 'fidelio:copy-migrations',
  apply: 'build',
  closeBundle() {
    cpSync('server/db/migrations', 'dist/server/migrations', { recursive: true });
  },
};

interface Node {
  type?: string;
  start: number;
  end: number;
  [key: string]: unknown;
}
interface Quasi extends Node {
  value: { raw: string };
}

/**
 * The static parts of an `html` template, squeezed: every run of whitespace with a line break
 * becomes one space (never none: between inline elements it shows), and inside a tag nothing
 * stays before its `>` (`<input />` becomes `<input>`: HTML ignores the slash). The parts are
 * read in order, so a tag split by an expression (`<a href=${x} >`) is known to be a tag.
 */
export function squeezeHtml(parts: readonly string[]): string[] {
  let inTag = false;
  let quote = '';
  return parts.map((raw) => {
    const text = raw.replace(/\s*\n\s*/g, ' ');
    let out = '';
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (quote) {
        if (ch === quote) quote = '';
      } else if (inTag) {
        if (ch === '"' || ch === "'") quote = ch;
        else if (ch === '>') {
          out = out.replace(/\s*\/?\s*$/, '');
          inTag = false;
        }
      } else if (ch === '<' && /[a-zA-Z/]/.test(text[i + 1] ?? '')) inTag = true;
      out += ch;
    }
    return out;
  });
}

/**
 * Lit's `css` and `html` templates keep their source indentation, which the minifier leaves
 * alone (it is part of the string): squeeze it out, since the widget has a byte budget.
 * HTML: see `squeezeHtml`.
 */
const squeezeTemplates: Plugin = {
  name: 'fidelio:squeeze-templates',
  enforce: 'post',
  transform(code, id) {
    if (!/[\\/](widget|dashboard)[\\/].*\.ts$/.test(id)) return;
    const edits: { start: number; end: number; text: string }[] = [];
    const visit = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(visit);
      if (!node || typeof node !== 'object') return;
      const n = node as Node;
      const tag = n.type === 'TaggedTemplateExpression' ? (n.tag as { name?: string }).name : undefined;
      if (tag === 'css' || tag === 'html') {
        const quasis = (n.quasi as { quasis: Quasi[] }).quasis;
        // Template parts whose source is not their raw text (escapes) are left as they are.
        if (quasis.every((q) => code.slice(q.start, q.end) === q.value.raw)) {
          const texts =
            tag === 'css'
              ? quasis.map((q) =>
                  q.value.raw
                    .replace(/\/\*[^]*?\*\//g, '')
                    .replace(/\s+/g, ' ')
                    .replace(/ ?([{};,>]) ?/g, '$1')
                    // `* + *` in a selector (no `;{}` before its `{`), `a / 2` and `b * 1e3` in a calc().
                    .replace(/ \+ (?=[^;{}]*\{)/g, '+')
                    .replace(/ ([*/]) (?=[\d.])/g, '$1')
                    .replace(/: /g, ':')
                    .replace(/;}/g, '}')
                    .replace(/ !/g, '!')
                    .replace(/='(\w+)'/g, '=$1')
                    .replace(/([^\d])0\./g, '$1.'),
                )
              : squeezeHtml(quasis.map((q) => q.value.raw));
          quasis.forEach((q, i) => edits.push({ start: q.start, end: q.end, text: texts[i]! }));
        }
      }
      for (const value of Object.values(n)) visit(value);
    };
    visit(parseAst(code));
    let out = code;
    for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
    return { code: out, map: null };
  },
};

/**
 * The minifier keeps `/* @__PURE__ *\/` marks for a bundler that might come after it; the widget
 * is the end of the line, so they are only bytes.
 */
const dropPureMarks: Plugin = {
  name: 'fidelio:drop-pure-marks',
  apply: 'build',
  generateBundle(_options, bundle) {
    for (const chunk of Object.values(bundle)) if (chunk.type === 'chunk') chunk.code = chunk.code.replaceAll('/* @__PURE__ */ ', '');
  },
};

/**
 * Lit's three developer errors (a `css` or `html` tag misused: never by the widget's own code,
 * which the tests run) carry sentences meant for a developer's console; the widget's byte budget
 * keeps a short code of each instead (`lit.dev/msg` has no entry for them: the code names the
 * function). A message not found (another Lit version) is left as it is.
 */
const LIT_ERRORS: readonly [string, string][] = [
  ['"CSSResult is not constructable. Use `unsafeCSS` or `css` instead."', '`lit: CSSResult`'],
  [
    "`Value passed to 'css' function must be a 'css' function result: `+e+`. Use 'unsafeCSS' to pass non-literal values, but take care to ensure page security.`",
    '`lit: css`',
  ],
  ['`invalid template strings array`', '`lit: html`'],
];
/**
 * Lit also records its versions in globals (`litHtmlVersions`…) that only Lit's development
 * builds read, to warn of two copies on one page; the widget is always a copy of its own and
 * never a development build, so those three statements go too.
 */
const LIT_VERSIONS = /\(\w+\.(?:reactiveElement|litHtml|litElement)Versions\?\?=\[\]\)\.push\(`[\d.]+`\)/g;
/**
 * Lit also hands itself, through globals, to scripts a page may load before it: the polyfill
 * support of browsers without shadow DOM (`…PolyfillSupport`: every browser the widget supports
 * has shadow DOM) and the hydration of server-rendered elements (`litElementHydrateSupport`: the
 * widget renders in the browser only); and it reads the properties that standard decorators
 * declare (`Symbol.metadata`, `litPropertyMetadata`, which it sets up on the page's globals): the
 * widget declares its properties in `static properties`, never with decorators. Its copy of Lit is
 * its own, so those statements go (and a host page's globals no longer reach into it, nor it into
 * them). Each pattern is Lit's minified build as it is; another Lit version's is left as it is.
 */
const LIT_HOOKS: readonly [RegExp, string][] = [
  // `…,p=f.reactiveElementPolyfillSupport,…` (one declaration of a list), and its call.
  [/,\w+=\w+\.reactiveElementPolyfillSupport(?=,)/, ''],
  [/\w+\?\.\(\{ReactiveElement:\w+\}\)/, '0'],
  // `…},v=t.litHtmlPolyfillSupport;v?.(H,W)`: the last declaration of its list, then its call.
  [/,(\w+)=\w+\.litHtmlPolyfillSupport;\1\?\.\(\w+,\w+\)/, ';0'],
  [/,\w+\.litElementHydrateSupport\?\.\(\{LitElement:\w+\}\);var (\w+)=\w+\.litElementPolyfillSupport;\1\?\.\(\{LitElement:\w+\}\)/, ';0'],
  [/Symbol\.metadata\?\?=Symbol\(`metadata`\),\w+\.litPropertyMetadata\?\?=new WeakMap;/, ''],
  [
    /let (\w+)=this\[Symbol\.metadata\];if\(\1!==null\)\{let (\w+)=litPropertyMetadata\.get\(\1\);if\(\2!==void 0\)for\(let\[\w+,\w+\]of \2\)this\.elementProperties\.set\(\w+,\w+\)\}/,
    '',
  ],
];
const shortLitErrors: Plugin = {
  name: 'fidelio:short-lit-errors',
  apply: 'build',
  generateBundle(_options, bundle) {
    for (const chunk of Object.values(bundle)) {
      if (chunk.type !== 'chunk') continue;
      for (const [long, short] of LIT_ERRORS) chunk.code = chunk.code.replace(long, short);
      chunk.code = chunk.code.replace(LIT_VERSIONS, '0');
      for (const [hook, left] of LIT_HOOKS) chunk.code = chunk.code.replace(hook, left);
    }
  },
};

/**
 * Every text file of a browser build written twice more, Brotli (quality 11) and gzip (level 9)
 * beside it (`widget.js.br`, `widget.js.gz`), so the server sends the bytes the client accepts
 * without compressing on each request (server/routes/assets.ts).
 */
const precompress: Plugin = {
  name: 'fidelio:precompress',
  apply: 'build',
  writeBundle({ dir }) {
    if (!dir) return;
    for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
      if (!/\.(js|css|html|svg|json)$/.test(file)) continue;
      const path = join(dir, file);
      const bytes = readFileSync(path);
      writeFileSync(`${path}.br`, brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
      writeFileSync(`${path}.gz`, gzipSync(bytes, { level: 9 }));
    }
  },
};

/**
 * The browsers the widget, the hosted customer pages and the dashboard are built for (README,
 * "Browser support"): Safari and iOS 16 or newer, Firefox ESR 140 or newer, Chromium 100 or
 * newer. Syntax that one of them lacks is rewritten: Safari before 16.4 rejects class `static {}`
 * blocks, so the widget's statics are getters and nothing needs a block. test/build/targets.test.ts
 * holds the built files against this list.
 */
export const BROWSER_TARGET = ['es2022', 'safari16', 'firefox140', 'chrome100'];

/**
 * `npm run build` runs two builds:
 * - `vite build` bundles the server for Node (dependencies stay in node_modules), so a
 *   deployment runs `node dist/server/main.js` without TypeScript tooling;
 * - `vite build --mode widget` bundles the embeddable widget, Lit included, into one ES module,
 *   `dist/widget/widget.js`, which the server serves at `/widget.js`;
 * - `vite build --mode dashboard` builds the merchant dashboard, an app (`dashboard/index.html`),
 *   into `dist/dashboard/`, which the server serves at `/dashboard/`. The first screen (login and
 *   counter) is the entry chunk; later screens are `import()`ed when opened, each a chunk of its own.
 */
export default defineConfig(({ mode }) =>
  mode === 'dashboard'
    ? {
        root: 'dashboard',
        base: '/dashboard/',
        build: {
          outDir: '../dist/dashboard',
          emptyOutDir: true,
          target: BROWSER_TARGET,
          minify: true,
        },
        plugins: [squeezeTemplates, precompress],
      }
    : mode === 'widget'
      ? {
          build: {
            lib: { entry: process.env.PROBE ?? 'widget/index.ts', formats: ['es'], fileName: () => 'widget.js' },
            outDir: 'dist/widget',
            target: BROWSER_TARGET,
            emptyOutDir: true,
            // Library mode leaves whitespace in unless the output is minified explicitly.
            rolldownOptions: { output: { minify: true } },
          },
          plugins: [squeezeTemplates, dropPureMarks, shortLitErrors, precompress],
        }
      : {
          build: {
            ssr: 'server/main.ts',
            outDir: 'dist/server',
            target: 'node20',
            emptyOutDir: true,
            rolldownOptions: { output: { entryFileNames: 'main.js' } },
          },
          plugins: [copyMigrations],
        },
);
