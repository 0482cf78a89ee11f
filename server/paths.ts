import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package root (where package.json is), found from this module's own location: the
 * same from the sources (`server/`) and from the bundle (`dist/server/`), whatever the cwd.
 */
function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return process.cwd();
  }
}

export const ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
/** The widget bundle built by `vite build --mode widget`. */
export const WIDGET_FILE = join(ROOT, 'dist', 'widget', 'widget.js');
/** The merchant dashboard built by `vite build --mode dashboard`: `index.html` and hashed `assets/`. */
export const DASHBOARD_DIR = join(ROOT, 'dist', 'dashboard');
/** The demo café's website. */
export const DEMO_SITE_DIR = join(ROOT, 'demo', 'site');
