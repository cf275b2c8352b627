// Reading inputs from the command line: files, folders, `.gz` files and stdin (`-`, or no path at
// all). Each goes through ingestStream like a Slack upload, with the CLI's caps; a big plain HTTPERR
// log (UTF-8, as http.sys writes it) is instead cut at line boundaries into byte ranges scanned by
// worker threads, and a folder's logs are summarised together as one input.
import { createReadStream } from "node:fs";
import { type FileHandle, open, readdir, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { formatBytes } from "../parsers/bytes.js";
import type { HttperrSummary, ParsedInput } from "../parsers/evidence.js";
import {
  emptyPartial,
  finishSummary,
  HttperrScanner,
  mergePartials,
  type ScanPartial,
} from "../parsers/kinds/httperr/scan.js";
import { Held } from "./bytes.js";
import {
  type Caps,
  CLI_CAPS,
  MAX_TEXT_BYTES,
  PARALLEL_THRESHOLD_BYTES,
  SNIFF_BYTES,
  STREAM_THRESHOLD_BYTES,
} from "./caps.js";
import { decodeAs, sniffCharset, toUtf8 } from "./decode.js";
import { GzipError, gunzip } from "./gunzip.js";
import { InputError, ioMessage } from "./input-error.js";
import { type RangeRunner, scanFileRanges, scanRange } from "./ranges.js";
import { isGzipName, looksLikeHttperr } from "./sniff.js";
import { type Bytes, type Ingested, ingestStream } from "./stream.js";
import { streamedInput } from "./streamed.js";
import { defaultThreads, workerUrl } from "./worker-start.js";
import { Pool } from "./workers.js";

export interface ReadOptions {
  /** Bytes done and total of the inputs that stream (the small ones count for nothing). */
  onProgress?: (done: number, total: number) => void;
  /** Threads that scan big files, this one included; default: the cores, at most 2. 1 = this one only. */
  threads?: number;
  /**
   * Keep every record (`tattletale parse`): inputs up to 256 MB are read whole instead of streamed,
   * and a folder's logs are read one by one. Memory then grows with the input.
   */
  keepRecords?: boolean;
  /** Told of each input that held nothing readable, with what was seen there instead. */
  onUnreadable?: (source: string, seen: string) => void;
  /** What `-` reads (the CLI's stdin). */
  stdin?: Bytes;
}

/** The path that means standard input. */
export const STDIN = "-";

const FOLDER_FILE = /^httperr.*\.log(\.gz)?$/i;

interface Plan {
  path: string;
  kind: "text" | "file" | "gz" | "folder" | "stdin";
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
  if (path === STDIN) return [{ path, kind: "stdin", size: 0, files: [] }];
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

/** Whether a file's head is UTF-8 (or ASCII, as http.sys writes), which the range scanner reads as it is. */
function isUtf8(head: Uint8Array): boolean {
  return sniffCharset(head, false).charset === "utf-8";
}

/** Whether a file's head is an HTTPERR log in UTF-8. */
function isUtf8Httperr(head: Uint8Array): boolean {
  const sniffed = sniffCharset(head, false);
  return sniffed.charset === "utf-8" && looksLikeHttperr(decodeAs(head.subarray(sniffed.bom), "utf-8"));
}

/** What was read from one input, or gzip data that could not be undone (`why`). */
type Read = Ingested | { kind: "broken-gzip"; why: string };

/**
 * Reads one input through ingestStream (a file, a .gz, stdin), errors named by its path. Broken gzip
 * data in a `.gz` file is an error; gzip's signature at the start of anything else (stdin, a file of
 * another name) only made it worth a try, and what was seen is said like any unreadable input.
 */
async function ingestOne(
  path: string,
  bytes: () => Bytes,
  caps: Caps,
  onRead?: (n: number) => void,
  size?: number,
): Promise<Read> {
  try {
    return await ingestStream({ name: path, bytes: bytes(), size }, caps, { onRead });
  } catch (err) {
    if (err instanceof GzipError && !isGzipName(path)) return { kind: "broken-gzip", why: err.message };
    throw err instanceof InputError ? err : ioMessage(path, err);
  }
}

/** The inputs of what ingestStream read from `source`, or the error that says why none can be. */
async function inputsOf(got: Read, source: string, opts: ReadOptions, what: string): Promise<ParsedInput[]> {
  switch (got.kind) {
    case "broken-gzip":
      opts.onUnreadable?.(source, `gzip's signature, but not a whole gzip stream (${got.why})`);
      return [];
    case "text": {
      // Loaded on demand: a big log that streams needs none of the parsers.
      const { textInputs } = await import("./inputs.js");
      return textInputs(got.text, source, opts.onUnreadable, got.bytes);
    }
    case "summary":
      return [streamedInput(source, got.summary, what)];
    case "binary":
      opts.onUnreadable?.(source, got.seen);
      return [];
    case "archive":
      opts.onUnreadable?.(source, "a tar archive: give the files inside it");
      return [];
    case "too-big":
      throw new InputError(source, `${source} is too large to read as text and is not an HTTPERR log`);
  }
}

/** The workers beside this thread for `threads` threads (started now), or null for this thread alone. */
function startPool(threads: number): Pool | null {
  const url = threads > 1 ? workerUrl() : null;
  return url ? new Pool(url, threads - 1) : null;
}

/**
 * One runner per thread: each of the pool's workers, then this one last. Ranges merge in file order,
 * so the first range goes to a worker, which does nothing else and finishes it early; this thread,
 * which also loads the knowledge base and merges, takes a later one.
 */
function runnersOf(pool: Pool | null, onBytes: (n: number) => void): RangeRunner[] {
  const here: RangeRunner = (job) => scanRange(job, onBytes);
  if (!pool) return [here];
  const there: RangeRunner = (job) => pool.run(job, onBytes);
  return [...Array.from({ length: pool.size }, () => there), here];
}

/**
 * Scans one plain file (in ranges shared by the threads when it is big enough), giving its partial.
 * `onLaneDone` is told of each thread left without a range (see scanFileRanges).
 */
async function scanFile(
  file: { path: string; size: number },
  runners: readonly RangeRunner[],
  onLaneDone?: (run: RangeRunner) => void,
): Promise<ScanPartial> {
  if (runners.length > 1 && file.size >= PARALLEL_THRESHOLD_BYTES)
    return scanFileRanges(file.path, file.size, runners.length, runners, { onLaneDone });
  const here = runners.at(-1) as RangeRunner;
  return (await here({ path: file.path, start: 0, end: file.size, fields: null, split: false })).head;
}

/**
 * Summary of one plain HTTPERR file, streamed in `parts` byte ranges (default: one per thread) on
 * `threads` threads (1: this one only), read `blockBytes` at a time. Every split gives the same summary.
 */
export async function scanHttperrFile(
  path: string,
  opts: {
    threads?: number;
    parts?: number;
    blockBytes?: number;
    onProgress?: (done: number, total: number) => void;
  } = {},
): Promise<HttperrSummary> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (err) {
    throw ioMessage(path, err);
  }
  const pool = startPool(defaultThreads(opts.threads));
  let done = 0;
  const runners = runnersOf(pool, (n) => {
    done += n;
    opts.onProgress?.(done, size);
  });
  try {
    const parts = Math.max(
      1,
      Math.floor(opts.parts ?? (runners.length > 1 && size >= PARALLEL_THRESHOLD_BYTES ? runners.length : 1)),
    );
    const partial =
      parts === 1 && runners.length === 1
        ? (await (runners[0] as RangeRunner)({ path, start: 0, end: size, fields: null, split: false })).head
        : await scanFileRanges(path, size, parts, runners, { blockBytes: opts.blockBytes });
    return finishSummary(partial);
  } finally {
    await pool?.close();
  }
}

/** Scans a log of a folder that the range scanner cannot take (compressed, or not UTF-8) as a stream. */
async function scanStreamPartial(path: string, onBytes: (n: number) => void): Promise<ScanPartial> {
  const raw = createReadStream(path);
  raw.on("data", (c) => onBytes(c.length));
  const scanner = new HttperrScanner();
  try {
    const bytes = /\.gz$/i.test(path) ? gunzip(raw) : raw;
    const held = new Held(bytes[Symbol.asyncIterator]());
    await held.fillPast(SNIFF_BYTES);
    const sniffed = sniffCharset(held.head(SNIFF_BYTES), held.done);
    for await (const chunk of toUtf8(held.replay(), sniffed)) scanner.push(chunk);
  } catch (err) {
    throw ioMessage(path, err);
  } finally {
    raw.destroy();
  }
  return scanner.endPartial();
}

/**
 * Reads files, folders (every `httperr*.log` / `httperr*.log.gz` inside, by name, case-insensitive,
 * as one input for the folder; other files in it as files of their own), `.gz` files and stdin (`-`).
 * Small inputs are parsed like a paste (records kept); big HTTPERR logs and folders stream through the
 * scanner: an `httperr` input with the full summary, no records and a warning saying so. Any charset
 * is read. Unreadable paths throw InputError.
 */
export async function readInputs(paths: string[], opts: ReadOptions = {}): Promise<ParsedInput[]> {
  const plans: Plan[] = [];
  for (const p of paths) {
    const planned = await plan(p);
    plans.push(...(opts.keepRecords ? planned.flatMap(wholeFiles) : planned));
  }
  const caps: Caps = opts.keepRecords
    ? { ...CLI_CAPS, stream: { thresholdBytes: MAX_TEXT_BYTES, maxBytes: Number.POSITIVE_INFINITY } }
    : CLI_CAPS;
  const total = plans.filter((p) => p.kind !== "text").reduce((a, p) => a + p.size, 0);
  let done = 0;
  const onBytes = (n: number) => {
    done = Math.min(total, done + n);
    opts.onProgress?.(done, total);
  };
  const big = plans.some(
    (p) => (p.kind === "file" || p.kind === "folder") && p.size >= PARALLEL_THRESHOLD_BYTES,
  );
  const pool = big ? startPool(defaultThreads(opts.threads)) : null;
  const runners = runnersOf(pool, onBytes);
  // Once the last big input has no range left for a worker, the worker ends: its memory goes back
  // while this thread merges and summarises.
  let lastBig = -1;
  plans.forEach((p, k) => {
    if (p.kind === "file" || p.kind === "folder") lastBig = k;
  });
  const letGo = (run: RangeRunner) => {
    if (run !== runners.at(-1)) pool?.release();
  };
  const out: ParsedInput[] = [];
  const file = (path: string) => () => createReadStream(path);
  try {
    for (const [k, p] of plans.entries()) {
      if (p.kind === "stdin") {
        const stdin = opts.stdin;
        if (!stdin) throw new InputError(p.path, "no standard input to read");
        const got = await ingestOne("stdin", () => stdin, caps);
        out.push(...(await inputsOf(got, "stdin", opts, "stdin")));
      } else if (p.kind === "text") {
        const got = await ingestOne(p.path, file(p.path), caps, undefined, p.size);
        out.push(...(await inputsOf(got, p.path, opts, `${basename(p.path)} (${formatBytes(p.size)})`)));
      } else if (p.kind === "gz") {
        const got = await ingestOne(p.path, file(p.path), caps, onBytes);
        out.push(...(await inputsOf(got, p.path, opts, "the compressed log")));
      } else if (p.kind === "file") {
        const head = await readHead(p.path, SNIFF_BYTES);
        const what = `${basename(p.path)} (${formatBytes(p.size)})`;
        if (!isUtf8Httperr(head)) {
          // Text, or a log in another charset (UTF-16 from PowerShell): read as a stream.
          const got = await ingestOne(p.path, file(p.path), caps, onBytes, p.size);
          out.push(...(await inputsOf(got, p.path, opts, what)));
          continue;
        }
        const plain = p.files[0] as { path: string; size: number };
        const partial = await scanFile(plain, runners, k === lastBig ? letGo : undefined);
        out.push(streamedInput(p.path, finishSummary(partial), what));
      } else {
        // Each file of a folder is its own log: its own field list, its own last line.
        // As many files at once as there are threads; partials are merged as they come.
        let acc = emptyPartial();
        let next = 0;
        const lane = async () => {
          while (next < p.files.length) {
            const f = p.files[next++] as { path: string; size: number };
            const plainUtf8 = !/\.gz$/i.test(f.path) && isUtf8(await readHead(f.path, SNIFF_BYTES));
            const part = plainUtf8 ? await scanFile(f, runners) : await scanStreamPartial(f.path, onBytes);
            acc = mergePartials([acc, part]);
          }
        };
        await Promise.all(runners.map(lane));
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
