// "Post to channel": the handoff, for the next person on call, in the channel where it was asked
// for; the asker's private copy becomes a one-line confirmation. Only incidents that every member
// of that channel may see are posted (visibility.ts), and people are named, never mentioned.
import type { BotDeps } from "../../deps.js";
import { parsePostValue, renderHandoff } from "../../render/handoff.js";
import { channelRef } from "../../render/incident-actions.js";
import { handoffView } from "../../services/handoff-view.js";
import type { ButtonArgs } from "./incident-change.js";
import { NO_STORE, tellUser, UNREADABLE } from "./incident-shared.js";
import { postInChannel } from "./post-in-channel.js";

export async function onPostHandoff(
  { action, body, ack, respond, client, logger }: ButtonArgs,
  deps: BotDeps,
): Promise<void> {
  await ack();
  const v = parsePostValue(action.value);
  if (!v) return tellUser(respond, logger, UNREADABLE);
  if (!deps.store) return tellUser(respond, logger, NO_STORE);
  const channel = body.channel?.id ?? (body.container.channel_id as string | undefined);
  const sharer = body.user.id;
  const team = v.t !== undefined ? { team: v.t } : {};
  // What the sharer may see, and of that what everyone in the channel may see.
  const { handoff, names } = await handoffView({ ...deps, store: deps.store }, client, {
    sinceMs: v.s,
    ...team,
    viewer: sharer,
    postIn: channel ?? "",
    alsoName: [sharer],
  });
  const shared = renderHandoff(handoff, { sharedBy: sharer, names, ...team });
  const posted = await postInChannel({ client, respond, logger }, channel, shared, "the handoff");
  if (!posted) return tellUser(respond, logger, "Sorry, I couldn't post the handoff. Try again in a moment.");
  const where = channel ? channelRef(channel) : "the channel";
  await respond({
    replace_original: true,
    response_type: "ephemeral",
    text: `📣 Posted the handoff to ${where}.`,
  }).catch((err: Error) => logger.warn(`could not replace the private handoff: ${err.message}`));
}
