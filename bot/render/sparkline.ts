// A per-minute sparkline of refused connections (▁▂▃▄▅▆▇█), from facts.httperr.refusalsPerMinute.
const BARS = "▁▂▃▄▅▆▇█";
/** Widest sparkline drawn; longer series are summed into buckets of several minutes. */
export const MAX_WIDTH = 60;

/** One bar per value: zero is the lowest bar, anything above zero at least the second. */
export function sparkline(values: number[]): string {
  const max = Math.max(0, ...values);
  if (max <= 0) return BARS[0]?.repeat(values.length) ?? "";
  return values
    .map((v) => {
      if (!(v > 0)) return BARS[0];
      const level = 1 + Math.min(6, Math.floor((v / max) * 6.999));
      return BARS[Math.min(level, 7)];
    })
    .join("");
}

export interface MinuteSeries {
  values: number[];
  /** First and last minute shown, `YYYY-MM-DD HH:MM`. */
  from: string;
  to: string;
  bucketMinutes: number;
  peak: number;
  total: number;
}

const MINUTE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})$/;

function minuteOf(key: string): number | null {
  const m = MINUTE.exec(key);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  return Number.isFinite(ms) ? ms / 60_000 : null;
}

function keyOf(minute: number): string {
  return new Date(minute * 60_000).toISOString().slice(0, 16).replace("T", " ");
}

/**
 * Fills the gaps between the first and last minute with zeros and buckets the series to at most
 * MAX_WIDTH bars. Null when there is nothing to draw (no refusals, or unreadable minute keys).
 */
export function minuteSeries(perMinute: Record<string, number>, maxWidth = MAX_WIDTH): MinuteSeries | null {
  const points = Object.entries(perMinute)
    .map(([k, v]) => [minuteOf(k), v] as const)
    .filter((p): p is readonly [number, number] => p[0] !== null && Number.isFinite(p[1]) && p[1] >= 0);
  if (points.length === 0) return null;
  const first = Math.min(...points.map((p) => p[0]));
  const last = Math.max(...points.map((p) => p[0]));
  const span = last - first + 1;
  const bucketMinutes = Math.max(1, Math.ceil(span / maxWidth));
  const values = new Array<number>(Math.ceil(span / bucketMinutes)).fill(0);
  let total = 0;
  for (const [minute, count] of points) {
    const i = Math.floor((minute - first) / bucketMinutes);
    values[i] = (values[i] ?? 0) + count;
    total += count;
  }
  if (total <= 0) return null;
  return { values, from: keyOf(first), to: keyOf(last), bucketMinutes, peak: Math.max(...values), total };
}
