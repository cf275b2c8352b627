// Sharing a private answer with the channel: post it as the bot, or, when the bot is not a member
// (or the channel is a DM), through the command's response URL, which can post where it was run.
import type { RespondFn, webApi } from "@slack/bolt";
import { slackErrorCode } from "../../deps.js";
import type { Block } from "../../render/limits.js";

interface Message {
  text: string;
  blocks?: Block[];
}

/** True when it was posted; false after a real failure, which is logged. */
export async function postInChannel(
  p: { client: webApi.WebClient; respond: RespondFn; logger: { error(...args: unknown[]): void } },
  channel: string | undefined,
  message: Message,
  what: string,
): Promise<boolean> {
  try {
    if (!channel) throw Object.assign(new Error("no channel"), { data: { error: "channel_not_found" } });
    await p.client.chat.postMessage({
      channel,
      ...message,
      unfurl_links: false,
      unfurl_media: false,
    });
    return true;
  } catch (err) {
    const code = slackErrorCode(err);
    if (code !== "not_in_channel" && code !== "channel_not_found") {
      p.logger.error(`could not post ${what}:`, err);
      return false;
    }
    await p.respond({ response_type: "in_channel", replace_original: false, ...message });
    return true;
  }
}
