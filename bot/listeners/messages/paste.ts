// A message in a channel, a group or a DM: a possible paste, or an integration's alert. The
// channel's settings decide whether it is read without being asked (incidents/settings.ts).
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import { kindOfChannelType } from "../../../incidents/index.js";
import { type BotDeps, channelSettingsOf } from "../../deps.js";
import type { SlackFile } from "../../services/files.js";
import { isHumanPaste, isIntegrationMessage, messageText, type SlackMessage } from "../../services/thread.js";
import { onMessageChanged } from "./edit.js";

export type MessageArgs = AllMiddlewareArgs & SlackEventMiddlewareArgs<"message">;

export interface MessageEventLike extends SlackMessage {
  channel: string;
  channel_type?: string;
  team?: string;
  files?: SlackFile[];
}

export async function onMessage(args: MessageArgs, deps: BotDeps): Promise<void> {
  const { event, body, context, logger } = args;
  const m = event as unknown as MessageEventLike;
  if (m.subtype === "message_changed") return onMessageChanged(args, deps);
  const me = { botId: context.botId, botUserId: context.botUserId };
  const integration = isIntegrationMessage(m, me);
  if (!integration && (!isHumanPaste(m) || !m.user)) return;
  const direct = m.channel_type === "im";
  if (direct && integration) return;
  // A mention in a channel also arrives as app_mention, which always answers: leave it to that one.
  if (!direct && !integration && context.botUserId && (m.text ?? "").includes(`<@${context.botUserId}>`))
    return;
  const settings = await channelSettingsOf(deps, m.channel);
  const skip = (why: string) => logger.debug(`message ${m.channel}/${m.ts}: skipped (${why})`);
  // Automatic diagnosis off: the channel is read only when asked (a mention, the shortcut).
  if (!direct && !settings.autoDiagnose) return skip("automatic diagnosis is off here");
  // An integration's alert is read only when the channel allows that integration (by bot id).
  if (integration && !settings.integrations.includes(m.bot_id as string))
    return skip(`integration ${m.bot_id} is not allowed here`);
  try {
    // Resolves once the paste is stored: only then does Slack get its acknowledgement (intake.ts).
    const outcome = await deps.diagnoser.accept(
      {
        workspace: context.teamId ?? body.team_id ?? m.team ?? "unknown",
        channel: m.channel,
        ts: m.ts,
        threadTs: m.thread_ts,
        user: integration ? (m.bot_id as string) : (m.user as string),
        text: messageText(m),
        files: m.files ?? [],
        conversationKind: kindOfChannelType(m.channel_type),
        allowBots: settings.integrations,
      },
      direct ? "always" : "if-readable",
      me,
    );
    logger.debug(`message ${m.channel}/${m.ts}: ${outcome}`);
  } catch (err) {
    logger.error(`could not answer message ${m.channel}/${m.ts}:`, err);
  }
}
