// What the widget and the dashboard share about calling the server: a request's four states as
// a Lit controller, the failure it ends in, and the one console line per problem.
import type { ReactiveControllerHost } from 'lit';

/** A failed call: `status` 0 when the server could not be reached or did not answer in time. */
export class Problem {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly errors: { path: string; message: string }[] = [],
  ) {}
}

/** The reason a request is aborted with when it took too long (see `Request`). */
export const TIMEOUT = 'timeout';

const warned = new Set<string>();

/** One `[fidelio]` console line per problem, however often it happens. */
export function warn(problem: string): void {
  if (!warned.has(problem)) {
    warned.add(problem);
    console.warn(`[fidelio] ${problem}`);
  }
}

export type Status = 'idle' | 'pending' | 'complete' | 'error';

/** What an element renders from: a request's state, and how to ask again. */
export interface RequestState<T> {
  readonly status: Status;
  readonly value?: T;
  readonly error?: Problem;
  retry(): void;
}

interface Host extends ReactiveControllerHost {
  /** Milliseconds before a request counts as failed. */
  timeout: number;
}

/**
 * One network call's four states (never asked, pending, done, failed) for an element to
 * render. A new `run()` aborts the one in flight, so only the latest answer is shown; a call
 * slower than the host's `timeout` fails like an unreachable server. An answer that lands
 * after the element left the page only updates its state. `@lit/task` does this too, at a
 * size the widget's byte budget would notice.
 */
export class Request<T, A extends unknown[]> implements RequestState<T> {
  status: Status = 'idle';
  value?: T;
  error?: Problem;
  #ac?: AbortController;
  #args?: A;
  #host: Host;
  #task: (signal: AbortSignal, ...args: A) => Promise<T>;

  constructor(host: Host, task: (signal: AbortSignal, ...args: A) => Promise<T>) {
    this.#host = host;
    this.#task = task;
  }

  async run(...args: A): Promise<void> {
    this.#ac?.abort();
    const ac = (this.#ac = new AbortController());
    this.#args = args;
    this.status = 'pending';
    this.#host.requestUpdate();
    const timer = setTimeout(() => ac.abort(TIMEOUT), this.#host.timeout);
    let ok = false;
    let result: unknown;
    try {
      result = await this.#task(ac.signal, ...args);
      ok = true;
    } catch (e) {
      result = e;
    }
    clearTimeout(timer);
    if (ac !== this.#ac) return;
    this.#ac = undefined;
    if (ok) this.value = result as T;
    else if (result instanceof Problem) this.error = result;
    else {
      warn(String(result));
      this.error = new Problem(0, 'unavailable');
    }
    this.status = ok ? 'complete' : 'error';
    this.#host.requestUpdate();
  }

  /** Runs the last call again, with the same arguments. */
  retry = (): void => {
    if (this.#args) void this.run(...this.#args);
  };

  /** Back to "never asked", dropping any call in flight and its answer. */
  reset(): void {
    this.#ac?.abort();
    this.#ac = undefined;
    this.status = 'idle';
    this.value = this.error = undefined;
    this.#host.requestUpdate();
  }
}
