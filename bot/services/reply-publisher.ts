// Publishes a reply in its thread: updates our earlier reply in place while it is still in view
// (a few messages up), else posts a new one and shrinks the earlier one to a one-line "superseded"
// pointer, so a thread never holds two full diagnoses.
import type { Logger, webApi } from "@slack/bolt";
import type { RenderedMessage } from "../render/diagnosis.js";
import { renderSuperseded } from "../render/messages.js";
import { type BotIdentity, compareTs, isOurs, type SlackMessage } from "./thread.js";

/** When our earlier reply is at most this many messages up the thread, it is updated in place. */
export const UPDATE_IN_PLACE_WITHIN = 4;
const SUPERSEDED_PREFIX = "↓ Superseded";

/** Where a reply goes: the thread, its messages as read, and who "we" are in it. */
export interface ReplyTarget {
  channel: string;
  threadTs: string;
  /** The thread's key (workspace:channel:threadTs), under which our latest reply is remembered. */
  key: string;
  thread: SlackMessage[];
  me: BotIdentity;
}

export class ReplyPublisher {
  /** Our latest reply per thread, so quick successive pastes find it before Slack's history does. */
  private readonly replies = new Map<string, string>();

  constructor(private readonly deps: { logger: Logger }) {}

  private findEarlierReply(key: string, thread: SlackMessage[], me: BotIdentity): string | undefined {
    const remembered = this.replies.get(key);
    if (remembered) return remembered;
    const ours = thread.filter((m) => isOurs(m, me) && !(m.text ?? "").startsWith(SUPERSEDED_PREFIX));
    return ours.at(-1)?.ts;
  }

  /** Posts the reply, or updates our earlier one when it is still in view; never two full ones. */
  async publish(
    client: webApi.WebClient,
    p: ReplyTarget,
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
}
