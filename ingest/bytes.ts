// Bytes held from the start of a stream while deciding what it is, then handed on with the rest.

export function concat(chunks: readonly Uint8Array[], total?: number): Uint8Array {
  return Buffer.concat(chunks, total);
}

/** The chunks read so far from an iterator, and whether it has ended. */
export class Held {
  readonly chunks: Uint8Array[] = [];
  total = 0;
  done = false;

  constructor(private readonly it: AsyncIterator<Uint8Array>) {}

  /** Reads until more than `limit` bytes are held, or the stream ends. */
  async fillPast(limit: number): Promise<void> {
    while (!this.done && this.total <= limit) {
      const r = await this.it.next();
      if (r.done) this.done = true;
      else if (r.value.byteLength > 0) {
        this.chunks.push(r.value);
        this.total += r.value.byteLength;
      }
    }
  }

  /** The first `n` bytes held (fewer when fewer are). */
  head(n: number): Uint8Array {
    const out = this.headChunks(n);
    return concat(out);
  }

  /** The first `n` bytes held, as the chunks they came in (the last one cut), never copied. */
  headChunks(n: number): Uint8Array[] {
    const out: Uint8Array[] = [];
    let total = 0;
    for (const c of this.chunks) {
      if (total >= n) break;
      const part = c.subarray(0, n - total);
      out.push(part);
      total += part.byteLength;
    }
    return out;
  }

  /** The held chunks, then the rest of the stream; `count` is told of each chunk passed on. */
  async *replay(count?: (n: number) => void): AsyncGenerator<Uint8Array> {
    for (let c = this.chunks.shift(); c; c = this.chunks.shift()) {
      count?.(c.byteLength);
      yield c;
    }
    if (this.done) return;
    for (let r = await this.it.next(); !r.done; r = await this.it.next()) {
      count?.(r.value.byteLength);
      yield r.value;
    }
    this.done = true;
  }
}
