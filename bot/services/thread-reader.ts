// Reads the messages of a thread, and the files they carry, into texts to parse: newest first
// within the budgets of a message and of the thread (TATTLETALE_MAX_MESSAGE_BYTES,
// TATTLETALE_MAX_THREAD_BYTES), returned oldest first. Big HTTPERR uploads arrive already
// summarised (they streamed through the scanner while downloading).
import type { webApi } from "@slack/bolt";
import { STREAM_THRESHOLD_BYTES, streamedInput } from "../../ingest/index.js";
import type { TimedInput } from "../../kb/derive.js";
import type { Config } from "../config.js";
import {
  type FileCache,
  type FileRead,
  fileName,
  readSlackFile,
  type SlackFile,
  slackOriginPolicy,
} from "./files.js";
import type { TextPiece } from "./parse-once.js";
import { type SlackMessage, tsToMs } from "./thread.js";

export interface ReaderDeps {
  config: Config;
  files: FileCache;
  fetch?: typeof fetch;
}

export interface Gathered {
  /** A big file's text also comes in pieces (see decode.ts), for the parse worker. */
  texts: TextPiece[];
  /** Big HTTPERR uploads, already summarised while they downloaded (no text to parse). */
  streamed: TimedInput[];
  bytesBySource: Map<string, number>;
  notes: string[];
}

/** The longest start of `text` of at most `bytes` UTF-8 bytes, ending at a line end when there is one. */
function cutToBytes(text: string, bytes: number): string {
  const head = Buffer.from(text, "utf8")
    .subarray(0, bytes)
    .toString("utf8")
    .replace(/\uFFFD$/, "");
  const lastNewline = head.lastIndexOf("\n");
  return lastNewline > 0 ? head.slice(0, lastNewline + 1) : head;
}

function mb(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}

/** Reads messages and their files (each file once, through the cache) into what a diagnosis reads. */
export class ThreadReader {
  constructor(private readonly deps: ReaderDeps) {}

  /**
   * A file's read: from this paste's own reads (`memo`: read once per paste, whatever the cache
   * evicts meanwhile), the cache, or Slack. Put in the cache by the caller, once it is kept.
   */
  private async readFile(
    client: webApi.WebClient,
    file: SlackFile,
    memo: Map<string, FileRead>,
  ): Promise<FileRead> {
    const known = memo.get(file.id) ?? this.deps.files.get(file.id);
    if (known) {
      memo.set(file.id, known);
      return known;
    }
    const { config } = this.deps;
    const read = await readSlackFile(client, file, {
      token: config.botToken,
      maxBytes: config.maxFileBytes,
      timeoutMs: config.downloadTimeoutMs,
      allowedOrigins: slackOriginPolicy(config.slackApiUrl),
      fetch: this.deps.fetch,
      stream: { maxBytes: config.maxStreamBytes },
    });
    memo.set(file.id, read);
    return read;
  }

  /**
   * Texts of the messages, newest first within the budgets, returned oldest first. Each message may
   * hold up to TATTLETALE_MAX_MESSAGE_BYTES of text (its own and its files'), and all of them together
   * up to TATTLETALE_MAX_THREAD_BYTES, the newest message included: a file past its message's budget
   * and the older messages past the thread's are left out, and the notes say so. A streamed log costs
   * the budgets nothing (only its summary is held) and goes with its message.
   */
  async gather(
    client: webApi.WebClient,
    messages: SlackMessage[],
    memo: Map<string, FileRead> = new Map(),
  ): Promise<Gathered> {
    const { maxThreadBytes, maxMessageBytes } = this.deps.config;
    const notes: string[] = [];
    const bytesBySource = new Map<string, number>();
    const perMessage: { texts: TextPiece[]; streamed: TimedInput[] }[] = [];
    let threadLeft = maxThreadBytes;
    let dropped = 0;
    for (let i = messages.length - 1; i >= 0; i--) {
      const m = messages[i] as SlackMessage;
      const at = tsToMs(m.ts);
      const budget = Math.min(maxMessageBytes, threadLeft);
      const why =
        maxMessageBytes <= threadLeft
          ? `a message is read up to ${mb(maxMessageBytes)} (TATTLETALE_MAX_MESSAGE_BYTES)`
          : `a thread is read up to ${mb(maxThreadBytes)} (TATTLETALE_MAX_THREAD_BYTES)`;
      let text = m.text ?? "";
      let textBytes = text.trim() ? Buffer.byteLength(text) : 0;
      const newest = i === messages.length - 1;
      if (budget <= 0 || (textBytes > budget && !newest)) {
        dropped++;
        continue;
      }
      if (textBytes > budget) {
        // The newest message is read, as far as the budget goes: whole lines up to it.
        text = cutToBytes(text, budget);
        textBytes = Buffer.byteLength(text);
        notes.push(`message ${i + 1} was read up to ${mb(budget)} only: ${why}.`);
      }
      const texts: TextPiece[] = [];
      const streamed: TimedInput[] = [];
      const sizes = new Map<string, number>();
      let used = 0;
      if (textBytes > 0) {
        const source = `message ${i + 1}`;
        texts.push({ text, source, at });
        sizes.set(source, textBytes);
        used += textBytes;
      }
      const leftOut = (name: string, bytes: number) =>
        notes.push(`${name} (${mb(bytes)}) was left out: ${why}, and this message's files go past it.`);
      for (const file of (m.files ?? []).slice(0, 10)) {
        // Too big for what is left, and not a log that could be streamed for free (one over the
        // stream threshold, named .log or .gz as HTTPERR logs are): not even downloaded.
        const mayStream = file.size !== undefined && file.size !== null && file.size > STREAM_THRESHOLD_BYTES;
        if (file.size && used + file.size > budget && !(mayStream && /\.(log|gz)$/i.test(fileName(file)))) {
          leftOut(fileName(file), file.size);
          continue;
        }
        const read = await this.readFile(client, file, memo);
        if (!read.ok) {
          notes.push(`${read.name} ${read.note}`);
          this.deps.files.set(read);
          continue;
        }
        const source = `file ${read.name}`;
        if ("text" in read) {
          if (used + read.bytes > budget) {
            leftOut(read.name, read.bytes);
            continue;
          }
          if (read.note) notes.push(`${read.name} ${read.note}`);
          texts.push({ text: read.text, source, at, ...(read.parts ? { parts: read.parts } : {}) });
          this.deps.files.set(read);
          sizes.set(source, read.bytes);
          used += read.bytes;
          continue;
        }
        if (read.note) notes.push(`${read.name} ${read.note}`);
        const input = streamedInput(source, read.summary, `${read.name} (${mb(read.size ?? read.bytes)})`);
        if (read.truncated)
          input.warnings.push(`only the first ${mb(read.bytes)} were read (TATTLETALE_MAX_STREAM_BYTES)`);
        streamed.push({ input, at });
        sizes.set(source, read.bytes);
        this.deps.files.set(read);
      }
      threadLeft -= used;
      for (const [source, bytes] of sizes) bytesBySource.set(source, bytes);
      perMessage.unshift({ texts, streamed });
    }
    if (dropped > 0)
      notes.push(
        `${dropped} older message(s) left out: a thread is read up to ${mb(maxThreadBytes)} (TATTLETALE_MAX_THREAD_BYTES).`,
      );
    return {
      texts: perMessage.flatMap((p) => p.texts),
      streamed: perMessage.flatMap((p) => p.streamed),
      bytesBySource,
      notes,
    };
  }
}
