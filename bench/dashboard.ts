/**
 * The dashboard's weight: the JavaScript the first screen loads (the scripts and module
 * preloads `dist/dashboard/index.html` names), raw and `gzip -9`, and every chunk the app can
 * load later (screens opened on demand). Run after `vite build --mode dashboard`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DASHBOARD_DIR } from '../server/paths.ts';

/** Issue 5's budget for the first screen: 60 KB gzipped, read as 60,000 bytes. */
export const DASHBOARD_FIRST_SCREEN_GZIP = 60_000;

export interface DashboardFigures {
  firstScreen: { file: string; raw: number; gzip: number }[];
  later: { file: string; raw: number; gzip: number }[];
}

export function benchDashboard(dir = DASHBOARD_DIR): DashboardFigures {
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const first = new Set([...html.matchAll(/(?:src|href)="\/dashboard\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!));
  const size = (file: string) => {
    const bytes = readFileSync(join(dir, file));
    return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  };
  const all = readdirSync(join(dir, 'assets'))
    .filter((f) => f.endsWith('.js'))
    .map((f) => `assets/${f}`);
  return { firstScreen: all.filter((f) => first.has(f)).map(size), later: all.filter((f) => !first.has(f)).map(size) };
}

export function printDashboard(f: DashboardFigures): void {
  const sum = (xs: { gzip: number }[]) => xs.reduce((n, x) => n + x.gzip, 0);
  const first = sum(f.firstScreen);
  console.log('## Dashboard');
  console.log(
    `first screen: ${f.firstScreen.map((x) => `${x.file} ${x.raw} B (${x.gzip} B gzip -9)`).join(', ')}; ` +
      `total ${first} B gzip -9, ${(first / DASHBOARD_FIRST_SCREEN_GZIP).toFixed(2)}× the ${DASHBOARD_FIRST_SCREEN_GZIP} B budget`,
  );
  console.log(
    f.later.length ? `loaded later: ${f.later.map((x) => `${x.file} ${x.gzip} B gzip -9`).join(', ')}\n` : 'loaded later: nothing yet\n',
  );
}
