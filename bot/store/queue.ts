// Runs async tasks one at a time, in call order. Every store write goes through one queue, so two
// events updating the same file (or the same incident) never interleave read-modify-write.
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T> | T): Promise<T> {
    const result = this.#tail.then(task);
    // A failed task rejects its own caller only; the queue carries on.
    this.#tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves once every task queued so far has settled. */
  idle(): Promise<void> {
    return this.#tail.then(() => undefined);
  }
}
