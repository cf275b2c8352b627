// Reading a file someone shared: from the URL Slack gave only, with the bot token, streamed, capped
// in size and time. Binary and unknown files get a short polite note instead. A big HTTPERR log is
// not read as text at all: it goes through the byte scanner as it downloads, and only its summary
// is kept. A gzip-compressed upload (`.gz`, or the gzip signature) is decompressed as it downloads
// and then read the same way, its caps counting decompressed bytes (a small .gz may hide gigabytes).
import { pipeline, Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import type { webApi } from "@slack/bolt";
import type { HttperrSummary } from "../../parsers/evidence.js";
import { looksLikeHttperr, STREAM_THRESHOLD_BYTES, scanHttperrStream } from "../../parsers/sources.js";
import { decodeChunks } from "./decode.js";

/** The fields of a Slack file object that matter here (events may carry a partial one). */
export interface SlackFile {
  id: string;
  name?: string | null;
  title?: string | null;
  mimetype?: string | null;
  filetype?: string | null;
  size?: number | null;
  mode?: string | null;
  url_private?: string | null;
  url_private_download?: string | null;
  file_access?: string | null;
  created?: number | null;
}

export type FileRead =
  /** `parts`: the text in pieces of about 256 KB, to hand on without making it one flat string. */
  | { ok: true; id: string; name: string; text: string; parts?: string[]; bytes: number; note?: string }
  /** A big HTTPERR log, streamed: its summary only; `bytes` scanned, `truncated` at the stream cap. */
  | {
      ok: true;
      id: string;
      name: string;
      summary: HttperrSummary;
      truncated: boolean;
      /** Bytes scanned (decompressed ones for a .gz). */
      bytes: number;
      /** The file's size as Slack gives it (compressed for a .gz). */
      size?: number;
      note?: string;
    }
  | { ok: false; id: string; name: string; note: string };

export interface StreamOptions {
  /** Most bytes scanned (TATTLETALE_MAX_STREAM_BYTES); the summary then ends at the last whole line. */
  maxBytes: number;
  /** HTTPERR files bigger than this stream; smaller ones are read as text. Default STREAM_THRESHOLD_BYTES. */
  thresholdBytes?: number;
}

export interface FileReaderOptions {
  token: string;
  maxBytes: number;
  timeoutMs: number;
  /** Origins the bot token may be sent to: Slack's, and the configured Web API's (tests, proxies). */
  allowedOrigins: (origin: string) => boolean;
  fetch?: typeof fetch;
  /** Stream big HTTPERR logs through the scanner; without it every file is read as text. */
  stream?: StreamOptions;
}

const MAX_REDIRECTS = 3;
/** How much of the head tells whether a file is an HTTPERR log. */
const SNIFF_BYTES = 64 * 1024;
/** Deflate's best case: no gzip body expands more than this, which bounds a .gz's work by its size. */
const MAX_DEFLATE_RATIO = 1032;
const ARCHIVE_NOTE = "is an archive: share the text files inside it.";

/** A .gz whose compressed data is broken (cut short, not gzip at all, a bad checksum). */
class GzipError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GzipError";
  }
}

export function slackOriginPolicy(apiUrl?: string): (origin: string) => boolean {
  const extra = apiUrl ? new URL(apiUrl).origin : null;
  return (origin) => origin === extra || /^https:\/\/([a-z0-9-]+\.)*slack(-edge|-files)?\.com$/i.test(origin);
}

export function fileName(f: SlackFile): string {
  return (f.name || f.title || f.id).slice(0, 200);
}

/** `30 s`, `2.5 s`, `0.3 s`: never "0 s" for a sub-second limit. */
export function seconds(ms: number): string {
  const s = ms / 1000;
  return `${s >= 10 ? Math.round(s) : Number(s.toPrecision(2))} s`;
}

function mb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}

