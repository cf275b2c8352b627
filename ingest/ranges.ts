// Scanning a plain HTTPERR file as byte ranges, so that worker threads can share a big one: cut
// points just after line ends, each range scanned under the field list assumed in effect at its
// start, and a range rescanned where that assumption was wrong. Runs in this thread or in a worker.
import { readSync } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { isMainThread } from "node:worker_threads";
import {
  emptyPartial,
  HttperrScanner,
  mergePartials,
  type ScanPartial,
} from "../parsers/kinds/httperr/scan.js";
import { SNIFF_BYTES } from "./caps.js";
import { ioMessage } from "./input-error.js";

export const CHUNK_BYTES = 1024 * 1024;
/** A range is claimed a block at a time in a 16-bit count: a range of more blocks is not shared. */
const MAX_BLOCKS = 0xffff;
/** The least one thread takes over of another's range: less is not worth a partial to merge. */
const MIN_TAKEOVER_BLOCKS = 8;

export interface RangeJob {
  path: string;
  start: number;
  end: number;
  /** The field list assumed in effect at `start`. */
  fields: readonly string[] | null;
  /** Keep the part before the first `#Fields` line apart (the assumption may be wrong). */
  split: boolean;
  /** Bytes read at a time (CHUNK_BYTES; smaller in tests, so that ranges are shared often). */
  blockBytes?: number;
  /**
   * Shared memory, `next << 16 | limit`: blocks [0, next) of the range are claimed, and it ends at
   * block `limit`. The range's thread claims one block at a time; another thread may lower the limit
   * to take over the blocks beyond it (see takeOver).
   */
  claims?: Int32Array;
}

export interface RangeResult {
  /** Lines before the first `#Fields` line (all of them when there is none). */
  head: ScanPartial;
  /** Lines from the first `#Fields` line on (empty when there is none). */
  tail: ScanPartial;
  firstFieldsAt: number;
  endFields: readonly string[] | null;
  /** Where the range ended: its end, or the line end where another thread took over the rest. */
  end: number;
}

/** Read buffers, reused across ranges: a worker scans many ranges and RSS should not grow with them. */
const freeBuffers: Buffer[] = [];
const takeBuffer = () => freeBuffers.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES);

/** Shared claims for a range of `blocks` blocks, or none when it has too many to count. */
function newClaims(blocks: number): Int32Array | undefined {
  if (blocks > MAX_BLOCKS) return undefined;
  const claims = new Int32Array(new SharedArrayBuffer(4));
  claims[0] = blocks;
  return claims;
}

/** Where the line that holds byte `from` ends (after its LF), or `end` when it reaches it. */
async function lineEndAfter(fh: FileHandle, from: number, end: number, buf: Buffer): Promise<number> {
  let pos = from;
  while (pos < end) {
    const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, end - pos), pos);
    if (bytesRead === 0) return end;
    const lf = buf.subarray(0, bytesRead).indexOf(10);
    if (lf >= 0) return pos + lf + 1;
    pos += bytesRead;
  }
  return end;
}

