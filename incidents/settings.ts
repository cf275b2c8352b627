// Per-channel and per-team settings, stored with the incidents (the same file, the same store):
// whether a channel's pastes are diagnosed without being asked, which integrations' alerts are
// read, which team's handoff the channel belongs to, and where and when each team's handoff is
// posted at shift change. A channel nobody configured behaves as before settings existed.
import { z } from "zod";

/** The id of the one settings record every store keeps. */
export const SETTINGS_ID = "all";

const Iso = z.iso.datetime();

/** A Slack bot id (`B…`), as message events carry it in `bot_id`. */
export const BotId = z.string().regex(/^B[A-Z0-9]{2,30}$/, "a bot id looks like B012AB3CD");

/** A team (handoff) name: what people call the rota, e.g. `web` or `Database on-call`. */
export const TeamName = z
  .string()
  .trim()
  .min(1)
  .max(40, "at most 40 characters")
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u, "letters, digits, spaces, dots, dashes and underscores");

/** `HH:MM`, 24-hour, local to the team's time zone. */
export const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "a time such as 08:00");

/** An IANA time zone the runtime knows (`Europe/Paris`, `America/New_York`, `UTC`), canonical. */
export function canonicalTimeZone(tz: string): string | null {
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: tz.trim() }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

export const TimeZone = z
  .string()
  .refine((tz) => canonicalTimeZone(tz) !== null, "an IANA time zone such as Europe/Paris");

export const ChannelSettings = z.object({
  /** Pastes are diagnosed without being asked (a mention, a DM or the shortcut always work). */
  autoDiagnose: z.boolean(),
  /** Integrations (bot ids) whose messages, monitoring alerts say, are diagnosed like pastes. */
  integrations: z.array(BotId),
  /** The team whose handoff the channel's incidents go to; null: none. */
  team: TeamName.nullable(),
  updatedAt: Iso.nullable(),
  updatedBy: z.string().nullable(),
});
export type ChannelSettings = z.infer<typeof ChannelSettings>;

export const TeamSettings = z.object({
  /** Where the team's handoff is posted at shift change; null: not posted. */
  handoffChannel: z.string().nullable(),
  /** When, local to `timeZone`. */
  handoffTime: ClockTime.nullable(),
  timeZone: TimeZone,
  /**
   * The local date (`YYYY-MM-DD` in `timeZone`) of the last shift change posted: claimed before
   * posting, so a day's handoff is posted at most once, across restarts.
   */
  lastPostedOn: z.string().nullable(),
});
export type TeamSettings = z.infer<typeof TeamSettings>;

export const Settings = z.object({
  /** By channel id. */
  channels: z.record(z.string(), ChannelSettings),
  /** By team name. */
  teams: z.record(z.string(), TeamSettings),
});
export type Settings = z.infer<typeof Settings>;

/** Today's behaviour: every readable paste diagnosed, integrations ignored, no team. */
export const DEFAULT_CHANNEL_SETTINGS: Readonly<ChannelSettings> = Object.freeze({
  autoDiagnose: true,
  integrations: [],
  team: null,
  updatedAt: null,
  updatedBy: null,
});

export function emptySettings(): Settings {
  return { channels: {}, teams: {} };
}

/** A channel's settings, or the defaults when nobody set them. */
export function channelSettings(s: Settings, channel: string): ChannelSettings {
  return structuredClone(s.channels[channel] ?? DEFAULT_CHANNEL_SETTINGS);
}

/** A team's settings, or a team without a scheduled handoff. */
export function teamSettings(s: Settings, team: string): TeamSettings {
  return structuredClone(
    s.teams[team] ?? { handoffChannel: null, handoffTime: null, timeZone: "UTC", lastPostedOn: null },
  );
}

/** The channels that belong to `team`. */
export function channelsOfTeam(s: Settings, team: string): string[] {
  return Object.entries(s.channels)
    .filter(([, c]) => c.team === team)
    .map(([id]) => id)
    .sort();
}
