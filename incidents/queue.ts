// Serialises every change to the store, with group commit. Changes are applied one at a time, in
// call order, each to the result of the one before (so none is lost); whatever queued up while a
// write was under way goes to disk in the next single write. Each caller is answered only once
// its change is on disk; if that write fails, every change in it is dropped and rejected.
type Op<S> = {
  apply: (state: S) => { state: S; value: unknown };
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
};

export class GroupCommitQueue<S> {
  #pending: Op<S>[] = [];
  #draining: Promise<void> | null = null;
  readonly #current: () => S;
  readonly #commit: (state: S) => Promise<void>;

  /** `current` reads the committed state; `commit` makes a new state durable and current. */
  constructor(current: () => S, commit: (state: S) => Promise<void>) {
    this.#current = current;
    this.#commit = commit;
  }

  /** `apply` must not mutate the state it is given; it returns the next state and the caller's answer. */
  run<T>(apply: (state: S) => { state: S; value: T }): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({ apply, resolve: resolve as (value: unknown) => void, reject });
      this.#draining ??= this.#drain();
    });
  }

  async #drain(): Promise<void> {
    // Let the rest of this tick queue up, so a burst of events starts with one write.
    await Promise.resolve();
    while (this.#pending.length > 0) {
      const batch = this.#pending.splice(0);
      let state = this.#current();
      const applied: Array<[Op<S>, unknown]> = [];
      for (const op of batch) {
        try {
          const result = op.apply(state);
          state = result.state;
          applied.push([op, result.value]);
        } catch (error) {
          op.reject(error); // this change only; the others go ahead
        }
      }
      if (applied.length === 0) continue;
      try {
        await this.#commit(state);
        for (const [op, value] of applied) op.resolve(value);
      } catch (error) {
        for (const [op] of applied) op.reject(error);
      }
    }
    this.#draining = null;
  }

  /** Resolves once everything queued so far is settled. */
  async idle(): Promise<void> {
    while (this.#draining) await this.#draining;
  }
}
