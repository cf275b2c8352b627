// "Share in channel" on a lookup: the answer is posted for everyone and the private copy removed.
import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { lookup } from "../../../kb/index.js";
import type { BotDeps } from "../../deps.js";
import { renderLookup } from "../../render/lookup.js";
import { postInChannel } from "./post-in-channel.js";

type Args = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;

export async function onShareLookup({ action, body, ack, respond, client, logger }: Args, deps: BotDeps) {
  await ack();
  const query = action.value ?? "";
  // Named, not mentioned: a mention in the channel would ping the person who shared it.
  const sharer = (await deps.people.names(client, [body.user.id])).get(body.user.id) ?? body.user.id;
  const shared = renderLookup(query, lookup(deps.kb, query, 3), { share: false, sharedBy: sharer });
  const posted = await postInChannel({ client, respond, logger }, body.channel?.id, shared, "a lookup");
  if (!posted) {
    await respond({
      response_type: "ephemeral",
      replace_original: false,
      text: "Sorry, I couldn't share that.",
    });
    return;
  }
  await respond({ delete_original: true }).catch(() => undefined);
}
