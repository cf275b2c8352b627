// http.sys request queues (one per application pool): how many requests wait in each and for how
// long, from `netsh http show servicestate` and the HTTP Service Request Queues counters. Null when
// no input lists a queue.
import { z } from "zod";
import type { CounterCsvData, RequestQueue } from "../../parsers/evidence.js";
import { columnsOf, round3, sampleTimes, slope } from "./counter-series.js";
import { ofKinds } from "./inputs.js";
import { defineSubject, NO_NEEDS } from "./subject.js";

const num = z.number().nullable();
const OBJECT = "http service request queues";

export const HttpQueueFact = z.object({
  /** The queue's name: the application pool (the counters print it lower-case). */
  name: z.string(),
  /** `Active`, `Disabled`… (netsh only). */
  state: z.string().nullable(),
  /** Requests waiting now (the latest reading); null when the tool does not count them (netsh on 2012 R2). */
  currentQueueSize: num,
  /** The most seen waiting at once across samples. */
  peakQueueSize: num,
  /** The queue's limit (`Max requests`, the pool's queueLength). */
  maxQueueSize: num,
  /** Age of the oldest waiting request, seconds (netsh `Max queued request age`, counter MaxQueueItemAge). */
  oldestRequestSeconds: num,
  /** The oldest age seen across samples, seconds. */
  peakOldestSeconds: num,
  /** Requests rejected since the queue was created (netsh, counter RejectedRequests). */
  rejectedRequests: num,
  /** Requests arriving per second (counter ArrivalRate). */
  arrivalRate: num,
  /** Worker processes attached (netsh); 0 means nothing serves the queue. */
  processes: num,
  /** Requests being served now (netsh, 2016/2019 and later). */
  activeRequests: num,
  /** Their process ids (netsh). */
  pids: z.array(z.number().int()),
  /** How fast the queue grew, requests per second, least squares over timed samples (null with fewer than two). */
  queueGrowthPerSecond: num,
  /** `netsh` or `counters`, or both joined. */
  source: z.string(),
});
export type HttpQueueFact = z.infer<typeof HttpQueueFact>;

export const HttpQueueFacts = z.object({
  queues: z.array(HttpQueueFact),
  /** Requests waiting in all queues (those that count them). */
  totalQueued: z.number(),
  /** The oldest waiting request of any queue, seconds. */
  oldestSeconds: num,
  /** The queue with the most requests waiting, null when none waits. */
  busiest: z.string().nullable(),
  /** That queue's facts (for evidence: `httpQueues.worst.oldestRequestSeconds`), null when none waits. */
  worst: HttpQueueFact.nullable(),
  /** `netsh http show servicestate`, `HTTP Service Request Queues counters`, or both. */
  source: z.string(),
});
export type HttpQueueFacts = z.infer<typeof HttpQueueFacts>;

function fromNetsh(q: RequestQueue): HttpQueueFact {
  const oldest = q.maxQueuedAgeSeconds ?? q.oldestListedSeconds;
  return {
    name: q.name,
    state: q.state,
    currentQueueSize: q.queuedRequests,
    peakQueueSize: q.queuedRequests,
    maxQueueSize: q.maxRequests,
    oldestRequestSeconds: oldest,
    peakOldestSeconds: oldest,
    rejectedRequests: q.requestsRejected,
    arrivalRate: null,
    processes: q.processes,
    activeRequests: q.activeRequests,
    pids: q.pids,
    queueGrowthPerSecond: null,
    source: "netsh",
  };
}

