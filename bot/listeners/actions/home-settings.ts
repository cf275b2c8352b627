// App Home's "Channel settings": opens the small modal that asks which channel (App Home belongs to
// no channel); its submission (views/settings-pick.ts) turns it into that channel's settings form.
import type { BotDeps } from "../../deps.js";
import { renderSettingsPicker } from "../../render/settings.js";
import type { ButtonArgs } from "./incident-change.js";

export async function onHomeSettings(
  { body, ack, client, logger }: ButtonArgs,
  deps: BotDeps,
): Promise<void> {
  await ack();
  if (!deps.store)
    return void logger.warn("channel settings from App Home: the incident file is unavailable");
  try {
    await client.views.open({ trigger_id: body.trigger_id, view: renderSettingsPicker() });
  } catch (err) {
    logger.warn(`could not open the channel picker: ${(err as Error).message}`);
  }
}
