/**
 * A least-recently-used cache of things that take a while to make (signed passes, rendered
 * images). Callers asking for the same key at the same time share one build; a build that
 * fails is not kept. Bounded by total size (`sizeOf`, e.g. bytes) and evicts oldest first.
 */
export class BuildCache<V> {
  readonly #entries = new Map<string, { value: V; size: number }>();
  readonly #building = new Map<string, Promise<V>>();
  readonly #maxSize: number;
  readonly #sizeOf: (value: V) => number;
  #size = 0;
  #builds = 0;
  #hits = 0;

  constructor(options: { maxSize: number; sizeOf?: (value: V) => number }) {
    this.#maxSize = options.maxSize;
    this.#sizeOf = options.sizeOf ?? (() => 1);
  }

  get(key: string, build: () => Promise<V>): Promise<V> {
    const entry = this.#entries.get(key);
    if (entry) {
      this.#hits++;
      // Re-insert: Map keeps insertion order, so the first key is the least recently used.
      this.#entries.delete(key);
      this.#entries.set(key, entry);
      return Promise.resolve(entry.value);
    }
    const pending = this.#building.get(key);
    if (pending) {
      this.#hits++;
      return pending;
    }
    this.#builds++;
    const promise = build().then(
      (value) => {
        this.#building.delete(key);
        this.#store(key, value);
        return value;
      },
      (err: unknown) => {
        this.#building.delete(key);
        throw err;
      },
    );
    this.#building.set(key, promise);
    return promise;
  }

  /** How many values were built, and how many asks were served without building. */
  stats(): { builds: number; hits: number; entries: number; size: number } {
    return { builds: this.#builds, hits: this.#hits, entries: this.#entries.size, size: this.#size };
  }

  #store(key: string, value: V) {
    const size = this.#sizeOf(value);
    if (size > this.#maxSize) return;
    this.#entries.set(key, { value, size });
    this.#size += size;
    for (const [oldest, e] of this.#entries) {
      if (this.#size <= this.#maxSize) break;
      this.#entries.delete(oldest);
      this.#size -= e.size;
    }
  }
}
