// The leased outbox: work queued in the same transaction as the change that causes it (an APNs
// push, a Google Wallet update), delivered here by a channel, never lost if a process dies.
import type { Db, Queryable } from '../db/index.ts';
import { Alarm } from '../alarm.ts';
import { logPassDeliveries, type PassDeliveryLog } from '../db/queries/deliveries.ts';
import { claimOutbox, completeOutbox, dropOutbox, type OutboxRow, retryOutbox } from '../db/queries/outbox.ts';

export interface OutboxWorkerOptions {
  /** Rows leased per claim. */
  batchSize?: number;
  /** Deliveries in flight at most (the clients cap their connections or streams on their own). */
  maxInFlight?: number;
  /** How long a claimed row stays ours; a worker that dies gives its rows back after this. */
  leaseMs?: number;
  /** How often to look for due rows without being woken (other processes, retries). */
  pollMs?: number;
  log?: (line: string) => void;
}

/** What became of one delivery (an APNs push, a Google Wallet update, an e-mail). */
export type Delivery =
  /** Accepted; `record` is what the channel writes down about it (`recordSent`); `answer` for the delivery log. */
  | { status: 'sent'; record?: unknown; answer?: string }
  /** The target is gone for good (a dead push token, a card erased): the row is dropped. */
  | { status: 'gone'; reason: string }
  /** Refused for good (a mail server's 5xx for this message): the row is dropped, and the refusal logged. */
  | { status: 'rejected'; reason: string }
  /** Transient (429, 5xx, a timeout, the network): again later, with backoff or as asked. */
  | { status: 'retry'; reason: string; retryAfterMs?: number }
  /** Refused for a reason of ours (configuration, a bad request): logged, and tried again much later. */
  | { status: 'failed'; reason: string };

/** One channel of the outbox (its rows' `channel`) and how to deliver a row of it. */
export interface OutboxChannel {
  readonly name: string;
  /** Its name in the log: "APNs", "Google Wallet". */
  readonly label: string;
  /** Write each delivery for a card into the card's delivery log (`pass_deliveries`): the passes' channels. */
  readonly logsDeliveries?: boolean;
  /** Delivers one row; never rejects (a rejection counts as 'retry'). */
  deliver(row: OutboxRow): Promise<Delivery>;
  /** Writes down what the deliveries changed, in the transaction that completes their rows. */
  recordSent?(tx: Queryable, sent: readonly { row: OutboxRow; record: unknown }[]): Promise<void>;
  /** Forgets the targets of rows that came back 'gone' (the rows are dropped after). */
  forget?(db: Db, rows: readonly OutboxRow[]): Promise<void>;
  close?(): Promise<void>;
}

/** Outcomes are recorded in batches, this long after the first of them came in. */
const FLUSH_MS = 5;

/** After this many failed attempts (days of backoff), a delivery is given up. */
const MAX_ATTEMPTS = 30;
const HOUR = 3_600_000;

/** The delay before trying a delivery again: exponential with jitter, or what the service asked for. */
export function backoffMs(attempts: number, outcome: Extract<Delivery, { status: 'retry' | 'failed' }>): number {
  if (outcome.status === 'retry' && outcome.retryAfterMs !== undefined) return Math.min(HOUR, outcome.retryAfterMs);
  // A refusal that is not the target's fault (a bad certificate…) will not mend in a second.
  const base = outcome.status === 'failed' ? 60_000 : 1000;
  const delay = Math.min(HOUR, base * 2 ** Math.min(attempts, 20));
  return Math.round(delay * (0.5 + Math.random() / 2));
}

/**
 * Delivers one channel of the outbox: leases due rows (`FOR UPDATE SKIP LOCKED`, so any number
 * of processes share the outbox), hands each to the channel, then records the outcomes in a
 * few statements: sent → deleted (unless the card changed meanwhile: then it goes again),
 * target gone → forgotten, throttled or failing → retried later with backoff. A row is deleted
 * only once the service has accepted it; if the process dies first, the lease runs out and the
 * row is delivered then.
 */
export class OutboxWorker {
  readonly #db: Db;
  readonly #channel: OutboxChannel;
  readonly #batchSize: number;
  readonly #maxInFlight: number;
  readonly #leaseMs: number;
  readonly #pollMs: number;
  /** Room (deliveries in flight under the maximum) worth a claim. */
  readonly #lowWater: number;
  readonly #log: (line: string) => void;

