// The path of a paste. Accepted when the event arrives: the message is claimed (Slack's retries and
// a mention's second event are the same message) and stored as a durable `paste` task, before
// Slack is answered. Then, in the outbox: read the thread it belongs to (messages and files),
// diagnose it all as one incident, record the incident together with the `reply` task that
// announces it (one atomic write), and the reply is posted by its own task, retried until done.
// Listeners call accept; this module decides nothing about Slack surfaces. Each step is its own
// module: thread-reader (read), parse-once (parse, off the main thread when big), incident-recorder
// (record), reply-publisher (answer).
import type { Logger, webApi } from "@slack/bolt";
import { z } from "zod";
import {
  ConversationKind,
  type IncidentStore,
  incidentId,
  KeyedLock,
  type NewTask,
  StoreUnavailableError,
} from "../../incidents/index.js";
import type { KnowledgeBase } from "../../kb/index.js";
import { describeUnreadable, normalizePaste } from "../../parsers/index.js";
import type { Config } from "../config.js";
import { DEFAULT_DEDUPE_TTL_MS, type TtlSet } from "../dedupe.js";
import { refuseAcknowledgement } from "../intake.js";
import { type Outbox, RetryLater, type RunningTask } from "../outbox.js";
import type { RenderedMessage } from "../render/diagnosis.js";
import { renderFileNotes, renderNothingReadable } from "../render/messages.js";
import { slackFailure } from "../slack-errors.js";
import { CHART_TASK, ChartPayload, ChartPublisher, chartsInThread } from "./chart-publisher.js";
import type { FileCache, FileRead, SlackFile } from "./files.js";
import { IncidentRecorder } from "./incident-recorder.js";
import { parseOnce } from "./parse-once.js";
import type { ParseWorkers } from "./parse-worker.js";
import type { People } from "./people.js";
import { replyChartInput } from "./reply-chart.js";
import { earlierReply, REPLY_TASK, ReplyPayload, ReplyPublisher } from "./reply-publisher.js";
import { type BotIdentity, compareTs, fetchThread, isReadable, type SlackMessage } from "./thread.js";
import { ThreadReader } from "./thread-reader.js";
import type { Visibility } from "./visibility.js";

export const PASTE_TASK = "paste";
export const RESPOND_TASK = "respond";

export const Paste = z.object({
  workspace: z.string(),
  channel: z.string().min(1),
  ts: z.string().min(1),
  threadTs: z.string().optional(),
  user: z.string(),
  text: z.string(),
  files: z.array(
    z.custom<SlackFile>(
      (v) => typeof v === "object" && v !== null && typeof (v as { id?: unknown }).id === "string",
      "a Slack file object",
    ),
  ),
  /** The conversation's kind when the event says (its channel_type); otherwise Slack is asked. */
  conversationKind: ConversationKind.nullable().optional(),
  /** Integrations (bot ids) whose messages in the thread are read too (the channel's settings). */
  allowBots: z.array(z.string()).optional(),
  /** An edited paste: taken once under `key`, and its answer replaces the earlier reply wherever it is. */
  edit: z.object({ key: z.string().min(1) }).optional(),
});
export type Paste = z.infer<typeof Paste>;

/**
 * `if-readable`: a paste in a channel, answered only when it holds something readable.
 * `always`: a DM or a mention, "nothing I can read here" included.
 * `private`: the message shortcut; the diagnosis goes to the thread, "nothing readable" to the user only.
 */
export const ReplyPolicy = z.enum(["if-readable", "always", "private"]);
export type ReplyPolicy = z.infer<typeof ReplyPolicy>;

/** What a paste task holds: the message as the event gave it, and how to answer it. */
export const PastePayload = z.object({
  paste: Paste,
  policy: ReplyPolicy,
  me: z.object({ botId: z.string().optional(), botUserId: z.string().optional() }),
  /** Read the message's whole thread even when it is the thread's parent (the shortcut). */
  wholeThread: z.boolean(),
  /** Where the shortcut's private answers go (a response URL, valid 30 minutes). */
  responseUrl: z.string().optional(),
});
export type PastePayload = z.infer<typeof PastePayload>;

const RespondPayload = z.object({
  responseUrl: z.string().min(1),
  message: z.object({ text: z.string(), blocks: z.array(z.unknown()).optional() }),
});

/**
 * How a paste was taken: stored durably, a repeat of one already taken, held in memory only, or
 * refused (the shared database is out of reach: Slack is not acknowledged and sends it again).
 */