/** MB, or KB below one (a .gz that expands a thousandfold is often tiny). */
function sizeText(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : mb(bytes);
}

/** Files that are not text, recognised before any download, with what to send instead. */
export function notTextNote(f: SlackFile): string | null {
  const name = fileName(f).toLowerCase();
  const mime = (f.mimetype ?? "").toLowerCase();
  const ext = name.includes(".") ? name.slice(name.lastIndexOf(".") + 1) : (f.filetype ?? "").toLowerCase();
  if (ext === "evtx" || ext === "evt")
    return "is a binary Event Log file: export it as text (`wevtutil qe System /f:text > system.txt`, or `Get-WinEvent … | Format-List`) and share that.";
  if (["dmp", "mdmp", "hdmp"].includes(ext))
    return "is a memory dump, which I can't read: paste the debugger's `!vm` output or `poolmon -b` instead.";
  if (ext === "etl") return "is a binary trace (ETL): I read text logs only.";
  // A lone .gz is one compressed file and is read (see readGzip); .tar.gz holds many.
  if (["zip", "tgz", "7z", "rar", "cab", "tar"].includes(ext) || name.endsWith(".tar.gz"))
    return ARCHIVE_NOTE;
  if (
    /^(image|video|audio)\//.test(mime) ||
    ["png", "jpg", "jpeg", "gif", "bmp", "webp", "heic"].includes(ext)
  )
    return "is a picture or a recording: I read text, so paste the text or share the log file.";
  if (["pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx"].includes(ext) || mime === "application/pdf")
    return "is a document: paste the text from it instead.";
  if (f.mode === "tombstone") return "was deleted.";
  if (f.mode === "external") return "is stored outside Slack, so I can't read it.";
  return null;
}

/**
 * The time limit of one download, as an abort signal. A streamed HTTPERR upload may be far bigger than
 * a text file, so its limit is stretched once it is known to stream (see readSlackFile), and it is
 * also given up when no byte arrives for the base limit (a stalled connection must not hold a thread
 * for the whole stretched time).
 */
class Deadline {
  private readonly controller = new AbortController();
  private readonly started = Date.now();
  private total: NodeJS.Timeout;
  private idle?: NodeJS.Timeout;
  /** What ran out: the whole time, or the wait for the next byte. */
  firedBy: "total" | "idle" | null = null;

  constructor(public limitMs: number) {
    this.total = this.arm(limitMs, "total");
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  private arm(ms: number, by: "total" | "idle"): NodeJS.Timeout {
    const t = setTimeout(() => {
      this.firedBy = by;
      this.controller.abort(new DOMException("the download took too long", "TimeoutError"));
    }, ms);
    t.unref();
    return t;
  }

  /** A new limit for the whole download (from its start) and one for each wait for data. */
  stretch(totalMs: number, idleMs: number): void {
    clearTimeout(this.total);
    this.limitMs = totalMs;
    this.total = this.arm(Math.max(0, this.started + totalMs - Date.now()), "total");
    this.idle = this.arm(idleMs, "idle");
  }

  /** Data arrived: the wait for the next byte starts over. */
  progress(): void {
    this.idle?.refresh();
  }

  clear(): void {
    clearTimeout(this.total);
    if (this.idle) clearTimeout(this.idle);
  }
}

/** Follows redirects within the allowed origins; gives the 200 response, its body unread. */
async function open(url: string, opts: FileReaderOptions, signal: AbortSignal): Promise<Response> {
  const fetchFn = opts.fetch ?? fetch;
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const target = new URL(current);
    if (!opts.allowedOrigins(target.origin))
      throw new Error(`refused to send the bot token to ${target.origin}`);
    const res = await fetchFn(target, {
      headers: { Authorization: `Bearer ${opts.token}` },
      redirect: "manual",
      signal,
    });
    if (res.status >= 300 && res.status < 400) {
      const location = res.headers.get("location");
      await res.body?.cancel();
      if (!location) throw new Error(`HTTP ${res.status} without a location`);
      current = new URL(location, target).toString();
      continue;
    }
    if (res.status !== 200) {
      await res.body?.cancel();
      throw new Error(`HTTP ${res.status}`);
    }
    return res;
  }
  throw new Error("too many redirects");
}

