// HTTPERR facts: the summaries of every HTTPERR input of the incident added together, counts by
// reason phrase (`3_Connections_Refused` read as `Connections_Refused`), status, time and client,
// and per reason its own time span, queues, sites and URIs. Top lists and distinct counts may come
// from sketches: they carry their bounds (overcount, relative error) through the merge.
import { z } from "zod";
import { Estimate, type HttperrSummary, type ReasonDetail, TopEntry } from "../../parsers/evidence.js";
import { canonicalReason } from "../ids.js";
import { minutesBetween } from "../time.js";
import { ofKind } from "./inputs.js";
import { defineSubject, NO_NEEDS } from "./subject.js";

const TOP_N = 10;

/** What one reason phrase's lines tell (keys of `httperr.perReason`: the keys of `httperr.reasons`). */
export const ReasonFacts = z.object({
  count: z.number().int(),
  /** The first and last line with this reason, not the log's. */
  firstTime: z.string().nullable(),
  lastTime: z.string().nullable(),
  durationMinutes: z.number().nullable(),
  topQueues: z.array(TopEntry),
  /** The queue (application pool) with most lines of this reason: for QueueFull, the queue that was full. */
  topQueue: z.string().nullable(),
  topSites: z.array(TopEntry),
  topSite: z.string().nullable(),
  topUris: z.array(TopEntry),
});

export const HttperrFacts = z.object({
  lines: z.number().int(),
  /** Reason phrase → lines (keys are the phrases of kb/data/reason-phrases.yaml). */
  reasons: z.record(z.string(), z.number().int()),
  /** Share of all lines per reason, 0..1. */
  reasonShare: z.record(z.string(), z.number()),
  statuses: z.record(z.string(), z.number().int()),
  firstTime: z.string().nullable(),
  lastTime: z.string().nullable(),
  durationMinutes: z.number().nullable(),
  /** Refused connections (the sum of N over `N_Connections_Refused` lines). */
  refusedConnections: z.number().int(),
  refusalsPerMinute: z.record(z.string(), z.number().int()),
  /** 503 responses per minute, same keys. */
  status503PerMinute: z.record(z.string(), z.number().int()),
  peakRefusalsPerMinute: z.number().int(),
  /**
   * Top lists; a count with an overcount is an upper bound from a heavy-hitters sketch. Client and
   * URI lists keep only values whose count is known to within half (a sketch's noise is no finding).
   */
  topClients: z.array(TopEntry),
  topUris: z.array(TopEntry),
  /** Queues (application pools) with most lines, most first (exact). */
  topQueues: z.array(TopEntry),
  /** Distinct client addresses and URIs, exact or estimated (relativeError > 0). */
  distinctClients: Estimate,
  distinctUris: Estimate,
  /** The same in words: "1,234 distinct clients", "about 1.2 million distinct clients, ±2%". */
  distinctClientsText: z.string(),
  distinctUrisText: z.string(),
  /** Per reason phrase: its own time span, queues, sites and URIs. */
  perReason: z.record(z.string(), ReasonFacts),
});

function addCounts(into: Record<string, number>, from: Record<string, number>, key = (k: string) => k): void {
  for (const [k, v] of Object.entries(from)) {
    const kk = key(k);
    into[kk] = (into[kk] ?? 0) + v;
  }
}

/** A top list of one summary and the most lines any value it leaves off can have. */
interface ListPart {
  top: TopEntry[];
  unlisted: number;
}

/**
 * The top list of several logs' lists: a value's count adds up its counts, and for a log whose list
 * lacks it, that log's `unlisted` (its overcount grows by as much). One list passes through as is.
 */
function mergeTops(parts: ListPart[]): TopEntry[] {
  if (parts.length === 1) return (parts[0] as ListPart).top;
  // key → [upper bound, lower bound, parts that list it]
  const bounds = new Map<string, [number, number, Set<number>]>();
  parts.forEach((p, i) => {
    for (const e of p.top) {
      const b = bounds.get(e.key) ?? [0, 0, new Set<number>()];
      b[0] += e.count;
      b[1] += e.count - e.overcount;
      b[2].add(i);
      bounds.set(e.key, b);
    }
  });
  return [...bounds]
    .map(([key, [count, lower, listed]]) => {
      const upper = parts.reduce((a, p, i) => (listed.has(i) ? a : a + p.unlisted), count);
      return { key, count: upper, overcount: upper - lower };
    })
    .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .slice(0, TOP_N);
}

/** The values worth naming: exact, or a count known to within half (a sketch's noise is not a finding). */
function telling(top: TopEntry[]): TopEntry[] {
  return top.filter((e) => e.count - e.overcount > e.overcount);
}

/**
 * Distinct values over several logs: one log's estimate as is; several logs may share values, so
 * the union lies between the largest and the sum, given as the middle with the half-width as error.
 */
function mergeDistinct(parts: Estimate[]): Estimate {
  if (parts.length === 1) return parts[0] as Estimate;
  const low = Math.max(0, ...parts.map((p) => p.estimate * (1 - p.relativeError)));
  const high = parts.reduce((a, p) => a + p.estimate * (1 + p.relativeError), 0);
  const estimate = Math.round((low + high) / 2);
  return {
    estimate,
    relativeError: estimate > 0 ? Math.ceil(((high - low) / 2 / estimate) * 1000) / 1000 : 0,
  };
}