export type Accepted = "accepted" | "duplicate" | "unsaved" | "refused";

export interface DiagnoserDeps {
  config: Config;
  kb: KnowledgeBase;
  store?: IncidentStore;
  logger: Logger;
  /** Claims made while the store cannot write (in memory, by time). */
  seen: TtlSet;
  outbox: Outbox;
  /** The Web API client tasks use: it never retries by itself (the outbox does). */
  client: webApi.WebClient;
  files: FileCache;
  readable: string;
  parsers?: ParseWorkers;
  fetch?: typeof fetch;
  lookupPauseMs?: number;
  people: People;
  visibility: Visibility;
}

const NOT_IN_CHANNEL =
  "I'm not in this channel, so I can't read or answer its threads. Invite me with `/invite @Tattletale` and try again.";

export class ThreadDiagnoser {
  private readonly reader: ThreadReader;
  private readonly publisher: ReplyPublisher;
  private readonly charts: ChartPublisher;
  readonly recorder: IncidentRecorder;
  /** Thread locks when there is no store to hold them. */
  private readonly locks = new KeyedLock();

  constructor(private readonly deps: DiagnoserDeps) {
    this.reader = new ThreadReader(deps);
    this.publisher = new ReplyPublisher({
      logger: deps.logger,
      store: deps.store,
      lookupPauseMs: deps.lookupPauseMs,
    });
    this.charts = new ChartPublisher({ logger: deps.logger, store: deps.store, workers: deps.parsers });
    this.recorder = new IncidentRecorder(deps);
    deps.outbox.on(PASTE_TASK, (t) => this.runPaste(t));
    deps.outbox.on(REPLY_TASK, (t) => this.runReply(t));
    deps.outbox.on(CHART_TASK, (t) => this.runChart(t));
    deps.outbox.on(RESPOND_TASK, (t) => this.runRespond(t));
  }

  /**
   * Runs `task` while no paste of the thread is being answered, so that a button updating our reply
   * and a new diagnosis of the same thread never overwrite each other. `key` is the incident id.
   */
  inThread<T>(key: string, task: () => Promise<T>): Promise<T> {
    return this.deps.store ? this.deps.store.withThreadLock(key, task) : this.locks.run(key, task);
  }

  /** Claims `key` for Slack's retry window: in the store, or in memory when the store cannot write. */
  async claim(key: string): Promise<boolean> {
    if (this.deps.store) {
      try {
        return await this.deps.store.claim(key, DEFAULT_DEDUPE_TTL_MS);
      } catch (err) {
        this.deps.logger.error(`could not record event ${key} as seen: ${(err as Error).message}`);
      }
    }
    return !this.deps.seen.checkAndAdd(key);
  }

  /**
   * Takes a paste: claims its message (once per message, for Slack's retry window) and stores the
   * task to diagnose it. Resolves once it is durable, which is when Slack may be answered. When the
   * store cannot write, the paste is handled from memory, and its reply says it was not saved.
   */
  async accept(
    paste: Paste,
    policy: ReplyPolicy,
    me: BotIdentity,
    opts: { wholeThread?: boolean; responseUrl?: string } = {},
  ): Promise<Accepted> {
    const payload: PastePayload = {
      paste,
      policy,
      me: { ...(me.botId ? { botId: me.botId } : {}), ...(me.botUserId ? { botUserId: me.botUserId } : {}) },
      wholeThread: opts.wholeThread ?? false,
      ...(opts.responseUrl ? { responseUrl: opts.responseUrl } : {}),
    };
    const task: NewTask = { kind: PASTE_TASK, payload: JSON.parse(JSON.stringify(payload)) };
    // The shortcut is a person asking again on purpose: never a duplicate.
    const claim = policy === "private" ? undefined : (paste.edit?.key ?? `msg:${paste.channel}:${paste.ts}`);
    const { store, outbox, logger } = this.deps;
    if (store) {
      try {
        const stored = await store.enqueue(
          task,
          claim ? { claim: { key: claim, ttlMs: DEFAULT_DEDUPE_TTL_MS } } : {},
        );
        if (!stored) {
          logger.info(
            `ignoring a repeat of message ${paste.channel}/${paste.ts} (a retry, or its other event)`,
          );
          return "duplicate";
        }
        outbox.wake();
        return "accepted";
      } catch (err) {
        // A shared database out of reach: not acknowledged, Slack sends it again (here or to
        // another replica) rather than it living in this process's memory only.
        if (err instanceof StoreUnavailableError && refuseAcknowledgement(err)) {
          logger.warn(
            `could not store the paste ${paste.channel}/${paste.ts} (${err.message}); not acknowledged, Slack will send it again`,
          );
          return "refused";
        }
        logger.error(
          `could not store the paste ${paste.channel}/${paste.ts}, answering it unsaved: ${(err as Error).message}`,
        );
      }
    }
    if (claim && this.deps.seen.checkAndAdd(claim)) {
      logger.info(`ignoring a repeat of message ${paste.channel}/${paste.ts} (a retry, or its other event)`);
      return "duplicate";
    }
    outbox.runInMemory(task);
    return "unsaved";
  }

