import type { Db } from '../db/index.ts';
import { deleteRegistrationsByToken } from '../db/queries/apple.ts';
import { claimOutbox, completeOutbox, dropOutbox, type OutboxRow, retryOutbox } from '../db/queries/outbox.ts';
import type { PushOutcome } from './apns.ts';

export interface PushWorkerOptions {
  /** Rows leased per claim. */
  batchSize?: number;
  /** Pushes in flight at most (the APNs client caps its streams on its own). */
  maxInFlight?: number;
  /** How long a claimed row stays ours; a worker that dies gives its rows back after this. */
  leaseMs?: number;
  /** How often to look for due rows without being woken (other processes, retries). */
  pollMs?: number;
  log?: (line: string) => void;
}

/** What the worker needs of an APNs client (the real one is `ApnsClient`). */
export interface PushClient {
  push(token: string): Promise<PushOutcome>;
  close?(): Promise<void>;
}

/** Outcomes are recorded in batches, this long after the first of them came in. */
const FLUSH_MS = 5;

/** After this many failed attempts (days of backoff), a push is given up. */
const MAX_ATTEMPTS = 30;
const HOUR = 3_600_000;

/** The delay before trying a push again: exponential with jitter, or what APNs asked for. */
export function backoffMs(attempts: number, outcome: Extract<PushOutcome, { status: 'retry' | 'failed' }>): number {
  if (outcome.status === 'retry' && outcome.retryAfterMs !== undefined) return Math.min(HOUR, outcome.retryAfterMs);
  // A refusal that is not the token's fault (a bad certificate…) will not mend in a second.
  const base = outcome.status === 'failed' ? 60_000 : 1000;
  const delay = Math.min(HOUR, base * 2 ** Math.min(attempts, 20));
  return Math.round(delay * (0.5 + Math.random() / 2));
}

/**
 * Sends the APNs pushes of the outbox: leases due rows (`FOR UPDATE SKIP LOCKED`, so any
 * number of processes share the outbox), pushes each over the client's one HTTP/2
 * connection, then records the outcomes in a few statements: sent → deleted (unless the
 * card changed meanwhile: then it goes again), dead token → the registrations are removed,
 * throttled or failing → retried later with backoff. A row is deleted only once APNs has
 * accepted it; if the process dies first, the lease runs out and the push is sent then.
 */
export class PushWorker {
  readonly #db: Db;
  readonly #client: PushClient;
  readonly #batchSize: number;
  readonly #maxInFlight: number;
  readonly #leaseMs: number;
  readonly #pollMs: number;
  /** Room (pushes in flight under the maximum) worth a claim. */
  readonly #lowWater: number;
  readonly #log: (line: string) => void;

