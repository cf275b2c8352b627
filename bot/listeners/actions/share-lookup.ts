// "Share in channel" on a lookup: the answer is posted for everyone and the private copy removed.
import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { lookup } from "../../../kb/index.js";
import { type BotDeps, slackErrorCode } from "../../deps.js";
import { renderLookup } from "../../render/lookup.js";

type Args = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;

export async function onShareLookup({ action, body, ack, respond, client, logger }: Args, deps: BotDeps) {
  await ack();
  const query = action.value ?? "";
  const shared = renderLookup(query, lookup(deps.kb, query, 3), { share: false, sharedBy: body.user.id });
  const channel = body.channel?.id;
  try {
    if (!channel) throw Object.assign(new Error("no channel"), { data: { error: "channel_not_found" } });
    await client.chat.postMessage({ channel, ...shared, unfurl_links: false, unfurl_media: false });
  } catch (err) {
    const code = slackErrorCode(err);
    if (code !== "not_in_channel" && code !== "channel_not_found") {
      logger.error("could not share a lookup:", err);
      await respond({
        response_type: "ephemeral",
        replace_original: false,
        text: "Sorry, I couldn't share that.",
      });
      return;
    }
    // Not a member: the command's response URL can still post in the channel.
    await respond({ response_type: "in_channel", replace_original: false, ...shared });
  }
  await respond({ delete_original: true }).catch(() => undefined);
}
