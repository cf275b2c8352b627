// Reading a file someone shared: from the URL Slack gave only, with the bot token, streamed, capped
// in size and time. Binary and unknown files get a short polite note instead.
import type { webApi } from "@slack/bolt";
import { decodeText } from "./decode.js";

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
  | { ok: true; id: string; name: string; text: string; bytes: number; note?: string }
  | { ok: false; id: string; name: string; note: string };

export interface FileReaderOptions {
  token: string;
  maxBytes: number;
  timeoutMs: number;
  /** Origins the bot token may be sent to: Slack's, and the configured Web API's (tests, proxies). */
  allowedOrigins: (origin: string) => boolean;
  fetch?: typeof fetch;
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
  if (["zip", "gz", "tgz", "7z", "rar", "cab", "tar"].includes(ext))
    return "is an archive: share the text files inside it.";
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

async function download(
  url: string,
  opts: FileReaderOptions,
): Promise<{ bytes: Uint8Array; truncated: boolean; contentType: string }> {
  const fetchFn = opts.fetch ?? fetch;
  const signal = AbortSignal.timeout(opts.timeoutMs);
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
    const contentType = res.headers.get("content-type") ?? "";
    const chunks: Uint8Array[] = [];
    let total = 0;
    let truncated = false;
    const reader = res.body?.getReader();
    while (reader) {
      const { done, value } = await reader.read();
      if (done) break;
      const room = opts.maxBytes - total;
      if (value.byteLength >= room) {
        chunks.push(value.subarray(0, room));
        total += room;
        truncated = value.byteLength > room;
        if (!truncated) {
          // Exactly at the cap: one more read tells whether there is more.
          const next = await reader.read();
          truncated = !next.done;
        }
        await reader.cancel();
        break;
      }
      chunks.push(value);
      total += value.byteLength;
    }
    const bytes = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      bytes.set(c, at);
      at += c.byteLength;
    }
    return { bytes, truncated, contentType };
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
  let got: Awaited<ReturnType<typeof download>>;
  try {
    got = await download(url, opts);
  } catch (err) {
    const e = err as Error;
    const why =
      e.name === "TimeoutError" || e.name === "AbortError"
        ? `took longer than ${seconds(opts.timeoutMs)} (TATTLETALE_DOWNLOAD_TIMEOUT_MS)`
        : e.message;
    return fail(`could not be downloaded (${why}).`);
  }
  if (/^text\/html/i.test(got.contentType) && !/\.html?$/i.test(name) && f.filetype !== "html")
    return fail("came back as a web page instead of the file: is the app's files:read scope granted?");
  const decoded = decodeText(got.bytes);
  if ("binary" in decoded) return fail("is not a text file, and text is what I read.");
  let text = decoded.text;
  let note: string | undefined;
  const size = f.size ?? undefined;
  if (got.truncated) {
    // Keep whole lines only; the rest of a cut line would read as garbage.
    const lastNewline = text.lastIndexOf("\n");
    if (lastNewline > 0) text = text.slice(0, lastNewline + 1);
    note = `is ${size ? mb(size) : `over ${mb(opts.maxBytes)}`}: I read its first ${mb(opts.maxBytes)} only (TATTLETALE_MAX_FILE_BYTES).`;
  }
  return { ok: true, id: f.id, name, text, bytes: got.bytes.byteLength, ...(note ? { note } : {}) };
}

/** Recently read files by id, so a busy thread does not download the same log for every paste. */
export class FileCache {
  private readonly entries = new Map<string, FileRead>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(id: string): FileRead | undefined {
    const hit = this.entries.get(id);
    if (hit) {
      this.entries.delete(id);
      this.entries.set(id, hit);
    }
    return hit;
  }

  set(read: FileRead): void {
    const size = read.ok ? read.text.length * 2 : 0;
    if (size > this.maxBytes) return;
    const old = this.entries.get(read.id);
    if (old?.ok) this.bytes -= old.text.length * 2;
    this.entries.delete(read.id);
    this.entries.set(read.id, read);
    this.bytes += size;
    for (const [id, r] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(id);
      if (r.ok) this.bytes -= r.text.length * 2;
    }
  }
}
