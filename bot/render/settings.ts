// `/tattle settings`: the channel's settings as a modal (automatic diagnosis, integrations by bot
// id, the team whose handoff the channel belongs to, and that team's shift change: channel, time,
// time zone), what a submission says once checked, and the confirmation. From App Home, a first
// small modal asks which channel (App Home has none of its own). Pure: Block Kit in, out.
import type { types } from "@slack/bolt";
import { z } from "zod";
import {
  BotId,
  type ChannelSettings,
  ClockTime,
  canonicalTimeZone,
  TeamName,
  type TeamSettings,
} from "../../incidents/index.js";
import { escapeMrkdwn, inlineCode } from "./escape.js";
import { channelRef } from "./incident-actions.js";
import { type Block, context, fitBlocks, mrkdwnSection } from "./limits.js";

export const SETTINGS_MODAL = "channel_settings_modal";
/** block_id of each input; every input's action_id is `value`. */
export const SETTINGS = {
  auto: "settings_auto",
  integrations: "settings_integrations",
  team: "settings_team",
  handoffChannel: "settings_handoff_channel",
  handoffTime: "settings_handoff_time",
  timeZone: "settings_time_zone",
} as const;
export const SETTINGS_ACTION = "value";
/** App Home's button, and the modal it opens to pick the channel to set up. */
export const HOME_SETTINGS = "home_settings";
export const SETTINGS_PICK_MODAL = "channel_settings_pick";
export const SETTINGS_PICK = "settings_pick";
const AUTO_ON = "on";

/** What the modal remembers: the channel it sets up. */
export const SettingsModalMeta = z.object({ c: z.string().min(1) });
export type SettingsModalMeta = z.infer<typeof SettingsModalMeta>;