  /** The paste task: read, diagnose, record with its reply. */
  private async runPaste(t: RunningTask): Promise<"done" | "completed"> {
    const p = PastePayload.parse(t.task.payload);
    const paste = p.paste;
    const threadTs = paste.threadTs ?? paste.ts;
    const key = incidentId({ workspace: paste.workspace, channel: paste.channel, threadTs });
    return this.inThread(key, async () => {
      const parser = parseOnce(this.deps.parsers);
      try {
        return await this.diagnosePaste(t, p, paste, threadTs, key, parser);
      } finally {
        parser.end();
      }
    });
  }

  private async diagnosePaste(
    t: RunningTask,
    p: PastePayload,
    paste: Paste,
    threadTs: string,
    key: string,
    parser: ReturnType<typeof parseOnce>,
  ): Promise<"done" | "completed"> {
    const { client, kb, logger } = this.deps;
    const trigger: SlackMessage = {
      ts: paste.ts,
      thread_ts: paste.threadTs,
      user: paste.user,
      text: paste.text,
      files: paste.files,
    };
    logger.debug(`paste ${paste.channel}/${paste.ts}: reading (attempt ${t.task.attempts})`);
    // The paste's files are read once, whichever of the two reads below needs them.
    const reads = new Map<string, FileRead>();
    if (p.policy === "if-readable") {
      const own = await this.reader.gather(client, [trigger], reads);
      if (own.streamed.length === 0 && !(await parser.readable(own.texts))) {
        // A file it cannot read (.evtx, a dump…) gets the short note where an incident is under
        // way; anywhere else the bot stays quiet unless asked.
        if (own.notes.length > 0 && paste.threadTs && (await this.recorder.exists(key))) {
          logger.debug(`paste ${paste.channel}/${paste.ts}: noted`);
          const note = renderFileNotes(own.notes);
          return this.followUp(
            t,
            this.replyTask(t, { channel: paste.channel, threadTs, key, note: true, message: plain(note) }),
          );
        }
        logger.debug(`paste ${paste.channel}/${paste.ts}: ignored`);
        return "done";
      }
    }
    let thread: SlackMessage[] = [];
    // A top-level message is read with its thread when the thread is already an incident: its replies
    // were diagnosed first (a retry, another replica), and this diagnosis must not forget them.
    const repliesFirst =
      threadTs === paste.ts &&
      !p.wholeThread &&
      (await this.deps.store?.get(key).catch(() => undefined)) !== undefined;
    if (threadTs !== paste.ts || p.wholeThread || repliesFirst) {
      try {
        thread = await fetchThread(client, paste.channel, threadTs);
      } catch (err) {
        const f = slackFailure(err);
        // Slack is down or busy: the whole paste is tried again later, thread and all.
        if (f.kind === "rate-limited") throw new RetryLater("conversations.replies rate limited", f.afterMs);
        if (f.kind === "transient") throw err;
        if (p.policy === "private" && (f.code === "not_in_channel" || f.code === "channel_not_found"))
          return this.followUp(t, this.respondTask(t, p, { text: NOT_IN_CHANNEL }));
        logger.warn(`could not read the thread, diagnosing the message alone: ${f.code}`);
      }
    }
    // The event may be newer than what conversations.replies shows yet: it wins.
    const humans = [
      ...thread.filter((m) => isReadable(m, paste.allowBots) && m.ts !== paste.ts),
      trigger,
    ].sort((a, b) => compareTs(a.ts, b.ts));
    const gathered = await this.reader.gather(client, humans, reads);
    // Everything read as one incident: the texts parsed like pastes, then the streamed logs.
    const d = await parser.diagnose(kb, gathered.texts, gathered.streamed);
    const earlier = earlierReply(thread, p.me, this.publisher.remembered(key));
    const chart = replyChartInput(d);
    const reply: Omit<ReplyPayload, "message"> = {
      channel: paste.channel,
      threadTs,
      key,
      ...(earlier ? { earlier } : {}),
      ...(paste.edit ? { inPlace: true } : {}),
      ...(chart ? { chart, previousCharts: chartsInThread(thread, p.me) } : {}),
      // A paste run again (its process died, or its reply could not be recorded) may have been answered.
      ...(t.task.attempts > 1 ? { mayExist: true } : {}),
    };

    if (d.inputs.length === 0) {
      // Say what was seen, not just "nothing": `binary data`, `3 lines of text … starting "…"`.
      const seen = trigger.text?.trim()
        ? [`Your message: ${describeUnreadable(normalizePaste(trigger.text))}.`]
        : [];
      const message = renderNothingReadable(this.deps.readable, [...seen, ...gathered.notes]);
      if (p.policy === "always")
        return this.followUp(t, this.replyTask(t, { ...reply, message: plain(message) }));
      if (p.policy === "private") return this.followUp(t, this.respondTask(t, p, message));
      return "done";
    }
    return this.recorder.record(t, { paste, threadTs, diagnosis: d, gathered, reply });
  }

