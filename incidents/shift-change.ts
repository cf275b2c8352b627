// When a team's handoff is due: its local time in its own time zone, once per local day. Pure (the
// clock is an argument), so the scheduler can be tested at any instant, across DST changes too.
import type { TeamSettings } from "./settings.js";

/** A late start (the bot was down at shift change) still posts within this many minutes. */
export const GRACE_MINUTES = 60;

const MINUTES_PER_DAY = 24 * 60;

/** The wall-clock date (`YYYY-MM-DD`) and minute of the day (0–1439) at `ms` in `timeZone`. */
export function localClock(ms: number, timeZone: string): { date: string; minute: number } {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(new Date(ms));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "00";
  return {
    date: `${get("year")}-${get("month")}-${get("day")}`,
    minute: Number(get("hour")) * 60 + Number(get("minute")),
  };
}

/** The calendar day before `date` (`YYYY-MM-DD`). */
export function dayBefore(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

/**
 * The local date whose shift change is due at `ms`, or null: the team has a channel and a time, the
 * time passed less than `grace` minutes ago (a day's grace may run past midnight), and that date
 * was not posted yet. A time skipped by a DST change fires at the first minute after it.
 */
export function dueShiftChange(
  team: Pick<TeamSettings, "handoffChannel" | "handoffTime" | "timeZone" | "lastPostedOn">,
  ms: number,
  grace = GRACE_MINUTES,
): string | null {
  if (!team.handoffChannel || !team.handoffTime) return null;
  const [h = 0, m = 0] = team.handoffTime.split(":").map(Number);
  const at = h * 60 + m;
  const now = localClock(ms, team.timeZone);
  const candidates = [
    { date: now.date, late: now.minute - at },
    { date: dayBefore(now.date), late: now.minute + MINUTES_PER_DAY - at },
  ];
  const due = candidates.find((c) => c.late >= 0 && c.late < grace && c.date !== team.lastPostedOn);
  return due?.date ?? null;
}
