// App Home's channel picker submitted: the same settings form as `/tattle settings` in that
// channel replaces the picker. Only a member may set up a private channel (or read its settings):
// the same membership check as for its incidents (services/visibility.ts).
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import { channelSettings, mayView, teamSettings } from "../../../incidents/index.js";
import type { BotDeps } from "../../deps.js";
import {
  readPickedChannel,
  renderSettingsModal,
  SETTINGS_PICK,
  type ViewValues,
} from "../../render/settings.js";

type Args = AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>;

export async function onSettingsPicked({ view, body, ack, client }: Args, deps: BotDeps): Promise<void> {
  const refuse = (message: string) =>
    ack({ response_action: "errors", errors: { [SETTINGS_PICK]: message } });
  const channel = readPickedChannel(view.state.values as ViewValues);
  if (!channel) return refuse("Pick the channel to set up.");
  if (!deps.store) return refuse("The incident file is unavailable, so settings can't be kept now.");
  const user = body.user.id;
  const audience = await deps.visibility.audience(client, channel);
  if (!mayView(audience, user)) return refuse("You can set up only a channel you are in.");
  const all = await deps.store.getSettings();
  const current = channelSettings(all, channel);
  const team = current.team ? teamSettings(all, current.team) : null;
  const person = await deps.people.person(client, user);
  await ack({
    response_action: "update",
    view: renderSettingsModal(channel, current, team, person?.tz ?? "UTC"),
  });
}
