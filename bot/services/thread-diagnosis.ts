// The path of a paste: read the thread it belongs to (messages and files), diagnose it all as one
// incident, answer in the thread (updating the earlier answer rather than flooding), record it.
// Listeners call handlePaste; this module decides nothing about Slack surfaces.
import type { Logger, webApi } from "@slack/bolt";
import { streamedInput } from "../../ingest/index.js";
import type { TimedInput } from "../../kb/derive.js";
import { type Diagnosis, diagnose, type KnowledgeBase, parseTexts, type TextInput } from "../../kb/index.js";
import { describeUnreadable, normalizePaste } from "../../parsers/index.js";
import type { Config } from "../config.js";
import type { TtlSet } from "../dedupe.js";
import type { KeyedLock } from "../keyed-lock.js";
import { type RenderedMessage, renderDiagnosis } from "../render/diagnosis.js";
import { stateAfterPaste, threadIncidentBlocks } from "../render/incident-actions.js";
import type { Block } from "../render/limits.js";
import { renderNothingReadable, renderSuperseded } from "../render/messages.js";
import { type IncidentStore, incidentId, recordDiagnosis } from "../store/index.js";
import { type FileCache, type FileRead, readSlackFile, type SlackFile, slackOriginPolicy } from "./files.js";
import {
  type BotIdentity,
  compareTs,
  fetchThread,
  isHumanPaste,
  isOurs,
  type SlackMessage,
  tsToMs,
} from "./thread.js";

/** When our earlier reply is at most this many messages up the thread, it is updated in place. */
export const UPDATE_IN_PLACE_WITHIN = 4;
const SUPERSEDED_PREFIX = "↓ Superseded";

export interface Paste {
  workspace: string;
  channel: string;
  ts: string;
  threadTs?: string;
  user: string;
  text: string;
  files: SlackFile[];
}

/**
 * `if-readable`: a paste in a channel, answered only when it holds something readable.
 * `always`: a DM or a mention, "nothing I can read here" included.
 * `private`: the message shortcut; the diagnosis goes to the thread, "nothing readable" to the user only.
 */
export type ReplyPolicy = "if-readable" | "always" | "private";

export type Outcome =
  | { kind: "duplicate" | "ignored" }
  | { kind: "nothing-readable"; message: RenderedMessage; ts?: string }
  | { kind: "posted" | "updated"; ts: string; diagnosis: Diagnosis; incidentId: string };

export interface DiagnoserDeps {
  config: Config;
  kb: KnowledgeBase;
  store?: IncidentStore;
  logger: Logger;
  seen: TtlSet;
  locks: KeyedLock;
  files: FileCache;
  readable: string;
  fetch?: typeof fetch;
}

interface Gathered {
  texts: TextInput[];
  /** Big HTTPERR uploads, already summarised while they downloaded (no text to parse). */
  streamed: TimedInput[];
  bytesBySource: Map<string, number>;
  notes: string[];
}

/** Everything read: the texts parsed like pastes, then the streamed logs, as one incident. */
function inputsOf(g: Gathered): TimedInput[] {
  return [...parseTexts(g.texts), ...g.streamed];
}

function mb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}

export class ThreadDiagnoser {
  /** Our latest reply per thread, so quick successive pastes find it before Slack's history does. */
  private readonly replies = new Map<string, string>();