type Body =
  /** Kept as the chunks it came in: a big file is never one buffer on the main thread. */
  | { kind: "text"; chunks: Uint8Array[]; total: number; truncated: boolean }
  | { kind: "stream"; summary: HttperrSummary; truncated: boolean; bytes: number; gzip?: boolean }
  /** Read, but nothing to use: what to say instead. */
  | { kind: "note"; note: string };

type Reader = ReadableStreamDefaultReader<Uint8Array>;

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  return Buffer.concat(chunks, total);
}

/** The rest of a text body, up to maxBytes; `truncated` when there was more. */
async function finishText(
  reader: Reader,
  head: { chunks: Uint8Array[]; total: number; done: boolean },
  maxBytes: number,
): Promise<Body> {
  let { chunks, total, done } = head;
  while (!done && total < maxBytes) {
    const r = await reader.read();
    if (r.done) done = true;
    else {
      chunks.push(r.value);
      total += r.value.byteLength;
    }
  }
  let truncated = false;
  if (total > maxBytes) {
    truncated = true;
    const kept: Uint8Array[] = [];
    let room = maxBytes;
    for (const c of chunks) {
      if (room <= 0) break;
      kept.push(c.byteLength > room ? c.subarray(0, room) : c);
      room -= Math.min(room, c.byteLength);
    }
    chunks = kept;
    total = maxBytes;
  } else if (!done) {
    // Exactly at the cap: one more read tells whether there is more.
    truncated = !(await reader.read()).done;
  }
  if (!done) await reader.cancel();
  return { kind: "text", chunks, total, truncated };
}

/** The buffered head, then the rest of the body as it arrives; the download is left when the scanner stops. */
async function* streamFrom(reader: Reader, head: Uint8Array[], deadline: Deadline, count: { bytes: number }) {
  let ended = false;
  try {
    for (let c = head.shift(); c; c = head.shift()) {
      count.bytes += c.byteLength;
      yield c;
    }
    for (;;) {
      const r = await reader.read();
      if (r.done) {
        ended = true;
        return;
      }
      deadline.progress();
      count.bytes += r.value.byteLength;
      yield r.value;
    }
  } finally {
    if (!ended) await reader.cancel().catch(() => undefined);
  }
}

/**
 * Reads the body: text up to maxBytes, as always, unless it is an HTTPERR log bigger than the stream
 * threshold (by the file's size, or found while reading): that one is scanned as it arrives, never
 * held whole, up to the stream cap.
 */
async function readBody(
  res: Response,
  f: SlackFile,
  opts: FileReaderOptions,
  deadline: Deadline,
): Promise<Body> {
  const reader = res.body?.getReader();
  if (!reader) return { kind: "text", chunks: [], total: 0, truncated: false };
  const head = { chunks: [] as Uint8Array[], total: 0, done: false };
  await fill(reader, head, 2);
  if (/\.gz$/i.test(fileName(f)) || hasGzipMagic(head.chunks))
    return readGzip(reader, head.chunks, f, opts, deadline);
  const stream = opts.stream;
  const threshold = stream?.thresholdBytes ?? STREAM_THRESHOLD_BYTES;
  const bigBySize = stream !== undefined && (f.size ?? 0) > threshold;
  // Enough to choose: the head of a file known to be big; else past the threshold or to the text cap.
  const enough = !stream ? opts.maxBytes : bigBySize ? SNIFF_BYTES : Math.min(threshold + 1, opts.maxBytes);
  await fill(reader, head, enough);
  const big = !head.done && (bigBySize || head.total > threshold);
  if (!stream || !big || !looksLikeHttperr(sniff(head.chunks)))
    return finishText(reader, head, opts.maxBytes);

  // Allowed as long as a capped text file would be for each TATTLETALE_MAX_FILE_BYTES it holds.
  const expected = Math.min(f.size ?? stream.maxBytes, stream.maxBytes);
  deadline.stretch(opts.timeoutMs * Math.max(1, Math.ceil(expected / opts.maxBytes)), opts.timeoutMs);
  const count = { bytes: 0 };
  const { summary, truncated } = await scanHttperrStream(streamFrom(reader, head.chunks, deadline, count), {
    maxBytes: stream.maxBytes,
  });
  return { kind: "stream", summary, truncated, bytes: Math.min(count.bytes, stream.maxBytes) };
}