/** One fact per instance of the HTTP Service Request Queues counters (`_total` left out). */
function fromCounters(data: CounterCsvData): HttpQueueFact[] {
  const times = sampleTimes(data);
  const byName = new Map<string, HttpQueueFact>();
  const seriesOf = (index: number): Array<[number | null, number]> =>
    data.samples.flatMap((s, k) => {
      const v = s.values[index];
      return v === null || v === undefined ? [] : [[times[k] ?? null, v] as [number | null, number]];
    });
  const fact = (name: string): HttpQueueFact => {
    let f = byName.get(name);
    if (!f) {
      f = {
        name,
        state: null,
        currentQueueSize: null,
        peakQueueSize: null,
        maxQueueSize: null,
        oldestRequestSeconds: null,
        peakOldestSeconds: null,
        rejectedRequests: null,
        arrivalRate: null,
        processes: null,
        activeRequests: null,
        pids: [],
        queueGrowthPerSecond: null,
        source: "counters",
      };
      byName.set(name, f);
    }
    return f;
  };
  const each = (
    counter: string,
    apply: (f: HttpQueueFact, series: Array<[number | null, number]>) => void,
  ) => {
    for (const col of columnsOf(data, OBJECT, counter)) {
      const name = col.path.instance;
      if (name === null || name.toLowerCase() === "_total") continue;
      const series = seriesOf(col.index);
      if (series.length > 0) apply(fact(name), series);
    }
  };
  const last = (s: Array<[number | null, number]>) => (s.at(-1) as [number | null, number])[1];
  const peak = (s: Array<[number | null, number]>) => Math.max(...s.map(([, v]) => v));
  each("currentqueuesize", (f, s) => {
    f.currentQueueSize = last(s);
    f.peakQueueSize = peak(s);
    const timed = s
      .filter((p): p is [number, number] => p[0] !== null)
      .map(([t, v]) => [t / 1000, v] as [number, number]);
    const rate = slope(timed);
    f.queueGrowthPerSecond = rate === null ? null : round3(rate);
  });
  each("maxqueueitemage", (f, s) => {
    f.oldestRequestSeconds = round3(last(s) / 1000);
    f.peakOldestSeconds = round3(peak(s) / 1000);
  });
  each("rejectedrequests", (f, s) => {
    f.rejectedRequests = last(s);
  });
  each("arrivalrate", (f, s) => {
    f.arrivalRate = last(s);
  });
  return [...byName.values()];
}

/** A later reading of the same queue (names compared case-insensitively) fills and overrides. */
function merge(into: Map<string, HttpQueueFact>, f: HttpQueueFact): void {
  const key = f.name.toLowerCase();
  const old = into.get(key);
  if (!old) {
    into.set(key, f);
    return;
  }
  const merged = { ...old };
  for (const [k, v] of Object.entries(f) as Array<[keyof HttpQueueFact, unknown]>) {
    if (k === "name" || k === "source" || k === "pids") continue;
    if (v !== null) (merged as Record<string, unknown>)[k] = v;
  }
  if (old.name === old.name.toLowerCase()) merged.name = f.name; // keep netsh's spelling
  merged.pids = f.pids.length > 0 ? f.pids : old.pids;
  merged.peakQueueSize = maxOf(old.peakQueueSize, f.peakQueueSize);
  merged.peakOldestSeconds = maxOf(old.peakOldestSeconds, f.peakOldestSeconds);
  merged.source = old.source === f.source ? old.source : `${old.source}+${f.source}`;
  into.set(key, merged);
}

function maxOf(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.max(a, b);
}

export const httpQueuesSubject = defineSubject({
  doc: "http.sys request queues: requests waiting and their age per application pool (netsh servicestate, queue counters).",
  schema: z.object({ httpQueues: HttpQueueFacts.nullable() }),
  needs: NO_NEEDS,
  derive({ inputs }) {
    const queues = new Map<string, HttpQueueFact>();
    const sources = new Set<string>();
    for (const p of ofKinds(inputs, ["netsh-servicestate", "counter-csv"])) {
      if (p.kind === "netsh-servicestate") {
        for (const q of p.payload.queues) merge(queues, fromNetsh(q));
        if (p.payload.queues.length > 0) sources.add("netsh http show servicestate");
      } else if (p.kind === "counter-csv") {
        const found = fromCounters(p.payload);
        for (const f of found) merge(queues, f);
        if (found.length > 0) sources.add("HTTP Service Request Queues counters");
      }
    }
    if (queues.size === 0) return { httpQueues: null };
    const list = [...queues.values()];
    const totalQueued = list.reduce((a, q) => a + (q.currentQueueSize ?? 0), 0);
    const oldest = list.reduce<number | null>((a, q) => maxOf(a, q.oldestRequestSeconds), null);
    const busiest = [...list]
      .filter((q) => (q.currentQueueSize ?? 0) > 0)
      .sort(
        (a, b) =>
          (b.currentQueueSize ?? 0) - (a.currentQueueSize ?? 0) ||
          (b.oldestRequestSeconds ?? 0) - (a.oldestRequestSeconds ?? 0),
      )[0];
    return {
      httpQueues: {
        queues: list,
        totalQueued,
        oldestSeconds: oldest,
        busiest: busiest?.name ?? null,
        worst: busiest ?? null,
        source: [...sources].join(" and "),
      },
    };
  },
});
