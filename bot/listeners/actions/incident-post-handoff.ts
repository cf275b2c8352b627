// "Post to channel": the handoff, for the next person on call, in the channel where it was asked
// for; the asker's private copy becomes a one-line confirmation.
import type { BotDeps } from "../../deps.js";
import { slackErrorCode } from "../../deps.js";
import { parsePostValue, renderHandoff } from "../../render/handoff.js";
import { channelRef } from "../../render/incident-actions.js";
import type { ButtonArgs } from "./incident-change.js";
import { loadHandoff, NO_STORE, tellUser, UNREADABLE } from "./incident-shared.js";

export async function onPostHandoff(
  { action, body, ack, respond, client, logger }: ButtonArgs,
  deps: BotDeps,
): Promise<void> {
  await ack();
  const v = parsePostValue(action.value);
  if (!v) return tellUser(respond, logger, UNREADABLE);
  if (!deps.store) return tellUser(respond, logger, NO_STORE);
  const shared = renderHandoff(await loadHandoff(deps.store, v.s), { sharedBy: body.user.id });
  const channel = body.channel?.id ?? (body.container.channel_id as string | undefined);
  try {
    if (!channel) throw Object.assign(new Error("no channel"), { data: { error: "channel_not_found" } });
    await client.chat.postMessage({ channel, ...shared, unfurl_links: false, unfurl_media: false });
  } catch (err) {
    const code = slackErrorCode(err);
    if (code !== "not_in_channel" && code !== "channel_not_found") {
      logger.error("could not post the handoff:", err);
      return tellUser(respond, logger, "Sorry, I couldn't post the handoff. Try again in a moment.");
    }
    // Not a member (or a DM): the command's response URL can still post where it was run.
    await respond({ response_type: "in_channel", replace_original: false, ...shared });
  }
  const where = channel ? channelRef(channel) : "the channel";
  await respond({
    replace_original: true,
    response_type: "ephemeral",
    text: `📣 Posted the handoff to ${where}.`,
  }).catch((err: Error) => logger.warn(`could not replace the private handoff: ${err.message}`));
}