  #running = false;
  #loop: Promise<void> | undefined;
  #inFlight = 0;
  #wakeUp: (() => void) | undefined;
  #woken = false;
  readonly #results: {
    sent: OutboxRow[];
    gone: OutboxRow[];
    retry: { row: OutboxRow; outcome: Extract<PushOutcome, { status: 'retry' | 'failed' }> }[];
  } = {
    sent: [],
    gone: [],
    retry: [],
  };
  #flushing: Promise<void> = Promise.resolve();
  #flushQueued = false;
  /** Pushes APNs accepted, since start. */
  sent = 0;

  constructor(db: Db, client: PushClient, options: PushWorkerOptions = {}) {
    this.#db = db;
    this.#client = client;
    this.#batchSize = options.batchSize ?? 1000;
    this.#maxInFlight = options.maxInFlight ?? 2000;
    this.#leaseMs = options.leaseMs ?? 60_000;
    this.#pollMs = options.pollMs ?? 1000;
    this.#lowWater = Math.max(1, Math.floor(Math.min(this.#batchSize, this.#maxInFlight) / 2));
    this.#log = options.log ?? console.warn;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  /** A write queued pushes: look now rather than at the next poll. */
  wake(): void {
    this.#woken = true;
    this.#wakeUp?.();
  }

  /** Stops claiming, waits for the pushes in flight, records their outcomes, closes the client. */
  async stop(): Promise<void> {
    this.#running = false;
    this.wake();
    await this.#loop;
    while (this.#inFlight > 0) await new Promise((r) => setTimeout(r, 5));
    await this.#flushing;
    await this.#flush();
    await this.#client.close?.();
  }

  async #run(): Promise<void> {
    while (this.#running) {
      const room = this.#maxInFlight - this.#inFlight;
      // With the pipe full, claim again once half a batch has room, not once per finished push.
      if (room < this.#lowWater) {
        await this.#sleep(this.#pollMs);
        continue;
      }
      const limit = Math.min(room, this.#batchSize);
      this.#woken = false;
      let claimed = 0;
      try {
        const rows = await claimOutbox(this.#db, 'apns', limit, this.#leaseMs);
        claimed = rows.length;
        for (const row of rows) void this.#send(row);
      } catch (err) {
        this.#log(`[fidelio] push worker: could not read the outbox: ${(err as Error).message}`);
      }
      // A full claim means more may be due, and a wake during the claim may have queued more:
      // claim again at once, while those are in flight. Else wait for a wake or the poll.
      if (claimed === limit || this.#woken) continue;
      await this.#sleep(this.#pollMs);
    }
  }

  #sleep(ms: number): Promise<void> {
    if (!this.#running) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wakeUp = done;
    });
  }

  async #send(row: OutboxRow): Promise<void> {
    this.#inFlight++;
    const outcome: PushOutcome = await this.#client.push(row.target).catch((err: Error) => ({ status: 'retry', reason: err.message }));
    this.#inFlight--;
    if (outcome.status === 'sent') this.#results.sent.push(row);
    else if (outcome.status === 'gone') this.#results.gone.push(row);
    else this.#results.retry.push({ row, outcome });
    this.#scheduleFlush();
    // Room again for a burst that was waiting.
    if (this.#inFlight === this.#maxInFlight - this.#lowWater) this.wake();
  }

  /** Outcomes are written together, a few milliseconds after they come in. */
  #scheduleFlush(): void {
    if (this.#flushQueued) return;
    this.#flushQueued = true;
    setTimeout(() => {
      this.#flushQueued = false;
      this.#flushing = this.#flushing.then(() => this.#flush());
    }, FLUSH_MS);
  }

  async #flush(): Promise<void> {
    const { sent, gone, retry } = this.#results;
    this.#results.sent = [];
    this.#results.gone = [];
    this.#results.retry = [];
    if (sent.length + gone.length + retry.length === 0) return;
    try {
      // Each in a transaction of its own: a deadlock with a concurrent write is retried there.
      const { requeued } = await this.#db.transaction((tx) => completeOutbox(tx, sent));
      this.sent += sent.length;
      // A card changed while its push was out: push again now, not at the next poll.
      if (requeued > 0) this.wake();
      if (gone.length) {
        await deleteRegistrationsByToken(this.#db, [...new Set(gone.map((r) => r.target))]);
        await dropOutbox(
          this.#db,
          gone.map((r) => r.id),
        );
      }
      const giveUp = retry.filter((r) => r.row.attempts + 1 >= MAX_ATTEMPTS);
      const again = retry.filter((r) => r.row.attempts + 1 < MAX_ATTEMPTS);
      const retries = again.map(({ row, outcome }) => ({ id: row.id, delayMs: backoffMs(row.attempts, outcome), error: outcome.reason }));
      await this.#db.transaction((tx) => retryOutbox(tx, retries));
      if (giveUp.length) {
        await dropOutbox(
          this.#db,
          giveUp.map((r) => r.row.id),
        );
        this.#log(`[fidelio] gave up ${giveUp.length} APNs push(es) after ${MAX_ATTEMPTS} attempts: ${giveUp[0]!.outcome.reason}`);
      }
      const refused = retry.filter((r) => r.outcome.status === 'failed');
      if (refused.length) this.#log(`[fidelio] APNs refused ${refused.length} push(es): ${refused[0]!.outcome.reason}`);
    } catch (err) {
      // The leases run out and the rows are pushed again: a duplicate, never a loss.
      this.#log(`[fidelio] push worker: could not record push outcomes: ${(err as Error).message}`);
    }
  }

  /** Waits until no row is due or in flight (tests and the bench). */
  async idle(): Promise<void> {
    for (;;) {
      await this.#flushing;
      const { rows } = await this.#db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM outbox WHERE channel = 'apns' AND available_at <= now()`,
      );
      if (rows[0]!.n === 0 && this.#inFlight === 0) return;
      this.wake();
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}