  #running = false;
  #loop: Promise<void> | undefined;
  #inFlight = 0;
  readonly #alarm = new Alarm();
  readonly #results: {
    sent: { row: OutboxRow; record: unknown; answer?: string }[];
    gone: OutboxRow[];
    rejected: { row: OutboxRow; reason: string }[];
    retry: { row: OutboxRow; outcome: Extract<Delivery, { status: 'retry' | 'failed' }> }[];
  } = {
    sent: [],
    gone: [],
    rejected: [],
    retry: [],
  };
  #flushing: Promise<void> = Promise.resolve();
  #flushQueued = false;
  /** Deliveries the service accepted, since start. */
  sent = 0;

  constructor(db: Db, channel: OutboxChannel, options: OutboxWorkerOptions = {}) {
    this.#db = db;
    this.#channel = channel;
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

  /** A write queued deliveries: look now rather than at the next poll. */
  wake(): void {
    this.#alarm.ring();
  }

  /** Stops claiming, waits for the deliveries in flight, records their outcomes, closes the client. */
  async stop(): Promise<void> {
    this.#running = false;
    this.wake();
    await this.#loop;
    while (this.#inFlight > 0) await new Promise((r) => setTimeout(r, 5));
    await this.#flushing;
    await this.#flush();
    await this.#channel.close?.();
  }

  async #run(): Promise<void> {
    while (this.#running) {
      const room = this.#maxInFlight - this.#inFlight;
      // With the pipe full, claim again once half a batch has room, not once per finished delivery.
      if (room < this.#lowWater) {
        await this.#sleep(this.#pollMs);
        continue;
      }
      const limit = Math.min(room, this.#batchSize);
      this.#alarm.arm();
      let claimed = 0;
      try {
        const rows = await claimOutbox(this.#db, this.#channel.name, limit, this.#leaseMs);
        claimed = rows.length;
        for (const row of rows) void this.#send(row);
      } catch (err) {
        this.#log(`[fidelio] ${this.#channel.label} worker: could not read the outbox: ${(err as Error).message}`);
      }
      // A full claim means more may be due, and a wake during the claim may have queued more:
      // claim again at once, while those are in flight. Else wait for a wake or the poll.
      if (claimed === limit || this.#alarm.rung) continue;
      await this.#sleep(this.#pollMs);
    }
  }

  #sleep(ms: number): Promise<void> {
    return this.#running ? this.#alarm.sleep(ms) : Promise.resolve();
  }

  async #send(row: OutboxRow): Promise<void> {
    this.#inFlight++;
    const outcome: Delivery = await this.#channel.deliver(row).catch((err: Error) => ({ status: 'retry', reason: err.message }));
    this.#inFlight--;
    if (outcome.status === 'sent') this.#results.sent.push({ row, record: outcome.record, answer: outcome.answer });
    else if (outcome.status === 'gone') this.#results.gone.push(row);
    else if (outcome.status === 'rejected') this.#results.rejected.push({ row, reason: outcome.reason });
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
    const { sent, gone, rejected, retry } = this.#results;
    this.#results.sent = [];
    this.#results.gone = [];
    this.#results.rejected = [];
    this.#results.retry = [];
    if (sent.length + gone.length + rejected.length + retry.length === 0) return;
    try {
      // Each in a transaction of its own: a deadlock with a concurrent write is retried there.
      const { requeued } = await this.#db.transaction(async (tx) => {
        if (sent.length) await this.#channel.recordSent?.(tx, sent);
        return completeOutbox(
          tx,
          sent.map((s) => s.row),
        );
      });
      this.sent += sent.length;
      // A card changed while its delivery was out: deliver again now, not at the next poll.
      if (requeued > 0) this.wake();
      if (gone.length) {
        await this.#channel.forget?.(this.#db, gone);
        await dropOutbox(
          this.#db,
          gone.map((r) => r.id),
        );
      }
      if (rejected.length) {
        await dropOutbox(
          this.#db,
          rejected.map((r) => r.row.id),
        );
        for (const r of rejected) this.#log(`[fidelio] ${this.#channel.label} rejected for good (${r.row.target}): ${r.reason}`);
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
        const what = `${this.#channel.label} deliveries`;
        this.#log(`[fidelio] gave up ${giveUp.length} ${what} after ${MAX_ATTEMPTS} attempts: ${giveUp[0]!.outcome.reason}`);
      }
      if (this.#channel.logsDeliveries) await this.#logDeliveries(sent, gone, rejected, retry, giveUp);
      const refused = retry.filter((r) => r.outcome.status === 'failed');
      if (refused.length) this.#log(`[fidelio] ${this.#channel.label} refused ${refused.length} deliveries: ${refused[0]!.outcome.reason}`);
    } catch (err) {
      // The leases run out and the rows are delivered again: a duplicate, never a loss.
      this.#log(`[fidelio] ${this.#channel.label} worker: could not record outcomes: ${(err as Error).message}`);
    }
  }

  /** The card's delivery log: what became of each row queued for a card. */
  async #logDeliveries(
    sent: readonly { row: OutboxRow; answer?: string }[],
    gone: readonly OutboxRow[],
    rejected: readonly { row: OutboxRow; reason: string }[],
    retry: readonly { row: OutboxRow; outcome: Extract<Delivery, { status: 'retry' | 'failed' }> }[],
    giveUp: readonly { row: OutboxRow }[],
  ): Promise<void> {
    const given = new Set(giveUp.map((g) => g.row.id));
    const log: PassDeliveryLog[] = [];
    const add = (row: OutboxRow, status: PassDeliveryLog['status'], answer: string | null) => {
      if (row.card_id) log.push({ cardId: row.card_id, target: row.target, queuedAt: row.created_at, status, answer });
    };
    for (const s of sent) add(s.row, 'sent', s.answer ?? 'accepted');
    for (const r of gone) add(r, 'gone', null);
    for (const r of rejected) add(r.row, 'rejected', r.reason);
    for (const r of retry) add(r.row, given.has(r.row.id) ? 'failed' : 'retrying', r.outcome.reason);
    await logPassDeliveries(this.#db, this.#channel.name, log);
  }

  /** Waits until no row is due or in flight (tests and the bench). */
  async idle(): Promise<void> {
    for (;;) {
      await this.#flushing;
      const { rows } = await this.#db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM outbox WHERE channel = $1 AND available_at <= now()`,
        [this.#channel.name],
      );
      if (rows[0]!.n === 0 && this.#inFlight === 0) return;
      this.wake();
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}
