// What a chart needs, independent of the facts that feed it: time series of samples, reference
// lines, a projected crossing and event markers. from-diagnosis.ts builds these from today's facts;
// the trend work (snapshots, counter CSVs) can feed N samples through the same shapes.
import { z } from "zod";

/** An instant, ISO 8601 in UTC with `Z` (`2024-03-01T09:00:00Z`). */
export const UtcTime = z.iso.datetime();

export const Sample = z.object({ t: UtcTime, value: z.number().finite() });
export type Sample = z.infer<typeof Sample>;

export const Series = z.object({
  /** Shown in the legend: `Non-paged pool in use`, `Leak (acmefilt.sys)`, `Refused connections`. */
  name: z.string().min(1),
  /** `MB`, `per minute`. */
  unit: z.string().min(1),
  samples: z.array(Sample),
});
export type Series = z.infer<typeof Series>;

/** A horizontal line across the plot at `value` (same unit as the series), labelled. */
export const ReferenceLine = z.object({
  value: z.number().finite(),
  label: z.string().min(1),
  /** Dashed lines are thresholds, solid ones are hard limits. */
  dashed: z.boolean(),
});
export type ReferenceLine = z.infer<typeof ReferenceLine>;

/**
 * Where a series is heading: a straight dashed line from `from` (the trend at the last sample)
 * to `to`. `reaches` is true when `to` is the crossing of `level`, false when the crossing lies
 * beyond the chart's horizon and `to` is the trend at that horizon.
 */
export const Projection = z.object({
  series: z.string().min(1),
  from: Sample,
  to: Sample,
  level: z.number().finite(),
  reaches: z.boolean(),
  label: z.string().min(1),
});
export type Projection = z.infer<typeof Projection>;

export const EventMarker = z.object({ t: UtcTime, label: z.string().min(1) });
export type EventMarker = z.infer<typeof EventMarker>;

/**
 * Which clock the times were read on. http.sys logs in UTC; `%date% %time%` above a poolmon paste
 * and Event Viewer text show the server's local clock, whose zone the paste does not say: those
 * are plotted as printed and the axis says so instead of claiming UTC.
 */
export const Clock = z.enum(["utc", "server"]);
export type Clock = z.infer<typeof Clock>;

const common = {
  clock: Clock,
  /** One line under the title (where the limit came from, what the times are). */
  note: z.string().nullable(),
};

/** Pool in use over time, with the limit and the http.sys threshold, and where the trend goes. */
export const PoolUsageInput = z.object({
  kind: z.literal("pool-usage"),
  ...common,
  /** Non-paged first, then paged when known. MB. */
  series: z.array(Series).min(1).max(2),
  /** The non-paged limit and the in-use level where free pool drops under the http.sys threshold. */
  rules: z.array(ReferenceLine),
  projection: Projection.nullable(),
});
export type PoolUsageInput = z.infer<typeof PoolUsageInput>;

/** Pool tags across snapshots, one series per tag (`Leak (acmefilt.sys)`), MB. */
export const GrowingTagsInput = z.object({
  kind: z.literal("growing-tags"),
  ...common,
  series: z.array(Series).min(1),
  /** Lines drawn: the tags that grew most between their first and last sample (one colour each). */
  top: z.number().int().min(1).max(6),
});
export type GrowingTagsInput = z.infer<typeof GrowingTagsInput>;

/** HTTPERR per minute by the reasons that matter, with the incident's events marked. */
export const HttperrPerMinuteInput = z.object({
  kind: z.literal("httperr-per-minute"),
  ...common,
  /** Samples at the start of each minute; minutes without a sample are drawn as 0. */
  series: z.array(Series).min(1),
  events: z.array(EventMarker),
});
export type HttperrPerMinuteInput = z.infer<typeof HttperrPerMinuteInput>;

export const ChartInput = z.discriminatedUnion("kind", [
  PoolUsageInput,
  GrowingTagsInput,
  HttperrPerMinuteInput,
]);
export type ChartInput = z.infer<typeof ChartInput>;
export type ChartKind = ChartInput["kind"];
