// Scanning a plain HTTPERR file as byte ranges, so that worker threads can share a big one: cut
// points just after line ends, each range scanned under the field list assumed in effect at its
// start, and a range rescanned where that assumption was wrong. Runs in this thread or in a worker.
import { type FileHandle, open } from "node:fs/promises";
import {
  emptyPartial,
  HttperrScanner,
  mergePartials,
  type ScanPartial,
} from "../parsers/kinds/httperr/scan.js";
import { SNIFF_BYTES } from "./caps.js";
import { ioMessage } from "./input-error.js";

export const CHUNK_BYTES = 1024 * 1024;

export interface RangeJob {
  path: string;
  start: number;
  end: number;
  /** The field list assumed in effect at `start`. */
  fields: readonly string[] | null;
  /** Keep the part before the first `#Fields` line apart (the assumption may be wrong). */
  split: boolean;
}

export interface RangeResult {
  /** Lines before the first `#Fields` line (all of them when there is none). */
  head: ScanPartial;
  /** Lines from the first `#Fields` line on (empty when there is none). */
  tail: ScanPartial;
  firstFieldsAt: number;
  endFields: readonly string[] | null;
}

/** Read buffers, reused across ranges: a worker scans many ranges and RSS should not grow with them. */
const freeBuffers: Buffer[] = [];
const takeBuffer = () => freeBuffers.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES);

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
    // Two buffers: the next read (on libuv's thread pool) runs while this thread scans the last.
    const bufs = [takeBuffer(), takeBuffer()];
    const file = fh;
    const readAt = (buf: Buffer, pos: number) =>
      pos < job.end ? file.read(buf, 0, Math.min(CHUNK_BYTES, job.end - pos), pos) : Promise.resolve(null);
    let pos = job.start;
    let next = readAt(bufs[0] as Buffer, pos);
    for (let k = 0; ; k ^= 1) {
      const got = await next;
      if (!got || got.bytesRead === 0) break;
      pos += got.bytesRead;
      next = readAt(bufs[k ^ 1] as Buffer, pos);
      scanner.push(got.buffer.subarray(0, got.bytesRead));
      onBytes(got.bytesRead);
    }
    await next; // no read may still be filling a buffer that goes back to the free list
    freeBuffers.push(...bufs);
    const last = scanner.endPartial();
    const head = scanner.prefixPartial();
    return {
      head: head ?? last,
      tail: head ? last : emptyPartial(),
      firstFieldsAt: scanner.firstFieldsAt,
      endFields: scanner.currentFields,
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
      let pos = Math.max(Math.floor((size * k) / n), cuts[cuts.length - 1] as number);
      let cut = -1;
      while (pos < size && cut < 0) {
        const { bytesRead } = await fh.read(buf, 0, SNIFF_BYTES, pos);
        if (bytesRead === 0) break;
        const i = buf.subarray(0, bytesRead).indexOf(10);
        if (i >= 0) cut = pos + i + 1;
        else pos += bytesRead;
      }
      if (cut < 0 || cut >= size) break;
      if (cut > (cuts[cuts.length - 1] as number)) cuts.push(cut);
    }
    cuts.push(size);
    return cuts;
  } finally {
    await fh.close();
  }
}

const sameFields = (a: readonly string[] | null, b: readonly string[] | null) =>
  a === b || (a !== null && b !== null && a.length === b.length && a.every((x, i) => x === b[i]));

/**
 * Scans one file as byte ranges and merges them. Each range after the first is scanned assuming the
 * file's first field list; where the real one in effect (the last `#Fields` of the ranges before)
 * differs, the lines before the range's own first `#Fields` are scanned again with it.
 */
export async function scanFileRanges(
  path: string,
  size: number,
  parts: number,
  run: (job: RangeJob) => Promise<RangeResult>,
): Promise<ScanPartial> {
  const cuts = await cutPoints(path, size, parts);
  let assumed: readonly string[] | null = null;
  if (cuts.length > 2) {
    const probe = await scanRange(
      { path, start: 0, end: Math.min(size, SNIFF_BYTES), fields: null, split: false },
      () => {},
    );
    assumed = probe.endFields;
  }
  const jobs: RangeJob[] = [];
  for (let k = 0; k + 1 < cuts.length; k++) {
    jobs.push({
      path,
      start: cuts[k] as number,
      end: cuts[k + 1] as number,
      fields: k === 0 ? null : assumed,
      split: k > 0,
    });
  }
  const results = await Promise.all(jobs.map(run));
  const merged: ScanPartial[] = [];
  let inEffect: readonly string[] | null = null;
  for (let k = 0; k < jobs.length; k++) {
    const job = jobs[k] as RangeJob;
    const r = results[k] as RangeResult;
    if (sameFields(inEffect, job.fields)) merged.push(r.head);
    else {
      const end = r.firstFieldsAt >= 0 ? r.firstFieldsAt : job.end;
      const again = await scanRange(
        { path, start: job.start, end, fields: inEffect, split: false },
        () => {},
      );
      merged.push(again.head);
    }
    merged.push(r.tail);
    if (r.firstFieldsAt >= 0) inEffect = r.endFields;
  }
  return mergePartials(merged);
}
