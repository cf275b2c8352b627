// "Diagnose with Tattletale" on any message: the diagnosis goes to that message's thread.
import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from "@slack/bolt";
import { type BotDeps, channelSettingsOf, slackErrorCode } from "../../deps.js";
import { escapeMrkdwn } from "../../render/escape.js";
import type { SlackFile } from "../../services/files.js";

type Args = AllMiddlewareArgs & SlackShortcutMiddlewareArgs<MessageShortcut>;

export const DIAGNOSE_MESSAGE = "diagnose_message";

export async function onDiagnoseMessage(
  { shortcut, ack, respond, client, context, logger }: Args,
  deps: BotDeps,
) {
  await ack();
  const message = shortcut.message as MessageShortcut["message"] & {
    files?: SlackFile[];
    thread_ts?: string;
  };
  const settings = await channelSettingsOf(deps, shortcut.channel.id);
  try {
    const outcome = await deps.diagnoser.handlePaste(
      client,
      {
        workspace: context.teamId ?? shortcut.team?.id ?? "unknown",
        channel: shortcut.channel.id,
        ts: message.ts,
        threadTs: message.thread_ts,
        user: shortcut.user.id,
        text: message.text ?? "",
        files: message.files ?? [],
        allowBots: settings.integrations,
      },
      "private",
      { botId: context.botId, botUserId: context.botUserId },
      true,
    );
    if (outcome.kind === "nothing-readable")
      await respond({ response_type: "ephemeral", replace_original: false, ...outcome.message });
  } catch (err) {
    const code = slackErrorCode(err);
    logger.warn(`shortcut on ${shortcut.channel.id}/${message.ts} failed:`, err);
    const text =
      code === "not_in_channel" || code === "channel_not_found"
        ? "I'm not in this channel, so I can't read or answer its threads. Invite me with `/invite @Tattletale` and try again."
        : `Sorry, I couldn't diagnose that message (${escapeMrkdwn(code ?? "unexpected error")}).`;
    await respond({ response_type: "ephemeral", replace_original: false, text }).catch(() => undefined);
  }
}
