// An edited message (message_changed): an edited paste is diagnosed again, once, and its answer
// replaces the earlier one. Changes that alter nothing the bot reads (a link unfurled, a reaction
// count) and the bot's own edits are ignored.
import { incidentId, kindOfChannelType } from "../../../incidents/index.js";
import { type BotDeps, channelSettingsOf } from "../../deps.js";
import type { SlackFile } from "../../services/files.js";
import { isOurs, isReadable, messageText, type SlackMessage } from "../../services/thread.js";
import type { MessageArgs } from "./paste.js";

interface MessageChanged {
  channel: string;
  channel_type?: string;
  event_ts?: string;
  message?: SlackMessage & { edited?: { ts?: string }; files?: SlackFile[] };
  previous_message?: SlackMessage;
}

const fileIds = (m: SlackMessage | undefined) => (m?.files ?? []).map((f) => f.id).join(",");

export async function onMessageChanged(
  { event, body, context, logger }: MessageArgs,
  deps: BotDeps,
): Promise<void> {
  const e = event as unknown as MessageChanged;
  const m = e.message;
  if (!m?.ts) return;
  const skip = (why: string) => logger.debug(`edited message ${e.channel}/${m.ts}: skipped (${why})`);
  const me = { botId: context.botId, botUserId: context.botUserId };
  if (isOurs(m, me)) return skip("our own");
  if (
    e.previous_message &&
    messageText(e.previous_message) === messageText(m) &&
    fileIds(e.previous_message) === fileIds(m)
  )
    return skip("nothing read changed");
  const direct = e.channel_type === "im";
  const settings = await channelSettingsOf(deps, e.channel);
  if (!isReadable(m, settings.integrations)) return skip("not a paste");
  const workspace = context.teamId ?? (body as { team_id?: string }).team_id ?? "unknown";
  const threadTs = m.thread_ts ?? m.ts;
  const known =
    (await deps.store?.get(incidentId({ workspace, channel: e.channel, threadTs }))) !== undefined;
  // Slack sends no app_mention for an edit: a mention in the edited text asks, like a DM does.
  const mentioned = context.botUserId !== undefined && (m.text ?? "").includes(`<@${context.botUserId}>`);
  // An incident's paste is read again whatever the settings; anything else as a new paste would be.
  const asked = known || direct || mentioned;
  if (!asked && !settings.autoDiagnose) return skip("automatic diagnosis is off here");
  try {
    // Resolves once the edit is stored as a paste task (intake.ts).
    const outcome = await deps.diagnoser.accept(
      {
        workspace,
        channel: e.channel,
        ts: m.ts,
        threadTs: m.thread_ts,
        user: m.user ?? m.bot_id ?? "unknown",
        text: messageText(m),
        files: m.files ?? [],
        conversationKind: kindOfChannelType(e.channel_type),
        allowBots: settings.integrations,
        edit: { key: `edit:${e.channel}:${m.ts}:${m.edited?.ts ?? e.event_ts ?? ""}` },
      },
      asked ? "always" : "if-readable",
      me,
      // The edited message may head a thread of more pastes: the incident is the whole thread.
      { wholeThread: true },
    );
    logger.debug(`edited message ${e.channel}/${m.ts}: ${outcome}`);
  } catch (err) {
    logger.error(`could not answer the edit of ${e.channel}/${m.ts}:`, err);
  }
}
