/**
 * The counter's outbox: writes that could not reach the server, kept in IndexedDB with their
 * `Idempotency-Key` until they can be sent. They survive a reload; `flush` sends them oldest
 * first, one at a time, and a resend of a write that had in fact landed is answered from the
 * server's idempotency store: nothing is lost, nothing is counted twice.
 */

/** One queued write: a merchant API call, and what to show the user about it. */
export interface Item {
  /** Insertion order (IndexedDB's auto-increment), absent until queued. */
  id?: number;
  /** The write's Idempotency-Key: the same on every attempt. */
  key: string;
  method: 'POST';
  /** Under `/api/merchant/`, e.g. `cards/<serial>/stamps`. */
  path: string;
  body: unknown;
  /** What the user sees in the pending list, e.g. "+1 stamp — Léa Petit". */
  label: string;
  /** When it was queued (ms since the epoch). */
  at?: number;
}

/** What to do with an item once sent: remove it (sent, or refused for good) or keep it for later. */
export type Verdict = 'done' | 'keep' | 'drop';

export interface FlushResult {
  /** Sent and answered with a 2xx. */
  done: Item[];
  /** Refused for good (a 4xx such as an unknown card): removed, to be shown as failed. */
  dropped: Item[];
  /** The item the flush stopped at (network error, 5xx, 408, 429), still queued. */
  kept?: Item;
}

/**
 * The verdict for an HTTP status (0: no answer). 401 is kept too: a session that ended is no
 * reason to lose a stamp, it is sent once logged in again.
 */
export function verdict(status: number): Verdict {
  if (status >= 200 && status < 300) return 'done';
  if (status === 0 || status === 401 || status === 408 || status === 429 || status >= 500) return 'keep';
  return 'drop';
}

const STORE = 'items';

const result = <T>(r: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });

const finished = (tx: IDBTransaction): Promise<void> =>
  new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = tx.onabort = () => reject(tx.error ?? new DOMException('Transaction aborted', 'AbortError'));
  });

/**
 * An IndexedDB-backed queue. Dispatches `change` after every enqueue and removal. `flush`
 * runs one at a time per outbox (a call during a flush gets that flush's result) and, where
 * the Web Locks API exists, one at a time across the tabs of the dashboard.
 */
export class Outbox extends EventTarget {
  #db?: Promise<IDBDatabase>;
  #flushing?: Promise<FlushResult>;

  constructor(readonly name = 'fidelio-outbox') {
    super();
  }

  #open(): Promise<IDBDatabase> {
    return (this.#db ??= new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open(this.name, 1);
      r.onupgradeneeded = () =>
        r.result.createObjectStore(STORE, { keyPath: 'id', autoIncrement: true }).createIndex('key', 'key', { unique: true });
      r.onsuccess = () => {
        const db = r.result;
        // Deleted or upgraded elsewhere: let go, and open again on the next use.
        db.onversionchange = () => {
          db.close();
          this.#db = undefined;
        };
        resolve(db);
      };
      r.onerror = () => reject(r.error);
    }).catch((e: unknown) => {
      this.#db = undefined;
      throw e;
    }));
  }

  async #tx(mode: IDBTransactionMode): Promise<[IDBObjectStore, Promise<void>]> {
    const tx = (await this.#open()).transaction(STORE, mode);
    return [tx.objectStore(STORE), finished(tx)];
  }

  #changed(): void {
    this.dispatchEvent(new Event('change'));
  }

  /** Queues a write; false (and nothing changes) when one with the same key is already queued. */
  async enqueue(item: Omit<Item, 'id' | 'at'>): Promise<boolean> {
    const [store, done] = await this.#tx('readwrite');
    let added = false;
    const count = store.index('key').count(item.key);
    count.onsuccess = () => {
      if (count.result) return;
      store.add({ key: item.key, method: item.method, path: item.path, body: item.body, label: item.label, at: Date.now() });
      added = true;
    };
    await done;
    if (added) this.#changed();
    return added;
  }

  /** The queued writes, oldest first. */
  async pending(): Promise<Item[]> {
    const [store, done] = await this.#tx('readonly');
    const items = result(store.getAll() as IDBRequest<Item[]>);
    await done;
    return items;
  }

  async #oldest(): Promise<Item | undefined> {
    const [store, done] = await this.#tx('readonly');
    const items = result(store.getAll(null, 1) as IDBRequest<Item[]>);
    await done;
    return (await items)[0];
  }

  async #remove(id: number): Promise<void> {
    const [store, done] = await this.#tx('readwrite');
    store.delete(id);
    await done;
    this.#changed();
  }

  /**
   * Sends the queued writes oldest first, one at a time, with `send`: 'done' and 'drop' remove
   * the item, 'keep' (or a throw) stops the flush there with the item and those after it kept,
   * in order. Items queued during the flush are sent by it too.
   */
  flush(send: (item: Item) => Promise<Verdict>): Promise<FlushResult> {
    const run = async (): Promise<FlushResult> => {
      const out: FlushResult = { done: [], dropped: [] };
      for (let item = await this.#oldest(); item; item = await this.#oldest()) {
        let v: Verdict;
        try {
          v = await send(item);
        } catch {
          v = 'keep';
        }
        if (v === 'keep') {
          out.kept = item;
          break;
        }
        await this.#remove(item.id!);
        (v === 'done' ? out.done : out.dropped).push(item);
      }
      return out;
    };
    const locked = async (): Promise<FlushResult> =>
      'locks' in navigator ? await navigator.locks.request(`${this.name}:flush`, run) : run();
    return (this.#flushing ??= locked().finally(() => (this.#flushing = undefined)));
  }

  /** Closes the connection (it opens again when next used). */
  close(): void {
    void this.#db?.then(
      (db) => db.close(),
      () => {},
    );
    this.#db = undefined;
  }
}

/** The dashboard's outbox. */
export const outbox = new Outbox();
