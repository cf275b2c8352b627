// Remembers what was already handled, for a while: Slack retries an event it thinks we missed
// (at once, after 1 minute and after 5 minutes), and a mention also arrives as a `message` event.
// In memory, per process: several HTTP replicas need a shared store for this (see README).

/** Slack's last retry comes about 5 minutes after the first delivery. */
export const DEFAULT_DEDUPE_TTL_MS = 11 * 60 * 1000;

export class TtlSet {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly ttlMs: number = DEFAULT_DEDUPE_TTL_MS,
    private readonly maxEntries = 50_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when `key` was added within the TTL; otherwise remembers it now and returns false. */
  checkAndAdd(key: string): boolean {
    const t = this.now();
    const at = this.seen.get(key);
    if (at !== undefined && t - at < this.ttlMs) return true;
    this.seen.delete(key);
    this.seen.set(key, t);
    this.evict(t);
    return false;
  }

  has(key: string): boolean {
    const at = this.seen.get(key);
    return at !== undefined && this.now() - at < this.ttlMs;
  }

  private evict(t: number): void {
    // Insertion order is age order, so expired entries are at the front.
    for (const [key, at] of this.seen) {
      if (t - at < this.ttlMs && this.seen.size <= this.maxEntries) break;
      this.seen.delete(key);
    }
  }
}
