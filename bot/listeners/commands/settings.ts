// `/tattle settings`: opens the channel's settings (a modal, with the command's trigger_id). The
// submission is handled in views/settings-modal.ts.
import { channelSettings, teamSettings } from "../../../incidents/index.js";
import { renderSettingsModal } from "../../render/settings.js";
import type { Subcommand } from "./subcommand.js";

export const settings: Subcommand = async ({ command, respond, client, deps }) => {
  if (!deps.store)
    return void (await respond({
      response_type: "ephemeral",
      text: "The incident file could not be opened, and settings are kept in it: try again once it is back.",
    }));
  const all = await deps.store.getSettings();
  const current = channelSettings(all, command.channel_id);
  const team = current.team ? teamSettings(all, current.team) : null;
  const person = await deps.people.person(client, command.user_id);
  try {
    await client.views.open({
      trigger_id: command.trigger_id,
      view: renderSettingsModal(command.channel_id, current, team, person?.tz ?? "UTC"),
    });
  } catch (err) {
    deps.logger.warn(`could not open the settings: ${(err as Error).message}`);
    await respond({
      response_type: "ephemeral",
      text: "Sorry, I couldn't open the settings in time. Try `/tattle settings` again.",
    });
  }
};
