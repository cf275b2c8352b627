// HTTPERR facts: the summaries of every HTTPERR input of the incident added together, counts by
// reason phrase (`3_Connections_Refused` read as `Connections_Refused`), status, time and client.
import { z } from "zod";
import type { HttperrSummary } from "../../parsers/evidence.js";
import { canonicalReason } from "../ids.js";
import { minutesBetween } from "../time.js";
import { ofKind } from "./inputs.js";
import { defineSubject, NO_NEEDS } from "./subject.js";

const TOP_N = 10;

const Counted = z.object({ key: z.string(), count: z.number().int() });

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
  topClients: z.array(Counted),
  topUris: z.array(Counted),
  /** Queues (application pools) with most lines, most first. */
  topQueues: z.array(Counted),
});

function addCounts(into: Record<string, number>, from: Record<string, number>, key = (k: string) => k): void {
  for (const [k, v] of Object.entries(from)) {
    const kk = key(k);
    into[kk] = (into[kk] ?? 0) + v;
  }
}

function topOf(counts: Record<string, number>, n = TOP_N): Array<{ key: string; count: number }> {
  return Object.entries(counts)
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key))
    .slice(0, n);
}

function httperrFacts(summaries: HttperrSummary[]): z.infer<typeof HttperrFacts> | null {
  if (summaries.length === 0) return null;
  const reasons: Record<string, number> = {};
  const statuses: Record<string, number> = {};
  const perMinute: Record<string, number> = {};
  const status503: Record<string, number> = {};
  const clients: Record<string, number> = {};
  const uris: Record<string, number> = {};
  const queues: Record<string, number> = {};
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
    // The summaries keep only their top N; summing those is exact for the top few of one log
    // and a close estimate across logs.
    for (const c of s.topClients) clients[c.key] = (clients[c.key] ?? 0) + c.count;
    for (const c of s.topUris) uris[c.key] = (uris[c.key] ?? 0) + c.count;
    for (const c of s.topQueues) queues[c.key] = (queues[c.key] ?? 0) + c.count;
    if (s.firstTime !== null && (first === null || s.firstTime < first)) first = s.firstTime;
    if (s.lastTime !== null && (last === null || s.lastTime > last)) last = s.lastTime;
  }
  const records = Object.values(reasons).reduce((a, b) => a + b, 0);
  const reasonShare: Record<string, number> = {};
  for (const [k, v] of Object.entries(reasons)) reasonShare[k] = records > 0 ? v / records : 0;
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
    topClients: topOf(clients),
    topUris: topOf(uris),
    topQueues: topOf(queues),
  };
}

export const httperrSubject = defineSubject({
  doc: "HTTPERR lines of the incident: counts by reason phrase, status, minute, client, URL and queue.",
  schema: z.object({ httperr: HttperrFacts.nullable() }),
  needs: NO_NEEDS,
  derive: ({ inputs }) => ({ httperr: httperrFacts(ofKind(inputs, "httperr").map((t) => t.payload)) }),
});
