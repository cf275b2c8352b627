// The settings modal's submission: checked (errors go back into the form), saved with the
// incidents in one write (the channel's settings and its team's shift change), and confirmed to
// the person who saved them.
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import { DEFAULT_CHANNEL_SETTINGS, teamSettings } from "../../../incidents/index.js";
import type { BotDeps } from "../../deps.js";
import {
  parseSettingsMeta,
  readSettingsSubmission,
  renderSettingsSaved,
  SETTINGS,
  type ViewValues,
} from "../../render/settings.js";

type Args = AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>;

export async function onSettingsSubmitted(
  { view, body, ack, client, logger }: Args,
  deps: BotDeps,
): Promise<void> {
  const meta = parseSettingsMeta(view.private_metadata);
  const refuse = (errors: Record<string, string>) => ack({ response_action: "errors", errors });
  if (!meta)
    return refuse({
      [SETTINGS.auto]: "This form lost track of its channel: close it and run /tattle settings again.",
    });
  if (!deps.store)
    return refuse({ [SETTINGS.auto]: "The incident file is unavailable, so settings can't be kept now." });
  const read = readSettingsSubmission(view.state.values as ViewValues);
  if (!read.ok) return refuse(read.errors);
  await ack();

  const user = body.user.id;
  const at = new Date(deps.now()).toISOString();
  try {
    await deps.store.updateSettings((s) => {
      s.channels[meta.c] = {
        ...(s.channels[meta.c] ?? DEFAULT_CHANNEL_SETTINGS),
        ...read.channel,
        updatedAt: at,
        updatedBy: user,
      };
      if (read.channel.team && read.shift) {
        const before = teamSettings(s, read.channel.team);
        const moved =
          before.handoffTime !== read.shift.handoffTime || before.timeZone !== read.shift.timeZone;
        // A new time or zone starts afresh; the same one keeps "already posted today".
        s.teams[read.channel.team] = {
          ...before,
          ...read.shift,
          lastPostedOn: moved ? null : before.lastPostedOn,
        };
      }
      return s;
    });
  } catch (err) {
    logger.error("could not save the settings:", err);
    await client.chat
      .postEphemeral({ channel: meta.c, user, text: "Sorry, I couldn't save the settings. Try again." })
      .catch(() => undefined);
    return;
  }
  await client.chat
    .postEphemeral({ channel: meta.c, user, ...renderSettingsSaved(meta.c, read.channel, read.shift) })
    .catch((err: Error) => logger.warn(`settings saved, not confirmed: ${err.message}`));
}
