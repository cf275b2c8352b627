// Reading a file someone shared, the Slack side: the file object (completed with files.info), from
// the URL Slack gave only, with the bot token, within Slack's origins, capped in time; binary and
// unknown files get a short polite note instead. The download stream itself is read by ingest, as
// the CLI reads a file: charsets, gzip (caps counting decompressed bytes), and big HTTPERR logs
// streamed through the byte scanner (only their summary kept). What it found is said here, in the
// words of the bot's configuration.
import type { webApi } from "@slack/bolt";
import {
  ARCHIVE_NOTE,
  GzipError,
  type Ingested,
  ingestStream,
  MAX_DEFLATE_RATIO,
  notTextNote as notTextByName,
  STREAM_THRESHOLD_BYTES,
} from "../../ingest/index.js";
import type { HttperrSummary } from "../../parsers/evidence.js";

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
  /** `parts`: a big text in pieces of about 256 KB, to hand on without making it one flat string. */
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
  const byName = notTextByName(fileName(f), f.mimetype, f.filetype);
  if (byName) return byName;
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
  let got: Ingested;
  try {
    const res = await open(url, opts, deadline.signal);
    const contentType = res.headers.get("content-type") ?? "";
    if (/^text\/html/i.test(contentType) && !/\.html?$/i.test(name) && f.filetype !== "html") {
      await res.body?.cancel();
      return fail("came back as a web page instead of the file: is the app's files:read scope granted?");
    }
    got = await readDownload(res, f, opts, deadline);
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
  switch (got.kind) {
    case "archive":
      return fail(ARCHIVE_NOTE);
    case "binary":
      return fail("is not a text file, and text is what I read.");
    case "too-big":
      // Only a compressed file gets here (a plain one is cut): too big to read whole, it is likely a bundle.
      return fail(
        `expands to over ${mb(opts.maxBytes)} and is not an HTTPERR log: I read compressed files up to ${mb(opts.maxBytes)} decompressed (TATTLETALE_MAX_FILE_BYTES). Share the part that matters, uncompressed or as a smaller .gz.`,
      );
    case "summary": {
      const cap = opts.stream?.maxBytes ?? 0;
      const note = !got.truncated
        ? undefined
        : got.gzip
          ? `${size ? `is ${sizeText(size)} compressed but ` : ""}expands to over ${mb(cap)}: I read its first ${mb(cap)} (decompressed) only (TATTLETALE_MAX_STREAM_BYTES), so the counts cover that part.`
          : `is ${size ? mb(size) : `over ${mb(cap)}`}: I read its first ${mb(cap)} only (TATTLETALE_MAX_STREAM_BYTES), so the counts cover that part.`;
      return {
        ok: true,
        id: f.id,
        name,
        summary: got.summary,
        truncated: got.truncated,
        bytes: got.bytes,
        ...(size ? { size } : {}),
        ...(note ? { note } : {}),
      };
    }
    case "text": {
      const note = got.truncated
        ? `is ${size ? mb(size) : `over ${mb(opts.maxBytes)}`}: I read its first ${mb(opts.maxBytes)} only (TATTLETALE_MAX_FILE_BYTES).`
        : undefined;
      return {
        ok: true,
        id: f.id,
        name,
        text: got.text,
        ...(got.parts ? { parts: got.parts } : {}),
        bytes: got.bytes,
        ...(note ? { note } : {}),
      };
    }
  }
}

async function* nothing(): AsyncGenerator<Uint8Array> {}

/**
 * Hands the download to ingest with the bot's caps. A streamed HTTPERR upload may be far bigger than a
 * text file, so once it is known to stream its time limit is stretched, and every chunk that arrives
 * starts the wait for the next one over.
 */
function readDownload(
  res: Response,
  f: SlackFile,
  opts: FileReaderOptions,
  deadline: Deadline,
): Promise<Ingested> {
  const stream = opts.stream;
  return ingestStream(
    { name: fileName(f), bytes: res.body ?? nothing(), size: f.size },
    {
      textBytes: opts.maxBytes,
      cutText: true,
      ...(stream
        ? {
            stream: {
              thresholdBytes: stream.thresholdBytes ?? STREAM_THRESHOLD_BYTES,
              maxBytes: stream.maxBytes,
            },
          }
        : {}),
    },
    {
      onRead: () => deadline.progress(),
      onStream: ({ gzip }) => {
        if (!stream) return;
        // Allowed as long as a capped text file would be for each TATTLETALE_MAX_FILE_BYTES it holds
        // (decompressed ones for a .gz, whose size bounds how much it can expand to).
        const expected = gzip
          ? Math.min(stream.maxBytes, (f.size || Number.POSITIVE_INFINITY) * MAX_DEFLATE_RATIO)
          : Math.min(f.size ?? stream.maxBytes, stream.maxBytes);
        deadline.stretch(opts.timeoutMs * Math.max(1, Math.ceil(expected / opts.maxBytes)), opts.timeoutMs);
      },
    },
  );
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
