/**
 * The background loops' wait between rounds (the outbox workers, the imports' runner): a sleep
 * that `ring()` cuts short, and that remembers a ring which came while the loop was busy.
 */
export class Alarm {
  #ring: (() => void) | undefined;
  /** Rung since the last `arm()`: there may be new work, so the loop goes round again at once. */
  rung = false;

  /** Called as a round starts looking for work: a ring from now on counts. */
  arm(): void {
    this.rung = false;
  }

  ring(): void {
    this.rung = true;
    this.#ring?.();
  }

  /** Resolves after `ms`, or at the next ring. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#ring = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#ring = done;
    });
  }
}
