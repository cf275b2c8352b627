// The path of a paste: read the thread it belongs to (messages and files), diagnose it all as one
// incident, answer in the thread (updating the earlier answer rather than flooding), record it.
// Listeners call handlePaste; this module decides nothing about Slack surfaces. Each step is its own
// module: thread-reader (read), parse-once, reply-publisher (answer), incident-recorder (record).
import type { Logger, webApi } from "@slack/bolt";
import { type IncidentStore, incidentId } from "../../incidents/index.js";
import { type Diagnosis, diagnose, type KnowledgeBase } from "../../kb/index.js";
import { describeUnreadable, normalizePaste } from "../../parsers/index.js";
import type { Config } from "../config.js";
import type { TtlSet } from "../dedupe.js";
import type { KeyedLock } from "../keyed-lock.js";
import { type RenderedMessage, renderDiagnosis } from "../render/diagnosis.js";
import { renderNothingReadable } from "../render/messages.js";
import type { FileCache, SlackFile } from "./files.js";
import { IncidentRecorder } from "./incident-recorder.js";
import { parseOnce } from "./parse-once.js";
import { ReplyPublisher } from "./reply-publisher.js";
import { type BotIdentity, compareTs, fetchThread, isHumanPaste, type SlackMessage } from "./thread.js";
import { ThreadReader } from "./thread-reader.js";

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

export class ThreadDiagnoser {
  private readonly reader: ThreadReader;
  private readonly publisher: ReplyPublisher;
  private readonly recorder: IncidentRecorder;

  constructor(private readonly deps: DiagnoserDeps) {
    this.reader = new ThreadReader(deps);
    this.publisher = new ReplyPublisher(deps);
    this.recorder = new IncidentRecorder(deps);
  }

  /**
   * Runs `task` while no paste of the thread is being answered, so that a button updating our reply
   * and a new diagnosis of the same thread never overwrite each other. `key` is the incident id.
   */
  inThread<T>(key: string, task: () => Promise<T>): Promise<T> {
    return this.deps.locks.run(key, task);
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
      const parse = parseOnce();
      if (policy === "if-readable") {
        const own = await this.reader.gather(client, [trigger]);
        if (own.streamed.length === 0 && parse(own.texts).length === 0) return { kind: "ignored" };
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
      const gathered = await this.reader.gather(client, humans);
      // Everything read as one incident: the texts parsed like pastes, then the streamed logs.
      const d = diagnose(this.deps.kb, [...parse(gathered.texts), ...gathered.streamed]);
      const where = { channel: paste.channel, threadTs, key, thread, me };

      if (d.inputs.length === 0) {
        // Say what was seen, not just "nothing": `binary data`, `3 lines of text … starting "…"`.
        const seen = trigger.text?.trim()
          ? [`Your message: ${describeUnreadable(normalizePaste(trigger.text))}.`]
          : [];
        const message = renderNothingReadable(this.deps.readable, [...seen, ...gathered.notes]);
        if (policy !== "always") return { kind: "nothing-readable", message };
        const { ts } = await this.publisher.publish(client, where, message);
        return { kind: "nothing-readable", message, ts };
      }
      const id = incidentId({ workspace: paste.workspace, channel: paste.channel, threadTs });
      const message = renderDiagnosis(d, {
        incidentId: id,
        notes: gathered.notes,
        incident: await this.recorder.incidentBlocks(id),
      });
      const { ts, updated } = await this.publisher.publish(client, where, message);
      await this.recorder.record(client, paste, threadTs, d, gathered);
      return { kind: updated ? "updated" : "posted", ts, diagnosis: d, incidentId: id };
    });
  }
}