  private replyTask(t: RunningTask, payload: ReplyPayload): NewTask {
    return { id: `${t.task.id}:reply`, kind: REPLY_TASK, payload: JSON.parse(JSON.stringify(payload)) };
  }

  private respondTask(
    t: RunningTask,
    p: PastePayload,
    message: Pick<RenderedMessage, "text"> & Partial<RenderedMessage>,
  ): NewTask | null {
    if (!p.responseUrl) return null;
    return {
      id: `${t.task.id}:respond`,
      kind: RESPOND_TASK,
      payload: JSON.parse(JSON.stringify({ responseUrl: p.responseUrl, message })),
    };
  }

  /** Completes the task with a follow-up (atomically); in memory when the store cannot take it. */
  private async followUp(t: RunningTask, next: NewTask | null): Promise<"done" | "completed"> {
    const { store, outbox, logger } = this.deps;
    if (!next) return "done";
    if (t.lease && store) {
      try {
        await store.complete(t.lease, { enqueue: [next] });
        outbox.wake();
        return "completed";
      } catch (err) {
        // The database is out of reach: the paste task stays in the store and is run again.
        if (err instanceof StoreUnavailableError) throw err;
        logger.error(`could not store the reply task, sending it from memory: ${(err as Error).message}`);
      }
    }
    outbox.runInMemory(next);
    return "done";
  }

  /** Posts the reply; then its chart, if it has one, is a task of its own (it never holds the text up). */
  private async runReply(t: RunningTask): Promise<"done" | "completed"> {
    const p = ReplyPayload.parse(t.task.payload);
    await this.inThread(p.key, () => this.publisher.run(this.deps.client, t, p));
    if (!p.chart) return "done";
    const chart: ChartPayload = {
      channel: p.channel,
      threadTs: p.threadTs,
      key: p.key,
      chart: p.chart,
      previous: p.previousCharts ?? [],
      ...(p.incidentId !== undefined ? { incidentId: p.incidentId } : {}),
      ...(p.diagnoses !== undefined ? { diagnoses: p.diagnoses } : {}),
    };
    return this.followUp(t, {
      id: `${t.task.id}:chart`,
      kind: CHART_TASK,
      payload: JSON.parse(JSON.stringify(chart)),
    });
  }

  private async runChart(t: RunningTask): Promise<"done"> {
    const p = ChartPayload.parse(t.task.payload);
    await this.inThread(p.key, () => this.charts.run(this.deps.client, t, p));
    return "done";
  }

  /** An answer only the person who asked sees (the shortcut's response URL). */
  private async runRespond(t: RunningTask): Promise<"done"> {
    const p = RespondPayload.parse(t.task.payload);
    const res = await (this.deps.fetch ?? fetch)(p.responseUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ response_type: "ephemeral", replace_original: false, ...p.message }),
      signal: AbortSignal.timeout(10_000),
    }).catch((err: Error) => {
      throw new RetryLater(`response URL unreachable (${err.message})`);
    });
    await res.body?.cancel();
    if (res.status >= 500 || res.status === 429)
      throw new RetryLater(`response URL answered HTTP ${res.status}`);
    if (res.status !== 200) this.deps.logger.warn(`response URL answered HTTP ${res.status}; not retried`);
    return "done";
  }
}

/** A rendered message as JSON a task can hold. */
function plain(m: RenderedMessage): ReplyPayload["message"] {
  return JSON.parse(JSON.stringify(m));
}
