// Publishes a reply in its thread, as an outbox task: updates our earlier reply in place while it
// is still in view (a few messages up), else posts a new one and shrinks the earlier one to a
// one-line "superseded" pointer, so a thread never holds two full diagnoses. Posted exactly once:
// each post carries the task's id in its message metadata; when an attempt may have landed (a 5xx,
// a reset, a timeout, a crash), the thread is searched for that id before posting again, on this
// attempt and on the next ones, and a search that fails is retried rather than guessed.
import type { Logger, webApi } from "@slack/bolt";
import { z } from "zod";
import type { IncidentStore } from "../../incidents/index.js";
import { RetryLater, type RunningTask } from "../outbox.js";
import { findPost, postMetadata } from "../post-once.js";
import type { RenderedMessage } from "../render/diagnosis.js";
import { renderSuperseded } from "../render/messages.js";
import { slackFailure } from "../slack-errors.js";
import { ChartInputField } from "./chart-publisher.js";
import { type BotIdentity, compareTs, isOurs, isTimelineLine, type SlackMessage } from "./thread.js";

/** When our earlier reply is at most this many messages up the thread, it is updated in place. */
export const UPDATE_IN_PLACE_WITHIN = 4;
const SUPERSEDED_PREFIX = "↓ Superseded";
/** A retry after a failure that shows nothing was posted (a 429): no need to look for the post. */
const NOT_POSTED = "not posted";

export const REPLY_TASK = "reply";

/** What a reply task holds: where, what, and what the thread looked like when it was diagnosed. */
export const ReplyPayload = z.object({
  channel: z.string().min(1),
  threadTs: z.string().min(1),
  /** The thread's key (workspace:channel:threadTs): its lock, and where our latest reply is remembered. */
  key: z.string().min(1),
  message: z.object({
    text: z.string(),
    blocks: z.custom<RenderedMessage["blocks"]>((v) => Array.isArray(v), "blocks must be a list"),
  }),
  /** The incident and its diagnosis count: a reply overtaken by a newer diagnosis is not posted. */
  incidentId: z.string().optional(),
  diagnoses: z.number().int().optional(),
  /** Our latest reply in the thread when it was read, and how many messages came after it. */
  earlier: z.object({ ts: z.string(), since: z.number().int() }).optional(),
  /** An edited paste's answer: it replaces the earlier reply wherever that is (updated in place). */
  inPlace: z.boolean().optional(),
  /** A short note of its own (a file it cannot read): posted, never replacing nor taken for the reply. */
  note: z.boolean().optional(),
  /** An earlier run of the same work may have posted it already (look before posting). */
  mayExist: z.boolean().optional(),
  /** The reply's chart, uploaded by a task of its own once the text is posted. */
  chart: ChartInputField.optional(),
  /** Our charts already in the thread when it was read (the new chart replaces them). */
  previousCharts: z.array(z.string()).optional(),
});
export type ReplyPayload = z.infer<typeof ReplyPayload>;

/** Our latest reply in a thread as read, and how many messages came after it. */
export function earlierReply(
  thread: SlackMessage[],
  me: BotIdentity,
  remembered?: string,
): { ts: string; since: number } | undefined {
  // Timeline lines (take over, resolve, notes) are neither our reply nor push it out of view.
  const ours = thread.filter(
    (m) => isOurs(m, me) && !(m.text ?? "").startsWith(SUPERSEDED_PREFIX) && !isTimelineLine(m),
  );
  const ts = remembered ?? ours.at(-1)?.ts;
  if (!ts) return undefined;
  return { ts, since: thread.filter((m) => compareTs(m.ts, ts) > 0 && !isTimelineLine(m)).length };
}

export class ReplyPublisher {
  /** Our latest reply per thread, so quick successive pastes find it before Slack's history does. */
  private readonly replies = new Map<string, string>();
  /** The earlier reply each running reply task replaces, fixed on its first attempt. */
  private readonly earlierFor = new Map<string, string | undefined>();

  constructor(
    private readonly deps: {
      logger: Logger;
      store?: IncidentStore;
      /** Pause between two looks for a post that may have landed (Slack's history can lag). */
      lookupPauseMs?: number;
    },
  ) {}

  /** Our latest reply remembered for a thread (since this process started). */
  remembered(key: string): string | undefined {
    return this.replies.get(key);
  }

