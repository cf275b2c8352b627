// Reads the messages of a thread, and the files they carry, into texts to parse: newest first
// within the thread's size budget (TATTLETALE_MAX_THREAD_BYTES), returned oldest first. Big HTTPERR
// uploads arrive already summarised (they streamed through the scanner while downloading).
import type { webApi } from "@slack/bolt";
import { streamedInput } from "../../ingest/index.js";
import type { TimedInput } from "../../kb/derive.js";
import type { TextInput } from "../../kb/index.js";
import type { Config } from "../config.js";
import { type FileCache, type FileRead, readSlackFile, type SlackFile, slackOriginPolicy } from "./files.js";
import { type SlackMessage, tsToMs } from "./thread.js";

export interface ReaderDeps {
  config: Config;
  files: FileCache;
  fetch?: typeof fetch;
}

export interface Gathered {
  texts: TextInput[];
  /** Big HTTPERR uploads, already summarised while they downloaded (no text to parse). */
  streamed: TimedInput[];
  bytesBySource: Map<string, number>;
  notes: string[];
}

function mb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}

/** Reads messages and their files (each file once, through the cache) into what a diagnosis reads. */
export class ThreadReader {
  constructor(private readonly deps: ReaderDeps) {}

  private async readFile(client: webApi.WebClient, file: SlackFile): Promise<FileRead> {
    const cached = this.deps.files.get(file.id);
    if (cached) return cached;
    const { config } = this.deps;
    const read = await readSlackFile(client, file, {
      token: config.botToken,
      maxBytes: config.maxFileBytes,
      timeoutMs: config.downloadTimeoutMs,
      allowedOrigins: slackOriginPolicy(config.slackApiUrl),
      fetch: this.deps.fetch,
      stream: { maxBytes: config.maxStreamBytes },
    });
    this.deps.files.set(read);
    return read;
  }

  /**
   * Texts of the messages, newest kept first when over the size budget, returned oldest first. A
   * streamed log costs the budget nothing (only its summary is held) and goes with its message.
   */
  async gather(client: webApi.WebClient, messages: SlackMessage[]): Promise<Gathered> {
    const budget = this.deps.config.maxThreadBytes;
    const notes: string[] = [];
    const bytesBySource = new Map<string, number>();
    const perMessage: { texts: TextInput[]; streamed: TimedInput[] }[] = [];
    let used = 0;
    let dropped = 0;
    for (let i = messages.length - 1; i >= 0; i--) {
      const m = messages[i] as SlackMessage;
      const at = tsToMs(m.ts);
      const texts: TextInput[] = [];
      const streamed: TimedInput[] = [];
      const streamedBytes = new Map<string, number>();
      const text = m.text ?? "";
      if (text.trim()) texts.push({ text, source: `message ${i + 1}`, at });
      for (const file of (m.files ?? []).slice(0, 10)) {
        const read = await this.readFile(client, file);
        if (!read.ok) {
          notes.push(`${read.name} ${read.note}`);
          continue;
        }
        if (read.note) notes.push(`${read.name} ${read.note}`);
        const source = `file ${read.name}`;
        if ("text" in read) {
          texts.push({ text: read.text, source, at });
          continue;
        }
        const input = streamedInput(source, read.summary, `${read.name} (${mb(read.size ?? read.bytes)})`);
        if (read.truncated)
          input.warnings.push(`only the first ${mb(read.bytes)} were read (TATTLETALE_MAX_STREAM_BYTES)`);
        streamed.push({ input, at });
        streamedBytes.set(source, read.bytes);
      }
      const size = texts.reduce((n, t) => n + Buffer.byteLength(t.text), 0);
      if (used + size > budget && used > 0) {
        dropped++;
        continue;
      }
      used += size;
      for (const t of texts) bytesBySource.set(t.source, Buffer.byteLength(t.text));
      for (const [source, bytes] of streamedBytes) bytesBySource.set(source, bytes);
      perMessage.unshift({ texts, streamed });
    }
    if (dropped > 0)
      notes.push(
        `${dropped} older message(s) left out: the thread is over ${budget} bytes (TATTLETALE_MAX_THREAD_BYTES).`,
      );
    return {
      texts: perMessage.flatMap((p) => p.texts),
      streamed: perMessage.flatMap((p) => p.streamed),
      bytesBySource,
      notes,
    };
  }
}