/** Reads into the head until it holds `enough` bytes or the body ends. */
async function fill(
  reader: Reader,
  head: { chunks: Uint8Array[]; total: number; done: boolean },
  enough: number,
): Promise<void> {
  while (!head.done && head.total < enough) {
    const r = await reader.read();
    if (r.done) head.done = true;
    else {
      head.chunks.push(r.value);
      head.total += r.value.byteLength;
    }
  }
}

/** Whether the body starts with gzip's signature, 1f 8b (whatever the file is called). */
function hasGzipMagic(chunks: Uint8Array[]): boolean {
  const start = sniff(chunks).subarray(0, 2);
  return start[0] === 0x1f && start[1] === 0x8b;
}

/** A POSIX tar header (`ustar` at offset 257): a .tar.gz under another name. */
function isTar(head: Uint8Array): boolean {
  return new TextDecoder("latin1").decode(head.subarray(257, 262)) === "ustar";
}

/** The decompressed bytes, with zlib's complaints turned into GzipError; each chunk counts as progress. */
async function* decompressed(gunzip: NodeJS.ReadableStream, deadline: Deadline): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of gunzip) {
      deadline.progress();
      yield chunk as Uint8Array;
    }
  } catch (err) {
    // zlib's codes are Z_DATA_ERROR and the like; a download error (time limit, dropped connection,
    // a DOMException with a numeric code) comes through as it is.
    const code: unknown = (err as { code?: unknown }).code;
    if (typeof code === "string" && code.startsWith("Z_")) throw new GzipError((err as Error).message);
    throw err;
  }
}

/** Reads from `it` until more than `limit` bytes are held (then `done` is false) or it ends. */
async function readUpTo(
  it: AsyncIterator<Uint8Array>,
  held: { chunks: Uint8Array[]; total: number; done: boolean },
  limit: number,
): Promise<void> {
  while (!held.done && held.total <= limit) {
    const r = await it.next();
    if (r.done) held.done = true;
    else {
      held.chunks.push(r.value);
      held.total += r.value.byteLength;
    }
  }
}

/** The held chunks, then the rest of `it`, counting what is passed on. */
async function* chain(chunks: Uint8Array[], it: AsyncIterator<Uint8Array>, count: { bytes: number }) {
  for (let c = chunks.shift(); c; c = chunks.shift()) {
    count.bytes += c.byteLength;
    yield c;
  }
  for (let r = await it.next(); !r.done; r = await it.next()) {
    count.bytes += r.value.byteLength;
    yield r.value;
  }
}

/**
 * A gzip-compressed body, gunzipped as it downloads. Every cap counts decompressed bytes, so a small
 * file that expands to gigabytes (a zip bomb) is stopped like any long log: an HTTPERR log bigger than
 * the stream threshold is scanned up to the stream cap; other contents are read as text up to the
 * text cap, and past it get a note (not a cut: a compressed file too big to read is likely a bundle).
 */
