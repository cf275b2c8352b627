// Times for charts: ISO UTC strings in, epoch ms for scales, short labels out. Pure.
import type { Clock } from "./series.js";

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

export function ms(iso: string): number {
  return Date.parse(iso);
}

/** Epoch ms → `2024-03-01T09:00:00Z` (seconds kept, milliseconds dropped). */
export function isoUtc(t: number): string {
  return `${new Date(t).toISOString().slice(0, 19)}Z`;
}

/** `2024-03-01 09:00 UTC`, or `… (server clock)` for times read off the server's own clock. */
export function timeLabel(t: number, clock: Clock): string {
  const text = new Date(t).toISOString().slice(0, 16).replace("T", " ");
  return clock === "utc" ? `${text} UTC` : `${text} (server clock)`;
}

/** http.sys minute keys (`2007-11-13 20:01`, UTC as it logs) → ISO UTC, null when malformed. */
export function minuteKeyToIso(key: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/.exec(key);
  if (!m) return null;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  return Number.isFinite(t) && isoUtc(t).startsWith(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}`)
    ? isoUtc(t)
    : null;
}

/**
 * An Event Log time as the tools print it: ISO (`2007-11-13T20:01:44.000`, with `Z` or an offset
 * when the tool gave one: then it is UTC) or the US form of Event Viewer (`11/13/2007 8:01:44 PM`).
 * Anything else (day-first dates, which read the same as month-first ones) is not guessed: null.
 */
export function readEventTime(text: string): { t: number; clock: Clock } | null {
  const iso =
    /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(
      text.trim(),
    );
  if (iso) {
    const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(iso[i] ?? "0")) as number[];
    const base = checked(y ?? 0, mo ?? 0, d ?? 0, h ?? 0, mi ?? 0, s ?? 0);
    if (base === null) return null;
    const zone = iso[7];
    if (zone === undefined) return { t: base, clock: "server" };
    if (zone === "Z") return { t: base, clock: "utc" };
    const off = /([+-])(\d{2}):?(\d{2})/.exec(zone);
    const sign = off?.[1] === "-" ? -1 : 1;
    const offsetMs = sign * (Number(off?.[2]) * 60 + Number(off?.[3])) * MINUTE_MS;
    return { t: base - offsetMs, clock: "utc" };
  }
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?$/.exec(
    text.trim(),
  );
  if (!us) return null;
  let hour = Number(us[4]);
  if (us[7] !== undefined) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (/p/i.test(us[7]) ? 12 : 0);
  }
  const t = checked(Number(us[3]), Number(us[1]), Number(us[2]), hour, Number(us[5]), Number(us[6] ?? "0"));
  return t === null ? null : { t, clock: "server" };
}

/** Date.UTC, or null when a field is out of range (Date.UTC would roll 13/11 into next January). */
function checked(y: number, mo: number, d: number, h: number, mi: number, s: number): number | null {
  const t = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(t);
  const same =
    back.getUTCFullYear() === y &&
    back.getUTCMonth() === mo - 1 &&
    back.getUTCDate() === d &&
    back.getUTCHours() === h &&
    back.getUTCMinutes() === mi;
  return Number.isFinite(t) && same && s < 61 ? t : null;
}
