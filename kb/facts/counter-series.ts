// Reading performance counter samples (counter-csv inputs) by object and counter name, with their
// times as epoch ms (the server's printed clock, read as UTC: only differences matter).
import type { CounterCsvData, CounterPath } from "../../parsers/evidence.js";
import { parseLooseTime } from "../time.js";

export interface Column {
  index: number;
  path: CounterPath;
}

/** The columns of one object and counter (lower-case names), any instance, on one machine. */
export function columnsOf(
  data: CounterCsvData,
  object: string,
  counter: string,
  machine?: string | null,
): Column[] {
  const out: Column[] = [];
  data.counters.forEach((path, index) => {
    if (path.object.toLowerCase() !== object || path.counter.toLowerCase() !== counter) return;
    if (machine !== undefined && (path.machine ?? "").toLowerCase() !== (machine ?? "").toLowerCase()) return;
    out.push({ index, path });
  });
  return out;
}

/** Each sample's time (epoch ms), null when it has none or it cannot be read. */
export function sampleTimes(data: CounterCsvData): Array<number | null> {
  return data.samples.map((s) => (s.time === null ? null : parseLooseTime(s.time)));
}

/** Least-squares slope of y over x (per unit of x), null with fewer than two distinct x. */
export function slope(points: ReadonlyArray<[number, number]>): number | null {
  if (points.length < 2) return null;
  const n = points.length;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const [x, y] of points) {
    sxx += (x - mx) ** 2;
    sxy += (x - mx) * (y - my);
  }
  return sxx === 0 ? null : sxy / sxx;
}

export const round1 = (n: number): number => Math.round(n * 10) / 10;
export const round3 = (n: number): number => Math.round(n * 1000) / 1000;