  /** The reply task: posts or updates, exactly once; throws to be retried. */
  async run(client: webApi.WebClient, t: RunningTask, p: ReplyPayload): Promise<void> {
    const { task } = t;
    const mayHavePosted =
      p.mayExist === true ||
      (task.attempts > 1 &&
        !(task.lastError ?? "").startsWith(`${NOT_POSTED} (attempt ${task.attempts - 1})`));
    const notPosted = (why: string) => `${NOT_POSTED} (attempt ${task.attempts}): ${why}`;
    const where = { channel: p.channel, threadTs: p.threadTs };

    if (p.incidentId !== undefined && p.diagnoses !== undefined && this.deps.store) {
      const current = await this.deps.store.get(p.incidentId).catch(() => undefined);
      if (current && current.diagnoses > p.diagnoses) {
        // A newer diagnosis of the thread has its own reply; this one, if it landed, is shrunk.
        if (mayHavePosted) {
          const found = await findPost(client, where, task.id);
          if (found === "unknown")
            throw new RetryLater("could not tell whether an overtaken reply was posted");
          if (found !== "absent") await this.supersede(client, p.channel, found.ts);
        }
        return;
      }
    }

    // Found on a retry: an earlier attempt posted it, only the superseding may be left to do.
    let ts: string | undefined;
    if (mayHavePosted) {
      const found = await findPost(client, where, task.id);
      if (found === "unknown")
        throw new RetryLater("could not tell whether an earlier attempt posted the reply");
      if (found !== "absent") {
        this.deps.logger.info(`reply ${task.id} had landed (${found.ts}): not posting it again`);
        ts = found.ts;
      }
    }
    if (p.note) {
      if (ts === undefined) await this.post(client, t, p, notPosted);
      return;
    }
    const rememberedTs = this.replies.get(p.key) ?? (await this.postedSinceRead(p));
    // The reply this one replaces, as decided on the first attempt (a retry must not take its own post for it).
    const earlier = this.earlierFor.has(task.id)
      ? this.earlierFor.get(task.id)
      : (rememberedTs ?? p.earlier?.ts);
    this.earlierFor.set(task.id, earlier);
    const since = rememberedTs ? 0 : (p.earlier?.since ?? Number.POSITIVE_INFINITY);
    if (ts === undefined && earlier && (since <= UPDATE_IN_PLACE_WITHIN || p.inPlace)) {
      try {
        await client.chat.update({
          channel: p.channel,
          ts: earlier,
          text: p.message.text,
          blocks: p.message.blocks,
        });
        this.replies.set(p.key, earlier);
        this.earlierFor.delete(task.id);
        await this.share(p, earlier);
        return;
      } catch (err) {
        const f = slackFailure(err);
        if (f.kind === "rate-limited") throw new RetryLater(notPosted("chat.update rate limited"), f.afterMs);
        if (f.kind === "transient") throw new RetryLater(notPosted(`chat.update failed (${f.why})`));
        this.deps.logger.warn(`chat.update of the earlier reply failed (${f.code}), posting anew`);
      }
    }
    if (ts === undefined) ts = await this.post(client, t, p, notPosted);
    this.replies.set(p.key, ts);
    await this.share(p, ts);
    if (earlier && earlier !== ts) await this.supersede(client, p.channel, earlier);
    this.earlierFor.delete(task.id);
  }

  /**
   * Our reply recorded on the incident (Incident.replyTs) after the thread was read for this one: a
   * reply another replica posted meanwhile, which the thread read could not see yet. Reply tasks of
   * a thread run under its lock, so what is recorded is up to date.
   */
  private async postedSinceRead(p: ReplyPayload): Promise<string | undefined> {
    if (!p.incidentId || !this.deps.store) return undefined;
    const recorded = (await this.deps.store.get(p.incidentId).catch(() => undefined))?.replyTs;
    if (!recorded) return undefined;
    return !p.earlier || compareTs(recorded, p.earlier.ts) > 0 ? recorded : undefined;
  }

  /** Records our latest reply on the incident, for the other replicas (best effort: logged if not). */
  private async share(p: ReplyPayload, ts: string): Promise<void> {
    const store = this.deps.store;
    if (!p.incidentId || !store) return;
    const current = await store.get(p.incidentId).catch(() => undefined);
    if (!current || current.replyTs === ts) return;
    await store
      .upsert(p.incidentId, (current) => {
        if (!current) throw new Error("no incident");
        return current.replyTs === ts ? current : { ...current, replyTs: ts };
      })
      .catch((err: Error) =>
        this.deps.logger.warn(`could not record reply ${ts} on incident ${p.incidentId}: ${err.message}`),
      );
  }

  private async post(
    client: webApi.WebClient,
    t: RunningTask,
    p: ReplyPayload,
    notPosted: (why: string) => string,
  ): Promise<string> {
    try {
      const posted = await client.chat.postMessage({
        channel: p.channel,
        thread_ts: p.threadTs,
        text: p.message.text,
        blocks: p.message.blocks,
        unfurl_links: false,
        unfurl_media: false,
        metadata: postMetadata(t.task.id),
      });
      return posted.ts as string;
    } catch (err) {
      const f = slackFailure(err);
      if (f.kind === "rate-limited")
        throw new RetryLater(notPosted("chat.postMessage rate limited"), f.afterMs);
      if (f.kind === "refused" || !f.ambiguous) throw err;
      // Slack may have posted it: look before anything else (twice, its history can lag).
      const found = await findPost(client, { channel: p.channel, threadTs: p.threadTs }, t.task.id, {
        lookups: 2,
        pauseMs: this.deps.lookupPauseMs,
      });
      if (found !== "absent" && found !== "unknown") {
        this.deps.logger.info(`chat.postMessage failed (${f.why}), but it had landed (${found.ts})`);
        return found.ts;
      }
      throw new RetryLater(
        `chat.postMessage failed (${f.why}); ${found === "absent" ? "it did not land" : "whether it landed is unknown"}`,
        undefined,
        { cause: err },
      );
    }
  }

  /** Shrinks an earlier reply to the one-line pointer; a transient failure retries the task. */
  private async supersede(client: webApi.WebClient, channel: string, ts: string): Promise<void> {
    const stub = renderSuperseded();
    try {
      await client.chat.update({ channel, ts, text: stub.text, blocks: stub.blocks });
    } catch (err) {
      const f = slackFailure(err);
      if (f.kind === "refused") {
        this.deps.logger.warn(`could not mark the earlier reply superseded: ${f.code}`);
        return;
      }
      throw new RetryLater(
        `marking the earlier reply superseded failed`,
        f.kind === "rate-limited" ? f.afterMs : undefined,
      );
    }
  }
}
