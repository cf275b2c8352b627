// A small cache of lookups that expire: the same key asked again within its time is answered from
// memory, and asked twice at once is looked up once. A failed lookup is not remembered.
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: Promise<V>; expires: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    /** Most keys kept; the oldest go first. */
    private readonly max = 10_000,
  ) {}

  /** The cached value, else `load()`'s, kept for `ttlOf(value)` (default: the cache's time). */
  get(key: string, load: () => Promise<V>, ttlOf?: (value: V) => number): Promise<V> {
    const at = this.now();
    const hit = this.entries.get(key);
    if (hit && hit.expires > at) return hit.value;
    const value = load();
    const entry = { value, expires: at + this.ttlMs };
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.max) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    value.then(
      (v) => {
        if (ttlOf && this.entries.get(key) === entry) entry.expires = at + ttlOf(v);
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return value;
  }

  /** Forgets one key (after a change Slack told us about). */
  delete(key: string): void {
    this.entries.delete(key);
  }
}