async function readGzip(
  reader: Reader,
  head: Uint8Array[],
  f: SlackFile,
  opts: FileReaderOptions,
  deadline: Deadline,
): Promise<Body> {
  const gunzip = createGunzip();
  // pipeline, not pipe: a failed download must also fail the gunzip stream being read.
  pipeline(
    Readable.from(streamFrom(reader, head, deadline, { bytes: 0 }), { objectMode: false }),
    gunzip,
    () => {
      // Errors reach the reader through gunzip's iteration.
    },
  );
  const it = decompressed(gunzip, deadline);
  try {
    const stream = opts.stream;
    const threshold = stream?.thresholdBytes ?? STREAM_THRESHOLD_BYTES;
    const held = { chunks: [] as Uint8Array[], total: 0, done: false };
    await readUpTo(it, held, Math.min(threshold, opts.maxBytes));
    if (isTar(sniff(held.chunks))) return { kind: "note", note: ARCHIVE_NOTE };
    if (!held.done && stream && looksLikeHttperr(sniff(held.chunks))) {
      // As for a plain log, one time limit per TATTLETALE_MAX_FILE_BYTES scanned (decompressed).
      const expected = Math.min(stream.maxBytes, (f.size || Number.POSITIVE_INFINITY) * MAX_DEFLATE_RATIO);
      deadline.stretch(opts.timeoutMs * Math.max(1, Math.ceil(expected / opts.maxBytes)), opts.timeoutMs);
      const count = { bytes: 0 };
      const { summary, truncated } = await scanHttperrStream(chain(held.chunks, it, count), {
        maxBytes: stream.maxBytes,
      });
      return {
        kind: "stream",
        summary,
        truncated,
        bytes: Math.min(count.bytes, stream.maxBytes),
        gzip: true,
      };
    }
    await readUpTo(it, held, opts.maxBytes);
    if (held.done) return { kind: "text", chunks: held.chunks, total: held.total, truncated: false };
    return {
      kind: "note",
      note: `expands to over ${mb(opts.maxBytes)} and is not an HTTPERR log: I read compressed files up to ${mb(opts.maxBytes)} decompressed (TATTLETALE_MAX_FILE_BYTES). Share the part that matters, uncompressed or as a smaller .gz.`,
    };
  } finally {
    // Leaves the download wherever reading stopped: the gunzip stream, then the body itself.
    await it.return(undefined);
    gunzip.destroy();
    await reader.cancel().catch(() => undefined);
  }
}

/** The first SNIFF_BYTES of the buffered head, for recognising the log. */
function sniff(chunks: Uint8Array[]): Uint8Array {
  const out: Uint8Array[] = [];
  let total = 0;
  for (const c of chunks) {
    if (total >= SNIFF_BYTES) break;
    const part = c.subarray(0, SNIFF_BYTES - total);
    out.push(part);
    total += part.byteLength;
  }
  return concat(out, total);
}

/** Completes a partial file object from an event (files.info) when it lacks its URL. */
export async function completeFile(client: webApi.WebClient, f: SlackFile): Promise<SlackFile> {
  if ((f.url_private_download || f.url_private) && f.file_access !== "check_file_info") return f;
  const info = await client.files.info({ file: f.id });
  return { ...f, ...(info.file as SlackFile | undefined) };
}

