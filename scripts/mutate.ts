// `npm run mutate [name…]`: mutation testing (StrykerJS) of the four files whose rules a café
// relies on most, each against the tests that cover it (stryker/<name>.conf.mjs), one after the
// other, then a table of their scores from the JSON reports (reports/mutation/<name>.json, the
// standard mutation-testing report format). Slow — tens of minutes a file on 2 cores — so not in
// CI. The score counts a mutant as detected when a test failed or timed out on it, over the
// mutants that ran. A mutant no test can kill because it changes nothing a caller can see (an
// equivalent mutant) is listed in its config's `equivalent`, with the reason: its survivor is
// marked Ignored in the report, with that reason, and does not count.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export const TARGETS = ['rules', 'program', 'idempotency', 'cms'] as const;

type Mutant = {
  status: string;
  statusReason?: string;
  mutatorName: string;
  replacement?: string;
  location: { start: { line: number; column: number } };
};
type Report = { files: Record<string, { mutants: Mutant[] }> };

/** A mutant that cannot change what a caller sees: where it is, what it writes, and why it is harmless. */
export type Equivalent = { line: number; mutator: string; replacement?: string; reason: string };

/**
 * Marks the survivors the config calls equivalent as Ignored, with the reason; returns the
 * entries that matched no survivor (killed since, or moved: the list is out of date).
 */
export function excludeEquivalent(report: Report, equivalent: readonly Equivalent[]): Equivalent[] {
  const mutants = Object.values(report.files).flatMap((f) => f.mutants);
  return equivalent.filter((e) => {
    const hits = mutants.filter(
      (m) =>
        m.status === 'Survived' &&
        m.location.start.line === e.line &&
        m.mutatorName === e.mutator &&
        (e.replacement === undefined || m.replacement === e.replacement),
    );
    for (const m of hits) Object.assign(m, { status: 'Ignored', statusReason: `equivalent: ${e.reason}` });
    return hits.length === 0;
  });
}

/** Detected (killed or timed out) over valid (all but the ignored and those that did not compile or start). */
export function score(report: Report): {
  file: string;
  mutants: number;
  detected: number;
  survived: number;
  ignored: number;
  score: number;
} {
  const [file, { mutants }] = Object.entries(report.files)[0]!;
  const count = (...s: string[]) => mutants.filter((m) => s.includes(m.status)).length;
  const detected = count('Killed', 'Timeout');
  const ignored = count('Ignored');
  const valid = mutants.length - ignored - count('CompileError', 'RuntimeError');
  return { file, mutants: valid, detected, survived: count('Survived', 'NoCoverage'), ignored, score: (100 * detected) / valid };
}

async function main(args: string[]) {
  const names = args.length ? args : [...TARGETS];
  const unknown = names.filter((n) => !(TARGETS as readonly string[]).includes(n));
  if (unknown.length) {
    console.error(`unknown target ${unknown.join(', ')}: one of ${TARGETS.join(', ')}`);
    process.exit(2);
  }
  let failed = false;
  for (const name of names) {
    const run = spawnSync('npx', ['stryker', 'run', `stryker/${name}.conf.mjs`], { stdio: 'inherit' });
    failed ||= run.status !== 0;
    const path = `reports/mutation/${name}.json`;
    if (run.status !== 0 || !existsSync(path)) continue;
    const { equivalent = [] } = (await import(`../stryker/${name}.conf.mjs`)) as { equivalent?: Equivalent[] };
    const report = JSON.parse(readFileSync(path, 'utf8')) as Report;
    for (const e of excludeEquivalent(report, equivalent)) {
      console.warn(`stryker/${name}.conf.mjs: no surviving ${e.mutator} mutant on line ${e.line} any more: remove it from \`equivalent\``);
    }
    writeFileSync(path, JSON.stringify(report));
  }
  console.log('\n| file | mutants | detected | survived | excluded (equivalent) | score |\n|---|---|---|---|---|---|');
  for (const name of names) {
    const path = `reports/mutation/${name}.json`;
    if (!existsSync(path)) continue;
    const s = score(JSON.parse(readFileSync(path, 'utf8')) as Report);
    console.log(`| \`${s.file}\` | ${s.mutants} | ${s.detected} | ${s.survived} | ${s.ignored} | ${s.score.toFixed(1)} % |`);
  }
  process.exit(failed ? 1 : 0);
}

if (import.meta.url === `file://${process.argv[1]}`) void main(process.argv.slice(2));
