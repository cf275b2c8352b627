// Reading the times people paste. Only differences between times matter to the facts (growth rates,
// time to a limit), so a time without a zone is read as if it were UTC; a time with an offset
// (`2024-03-12T09:02:41+01:00`) is moved to UTC so that two offsets still subtract correctly.
//
// The forms read, anywhere in the text:
// - ISO 8601 (`2024-03-12 09:02:41`, `2024-03-12T09:02:41.123Z`, with an offset), what `Get-Date -Format
//   s/o/u`, typeperf in some locales, relog and most CSV exports write;
// - numeric dates with `/`, `.` or `-` (`03/12/2024  9:02:41.17`, `12/03/2024 09:02:41,17`,
//   `12.03.2024 09:02`), with an optional weekday (`Tue`) and AM/PM: cmd's `echo %date% %time%`,
//   Get-Date's short forms, typeperf / pool-tag CSV timestamps. `d.m.y` is always day first; with
//   `/` or `-` the order is decided per series (see `parseTimes`);
// - dates with month names (`Tuesday, March 12, 2024 9:02:41 AM`, `Tuesday, 12 March 2024 09:02:41`,
//   `12-Mar-2024 09:02`): Get-Date's default long form in English locales;
// - a time of day alone (`09:02 AM` from `time /t`, `9:02:41.17` from `echo %time%`), read on one
//   day; in a series, a time earlier than the one before it is on the next day.

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

const MONTHS = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];

/** `mar`, `march`, `Sept` → 1..12, or null. */
function monthOf(word: string): number | null {
  const w = word.toLowerCase().replace(/\.$/, "");
  if (w.length < 3) return null;
  const i = MONTHS.findIndex((m) => m.startsWith(w) || (w === "sept" && m === "september"));
  return i === -1 ? null : i + 1;
}

/** A time read from a text, before the day/month order of an ambiguous date is decided. */
interface Parts {
  /** Numeric dates with `/` or `-` whose first two fields both fit a month: `03/04/2024`. */
  ambiguous: boolean;
  /** Year, month, day as read month-first (for an ambiguous date) or as known. */
  y: number;
  mo: number;
  d: number;
  /** The same date read day-first (ambiguous dates only). */
  alt: { mo: number; d: number } | null;
  ms: number;
  /** Minutes east of UTC when the text gave an offset. */
  offsetMin: number;
  /** No date at all: a time of day (`09:02 AM`). */
  timeOnly: boolean;
}

const TIME = String.raw`(\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,](\d{1,7}))?(?:\s?([AaPp])\.?[Mm]\.?)?`;
const ISO =
  /(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,](\d{1,7}))?\s?(Z|[+-]\d{2}:?\d{2})?/;
const NUMERIC = new RegExp(String.raw`(?<!\d)(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?!\d)[,\sT]+${TIME}`);
/** `March 12, 2024 9:02:41 AM`, `Mar 12 2024 09:02` */
const MONTH_FIRST = new RegExp(String.raw`\b([A-Za-z]{3,9}\.?)\s+(\d{1,2}),?\s+(\d{4}),?\s+${TIME}`);
/** `12 March 2024 09:02:41`, `12-Mar-2024 09:02`, `12. März`-style dots are not read */
const DAY_FIRST = new RegExp(String.raw`\b(\d{1,2})[\s-]([A-Za-z]{3,9}\.?)[\s-](\d{4}),?\s+${TIME}`);
const TIME_ONLY = new RegExp(String.raw`(?<![\d:/.-])${TIME}(?![\d:])`);

/** Milliseconds into the day; fractions of a second (`%time%`'s hundredths) are dropped: rates are per hour. */
function clockMs(h: string, mi: string, s: string | undefined, ampm: string | undefined) {
  let hour = Number(h);
  if (ampm !== undefined) {
    hour %= 12;
    if (/p/i.test(ampm)) hour += 12;
  }
  return ((hour * 60 + Number(mi)) * 60 + Number(s ?? "0")) * 1000;
}

function fullYear(y: string): number {
  const n = Number(y);
  return y.length <= 2 ? 2000 + n : n;
}

function offsetOf(zone: string | undefined): number {
  if (zone === undefined || zone === "Z") return 0;
  const m = /([+-])(\d{2}):?(\d{2})/.exec(zone);
  if (!m) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === "-" ? -minutes : minutes;
}