export async function scanRange(job: RangeJob, onBytes: (n: number) => void): Promise<RangeResult> {
  let fh: FileHandle;
  try {
    fh = await open(job.path, "r");
  } catch (err) {
    throw ioMessage(job.path, err);
  }
  try {
    const scanner = new HttperrScanner({
      fields: job.fields,
      splitAtFirstFields: job.split,
      baseOffset: job.start,
    });
    const block = job.blockBytes ?? CHUNK_BYTES;
    const blocks = Math.ceil((job.end - job.start) / block);
    const claims = job.claims;
    let claimed = 0;
    /** The next block of the range, or -1 when the rest is done or taken over. */
    const claim = (): number => {
      if (!claims) return claimed < blocks ? claimed++ : -1;
      for (;;) {
        const w = Atomics.load(claims, 0);
        const next = w >>> 16;
        if (next >= (w & 0xffff)) return -1;
        if (Atomics.compareExchange(claims, 0, w, w + 0x10000) === w) return next;
      }
    };
    const buf = takeBuffer();
    const blockAt = (b: number) => job.start + b * block;
    // Blocking reads, straight into the scanner's piece: the bytes are copied once, on the core that
    // scans them next, into memory that stays in its cache (an async read copies them on a libuv
    // thread, on whichever core: 4–10% more wall on two threads). This thread yields after each
    // block, so its event loop still runs between them.
    for (let b = claim(); b >= 0; b = claim()) {
      const from = blockAt(b);
      const stop = Math.min(from + block, job.end);
      let pos = from;
      while (pos < stop) {
        const n = scanner.pushFrom((into) =>
          readSync(fh.fd, into, 0, Math.min(into.length, stop - pos), pos),
        );
        if (n === 0) break;
        pos += n;
      }
      if (pos === from) break;
      onBytes(pos - from);
      if (isMainThread) await new Promise(setImmediate);
    }
    // Taken over at a lower limit: the range ends with the line that crosses it.
    const limit = claims ? Atomics.load(claims, 0) & 0xffff : blocks;
    let end = job.end;
    if (limit < blocks) {
      const from = job.start + limit * block;
      end = await lineEndAfter(fh, from, job.end, buf);
      for (let pos = from; pos < end; ) {
        const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, end - pos), pos);
        if (bytesRead === 0) break;
        scanner.push(buf.subarray(0, bytesRead));
        onBytes(bytesRead);
        pos += bytesRead;
      }
    }
    freeBuffers.push(buf);
    const last = scanner.endPartial();
    const head = scanner.prefixPartial();
    return {
      head: head ?? last,
      tail: head ? last : emptyPartial(),
      firstFieldsAt: scanner.firstFieldsAt,
      endFields: scanner.currentFields,
      end,
    };
  } finally {
    await fh.close();
  }
}

/** Where to cut [0, size) into n ranges: each cut just after a line end, so no line is split. */
async function cutPoints(path: string, size: number, n: number): Promise<number[]> {
  const fh = await open(path, "r");
  try {
    const cuts = [0];
    const buf = Buffer.allocUnsafe(SNIFF_BYTES);
    for (let k = 1; k < n; k++) {
      const cut = await lineEndAfter(
        fh,
        Math.max(Math.floor((size * k) / n), cuts.at(-1) as number),
        size,
        buf,
      );
      if (cut >= size) break;
      if (cut > (cuts.at(-1) as number)) cuts.push(cut);
    }
    cuts.push(size);
    return cuts;
  } finally {
    await fh.close();
  }
}

const sameFields = (a: readonly string[] | null, b: readonly string[] | null) =>
  a === b || (a !== null && b !== null && a.length === b.length && a.every((x, i) => x === b[i]));

/** Runs a range job somewhere: in this thread, or on a worker. */
export type RangeRunner = (job: RangeJob) => Promise<RangeResult>;

/**
 * Scans one file as byte ranges, one runner (thread) per lane, and merges them. It starts with
 * `parts` ranges; a lane left without one takes over the later half of the blocks another has not
 * claimed yet, so that the threads finish together. Each range after the first is scanned assuming
 * the file's first field list; where the real one in effect (the last `#Fields` of the ranges
 * before) differs, the lines before the range's own first `#Fields` are scanned again with it.
 */