/** 1234567 → "1,234,567" (no Intl: its first use costs a CLI run more than the whole template). */
function thousands(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+$)/g, ",");
}

/** "1,234 distinct clients", or "about 1.2 million distinct clients, ±2%" for an estimate. */
export function distinctText(d: Estimate, noun: string): string {
  const n = d.estimate;
  const nouns = n === 1 ? noun : `${noun}s`;
  if (d.relativeError === 0) return `${thousands(n)} distinct ${nouns}`;
  const about =
    n >= 1_000_000
      ? `${(n / 1_000_000).toFixed(1).replace(/\.0$/, "")} million`
      : thousands(Number(n.toPrecision(3)));
  const pct = d.relativeError * 100;
  const err = pct < 1 ? pct.toFixed(1) : String(Math.ceil(pct - 1e-9));
  return `about ${about} distinct ${nouns}, ±${err}%`;
}

function reasonFacts(details: ReasonDetail[]): z.infer<typeof ReasonFacts> {
  let first: string | null = null;
  let last: string | null = null;
  for (const d of details) {
    if (d.firstTime !== null && (first === null || d.firstTime < first)) first = d.firstTime;
    if (d.lastTime !== null && (last === null || d.lastTime > last)) last = d.lastTime;
  }
  const topQueues = mergeTops(details.map((d) => ({ top: d.topQueues, unlisted: d.unlisted.queues })));
  const topSites = mergeTops(details.map((d) => ({ top: d.topSites, unlisted: d.unlisted.sites })));
  return {
    count: details.reduce((a, d) => a + d.count, 0),
    firstTime: first,
    lastTime: last,
    durationMinutes: minutesBetween(first, last),
    topQueues,
    topQueue: topQueues[0]?.key ?? null,
    topSites,
    topSite: topSites[0]?.key ?? null,
    topUris: telling(mergeTops(details.map((d) => ({ top: d.topUris, unlisted: d.unlisted.uris })))),
  };
}

function httperrFacts(summaries: HttperrSummary[]): z.infer<typeof HttperrFacts> | null {
  if (summaries.length === 0) return null;
  const reasons: Record<string, number> = {};
  const statuses: Record<string, number> = {};
  const perMinute: Record<string, number> = {};
  const status503: Record<string, number> = {};
  const details = new Map<string, ReasonDetail[]>();
  let lines = 0;
  let refused = 0;
  let first: string | null = null;
  let last: string | null = null;
  for (const s of summaries) {
    lines += s.lines;
    refused += s.refusedConnections;
    addCounts(reasons, s.byReason, canonicalReason);
    addCounts(statuses, s.byStatus);
    addCounts(perMinute, s.refusalsPerMinute);
    addCounts(status503, s.status503PerMinute);
    for (const [k, d] of Object.entries(s.byReasonDetail)) {
      const key = canonicalReason(k);
      details.set(key, [...(details.get(key) ?? []), d]);
    }
    if (s.firstTime !== null && (first === null || s.firstTime < first)) first = s.firstTime;
    if (s.lastTime !== null && (last === null || s.lastTime > last)) last = s.lastTime;
  }
  const records = Object.values(reasons).reduce((a, b) => a + b, 0);
  const reasonShare: Record<string, number> = {};
  for (const [k, v] of Object.entries(reasons)) reasonShare[k] = records > 0 ? v / records : 0;
  const distinctClients = mergeDistinct(summaries.map((s) => s.distinctClients));
  const distinctUris = mergeDistinct(summaries.map((s) => s.distinctUris));
  return {
    lines,
    reasons,
    reasonShare,
    statuses,
    firstTime: first,
    lastTime: last,
    durationMinutes: minutesBetween(first, last),
    refusedConnections: refused,
    refusalsPerMinute: perMinute,
    status503PerMinute: status503,
    peakRefusalsPerMinute: Math.max(0, ...Object.values(perMinute)),
    topClients: telling(
      mergeTops(summaries.map((s) => ({ top: s.topClients, unlisted: s.unlisted.clients }))),
    ),
    topUris: telling(mergeTops(summaries.map((s) => ({ top: s.topUris, unlisted: s.unlisted.uris })))),
    topQueues: mergeTops(summaries.map((s) => ({ top: s.topQueues, unlisted: s.unlisted.queues }))),
    distinctClients,
    distinctUris,
    distinctClientsText: distinctText(distinctClients, "client"),
    distinctUrisText: distinctText(distinctUris, "URI"),
    perReason: Object.fromEntries([...details].map(([k, list]) => [k, reasonFacts(list)])),
  };
}

export const httperrSubject = defineSubject({
  doc: "HTTPERR lines of the incident: counts by reason phrase, status, minute, client, URL and queue.",
  schema: z.object({ httperr: HttperrFacts.nullable() }),
  needs: NO_NEEDS,
  derive: ({ inputs }) => ({ httperr: httperrFacts(ofKind(inputs, "httperr").map((t) => t.payload)) }),
});
