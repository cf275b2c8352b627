// The growth math, pure and source-blind: a least-squares line through any number of (time, MB)
// samples, how well it fits (r²), and how long until a level is reached. Poolmon snapshots, pool-tag
// CSV groups, `!poolused` outputs and perfmon counter series all come down to these samples.
import { z } from "zod";
import { round1 } from "./pool-tags.js";

const HOUR_MS = 3_600_000;

/** One reading of a series: when (epoch ms) and how much (MB). */
export interface Sample {
  t: number;
  mb: number;
}

export interface Fit {
  /** MB per hour. */
  slope: number;
  /** MB at the first sample's time. */
  intercept: number;
  /** Coefficient of determination, 0..1; null with two samples (a line through two points always fits). */
  r2: number | null;
}

/** Ordinary least squares of mb over hours since the first sample; null without two distinct times. */
export function leastSquares(samples: ReadonlyArray<Sample>): Fit | null {
  if (samples.length < 2) return null;
  const t0 = samples[0]?.t ?? 0;
  const xs = samples.map((s) => (s.t - t0) / HOUR_MS);
  const ys = samples.map((s) => s.mb);
  const n = samples.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] as number) - mx;
    const dy = (ys[i] as number) - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  // A flat series (syy 0) fits its line perfectly.
  const r2 = n < 3 ? null : syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return { slope, intercept, r2 };
}

/** Hours until `currentMb` growing `mbPerHour` reaches `targetMb`: 0 when already there, null when not growing. */
export function hoursUntil(currentMb: number, mbPerHour: number, targetMb: number | null): number | null {
  if (targetMb === null) return null;
  if (currentMb >= targetMb) return 0;
  if (!(mbPerHour > 0)) return null;
  return (targetMb - currentMb) / mbPerHour;
}

export const TrendFact = z.object({
  samples: z.number().int(),
  firstMb: z.number(),
  lastMb: z.number(),
  /** Minutes from the first sample to the last. */
  minutes: z.number(),
  /** Least-squares slope over every sample. */
  mbPerHour: z.number(),
  /** How steady the rise is: r² of the fit, null with two samples. */
  r2: z.number().nullable(),
  /** last − first, as a share of first (0.2 = rose 20% over the series). */
  growthShare: z.number().nullable(),
  /** Non-paged: until free pool is under the http.sys threshold, with the limit as it is. */
  hoursToThreshold: z.number().nullable(),
  minutesToThreshold: z.number().int().nullable(),
  /** Non-paged: the same with the limit the machine would have without /3GB or /USERVA. */
  hoursToDefaultThreshold: z.number().nullable(),
  minutesToDefaultThreshold: z.number().int().nullable(),
  /** Until the pool reaches its limit (paged: the limit or its published ceiling). */
  hoursToLimit: z.number().nullable(),
  minutesToLimit: z.number().int().nullable(),
});
export type TrendFact = z.infer<typeof TrendFact>;

export interface TrendTargets {
  /** Limit − threshold, for non-paged pool (free under the http.sys threshold). */
  thresholdLevelMb?: number | null;
  defaultThresholdLevelMb?: number | null;
  limitMb?: number | null;
}

const minutesOf = (hours: number | null) => (hours === null ? null : Math.round(hours * 60));
const hoursOf = (hours: number | null) => (hours === null ? null : round1(hours));

/** The trend of one series: samples in time order (null when under two, or no time passes). */
export function seriesTrend(input: ReadonlyArray<Sample>, targets: TrendTargets = {}): TrendFact | null {
  const samples = [...input]
    .filter((s) => Number.isFinite(s.t) && Number.isFinite(s.mb))
    .sort((a, b) => a.t - b.t);
  const fit = leastSquares(samples);
  const first = samples[0];
  const last = samples.at(-1);
  if (!fit || !first || !last) return null;
  const toThreshold = hoursUntil(last.mb, fit.slope, targets.thresholdLevelMb ?? null);
  const toDefault = hoursUntil(last.mb, fit.slope, targets.defaultThresholdLevelMb ?? null);
  const toLimit = hoursUntil(last.mb, fit.slope, targets.limitMb ?? null);
  return {
    samples: samples.length,
    firstMb: round1(first.mb),
    lastMb: round1(last.mb),
    minutes: round1((last.t - first.t) / 60_000),
    mbPerHour: Math.round(fit.slope * 100) / 100,
    r2: fit.r2 === null ? null : Math.round(fit.r2 * 1000) / 1000,
    growthShare: first.mb > 0 ? Math.round(((last.mb - first.mb) / first.mb) * 1000) / 1000 : null,
    hoursToThreshold: hoursOf(toThreshold),
    minutesToThreshold: minutesOf(toThreshold),
    hoursToDefaultThreshold: hoursOf(toDefault),
    minutesToDefaultThreshold: minutesOf(toDefault),
    hoursToLimit: hoursOf(toLimit),
    minutesToLimit: minutesOf(toLimit),
  };
}

/** A reading of both pools at one time, as counter series and snapshot totals give it. */
export interface PoolReading {
  /** ISO time, or epoch ms. */
  t: string | number;
  nonpagedMb: number | null;
  pagedMb: number | null;
}

export interface PoolTrendTargets {
  nonpaged: TrendTargets;
  paged: TrendTargets;
}

/**
 * Both pools' trends from any series of readings (perfmon/typeperf/relog counters, poolmon totals):
 * the contract of `counters.series` (`{ t, nonpagedMb, pagedMb }`) fits as it is.
 */
export function poolTrend(
  readings: ReadonlyArray<PoolReading>,
  targets: PoolTrendTargets,
): { nonpaged: TrendFact | null; paged: TrendFact | null } {
  // An ISO time without a zone is the server's clock: read it as UTC, as every other time (only
  // differences matter), not in the zone of the machine running Tattletale.
  const at = (t: string | number) =>
    typeof t === "number" ? t : Date.parse(/(?:Z|[+-]\d{2}:?\d{2})$/.test(t) ? t : `${t}Z`);
  const series = (pick: (r: PoolReading) => number | null): Sample[] =>
    readings.flatMap((r) => {
      const mb = pick(r);
      const t = at(r.t);
      return mb === null || !Number.isFinite(t) ? [] : [{ t, mb }];
    });
  return {
    nonpaged: seriesTrend(
      series((r) => r.nonpagedMb),
      targets.nonpaged,
    ),
    paged: seriesTrend(
      series((r) => r.pagedMb),
      targets.paged,
    ),
  };
}
