// Reading inputs from disk: files, HTTPERR folders and .gz files. Small text goes through parseText
// like a paste; big HTTPERR logs, folders and .gz files stream through the byte scanner (flat memory,
// summary only). A big file is cut at line boundaries into byte ranges scanned by worker threads.
// This module is also the workers' entry point (see the end of the file).
import { createReadStream, existsSync } from "node:fs";
import { type FileHandle, open, readdir, stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { createGunzip } from "node:zlib";
import { formatBytes } from "./bytes.js";
import type { HttperrSummary, ParsedInput, ParsedOf } from "./evidence.js";
import { isHttperrLine } from "./httperr.js";
import {
  emptyPartial,
  finishSummary,
  HttperrScanner,
  mergePartials,
  type ScanPartial,
} from "./httperr-scan.js";
import { splitLines } from "./text.js";

/** A path that cannot be read, with a message fit for the terminal. */
export class InputError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = "InputError";
  }
}

/** Files up to this size are read whole and parsed like a paste (records kept). */
export const STREAM_THRESHOLD_BYTES = 8 * 1024 * 1024;
/** A file at least this big is cut into ranges for the worker threads. */
export const PARALLEL_THRESHOLD_BYTES = 32 * 1024 * 1024;
/** A big file that is not HTTPERR is still read as text up to this size. */
const MAX_TEXT_BYTES = 256 * 1024 * 1024;
const CHUNK_BYTES = 1024 * 1024;
const SNIFF_BYTES = 64 * 1024;

export interface ReadOptions {
  /** Bytes done and total of the inputs that stream (the small ones count for nothing). */
  onProgress?: (done: number, total: number) => void;
  /** Worker threads for big files; default: the cores, at most 2. 1 = scan in this thread. */
  workers?: number;
  /**
   * Keep every record (`tattletale parse`): files up to 256 MB are read whole instead of streamed,
   * and a folder's logs are read one by one. Memory then grows with the input.
   */
  keepRecords?: boolean;
  /** Told of each file that held nothing readable, with what was seen there instead. */
  onUnreadable?: (source: string, seen: string) => void;
}

const FOLDER_FILE = /^httperr.*\.log(\.gz)?$/i;

function ioMessage(path: string, err: unknown): InputError {
  const code = (err as NodeJS.ErrnoException)?.code;
  const why =
    code === "ENOENT"
      ? "no such file or folder"
      : code === "EACCES" || code === "EPERM"
        ? "permission denied"
        : code === "EISDIR"
          ? "is a folder"
          : err instanceof Error
            ? err.message
            : String(err);
  return new InputError(path, `cannot read ${path}: ${why}`);
}

const utf8 = new TextDecoder("utf-8");

/** Whether the start of a file reads as an HTTPERR log (a header line or a data line in the first 50). */
export function looksLikeHttperr(head: Uint8Array): boolean {
  const lines = splitLines(new TextDecoder("utf-8").decode(head)).slice(0, 50);
  return lines.some((l) => isHttperrLine(l));
}

async function parseSmallText(
  text: string,
  source: string,
  opts: ReadOptions,
  bytes?: number,
): Promise<ParsedInput[]> {
  // Loaded on demand, so that worker threads (which import this module) stay light.
  const { describeUnreadable, parseText } = await import("./index.js");
  const result = parseText(text, source);
  const first = result.inputs[0];
  if (first && result.warnings.length > 0) first.warnings = [...first.warnings, ...result.warnings];
  if (!first) opts.onUnreadable?.(source, describeUnreadable(text, false, bytes));
  return result.inputs;
}

/** The input a streamed log becomes: the full summary, no records, and a warning that says so. */
export function streamedInput(source: string, summary: HttperrSummary, what: string): ParsedOf<"httperr"> {
  const warnings = [`${what} was streamed: the summary covers every line, but records were not kept`];
  if (summary.skipped > 0) warnings.push(`${summary.skipped} lines skipped (cut short or malformed)`);
  return { kind: "httperr", source, warnings, records: [], summary };
}