export async function readSlackFile(
  client: webApi.WebClient,
  file: SlackFile,
  opts: FileReaderOptions,
): Promise<FileRead> {
  let f = file;
  const fail = (note: string): FileRead => ({ ok: false, id: f.id, name: fileName(f), note });
  try {
    f = await completeFile(client, file);
  } catch (err) {
    return fail(`could not be looked up (${(err as Error).message}).`);
  }
  const name = fileName(f);
  const skip = notTextNote(f);
  if (skip) return fail(skip);
  const url = f.url_private_download || f.url_private;
  if (!url) return fail("has no download link I can use.");
  const deadline = new Deadline(opts.timeoutMs);
  let body: Body;
  try {
    const res = await open(url, opts, deadline.signal);
    const contentType = res.headers.get("content-type") ?? "";
    if (/^text\/html/i.test(contentType) && !/\.html?$/i.test(name) && f.filetype !== "html") {
      await res.body?.cancel();
      return fail("came back as a web page instead of the file: is the app's files:read scope granted?");
    }
    body = await readBody(res, f, opts, deadline);
  } catch (err) {
    const e = err as Error;
    if (e instanceof GzipError)
      return fail(
        `could not be decompressed (${e.message}): it is not a whole gzip file. Upload it again, or share the log uncompressed.`,
      );
    const why =
      e.name === "TimeoutError" || e.name === "AbortError"
        ? deadline.firedBy === "idle"
          ? `no data came for ${seconds(opts.timeoutMs)} (TATTLETALE_DOWNLOAD_TIMEOUT_MS)`
          : `took longer than ${seconds(deadline.limitMs)} (TATTLETALE_DOWNLOAD_TIMEOUT_MS${deadline.limitMs > opts.timeoutMs ? ` for each ${mb(opts.maxBytes)}` : ""})`
        : e.message;
    return fail(`could not be downloaded (${why}).`);
  } finally {
    deadline.clear();
  }
  const size = f.size ?? undefined;
  if (body.kind === "note") return fail(body.note);
  if (body.kind === "stream") {
    const cap = opts.stream?.maxBytes ?? 0;
    const note = !body.truncated
      ? undefined
      : body.gzip
        ? `${size ? `is ${sizeText(size)} compressed but ` : ""}expands to over ${mb(cap)}: I read its first ${mb(cap)} (decompressed) only (TATTLETALE_MAX_STREAM_BYTES), so the counts cover that part.`
        : `is ${size ? mb(size) : `over ${mb(cap)}`}: I read its first ${mb(cap)} only (TATTLETALE_MAX_STREAM_BYTES), so the counts cover that part.`;
    return {
      ok: true,
      id: f.id,
      name,
      summary: body.summary,
      truncated: body.truncated,
      bytes: body.bytes,
      ...(size ? { size } : {}),
      ...(note ? { note } : {}),
    };
  }
  // Keep whole lines only when cut; the rest of a cut line would read as garbage.
  const decoded = await decodeChunks(body.chunks, body.total, { wholeLines: body.truncated });
  if ("binary" in decoded) return fail("is not a text file, and text is what I read.");
  const note = body.truncated
    ? `is ${size ? mb(size) : `over ${mb(opts.maxBytes)}`}: I read its first ${mb(opts.maxBytes)} only (TATTLETALE_MAX_FILE_BYTES).`
    : undefined;
  return {
    ok: true,
    id: f.id,
    name,
    text: decoded.text,
    ...(decoded.parts.length > 1 ? { parts: decoded.parts } : {}),
    bytes: body.total,
    ...(note ? { note } : {}),
  };
}

/** Memory a cached read holds, roughly: the text (UTF-16), or the summary's JSON. */
function weight(read: FileRead): number {
  if (!read.ok) return 0;
  return "text" in read ? read.text.length * 2 : JSON.stringify(read.summary).length * 2;
}

/**
 * Recently read files by id, so a busy thread does not download the same log for every paste. A
 * streamed log is kept as its summary, never as its bytes.
 */
export class FileCache {
  private readonly entries = new Map<string, { read: FileRead; weight: number }>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(id: string): FileRead | undefined {
    const hit = this.entries.get(id);
    if (hit) {
      this.entries.delete(id);
      this.entries.set(id, hit);
    }
    return hit?.read;
  }

  set(read: FileRead): void {
    const size = weight(read);
    if (size > this.maxBytes) return;
    const old = this.entries.get(read.id);
    if (old) this.bytes -= old.weight;
    this.entries.delete(read.id);
    this.entries.set(read.id, { read, weight: size });
    this.bytes += size;
    for (const [id, e] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(id);
      this.bytes -= e.weight;
    }
  }
}
