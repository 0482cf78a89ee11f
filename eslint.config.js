// ESLint for fidelio (second part of `npm run lint`): the recommended rules of ESLint, typescript-eslint and
// eslint-plugin-lit, then eslint-config-prettier so that formatting is left to Prettier.
// Only rules that fight the house style are tuned below, each with the reason next to it.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import prettier from 'eslint-config-prettier/flat';
import compat from 'eslint-plugin-compat';
import lit from 'eslint-plugin-lit';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/', 'node_modules/', '.data/', 'coverage/', 'scratch/', 'reports/', '.stryker-tmp/'] },
  js.configs.recommended,
  // Not the type-checked presets: they build a whole TypeScript program, which took ~45 s of CPU
  // here against ~13 s for this config (measured on 2 cores); `npm run typecheck` runs tsc anyway.
  tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      // Server, tests, bench and configs run on Node; TypeScript files are checked by tsc anyway
      // (typescript-eslint turns no-undef off for them), this is for the .js/.mjs files.
      globals: { ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // House style: a leading underscore marks a name that is unused on purpose, and
      // `const { slug: _slug, ...rest } = p` is how a field is left out of an object.
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // Added, not tuned: with verbatimModuleSyntax, `import { type A } from 'x'` compiles to
      // `import {} from 'x'`, which still loads x (and bundles it), while dependency-cruiser counts
      // it as type-only. Write `import type { A } from 'x'` instead.
      '@typescript-eslint/no-import-type-side-effects': 'error',
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
  {
    // Tests and benchmarks read JSON bodies and poke at internals; `any` there is deliberate (the
    // assertions check the shapes). Server and browser code keep the rule: no `any` at the edge.
    files: ['test/**', 'bench/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The browser tests use chai's property assertions (`expect(el).to.exist`), which are
    // expressions by design.
    files: ['test/browser/**'],
    rules: { '@typescript-eslint/no-unused-expressions': 'off' },
  },
  {
    files: ['widget/**', 'dashboard/**', 'common/**', 'test/browser/**'],
    ...lit.configs['flat/recommended'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // The browsers we support (package.json "browserslist", README "Browser support"): a web API
    // one of them lacks is an error unless the code checks for it first (`'share' in navigator`).
    files: ['widget/**', 'dashboard/**', 'common/**'],
    ...compat.configs['flat/recommended'],
  },
  prettier,
);