export async function scanFileRanges(
  path: string,
  size: number,
  parts: number,
  runners: readonly RangeRunner[],
  opts: {
    blockBytes?: number;
    /** Told when a lane has no range left (its thread may be let go while the others finish). */
    onLaneDone?: (run: RangeRunner) => void;
  } = {},
): Promise<ScanPartial> {
  const blockBytes = opts.blockBytes ?? CHUNK_BYTES;
  const cuts = await cutPoints(path, size, parts);
  let assumed: readonly string[] | null = null;
  if (cuts.length > 2 || runners.length > 1) {
    const probe = await scanRange(
      { path, start: 0, end: Math.min(size, SNIFF_BYTES), fields: null, split: false },
      () => {},
    );
    assumed = probe.endFields;
  }
  const job = (start: number, end: number): RangeJob => ({
    path,
    start,
    end,
    fields: start === 0 ? null : assumed,
    split: start > 0,
    blockBytes,
    claims: newClaims(Math.ceil((end - start) / blockBytes)),
  });
  const queue = cuts.slice(1).map((end, k) => job(cuts[k] as number, end));
  /**
   * Each running range's end as it stands: lowered when its tail is taken over, to a line end found
   * by reading (so a promise, set before any await: two lanes may take over from one range at once).
   */
  const running = new Map<RangeJob, Promise<number>>();

  /** The later half of the unclaimed blocks of the range with the most of them, as a range of its own. */
  const takeOver = async (): Promise<RangeJob | null> => {
    let victim: RangeJob | null = null;
    let most = MIN_TAKEOVER_BLOCKS - 1;
    for (const j of running.keys()) {
      const w = j.claims ? Atomics.load(j.claims, 0) : 0;
      if ((w & 0xffff) - (w >>> 16) > most) {
        victim = j;
        most = (w & 0xffff) - (w >>> 16);
      }
    }
    const claims = victim?.claims;
    if (!victim || !claims) return null;
    let limit = -1;
    for (;;) {
      const w = Atomics.load(claims, 0);
      const next = w >>> 16;
      const left = (w & 0xffff) - next;
      if (left < MIN_TAKEOVER_BLOCKS) return null;
      limit = next + Math.ceil(left / 2);
      if (Atomics.compareExchange(claims, 0, w, (next << 16) | limit) === w) break;
    }
    const ending = running.get(victim) as Promise<number>;
    const starting = ending.then(async (end) => {
      const fh = await open(path, "r");
      try {
        return await lineEndAfter(
          fh,
          victim.start + limit * blockBytes,
          end,
          Buffer.allocUnsafe(SNIFF_BYTES),
        );
      } finally {
        await fh.close();
      }
    });
    running.set(victim, starting);
    const [start, end] = await Promise.all([starting, ending]);
    return start < end ? job(start, end) : null;
  };

  // Ranges are merged in file order as soon as every range before them is done (only then is the
  // field list in effect at a range's start known), while the other threads still scan: the work
  // left after the last range is one merge, in code that has run before.
  let merged = emptyPartial();
  let mergedTo = 0;
  let inEffect: readonly string[] | null = null;
  const finished = new Map<number, { job: RangeJob; result: RangeResult }>();
  let merging: Promise<void> = Promise.resolve();
  const mergeInOrder = async () => {
    for (let next = finished.get(mergedTo); next; next = finished.get(mergedTo)) {
      const { job: j, result: r } = next;
      finished.delete(mergedTo);
      let head = r.head;
      if (!sameFields(inEffect, j.fields)) {
        const end = r.firstFieldsAt >= 0 ? r.firstFieldsAt : r.end;
        head = (await scanRange({ path, start: j.start, end, fields: inEffect, split: false }, () => {}))
          .head;
      }
      merged = mergePartials([merged, head, r.tail]);
      if (r.firstFieldsAt >= 0) inEffect = r.endFields;
      mergedTo = r.end;
    }
  };

  const lane = async (run: RangeRunner) => {
    let j = queue.shift() ?? (await takeOver());
    if (!j) opts.onLaneDone?.(run);
    while (j) {
      running.set(j, Promise.resolve(j.end));
      try {
        finished.set(j.start, { job: j, result: await run(j) });
      } finally {
        running.delete(j);
      }
      // The next range is found before merging: a thread with none left is let go first.
      j = queue.shift() ?? (await takeOver());
      if (!j) opts.onLaneDone?.(run);
      merging = merging.then(mergeInOrder);
      merging.catch(() => {}); // awaited below: a failed rescan must not be an unhandled rejection first
    }
  };
  await Promise.all(runners.map(lane));
  await merging;
  // The ranges tile the file; a gap would lose lines without a word.
  if (mergedTo !== size || finished.size > 0)
    throw new Error(`${path}: ranges merged up to byte ${mergedTo} of ${size}`);
  return merged;
}
