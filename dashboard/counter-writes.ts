import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Card, CardWriteAnswer, UndoAnswer } from '../common/api.ts';
import { Request, TIMEOUT } from '../common/request.ts';
import { merchant, MerchantProblem } from './api.ts';
import { type Item, type Outbox, verdict, type Verdict } from './queue.ts';

/** A write of the counter: a stamp, a purchase or a redemption on a card. */
export type Action = 'stamps' | 'purchases' | 'redemptions';

/** How long the counter offers to undo a redemption it just made (the server allows 10 minutes). */
export const UNDO_MS = 8_000;

/**
 * What a write sends: a stamp's count, a purchase's amount (minor units), a redemption's reward,
 * and the shop where it happened (`program.locations[].id`; none from an account tied to a shop,
 * whose shop the server uses). The outbox keeps the body whole, shop included.
 */
export interface WriteBody {
  count?: number;
  amount?: number;
  rewardId?: string;
  locationId?: string;
}

interface Host extends ReactiveControllerHost {
  /** Milliseconds before a write counts as unanswered. */
  timeout: number;
  /** Milliseconds a redemption can be undone for (`UNDO_MS` unless said otherwise). */
  undoFor?: number;
  /** Where writes without an answer wait. */
  outbox: Outbox;
}

/**
 * The counter's writes (`fd-counter.ts` is the element that shows them): every write carries an
 * `Idempotency-Key` drawn when the action starts and sent again by its retry, and a second one
 * is refused while one is in flight: a double tap, or a retry after a lost answer, never stamps twice.
 *
 * Offline: a write that gets no answer (unreachable, too slow) goes to the outbox (IndexedDB,
 * `queue.ts`) with its key, and so does every write while the browser is offline, the last
 * attempt failed on the network, or older writes still wait. The outbox is sent when the
 * connection is back (`online`), on start (it survives a reload), every 10 s while not empty,
 * and on "Try again" / "Send now"; a write the server refuses for good (404, 409…) is listed as
 * not sent. A resend of a write that had landed is answered by the server's idempotency.
 *
 * A redemption answered directly can be undone for a few seconds (a mistaken tap; the host's
 * `undoFor`, else `UNDO_MS`): `undoable` names it until then, and `undoLast` sends its undo, with
 * a key of its own that a retry sends again. An undo is never queued in the outbox: past the
 * moment, it is better asked again than sent late.
 */
export class CounterWrites implements ReactiveController {
  /** The last direct write: pending, answered, or failed (with a retry that sends the same key). */
  readonly write: Request<CardWriteAnswer, [Item]>;
  /** The undo of the last redemption: pending, answered, or failed (a retry sends the same key). */
  readonly undo: Request<UndoAnswer, [Item]>;
  /** The last redemption's undo while it is offered (or asked), with its key. */
  undoable?: Item;
  /** The card as last answered by a write (direct or from the outbox). */
  fresh?: Card;
  /** The outbox's writes, oldest first. */
  pending: Item[] = [];
  /** Writes the server refused when sent from the outbox, until dismissed. */
  failed: { label: string; status: number }[] = [];
  /** The last action went to the outbox. */
  queued = false;
  /** The last attempt got no answer: new writes go to the outbox first. */
  #offline = false;
  /** An action is being put in the outbox. */
  #queueing = false;
  #host: Host;
  #serial: () => string | undefined;
  #signedOut: () => void;
  #listened?: Outbox;
  #timer?: ReturnType<typeof setInterval>;
  #undoTimer?: ReturnType<typeof setTimeout>;

  /** `serial`: the card on screen, if any; `signedOut`: the server no longer knows the session (401). */
  constructor(host: Host, serial: () => string | undefined, signedOut: () => void) {
    this.#host = host;
    this.#serial = serial;
    this.#signedOut = signedOut;
    this.write = new Request(host, async (signal, item: Item) => {
      try {
        const answer = await merchant<CardWriteAnswer>(signal, item.method, item.path, { body: item.body, key: item.key });
        this.fresh = answer.card;
        this.#offline = false;
        if (answer.redeemed?.id) this.#offerUndo(answer.card, answer.redeemed.id, item.label);
        return answer;
      } catch (e) {
        const problem = e instanceof MerchantProblem;
        if (problem && e.status === 401) this.#signedOut();
        // No answer (unreachable, too slow, or cut short by another lookup): it may or may not
        // have landed. Queued with its key, its resend counts once either way.
        if (problem && e.status === 0) this.#offline = true;
        if (!problem || e.status === 0) await this.#queue(item);
        throw e;
      }
    });
    this.undo = new Request(host, async (signal, item: Item) => {
      try {
        const answer = await merchant<UndoAnswer>(signal, item.method, item.path, { key: item.key });
        this.fresh = answer.card;
        return answer;
      } catch (e) {
        if (e instanceof MerchantProblem && e.status === 401) this.#signedOut();
        throw e;
      }
    });
    host.addController(this);
  }