export function parseSettingsMeta(text: string | undefined): SettingsModalMeta | null {
  try {
    const parsed = SettingsModalMeta.safeParse(JSON.parse(text ?? ""));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const plain = (text: string) => ({ type: "plain_text" as const, text, emoji: true });

function input(blockId: string, label: string, element: Record<string, unknown>, hint?: string): Block {
  return {
    type: "input",
    block_id: blockId,
    optional: true,
    label: plain(label),
    ...(hint ? { hint: plain(hint) } : {}),
    element: { action_id: SETTINGS_ACTION, ...element },
  } as Block;
}

export function renderSettingsModal(
  channel: string,
  current: ChannelSettings,
  team: TeamSettings | null,
  /** The time zone offered when the team has none (the person's own). */
  defaultTimeZone: string,
): types.ModalView {
  const autoOption = {
    text: { type: "mrkdwn" as const, text: "*Diagnose pastes automatically*" },
    description: {
      type: "mrkdwn" as const,
      text: "Off: only when someone mentions me or uses ⋮ → Diagnose with Tattletale.",
    },
    value: AUTO_ON,
  };
  const blocks: Block[] = [
    mrkdwnSection(`Settings of ${channelRef(channel)}, kept with the incidents.`, "settings_intro"),
    input(SETTINGS.auto, "Automatic diagnosis", {
      type: "checkboxes",
      options: [autoOption],
      ...(current.autoDiagnose ? { initial_options: [autoOption] } : {}),
    }),
    input(
      SETTINGS.integrations,
      "Integrations whose alerts I diagnose",
      {
        type: "plain_text_input",
        placeholder: plain("B012AB3CD, B0456EF7G"),
        ...(current.integrations.length ? { initial_value: current.integrations.join(", ") } : {}),
      },
      "Bot ids (B…) of monitoring integrations, separated by commas. Empty: messages from bots are ignored.",
    ),
    input(
      SETTINGS.team,
      "Handoff team",
      {
        type: "plain_text_input",
        max_length: 40,
        placeholder: plain("web on-call"),
        ...(current.team ? { initial_value: current.team } : {}),
      },
      "Channels with the same team share one handoff. Empty: none.",
    ),
    { type: "divider" },
    mrkdwnSection(
      "*The team's handoff at shift change*\nPosted once a day in the channel below, at the team's time in its time zone (every channel of the team shares it).",
      "settings_shift",
    ),
    input(SETTINGS.handoffChannel, "Post it in", {
      type: "conversations_select",
      filter: { include: ["public", "private"], exclude_bot_users: true },
      ...(team?.handoffChannel ? { initial_conversation: team.handoffChannel } : {}),
    }),
    input(SETTINGS.handoffTime, "At", {
      type: "timepicker",
      ...(team?.handoffTime ? { initial_time: team.handoffTime } : {}),
    }),
    input(
      SETTINGS.timeZone,
      "Time zone",
      { type: "plain_text_input", initial_value: team?.timeZone ?? defaultTimeZone },
      "An IANA time zone: Europe/Paris, America/New_York, Asia/Tokyo, UTC.",
    ),
  ];
  return {
    type: "modal",
    callback_id: SETTINGS_MODAL,
    title: plain("Channel settings"),
    submit: plain("Save"),
    close: plain("Cancel"),
    private_metadata: JSON.stringify({ c: channel } satisfies SettingsModalMeta),
    blocks: fitBlocks(blocks),
  };
}

/** App Home's first step: which channel to set up (only conversations the person is in are offered). */
export function renderSettingsPicker(): types.ModalView {
  return {
    type: "modal",
    callback_id: SETTINGS_PICK_MODAL,
    title: plain("Channel settings"),
    submit: plain("Next"),
    close: plain("Cancel"),
    blocks: fitBlocks([
      {
        type: "input",
        block_id: SETTINGS_PICK,
        label: plain("Channel"),
        hint: plain("A channel you are in; in it, /tattle settings opens the same form."),
        element: {
          action_id: SETTINGS_ACTION,
          type: "conversations_select",
          filter: { include: ["public", "private"], exclude_bot_users: true },
        },
      } as Block,
    ]),
  };
}

/** The channel picked in App Home's first step, if any. */
export function readPickedChannel(values: ViewValues): string | null {
  return values[SETTINGS_PICK]?.[SETTINGS_ACTION]?.selected_conversation ?? null;
}

/** The values of a submitted view, as Slack sends them (view.state.values). */
export type ViewValues = Record<
  string,
  Record<
    string,
    {
      value?: string | null;
      selected_options?: Array<{ value: string }> | null;
      selected_conversation?: string | null;
      selected_time?: string | null;
    }
  >
>;

export type SettingsSubmission =
  | {
      ok: true;
      channel: Pick<ChannelSettings, "autoDiagnose" | "integrations" | "team">;
      /** The team's shift change, when a team is named. */
      shift: Pick<TeamSettings, "handoffChannel" | "handoffTime" | "timeZone"> | null;
    }
  | { ok: false; errors: Record<string, string> };

/** A submission checked: the settings it asks for, or what to fix, by input. */
export function readSettingsSubmission(values: ViewValues): SettingsSubmission {
  const get = (block: string) => values[block]?.[SETTINGS_ACTION];
  const errors: Record<string, string> = {};
  const autoDiagnose = (get(SETTINGS.auto)?.selected_options ?? []).some((o) => o.value === AUTO_ON);

  const ids = (get(SETTINGS.integrations)?.value ?? "")
    .split(/[\s,;]+/)
    .map((s) => s.trim().toUpperCase())
    .filter((s) => s !== "");
  const badId = ids.find((id) => !BotId.safeParse(id).success);
  if (badId !== undefined)
    errors[SETTINGS.integrations] =
      `“${badId.slice(0, 40)}” is not a bot id: they look like B012AB3CD (a message's bot_id).`;

  const teamText = (get(SETTINGS.team)?.value ?? "").trim();
  const team = teamText === "" ? null : TeamName.safeParse(teamText);
  if (team && !team.success)
    errors[SETTINGS.team] = `A team name: ${team.error.issues[0]?.message ?? "invalid"}.`;

  const handoffChannel = get(SETTINGS.handoffChannel)?.selected_conversation ?? null;
  const handoffTime = get(SETTINGS.handoffTime)?.selected_time ?? null;
  const tzText = (get(SETTINGS.timeZone)?.value ?? "").trim() || "UTC";
  const timeZone = canonicalTimeZone(tzText);
  if (timeZone === null) errors[SETTINGS.timeZone] = "Not a time zone I know: try Europe/Paris or UTC.";
  if (handoffTime !== null && !ClockTime.safeParse(handoffTime).success)
    errors[SETTINGS.handoffTime] = "A time such as 08:00.";
  if ((handoffChannel === null) !== (handoffTime === null))
    errors[handoffChannel === null ? SETTINGS.handoffChannel : SETTINGS.handoffTime] =
      "The shift change needs both a channel and a time (or neither).";
  if (team === null && handoffChannel !== null)
    errors[SETTINGS.team] = "Name the team whose handoff is posted at shift change.";

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const teamName = team?.success ? team.data : null;
  return {
    ok: true,
    channel: { autoDiagnose, integrations: [...new Set(ids)], team: teamName },
    shift: teamName === null ? null : { handoffChannel, handoffTime, timeZone: timeZone ?? "UTC" },
  };
}

/** What was saved, for the person who saved it. */
export function renderSettingsSaved(
  channel: string,
  saved: Pick<ChannelSettings, "autoDiagnose" | "integrations" | "team">,
  shift: Pick<TeamSettings, "handoffChannel" | "handoffTime" | "timeZone"> | null,
): { text: string; blocks: Block[] } {
  const lines = [
    `⚙️ Saved the settings of ${channelRef(channel)}:`,
    `• Automatic diagnosis: *${saved.autoDiagnose ? "on" : "off"}*`,
    `• Integrations diagnosed: ${saved.integrations.length ? saved.integrations.map(inlineCode).join(", ") : "none"}`,
    `• Handoff team: ${saved.team ? `*${escapeMrkdwn(saved.team)}*` : "none"}`,
  ];
  if (saved.team && shift?.handoffChannel && shift.handoffTime)
    lines.push(
      `• Its handoff is posted in ${channelRef(shift.handoffChannel)} every day at ${escapeMrkdwn(shift.handoffTime)} ${escapeMrkdwn(shift.timeZone)}.`,
    );
  else if (saved.team) lines.push("• Its handoff is not posted at shift change.");
  const text = lines.join("\n");
  return { text: escapeMrkdwn("Settings saved."), blocks: fitBlocks([context([text])]) };
}
