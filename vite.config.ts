import { cpSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';

/** The SQL migrations are read from disk next to the bundle (`dist/server/migrations/`). */
const copyMigrations: Plugin = {
  name: 'fidelio:copy-migrations',
  apply: 'build',
  closeBundle() {
    cpSync('server/db/migrations', 'dist/server/migrations', { recursive: true });
  },
};

/**
 * `npm run build` bundles the server for Node (dependencies stay in node_modules), so a
 * deployment runs `node dist/server/main.js` without TypeScript tooling. The widget and the
 * dashboard builds join here when they exist.
 */
export default defineConfig({
  build: {
    ssr: 'server/main.ts',
    outDir: 'dist/server',
    target: 'node20',
    emptyOutDir: true,
    rolldownOptions: { output: { entryFileNames: 'main.js' } },
  },
  plugins: [copyMigrations],
});
