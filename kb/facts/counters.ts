// Pool sizes over time from performance counters (typeperf / relog CSV, multi-sample Get-Counter):
// the series that trends are fitted on. A single sample is a measurement (machine.measured), not a
// series; null when no input holds two timed samples of a pool counter.
import { z } from "zod";
import type { CounterCsvData } from "../../parsers/evidence.js";
import { columnsOf, round1, sampleTimes } from "./counter-series.js";
import { ofKind } from "./inputs.js";
import { defineSubject, NO_NEEDS } from "./subject.js";

const BYTES_PER_MB = 1024 * 1024;
const num = z.number().nullable();

export const CounterPoint = z.object({
  /** ISO time of the sample. */
  t: z.string(),
  /** `server`: the time the server printed (its zone unknown); `utc` when the tool said UTC. */
  clock: z.enum(["utc", "server"]),
  nonpagedMb: num,
  pagedMb: num,
  /** `\Memory\Available MBytes` at that sample, when collected. */
  availableMb: num,
  /** `\Process(_Total)\Handle Count` at that sample, when collected. */
  handles: num,
});

export const CounterFacts = z.object({
  series: z.array(CounterPoint),
  /** Which input and tool the series came from (`typeperf.txt (typeperf)`). */
  source: z.string().nullable(),
  /** The usual time between samples (the median), seconds. */
  intervalSeconds: num,
});
export type CounterFacts = z.infer<typeof CounterFacts>;

function seriesOf(data: CounterCsvData): Array<z.infer<typeof CounterPoint>> {
  const nonpaged = columnsOf(data, "memory", "pool nonpaged bytes")[0];
  const paged = columnsOf(data, "memory", "pool paged bytes")[0];
  if (!nonpaged && !paged) return [];
  const machine = (nonpaged ?? paged)?.path.machine ?? null;
  const available = columnsOf(data, "memory", "available mbytes", machine)[0];
  const handles = columnsOf(data, "process", "handle count", machine).find(
    (c) => c.path.instance?.toLowerCase() === "_total",
  );
  const times = sampleTimes(data);
  const out: Array<z.infer<typeof CounterPoint>> = [];
  data.samples.forEach((s, k) => {
    const t = times[k];
    if (t === null || t === undefined) return;
    const at = (col: { index: number } | undefined) => (col ? (s.values[col.index] ?? null) : null);
    const np = at(nonpaged);
    const p = at(paged);
    if (np === null && p === null) return;
    out.push({
      t: new Date(t).toISOString(),
      clock: "server",
      nonpagedMb: np === null ? null : round1(np / BYTES_PER_MB),
      pagedMb: p === null ? null : round1(p / BYTES_PER_MB),
      availableMb: at(available),
      handles: at(handles),
    });
  });
  return out;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export const countersSubject = defineSubject({
  doc: "Pool sizes over time from performance counters (typeperf / relog CSV, Get-Counter samples), for trends.",
  schema: z.object({ counters: CounterFacts.nullable() }),
  needs: NO_NEEDS,
  derive({ inputs }) {
    // The longest series of the incident: one machine, one collection.
    let best: { series: Array<z.infer<typeof CounterPoint>>; source: string } | null = null;
    for (const { payload, source = "counters" } of ofKind(inputs, "counter-csv")) {
      const series = seriesOf(payload);
      if (series.length >= 2 && (best === null || series.length > best.series.length)) {
        best = { series, source: payload.tool ? `${source} (${payload.tool})` : source };
      }
    }
    if (best === null) return { counters: null };
    const gaps: number[] = [];
    for (let k = 1; k < best.series.length; k++) {
      gaps.push((Date.parse(best.series[k]?.t ?? "") - Date.parse(best.series[k - 1]?.t ?? "")) / 1000);
    }
    const interval = median(gaps.filter((g) => Number.isFinite(g) && g > 0));
    return {
      counters: {
        series: best.series,
        source: best.source,
        intervalSeconds: interval === null ? null : Math.round(interval),
      },
    };
  },
});
