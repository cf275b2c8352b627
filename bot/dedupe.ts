// Remembers what was already handled, for a while: Slack retries an event it thinks we missed
// (at once, after 1 minute and after 5 minutes), and a mention also arrives as a `message` event.
// The store's `claim` does this durably (and, for a shared store, across replicas); this in-memory
// set stands in when the store cannot write. By time, not count: every key is kept for the whole
// window whatever the rate, and memory is what that rate holds for that long.

/** Slack's last retry comes about 5 minutes after the first delivery: kept for twice that, and a bit. */
export const DEFAULT_DEDUPE_TTL_MS = 11 * 60 * 1000;

export class TtlSet {
  /** Key → when it expires; insertion order is expiry order (one TTL for all). */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly ttlMs: number = DEFAULT_DEDUPE_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when `key` was added within the TTL; otherwise remembers it now and returns false. */
  checkAndAdd(key: string): boolean {
    const t = this.now();
    this.evict(t);
    if (this.seen.has(key)) return true;
    this.seen.set(key, t + this.ttlMs);
    return false;
  }

  has(key: string): boolean {
    const until = this.seen.get(key);
    return until !== undefined && until > this.now();
  }

  get size(): number {
    this.evict(this.now());
    return this.seen.size;
  }

  private evict(t: number): void {
    // The oldest keys are at the front: stop at the first one still held.
    for (const [key, until] of this.seen) {
      if (until > t) break;
      this.seen.delete(key);
    }
  }
}
