// Where a series is heading: a least-squares line through its samples, and when it crosses a level.
// Pure; what the pool chart draws as its dashed projection.
import { formatDuration } from "../kb/format.js";
import type { Clock, Projection, Sample, Series } from "./series.js";
import { DAY_MS, HOUR_MS, isoUtc, MINUTE_MS, ms, timeLabel } from "./time.js";

/** value ≈ at + slopePerMs · (t − t0): times are taken from the first sample to keep precision. */
export interface Fit {
  t0: number;
  at: number;
  slopePerMs: number;
}

/** Ordinary least squares of value over time; null with fewer than two distinct times. */
export function leastSquares(samples: Sample[]): Fit | null {
  if (samples.length < 2) return null;
  const t0 = Math.min(...samples.map((s) => ms(s.t)));
  const xs = samples.map((s) => ms(s.t) - t0);
  const ys = samples.map((s) => s.value);
  const n = samples.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] as number) - mx;
    sxx += dx * dx;
    sxy += dx * ((ys[i] as number) - my);
  }
  if (sxx === 0) return null;
  const slopePerMs = sxy / sxx;
  return { t0, at: my - slopePerMs * mx, slopePerMs };
}

export function valueAt(fit: Fit, t: number): number {
  return fit.at + fit.slopePerMs * (t - fit.t0);
}

export interface CrossingOptions {
  /** What the level is, for the label: `the http.sys threshold`. */
  what: string;
  clock: Clock;
  /** How far past the last sample the line may go: at least this, or the samples' own span. */
  horizonMs?: number;
}

const DEFAULT_HORIZON_MS = 7 * DAY_MS;

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

/**
 * The projection of a rising series to `level`: from the trend at the last sample to the crossing
 * (or to the horizon when the crossing is further away). Null when the series does not rise, has
 * fewer than two times, or its trend is already past the level.
 */
export function projectCrossing(series: Series, level: number, opts: CrossingOptions): Projection | null {
  const fit = leastSquares(series.samples);
  if (fit === null || fit.slopePerMs <= 0) return null;
  const times = series.samples.map((s) => ms(s.t));
  const last = Math.max(...times);
  const span = last - Math.min(...times);
  const fromValue = valueAt(fit, last);
  if (fromValue >= level) return null;
  const crossing = last + (level - fromValue) / fit.slopePerMs;
  const horizon = Math.max(opts.horizonMs ?? DEFAULT_HORIZON_MS, span);
  const reaches = crossing - last <= horizon;
  const end = reaches ? crossing : last + horizon;
  const rate = `${round1(fit.slopePerMs * HOUR_MS)} ${series.unit}/h`;
  const label = reaches
    ? `At ${rate}: ${opts.what} at ${timeLabel(crossing, opts.clock)}`
    : `At ${rate}: ${opts.what} in ${formatDuration((crossing - last) / MINUTE_MS)}`;
  return {
    series: series.name,
    from: { t: isoUtc(last), value: round1(fromValue) },
    to: { t: isoUtc(end), value: round1(reaches ? level : valueAt(fit, end)) },
    level,
    reaches,
    label,
  };
}