  constructor(private readonly deps: DiagnoserDeps) {}

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
  private async gather(client: webApi.WebClient, messages: SlackMessage[]): Promise<Gathered> {
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

  private findEarlierReply(key: string, thread: SlackMessage[], me: BotIdentity): string | undefined {
    const remembered = this.replies.get(key);
    if (remembered) return remembered;
    const ours = thread.filter((m) => isOurs(m, me) && !(m.text ?? "").startsWith(SUPERSEDED_PREFIX));
    return ours.at(-1)?.ts;
  }

  /** Posts the reply, or updates our earlier one when it is still in view; never two full ones. */
  private async reply(
    client: webApi.WebClient,
    p: { channel: string; threadTs: string; key: string; thread: SlackMessage[]; me: BotIdentity },
    message: RenderedMessage,
  ): Promise<{ ts: string; updated: boolean }> {
    const earlier = this.findEarlierReply(p.key, p.thread, p.me);
    if (earlier) {
      const since = p.thread.filter((m) => compareTs(m.ts, earlier) > 0).length;
      if (since <= UPDATE_IN_PLACE_WITHIN) {
        try {
          await client.chat.update({
            channel: p.channel,
            ts: earlier,
            text: message.text,
            blocks: message.blocks,
          });
          this.replies.set(p.key, earlier);
          return { ts: earlier, updated: true };
        } catch (err) {
          this.deps.logger.warn(
            `chat.update of the earlier reply failed, posting anew: ${(err as Error).message}`,
          );
        }
      }
    }
    const posted = await client.chat.postMessage({
      channel: p.channel,
      thread_ts: p.threadTs,
      text: message.text,
      blocks: message.blocks,
      unfurl_links: false,
      unfurl_media: false,
    });
    const ts = posted.ts as string;
    this.replies.set(p.key, ts);
    if (earlier && earlier !== ts) {
      const stub = renderSuperseded();
      await client.chat
        .update({ channel: p.channel, ts: earlier, text: stub.text, blocks: stub.blocks })
        .catch((err: Error) =>
          this.deps.logger.warn(`could not mark the earlier reply superseded: ${err.message}`),
        );
    }
    return { ts, updated: false };
  }

  private async record(
    client: webApi.WebClient,
    paste: Paste,
    threadTs: string,
    d: Diagnosis,
    gathered: Gathered,
  ): Promise<void> {
    const { store, config, logger } = this.deps;
    if (!store) return;
    try {
      const id = incidentId({ workspace: paste.workspace, channel: paste.channel, threadTs });
      let permalink = (await store.get(id))?.permalink ?? undefined;
      if (!permalink) {
        permalink = await client.chat
          .getPermalink({ channel: paste.channel, message_ts: threadTs })
          .then((r) => r.permalink)
          .catch(() => undefined);
      }
      await recordDiagnosis(store, {
        workspace: paste.workspace,
        channel: paste.channel,
        threadTs,
        permalink: permalink ?? null,
        user: paste.user,
        inputs: d.inputs.map((i) => ({
          ...i,
          bytes: gathered.bytesBySource.get(i.source.replace(/#\d+$/, "")) ?? 0,
        })),
        diagnosis: d,
        ...(config.keepRawText ? { rawText: gathered.texts.map((t) => t.text).join("\n\n") } : {}),
      });
    } catch (err) {
      // The store failing must not cost the answer: it is logged, the reply already went out.
      logger.error(`could not record the incident: ${(err as Error).message}`);
    }
  }

  /**
   * Runs `task` while no paste of the thread is being answered, so that a button updating our reply
   * and a new diagnosis of the same thread never overwrite each other. `key` is the incident id.
   */
  inThread<T>(key: string, task: () => Promise<T>): Promise<T> {
    return this.deps.locks.run(key, task);
  }

  /** The status line and buttons of the thread's incident, as it will be once this paste is recorded. */
  private async incidentBlocks(id: string): Promise<Block[] | undefined> {
    const { store, logger } = this.deps;
    if (!store) return undefined;
    const current = await store.get(id).catch((err: Error) => {
      logger.warn(`could not read incident ${id}: ${err.message}`);
      return undefined;
    });
    return threadIncidentBlocks(stateAfterPaste(current, id));
  }

  async handlePaste(
    client: webApi.WebClient,
    paste: Paste,
    policy: ReplyPolicy,
    me: BotIdentity,
    wholeThread = false,
  ): Promise<Outcome> {
    if (policy !== "private" && this.deps.seen.checkAndAdd(`msg:${paste.channel}:${paste.ts}`))
      return { kind: "duplicate" };
    const threadTs = paste.threadTs ?? paste.ts;
    const key = `${paste.workspace}:${paste.channel}:${threadTs}`;
    return this.deps.locks.run(key, async () => {
      const trigger: SlackMessage = {
        ts: paste.ts,
        thread_ts: paste.threadTs,
        user: paste.user,
        text: paste.text,
        files: paste.files,
      };
      if (policy === "if-readable") {
        const own = await this.gather(client, [trigger]);
        if (own.streamed.length === 0 && parseTexts(own.texts).length === 0) return { kind: "ignored" };
      }
      let thread: SlackMessage[] = [];
      if (threadTs !== paste.ts || wholeThread) {
        try {
          thread = await fetchThread(client, paste.channel, threadTs);
        } catch (err) {
          this.deps.logger.warn(
            `could not read the thread, diagnosing the message alone: ${(err as Error).message}`,
          );
        }
      }
      // The event may be newer than what conversations.replies shows yet: it wins.
      const humans = [...thread.filter((m) => isHumanPaste(m) && m.ts !== paste.ts), trigger].sort((a, b) =>
        compareTs(a.ts, b.ts),
      );
      const gathered = await this.gather(client, humans);
      const d = diagnose(this.deps.kb, inputsOf(gathered));
      const where = { channel: paste.channel, threadTs, key, thread, me };

      if (d.inputs.length === 0) {
        // Say what was seen, not just "nothing": `binary data`, `3 lines of text … starting "…"`.
        const seen = trigger.text?.trim()
          ? [`Your message: ${describeUnreadable(normalizePaste(trigger.text))}.`]
          : [];
        const message = renderNothingReadable(this.deps.readable, [...seen, ...gathered.notes]);
        if (policy !== "always") return { kind: "nothing-readable", message };
        const { ts } = await this.reply(client, where, message);
        return { kind: "nothing-readable", message, ts };
      }
      const id = incidentId({ workspace: paste.workspace, channel: paste.channel, threadTs });
      const message = renderDiagnosis(d, {
        incidentId: id,
        notes: gathered.notes,
        incident: await this.incidentBlocks(id),
      });
      const { ts, updated } = await this.reply(client, where, message);
      await this.record(client, paste, threadTs, d, gathered);
      return { kind: updated ? "updated" : "posted", ts, diagnosis: d, incidentId: id };
    });
  }
}