  hostConnected(): void {
    this.#listened = this.#host.outbox;
    this.#listened.addEventListener('change', this.#refresh);
    addEventListener('online', this.flush);
    this.#timer = setInterval(() => this.pending.length && void this.flush(), 10_000);
    // Writes queued before a reload: shown at once, and sent if the network is there.
    void this.#refresh().then(this.flush);
  }

  hostDisconnected(): void {
    this.#listened?.removeEventListener('change', this.#refresh);
    removeEventListener('online', this.flush);
    clearInterval(this.#timer);
    this.#dropUndo();
  }

  /** A write or an undo is in flight, or a write is being queued: a new one waits. */
  get busy(): boolean {
    return this.write.status === 'pending' || this.undo.status === 'pending' || this.#queueing;
  }

  /** Another card is on screen: the last write's outcome is not its. */
  forget(): void {
    this.write.reset();
    this.#dropUndo();
    this.fresh = undefined;
    this.queued = false;
  }

  /** Offers to undo the redemption `id` of `card` for `UNDO_MS`, with its key drawn now. */
  #offerUndo(card: Card, id: string, label: string): void {
    this.#dropUndo();
    const path = `cards/${card.serial}/redemptions/${encodeURIComponent(id)}/undo`;
    this.undoable = { key: crypto.randomUUID(), method: 'POST', path, body: undefined, label };
    this.#undoTimer = setTimeout(() => {
      // Once asked, it stays: its outcome (or its retry) is about it.
      if (this.undo.status !== 'idle') return;
      this.undoable = undefined;
      this.#host.requestUpdate();
    }, this.#host.undoFor ?? UNDO_MS);
  }

  #dropUndo(): void {
    clearTimeout(this.#undoTimer);
    this.undo.reset();
    this.undoable = undefined;
  }

  /** Undoes the last redemption while it is offered; a second tap while it is sent does nothing. */
  undoLast = async (): Promise<void> => {
    if (!this.undoable || this.busy) return;
    clearTimeout(this.#undoTimer);
    await this.undo.run(this.undoable);
  };

  /** The refused writes were seen. */
  dismiss(): void {
    this.failed = [];
    this.#host.requestUpdate();
  }

  /**
   * Writes `action` on `card` (`label`: how the outbox lists it), or queues it behind older
   * writes or while offline. True when it was answered or queued: the form can be cleared.
   */
  async act(card: Card, action: Action, body: WriteBody, label: string): Promise<boolean> {
    this.queued = false;
    // A new write: the last redemption is no longer the one on screen to undo.
    this.#dropUndo();
    // One key per action, drawn now: a retry, or a resend from the outbox, sends the same key.
    const item: Item = { key: crypto.randomUUID(), method: 'POST', path: `cards/${card.serial}/${action}`, body, label };
    if (!navigator.onLine || this.#offline || this.pending.length) {
      // Offline, or older writes still waiting: this one goes behind them, and they are sent in order.
      this.write.reset();
      this.#queueing = true;
      const queued = await this.#queue(item);
      this.#queueing = false;
      this.#host.requestUpdate();
      if (queued) {
        if (navigator.onLine) void this.flush();
        return true;
      }
    }
    await this.write.run(item);
    return this.write.status === 'complete' || this.queued;
  }

  /** Sends the outbox, oldest first; stops at the first write without an answer. */
  flush = async (): Promise<void> => {
    try {
      await this.#host.outbox.flush((item) => this.#send(item));
    } catch {
      // IndexedDB unavailable: nothing to send.
    }
    await this.#refresh();
  };

  #refresh = async (): Promise<void> => {
    try {
      this.pending = await this.#host.outbox.pending();
    } catch {
      this.pending = []; // No IndexedDB here: nothing was queued either.
    }
    this.#host.requestUpdate();
  };

  async #send(item: Item): Promise<Verdict> {
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(TIMEOUT), this.#host.timeout);
    let status = 200;
    try {
      const answer = await merchant<CardWriteAnswer | undefined>(ac.signal, item.method, item.path, { body: item.body, key: item.key });
      if (answer?.card) this.fresh = answer.card;
    } catch (e) {
      status = e instanceof MerchantProblem ? e.status : 0;
    } finally {
      clearTimeout(timer);
    }
    this.#offline = status === 0;
    if (status === 401) this.#signedOut();
    const v = verdict(status);
    if (v === 'drop') this.failed = [...this.failed, { label: item.label, status }];
    this.#host.requestUpdate();
    return v;
  }

  /** Puts a write in the outbox; false when there is no outbox (no IndexedDB). */
  async #queue(item: Item): Promise<boolean> {
    try {
      await this.#host.outbox.enqueue(item);
    } catch {
      return false;
    }
    await this.#refresh();
    // Unless another card was looked up meanwhile, say where this one went.
    if (item.path.split('/')[1] === this.#serial()) this.queued = true;
    this.#host.requestUpdate();
    return true;
  }
}
