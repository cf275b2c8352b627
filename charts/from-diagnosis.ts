// Which charts a diagnosis calls for, and their inputs, from today's facts:
//  - HTTPERR per minute when the logs cover two minutes or more (refused connections, 503s), with
//    the events whose time is readable marked;
//  - pool in use over the poolmon snapshots with a time (two or more), with the limit, the level
//    where free pool drops under the http.sys threshold, and the least-squares projection to it;
//  - the growing tags between the first and last snapshot (facts.pool.growth).
// The builders below take plain series, so the trend work can feed N samples per pool or per tag.
import type { Diagnosis } from "../kb/diagnosis.js";
import type { Facts } from "../kb/facts/index.js";
import { formatNumber } from "../kb/format.js";
import type {
  ChartInput,
  Clock,
  EventMarker,
  GrowingTagsInput,
  HttperrPerMinuteInput,
  PoolUsageInput,
  ReferenceLine,
  Series,
} from "./series.js";
import { isoUtc, MINUTE_MS, minuteKeyToIso, ms, readEventTime } from "./time.js";
import { projectCrossing } from "./trend.js";

/** Characters of the note under a chart's title that fit its 760 px. */
const NOTE_MAX = 110;

/** Lines on the growing-tags chart. */
export const TOP_TAGS = 5;

function mb(n: number): string {
  return `${formatNumber(n)} MB`;
}

/** `{ "2007-11-13 20:01": 42 }` → a series, minutes in order; malformed keys are skipped. */
export function perMinuteSeries(name: string, counts: Record<string, number>): Series {
  const samples = Object.entries(counts)
    .flatMap(([key, value]) => {
      const t = minuteKeyToIso(key);
      return t === null ? [] : [{ t, value }];
    })
    .sort((a, b) => ms(a.t) - ms(b.t));
  return { name, unit: "per minute", samples };
}

/** Events with a readable time, as markers; several of one id in the same minute become one `×n`. */
export function eventMarkers(timeline: Array<{ id: number; source: string | null; time: string }>): {
  markers: EventMarker[];
  clock: Clock;
} {
  const groups = new Map<string, { t: number; label: string; count: number }>();
  let clock: Clock = "utc";
  for (const e of timeline) {
    const read = readEventTime(e.time);
    if (read === null) continue;
    if (read.clock === "server") clock = "server";
    const source = (e.source ?? "Event").replace(/^Microsoft-Windows-/, "");
    const label = `${source} ${e.id}`;
    const minute = Math.floor(read.t / MINUTE_MS);
    const key = `${label}|${minute}`;
    const g = groups.get(key);
    if (g) g.count += 1;
    else groups.set(key, { t: read.t, label, count: 1 });
  }
  const markers = [...groups.values()]
    .sort((a, b) => a.t - b.t)
    .map((g) => ({ t: isoUtc(g.t), label: g.count > 1 ? `${g.label} ×${g.count}` : g.label }));
  return { markers, clock };
}

export function httperrInput(
  httperr: NonNullable<Facts["httperr"]>,
  events: Facts["events"],
): HttperrPerMinuteInput | null {
  const series = [
    perMinuteSeries("Refused connections (N of N_Connections_Refused)", httperr.refusalsPerMinute),
    perMinuteSeries("503 responses", httperr.status503PerMinute),
  ].filter((s) => s.samples.some((p) => p.value > 0));
  const minutes = new Set(series.flatMap((s) => s.samples.map((p) => p.t)));
  if (minutes.size < 2) return null;
  const { markers, clock } = eventMarkers(events?.timeline ?? []);
  return {
    kind: "httperr-per-minute",
    clock: "utc",
    note:
      markers.length > 0 && clock === "server"
        ? "Event markers at the times the server printed (its zone unknown); HTTPERR times are UTC"
        : null,
    series,
    events: markers,
  };
}

export interface PoolTrend {
  nonpaged: Series;
  paged: Series | null;
  clock: Clock;
  limitMb: number | null;
  thresholdMb: number;
  /** Where the limit came from, for the note under the title. */
  limitNote: string | null;
}

