// The CSV imports' runner: takes the waiting imports one after the other (any number of processes
// share them: each is leased), woken when one starts, and looking every few seconds for one that a
// process which died left half-done.
import { Alarm } from '../alarm.ts';
import type { Deps } from '../services/deps.ts';
import { runImport } from '../services/imports.ts';

export class ImportJobs {
  readonly #deps: Deps;
  readonly #pollMs: number;
  readonly #log: (line: string) => void;
  #running = false;
  #loop: Promise<void> | undefined;
  readonly #alarm = new Alarm();

  constructor(deps: Deps, opts: { pollMs?: number; log?: (line: string) => void } = {}) {
    this.#deps = deps;
    this.#pollMs = opts.pollMs ?? 5000;
    this.#log = opts.log ?? console.error;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  wake(): void {
    this.#alarm.ring();
  }

  /** Stops after the batch in progress (the import resumes from there, here or in another process). */
  async stop(): Promise<void> {
    this.#running = false;
    this.wake();
    await this.#loop;
  }

  async #run(): Promise<void> {
    while (this.#running) {
      this.#alarm.arm();
      let ran = false;
      try {
        ran = await runImport(this.#deps, undefined, () => this.#running);
      } catch (err) {
        this.#log(`fidelio: an import stopped (it resumes after its lease): ${(err as Error).message}`);
      }
      if (ran || this.#alarm.rung) continue;
      await this.#alarm.sleep(this.#pollMs);
    }
  }
}
