// `@Tattletale …`: always answered, "nothing I can read here" included.
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import type { BotDeps } from "../../deps.js";
import type { SlackFile } from "../../services/files.js";

type Args = AllMiddlewareArgs & SlackEventMiddlewareArgs<"app_mention">;

export async function onAppMention({ event, body, context, logger }: Args, deps: BotDeps): Promise<void> {
  const files = ((event as { files?: SlackFile[] }).files ?? []) as SlackFile[];
  try {
    // Resolves once the paste is stored: only then does Slack get its acknowledgement (intake.ts).
    await deps.diagnoser.accept(
      {
        workspace: context.teamId ?? body.team_id ?? "unknown",
        channel: event.channel,
        ts: event.ts,
        threadTs: event.thread_ts,
        user: event.user ?? "unknown",
        text: event.text ?? "",
        files,
      },
      "always",
      { botId: context.botId, botUserId: context.botUserId },
    );
  } catch (err) {
    logger.error(`could not answer mention ${event.channel}/${event.ts}:`, err);
  }
}