function partsOf(text: string): Parts | null {
  const base = { ambiguous: false, alt: null, offsetMin: 0, timeOnly: false };
  const iso = ISO.exec(text);
  if (iso) {
    const [, y, mo, d, h, mi, s, , zone] = iso;
    return {
      ...base,
      y: Number(y),
      mo: Number(mo),
      d: Number(d),
      ms: clockMs(h as string, mi as string, s, undefined),
      offsetMin: offsetOf(zone),
    };
  }
  const num = NUMERIC.exec(text);
  if (num) {
    const [, a, sep, b, y, h, mi, s, , ampm] = num;
    const first = Number(a);
    const second = Number(b);
    const ms = clockMs(h as string, mi as string, s, ampm);
    // `d.m.y` is day first wherever it is written; a field over 12 can only be the day.
    if (sep === "." || (first > 12 && second <= 12)) {
      return { ...base, y: fullYear(y as string), mo: second, d: first, ms };
    }
    const ambiguous = first <= 12 && second <= 12 && first !== second;
    return {
      ...base,
      ambiguous,
      y: fullYear(y as string),
      mo: first,
      d: second,
      alt: ambiguous ? { mo: second, d: first } : null,
      ms,
    };
  }
  const mf = MONTH_FIRST.exec(text);
  const mfMonth = mf ? monthOf(mf[1] as string) : null;
  if (mf && mfMonth !== null) {
    const [, , d, y, h, mi, s, , ampm] = mf;
    return {
      ...base,
      y: Number(y),
      mo: mfMonth,
      d: Number(d),
      ms: clockMs(h as string, mi as string, s, ampm),
    };
  }
  const df = DAY_FIRST.exec(text);
  const dfMonth = df ? monthOf(df[2] as string) : null;
  if (df && dfMonth !== null) {
    const [, d, , y, h, mi, s, , ampm] = df;
    return {
      ...base,
      y: Number(y),
      mo: dfMonth,
      d: Number(d),
      ms: clockMs(h as string, mi as string, s, ampm),
    };
  }
  const t = TIME_ONLY.exec(text);
  if (t) {
    const [, h, mi, s, , ampm] = t;
    if (Number(h) > 23 || Number(mi) > 59) return null;
    return { ...base, y: 1970, mo: 1, d: 1, ms: clockMs(h as string, mi as string, s, ampm), timeOnly: true };
  }
  return null;
}

function epoch(p: Parts, dayFirst: boolean): number | null {
  const { mo, d } = dayFirst && p.alt ? p.alt : p;
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  const day = Date.UTC(p.y, mo - 1, d);
  if (!Number.isFinite(day) || new Date(day).getUTCDate() !== d) return null;
  return day + p.ms - p.offsetMin * MINUTE_MS;
}

/** One time, read on its own (an ambiguous `03/04/2024` is month first, as cmd prints it in the US); epoch ms, or null. */
export function parseLooseTime(text: string): number | null {
  return parseTimes([text])[0] ?? null;
}

/**
 * The times of one series (snapshots of one server, rows of one CSV), in order, read together:
 * an ambiguous `03/04/2024` is read day first or month first for the whole series, whichever keeps
 * every date valid and the series shortest (samples are minutes or hours apart, not months); a time
 * of day alone that is earlier than the one before it is on the next day.
 */
export function parseTimes(texts: ReadonlyArray<string | null>): Array<number | null> {
  const parts = texts.map((t) => (t === null ? null : partsOf(t)));
  const spanOf = (dayFirst: boolean): number | null => {
    const ts = parts.map((p) => (p && !p.timeOnly ? epoch(p, dayFirst) : null));
    if (parts.some((p, i) => p && !p.timeOnly && ts[i] === null)) return null;
    const known = ts.filter((t): t is number => t !== null);
    return known.length === 0 ? 0 : Math.max(...known) - Math.min(...known);
  };
  let dayFirst = false;
  if (parts.some((p) => p?.ambiguous)) {
    const monthFirstSpan = spanOf(false);
    const dayFirstSpan = spanOf(true);
    dayFirst = dayFirstSpan !== null && (monthFirstSpan === null || dayFirstSpan < monthFirstSpan);
  }
  let lastDated: number | null = null;
  let lastTimeOnly: number | null = null;
  let rollover = 0;
  return parts.map((p) => {
    if (p === null) return null;
    if (!p.timeOnly) {
      const t = epoch(p, dayFirst);
      if (t !== null) lastDated = t - (t % DAY_MS);
      return t;
    }
    if (lastTimeOnly !== null && p.ms + rollover < lastTimeOnly) rollover += DAY_MS;
    lastTimeOnly = p.ms + rollover;
    return (lastDated ?? 0) + p.ms + rollover;
  });
}

/** Whole minutes from one W3C log time (`2007-11-13 19:58:12`) to another, or null. */
export function minutesBetween(first: string | null, last: string | null): number | null {
  if (first === null || last === null) return null;
  const a = Date.parse(`${first.replace(" ", "T")}Z`);
  const b = Date.parse(`${last.replace(" ", "T")}Z`);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return null;
  return Math.round((b - a) / 60_000);
}
