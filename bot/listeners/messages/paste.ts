// A message in a channel, a group or a DM: a possible paste.
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import type { BotDeps } from "../../deps.js";
import type { SlackFile } from "../../services/files.js";
import { isHumanPaste, type SlackMessage } from "../../services/thread.js";

type Args = AllMiddlewareArgs & SlackEventMiddlewareArgs<"message">;

interface MessageEventLike extends SlackMessage {
  channel: string;
  channel_type?: string;
  team?: string;
  files?: SlackFile[];
}

export async function onMessage({ event, body, context, logger }: Args, deps: BotDeps): Promise<void> {
  const m = event as unknown as MessageEventLike;
  if (!isHumanPaste(m) || !m.user) return;
  const direct = m.channel_type === "im";
  // A mention in a channel also arrives as app_mention, which always answers: leave it to that one.
  if (!direct && context.botUserId && (m.text ?? "").includes(`<@${context.botUserId}>`)) return;
  try {
    // Resolves once the paste is stored: only then does Slack get its acknowledgement (intake.ts).
    const outcome = await deps.diagnoser.accept(
      {
        workspace: context.teamId ?? body.team_id ?? m.team ?? "unknown",
        channel: m.channel,
        ts: m.ts,
        threadTs: m.thread_ts,
        user: m.user,
        text: m.text ?? "",
        files: m.files ?? [],
      },
      direct ? "always" : "if-readable",
      { botId: context.botId, botUserId: context.botUserId },
    );
    logger.debug(`message ${m.channel}/${m.ts}: ${outcome}`);
  } catch (err) {
    logger.error(`could not answer message ${m.channel}/${m.ts}:`, err);
  }
}
