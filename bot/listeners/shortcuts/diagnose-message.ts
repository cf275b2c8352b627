// "Diagnose with Tattletale" on any message: the diagnosis goes to that message's thread.
import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from "@slack/bolt";
import { type BotDeps, slackErrorCode } from "../../deps.js";
import { escapeMrkdwn } from "../../render/escape.js";
import type { SlackFile } from "../../services/files.js";

type Args = AllMiddlewareArgs & SlackShortcutMiddlewareArgs<MessageShortcut>;

export const DIAGNOSE_MESSAGE = "diagnose_message";

export async function onDiagnoseMessage({ shortcut, ack, respond, context, logger }: Args, deps: BotDeps) {
  const message = shortcut.message as MessageShortcut["message"] & {
    files?: SlackFile[];
    thread_ts?: string;
  };
  try {
    // Stored before the acknowledgement, like a paste: the diagnosis (or, when there is nothing to
    // read, the private answer through the response URL) is then the outbox's to deliver.
    await deps.diagnoser.accept(
      {
        workspace: context.teamId ?? shortcut.team?.id ?? "unknown",
        channel: shortcut.channel.id,
        ts: message.ts,
        threadTs: message.thread_ts,
        user: shortcut.user.id,
        text: message.text ?? "",
        files: message.files ?? [],
      },
      "private",
      { botId: context.botId, botUserId: context.botUserId },
      { wholeThread: true, responseUrl: shortcut.response_url },
    );
    await ack();
  } catch (err) {
    await ack().catch(() => undefined);
    const code = slackErrorCode(err);
    logger.warn(`shortcut on ${shortcut.channel.id}/${message.ts} failed:`, err);
    const text = `Sorry, I couldn't diagnose that message (${escapeMrkdwn(code ?? "unexpected error")}).`;
    await respond({ response_type: "ephemeral", replace_original: false, text }).catch(() => undefined);
  }
}