/** The pool chart's input from series of pool in use (any number of samples). */
export function poolUsageInput(trend: PoolTrend): PoolUsageInput | null {
  if (new Set(trend.nonpaged.samples.map((s) => s.t)).size < 2) return null;
  const rules: ReferenceLine[] = [];
  let projection: PoolUsageInput["projection"] = null;
  if (trend.limitMb !== null) {
    const level = trend.limitMb - trend.thresholdMb;
    rules.push(
      { value: trend.limitMb, label: `Non-paged pool limit ${mb(trend.limitMb)}`, dashed: false },
      {
        value: level,
        label: `http.sys refuses connections above ${mb(level)} in use (free < ${mb(trend.thresholdMb)})`,
        dashed: true,
      },
    );
    projection = projectCrossing(trend.nonpaged, level, { what: "http.sys threshold", clock: trend.clock });
  }
  return {
    kind: "pool-usage",
    clock: trend.clock,
    note: trend.limitNote,
    series: trend.paged ? [trend.nonpaged, trend.paged] : [trend.nonpaged],
    rules,
    projection,
  };
}

/** The growing-tags chart's input from one series per tag (any number of samples). */
export function growingTagsInput(tags: Series[], clock: Clock): GrowingTagsInput | null {
  if (tags.length === 0) return null;
  return { kind: "growing-tags", clock, note: null, series: tags, top: TOP_TAGS };
}

function limitNote(pool: Facts["pool"]): string | null {
  if (pool.limitMb === null)
    return "Pool limit unknown: paste boot.ini or bcdedit output, or !vm, to draw it";
  if (pool.limitSource === "measured") return `Limit ${mb(pool.limitMb)} as measured`;
  if (!pool.limitRuleText) return null;
  // One line under the title, within the chart's width: the rule's first clause is what it is.
  const text = `Limit derived: ${pool.limitRuleText}`;
  return text.length <= NOTE_MAX ? text : `${text.slice(0, NOTE_MAX - 1).replace(/[\s,;:]+\S*$/, "")}…`;
}

/** Today's facts → pool trend: the timed poolmon snapshots, else a pool counter series (CSV). */
export function poolTrendFromFacts(
  pool: Facts["pool"],
  counters: Facts["counters"] = null,
): PoolTrend | null {
  const fromCounters = (counters?.series ?? []).flatMap((p) =>
    p.nonpagedMb === null ? [] : [{ t: p.t, clock: p.clock, nonpagedMb: p.nonpagedMb, pagedMb: p.pagedMb }],
  );
  const samples = pool.samples.length >= 2 ? pool.samples : fromCounters;
  if (samples.length < 2) return null;
  const t = (iso: string) => isoUtc(ms(iso));
  const clock: Clock = samples.some((s) => s.clock === "server") ? "server" : "utc";
  const paged = samples.every((s) => s.pagedMb !== null)
    ? {
        name: "Paged pool in use",
        unit: "MB",
        samples: samples.map((s) => ({ t: t(s.t), value: s.pagedMb as number })),
      }
    : null;
  return {
    nonpaged: {
      name: "Non-paged pool in use",
      unit: "MB",
      samples: samples.map((s) => ({ t: t(s.t), value: s.nonpagedMb })),
    },
    paged,
    clock,
    limitMb: pool.limitMb,
    thresholdMb: pool.thresholdMb,
    limitNote: limitNote(pool),
  };
}

/**
 * Today's facts → one series per growing tag: facts.pool.growth holds first and last snapshot
 * only, so each series has two samples, at the first and last timed snapshot.
 */
export function tagSeriesFromFacts(pool: Facts["pool"]): Series[] {
  const samples = pool.samples;
  const first = samples[0];
  const last = samples.at(-1);
  if (!first || !last || first === last || pool.growth.length === 0) return [];
  return pool.growth.map((g) => ({
    name: `${g.tag.trim()} (${g.driver ? `${g.driver}, ` : ""}${g.type === "Nonp" ? "non-paged" : "paged"})`,
    unit: "MB",
    samples: [
      { t: isoUtc(ms(first.t)), value: g.fromMb },
      { t: isoUtc(ms(last.t)), value: g.toMb },
    ],
  }));
}

/** The charts a diagnosis calls for, most telling first (the symptom, then the cause). */
export function chartsFor(d: Pick<Diagnosis, "facts">): ChartInput[] {
  const out: ChartInput[] = [];
  const { facts } = d;
  if (facts.httperr) {
    const h = httperrInput(facts.httperr, facts.events);
    if (h) out.push(h);
  }
  const trend = poolTrendFromFacts(facts.pool, facts.counters);
  const pool = trend ? poolUsageInput(trend) : null;
  if (pool) out.push(pool);
  const tags = growingTagsInput(tagSeriesFromFacts(facts.pool), trend?.clock ?? "utc");
  if (tags) out.push(tags);
  return out;
}