// ---------- scanning byte ranges (in this thread or a worker) ----------

interface RangeJob {
  path: string;
  start: number;
  end: number;
  /** The field list assumed in effect at `start`. */
  fields: readonly string[] | null;
  /** Keep the part before the first `#Fields` line apart (the assumption may be wrong). */
  split: boolean;
}

interface RangeResult {
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

async function scanRange(job: RangeJob, onBytes: (n: number) => void): Promise<RangeResult> {
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
async function scanFileRanges(
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

// ---------- the worker pool ----------

const WORKER_FLAG = "tattletale-httperr-scan";

/** The compiled module for workers; under a TypeScript runner, the build in dist/ if there is one. */
function workerUrl(): URL | null {
  const here = import.meta.url;
  if (here.endsWith(".js")) return new URL(here);
  const built = new URL("../dist/parsers/sources.js", here);
  return existsSync(fileURLToPath(built)) ? built : null;
}

type FromWorker =
  | { type: "progress"; bytes: number }
  | { type: "done"; result: RangeResult }
  | { type: "error"; message: string; path: string };

class Pool {
  private readonly idle: Worker[] = [];
  private readonly all: Worker[] = [];
  private readonly waiting: ((w: Worker) => void)[] = [];

  constructor(
    private readonly url: URL,
    private readonly size: number,
  ) {}

  private async take(): Promise<Worker> {
    const w = this.idle.pop();
    if (w) return w;
    if (this.all.length < this.size) {
      // No inherited flags: a worker refuses --input-type (a parent run with -e) and heap flags.
      const fresh = new Worker(this.url, { workerData: { [WORKER_FLAG]: true }, execArgv: [] });
      this.all.push(fresh);
      return fresh;
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private give(w: Worker): void {
    const next = this.waiting.shift();
    if (next) next(w);
    else this.idle.push(w);
  }

  async run(job: RangeJob, onBytes: (n: number) => void): Promise<RangeResult> {
    const w = await this.take();
    try {
      return await new Promise<RangeResult>((resolve, reject) => {
        const onMessage = (m: FromWorker) => {
          if (m.type === "progress") return onBytes(m.bytes);
          w.off("message", onMessage);
          w.off("error", onError);
          if (m.type === "done") resolve(m.result);
          else reject(new InputError(m.path, m.message));
        };
        const onError = (err: Error) => {
          w.off("message", onMessage);
          reject(err);
        };
        w.on("message", onMessage);
        w.once("error", onError);
        w.postMessage(job);
      });
    } finally {
      this.give(w);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.all.map((w) => w.terminate()));
  }
}

if (!isMainThread && parentPort && (workerData as Record<string, unknown> | null)?.[WORKER_FLAG]) {
  const port = parentPort;
  port.on("message", (job: RangeJob) => {
    let pending = 0;
    scanRange(job, (n) => {
      pending += n;
      if (pending >= 16 * CHUNK_BYTES) {
        port.postMessage({ type: "progress", bytes: pending });
        pending = 0;
      }
    }).then(
      (result) => {
        if (pending > 0) port.postMessage({ type: "progress", bytes: pending });
        port.postMessage({ type: "done", result });
      },
      (err: unknown) => {
        const path = err instanceof InputError ? err.path : job.path;
        port.postMessage({ type: "error", path, message: err instanceof Error ? err.message : String(err) });
      },
    );
  });
}

// ---------- streams ----------

/** Pushes a stream through a scanner, at most maxBytes (then cut at the last whole line). */
async function scanStream(
  stream: AsyncIterable<Uint8Array>,
  scanner: HttperrScanner,
  maxBytes: number,
  onBytes: (n: number) => void,
): Promise<boolean> {
  let total = 0;
  for await (const chunk of stream) {
    const room = maxBytes - total;
    if (chunk.length > room) {
      if (room > 0) scanner.push(chunk.subarray(0, room));
      scanner.dropPartialLine();
      return true;
    }
    scanner.push(chunk);
    total += chunk.length;
    onBytes(chunk.length);
  }
  return false;
}

/**
 * Summarises an HTTPERR upload as it arrives (the bot's files): at most maxBytes are read; past it
 * the stream is left and `truncated` is true (the summary then ends at the last whole line).
 */
export async function scanHttperrStream(
  stream: AsyncIterable<Uint8Array>,
  opts: { maxBytes?: number } = {},
): Promise<{ summary: HttperrSummary; truncated: boolean }> {
  const scanner = new HttperrScanner();
  const truncated = await scanStream(stream, scanner, opts.maxBytes ?? Number.POSITIVE_INFINITY, () => {});
  return { summary: scanner.end(), truncated };
}

/** Reads a whole stream into memory if it ends within limit bytes, else gives back what it read. */
async function readUpTo(
  it: AsyncIterator<Uint8Array>,
  limit: number,
): Promise<{ chunks: Uint8Array[]; bytes: number; done: boolean }> {
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  while (bytes <= limit) {
    const r = await it.next();
    if (r.done) return { chunks, bytes, done: true };
    chunks.push(r.value);
    bytes += r.value.length;
  }
  return { chunks, bytes, done: false };
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  return Buffer.concat(chunks, total);
}

// ---------- readInputs ----------

interface Plan {
  path: string;
  kind: "text" | "file" | "gz" | "folder";
  size: number;
  files: { path: string; size: number }[];
}

/** The plan that keeps records: every file read whole while it fits in memory. */
function wholeFiles(p: Plan): Plan[] {
  if (p.kind === "file" && p.size <= MAX_TEXT_BYTES) return [{ ...p, kind: "text" }];
  if (p.kind !== "folder") return [p];
  return p.files.map((f) => ({
    path: f.path,
    kind: /\.gz$/i.test(f.path) ? "gz" : f.size <= MAX_TEXT_BYTES ? "text" : "file",
    size: f.size,
    files: [f],
  }));
}

function byName(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
}

/** How to read one path; a folder may give two plans: its HTTPERR logs and its other files. */
async function plan(path: string): Promise<Plan[]> {
  let st: Awaited<ReturnType<typeof stat>>;
  try {
    st = await stat(path);
  } catch (err) {
    throw ioMessage(path, err);
  }
  if (st.isDirectory()) {
    let names: string[];
    try {
      names = await readdir(path);
    } catch (err) {
      throw ioMessage(path, err);
    }
    const logs: { path: string; size: number }[] = [];
    const others: Plan[] = [];
    for (const n of names.filter((n) => !n.startsWith(".")).sort(byName)) {
      const p = join(path, n);
      let s: Awaited<ReturnType<typeof stat>>;
      try {
        s = await stat(p);
      } catch (err) {
        throw ioMessage(p, err);
      }
      if (!s.isFile()) continue;
      // LogFiles\HTTPERR holds only httperr*.log; an incident folder also holds the other pastes
      // (poolmon output, boot.ini, events), which are read as files of their own.
      if (FOLDER_FILE.test(n)) logs.push({ path: p, size: s.size });
      else others.push(...(await plan(p)));
    }
    if (logs.length === 0 && others.length === 0)
      throw new InputError(path, `no files to read in the folder ${path}`);
    const folder: Plan[] =
      logs.length > 0
        ? [{ path, kind: "folder", size: logs.reduce((a, f) => a + f.size, 0), files: logs }]
        : [];
    return [...folder, ...others];
  }
  if (!st.isFile()) throw new InputError(path, `cannot read ${path}: not a regular file`);
  const file = { path, size: st.size };
  if (/\.gz$/i.test(path)) return [{ path, kind: "gz", size: st.size, files: [file] }];
  if (st.size <= STREAM_THRESHOLD_BYTES) return [{ path, kind: "text", size: st.size, files: [file] }];
  return [{ path, kind: "file", size: st.size, files: [file] }];
}

async function readHead(path: string, bytes: number): Promise<Uint8Array> {
  let fh: FileHandle;
  try {
    fh = await open(path, "r");
  } catch (err) {
    throw ioMessage(path, err);
  }
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

async function readWhole(path: string): Promise<string> {
  const { readFile } = await import("node:fs/promises");
  try {
    return utf8.decode(await readFile(path));
  } catch (err) {
    throw ioMessage(path, err);
  }
}

/** Scans a .gz file: small contents are read like a text file, big HTTPERR contents stream. */
async function readGz(path: string, onBytes: (n: number) => void, opts: ReadOptions): Promise<ParsedInput[]> {
  const raw = createReadStream(path);
  const gunzip = createGunzip();
  let fed = 0;
  raw.on("data", (c) => {
    fed += c.length;
  });
  let reported = 0;
  const report = () => {
    onBytes(fed - reported);
    reported = fed;
  };
  const it = raw.pipe(gunzip)[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
  const fail = (err: unknown) => ioMessage(path, err);
  try {
    const first = await readUpTo(it, STREAM_THRESHOLD_BYTES).catch((e) => {
      throw fail(e);
    });
    if (first.done) {
      report();
      return parseSmallText(utf8.decode(concat(first.chunks, first.bytes)), path, opts);
    }
    const head = concat(first.chunks, first.bytes);
    if (!looksLikeHttperr(head.subarray(0, SNIFF_BYTES))) {
      throw new InputError(path, `${path} is too large to read as text and is not an HTTPERR log`);
    }
    const scanner = new HttperrScanner();
    scanner.push(head);
    report();
    try {
      for (;;) {
        const r = await it.next();
        if (r.done) break;
        scanner.push(r.value);
        report();
      }
    } catch (err) {
      throw fail(err);
    }
    return [streamedInput(path, scanner.end(), "the compressed log")];
  } finally {
    raw.destroy();
  }
}

/** Scans one plain file (in ranges across the pool when it is big enough), giving its partial. */
async function scanFile(
  file: { path: string; size: number },
  pool: Pool | null,
  workers: number,
  onBytes: (n: number) => void,
): Promise<ScanPartial> {
  const parts = pool && file.size >= PARALLEL_THRESHOLD_BYTES ? workers : 1;
  const run = (job: RangeJob) => (pool ? pool.run(job, onBytes) : scanRange(job, onBytes));
  if (parts === 1) {
    const r = await run({ path: file.path, start: 0, end: file.size, fields: null, split: false });
    return r.head;
  }
  return scanFileRanges(file.path, file.size, parts, run);
}

/**
 * Summary of one plain HTTPERR file, streamed in `parts` byte ranges (default: one per worker) on
 * `workers` threads (1: in this thread). Every split gives the same summary.
 */
export async function scanHttperrFile(
  path: string,
  opts: { workers?: number; parts?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<HttperrSummary> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (err) {
    throw ioMessage(path, err);
  }
  const workers = Math.max(1, Math.floor(opts.workers ?? Math.min(2, availableParallelism())));
  const url = workers > 1 ? workerUrl() : null;
  const pool = url ? new Pool(url, workers) : null;
  let done = 0;
  const onBytes = (n: number) => {
    done += n;
    opts.onProgress?.(done, size);
  };
  try {
    const parts = Math.max(
      1,
      Math.floor(opts.parts ?? (pool && size >= PARALLEL_THRESHOLD_BYTES ? workers : 1)),
    );
    const run = (job: RangeJob) => (pool ? pool.run(job, onBytes) : scanRange(job, onBytes));
    const partial =
      parts === 1
        ? (await run({ path, start: 0, end: size, fields: null, split: false })).head
        : await scanFileRanges(path, size, parts, run);
    return finishSummary(partial);
  } finally {
    await pool?.close();
  }
}

async function scanGzPartial(path: string, onBytes: (n: number) => void): Promise<ScanPartial> {
  const raw = createReadStream(path);
  raw.on("data", (c) => onBytes(c.length));
  const scanner = new HttperrScanner();
  try {
    for await (const chunk of raw.pipe(createGunzip())) scanner.push(chunk as Uint8Array);
  } catch (err) {
    throw ioMessage(path, err);
  } finally {
    raw.destroy();
  }
  return scanner.endPartial();
}

/**
 * Reads files, folders (every `httperr*.log` / `httperr*.log.gz` inside, by name, case-insensitive,
 * as one input for the folder; other files in it as files of their own) and `.gz` files. Small text files are parsed like a paste (records
 * kept); big HTTPERR files, folders and .gz files stream through the scanner: an `httperr` input with
 * the full summary, no records and a warning saying so. Unreadable paths throw InputError.
 */
export async function readInputs(paths: string[], opts: ReadOptions = {}): Promise<ParsedInput[]> {
  const plans: Plan[] = [];
  for (const p of paths) {
    const planned = await plan(p);
    plans.push(...(opts.keepRecords ? planned.flatMap(wholeFiles) : planned));
  }
  const total = plans.filter((p) => p.kind !== "text").reduce((a, p) => a + p.size, 0);
  let done = 0;
  const onBytes = (n: number) => {
    done = Math.min(total, done + n);
    opts.onProgress?.(done, total);
  };
  const workers = Math.max(1, Math.floor(opts.workers ?? Math.min(2, availableParallelism())));
  const big = plans.some(
    (p) => (p.kind === "file" || p.kind === "folder") && p.size >= PARALLEL_THRESHOLD_BYTES,
  );
  const url = workers > 1 && big ? workerUrl() : null;
  const pool = url ? new Pool(url, workers) : null;
  const out: ParsedInput[] = [];
  try {
    for (const p of plans) {
      if (p.kind === "text") {
        out.push(...(await parseSmallText(await readWhole(p.path), p.path, opts, p.size)));
      } else if (p.kind === "gz") {
        out.push(...(await readGz(p.path, onBytes, opts)));
      } else if (p.kind === "file") {
        const head = await readHead(p.path, SNIFF_BYTES);
        if (!looksLikeHttperr(head)) {
          if (p.size > MAX_TEXT_BYTES) {
            throw new InputError(p.path, `${p.path} is too large to read as text and is not an HTTPERR log`);
          }
          out.push(...(await parseSmallText(await readWhole(p.path), p.path, opts, p.size)));
          onBytes(p.size);
          continue;
        }
        const partial = await scanFile(p.files[0] as { path: string; size: number }, pool, workers, onBytes);
        out.push(
          streamedInput(p.path, finishSummary(partial), `${basename(p.path)} (${formatBytes(p.size)})`),
        );
      } else {
        // Each file of a folder is its own log: its own field list, its own last line.
        // As many files at once as there are workers; partials are merged as they come.
        let acc = emptyPartial();
        let next = 0;
        const lane = async () => {
          while (next < p.files.length) {
            const f = p.files[next++] as { path: string; size: number };
            const part = /\.gz$/i.test(f.path)
              ? await scanGzPartial(f.path, onBytes)
              : await scanFile(f, pool, workers, onBytes);
            acc = mergePartials([acc, part]);
          }
        };
        await Promise.all(Array.from({ length: pool ? workers : 1 }, lane));
        const summary = finishSummary(acc);
        out.push(
          streamedInput(p.path, summary, `the folder (${p.files.length} files, ${formatBytes(p.size)})`),
        );
      }
    }
  } finally {
    await pool?.close();
  }
  return out;
}
