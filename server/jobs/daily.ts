// The daily plays' timer (birthdays, win-backs, tiers): a first run soon after start-up, then
// one every `everyMs` (15 minutes by default: "at least hourly"). A run is safe at any time and
// in several processes at once (the effects' unique keys, the tiers' locked re-read,
// services/campaigns.ts), so the timer needs no lock of its own; it only never starts a run
// while its own previous one is still going.
import { type DailyOptions, type DailyRun, runDailyPlays } from '../services/campaigns.ts';
import type { Deps } from '../services/deps.ts';
import { pruneOldLogs } from '../services/deliveries.ts';

export interface DailyJobsOptions extends DailyOptions {
  /** Delay before the first run (default 10 s: within a minute of start-up). */
  firstRunMs?: number;
  /** Between runs (default 15 minutes). */
  everyMs?: number;
  log?: (line: string) => void;
}

export class DailyJobs {
  readonly #deps: Deps;
  readonly #opts: DailyJobsOptions;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<DailyRun | undefined> | undefined;
  #stopped = false;

  constructor(deps: Deps, opts: DailyJobsOptions = {}) {
    this.#deps = deps;
    this.#opts = opts;
  }

  start(): void {
    this.#stopped = false;
    this.#schedule(this.#opts.firstRunMs ?? 10_000);
  }

  /** Runs now (or waits for the run in progress); errors are logged, and the next run tries again. */
  run(): Promise<DailyRun | undefined> {
    this.#running ??= runDailyPlays(this.#deps, this.#opts)
      .then(async (r) => {
        // The logs kept 30 days (deliveries, webhook attempts, idempotent answers).
        await pruneOldLogs(this.#deps);
        return r;
      })
      .then(
        (r) => {
          if (r.birthdays + r.winBacks + r.tiers > 0) {
            this.#log(`daily plays: ${r.birthdays} birthday(s), ${r.winBacks} win-back(s), ${r.tiers} tier change(s)`);
          }
          return r;
        },
        (err: Error) => {
          this.#log(`daily plays failed (the next run catches up): ${err.message}`);
          return undefined;
        },
      )
      .finally(() => (this.#running = undefined));
    return this.#running;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  #schedule(ms: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      void this.run().then(() => this.#schedule(this.#opts.everyMs ?? 15 * 60_000));
    }, ms);
    this.#timer.unref();
  }

  #log(line: string): void {
    (this.#opts.log ?? console.log)(`fidelio: ${line}`);
  }
}
