// IIS access logs (u_ex*.log, W3C): how many requests, which statuses and substatuses (503.0 pool
// unavailable, 503.2 concurrent request limit, 503.3 ASP.NET queue full, 503.4 FastCGI queue full),
// which Win32 statuses, when the 503s came, and how long requests took (time-taken, milliseconds,
// which counts the client's network time too). Null when no IIS access log was read.
import { z } from "zod";
import type { IisRecord } from "../../parsers/evidence.js";
import { ofKind } from "./inputs.js";
import { defineSubject, NO_NEEDS } from "./subject.js";

/** A request at or over this long is slow (a user has given up; proxies and browsers time out). */
const SLOW_MS = 30_000;
const VERY_SLOW_MS = 120_000;
/** Requests of this long or more are listed by URI. */
const LISTED_MS = 10_000;
/** A response this large may take long on the client's network alone (a download, not a slow server). */
const LARGE_RESPONSE_BYTES = 10 * 1024 * 1024;
const TOP = 5;

const CountEntry = z.object({ key: z.string(), count: z.number().int() });

export const IisTimeTaken = z.object({
  p50Ms: z.number(),
  p95Ms: z.number(),
  p99Ms: z.number(),
  maxMs: z.number(),
  /** Requests that took 30 s or more, and 120 s or more (downloads included). */
  over30s: z.number().int(),
  over120s: z.number().int(),
  /** Requests of 30 s or more that were not large responses (10 MB or more, when sc-bytes is logged). */
  slowRequests: z.number().int(),
  /** slowRequests among the requests that logged time-taken (0..1). */
  slowShare: z.number(),
  /** Requests that logged time-taken. */
  timed: z.number().int(),
});

export const IisFacts = z.object({
  requests: z.number().int(),
  /** `YYYY-MM-DD HH:MM:SS`, UTC as IIS logs it. */
  firstTime: z.string().nullable(),
  lastTime: z.string().nullable(),
  /** HTTP status → requests. */
  statuses: z.record(z.string(), z.number().int()),
  /** `status.substatus` → requests (`503.2`). */
  substatuses: z.record(z.string(), z.number().int()),
  /** The 503s by substatus alone (`2` → requests), for rules: `iis.substatus503.2`. */
  substatus503: z.record(z.string(), z.number().int()),
  /** The substatus most 503s carry, null without 503s. */
  top503Substatus: z.number().int().nullable(),
  /** 503s among all requests (0..1). */
  status503Share: z.number(),
  /** The first and last 503. */
  first503Time: z.string().nullable(),
  last503Time: z.string().nullable(),
  /** Non-zero sc-win32-status → requests (64: the client went away; 1236: the connection was aborted). */
  win32: z.record(z.string(), z.number().int()),
  /** 503 responses per minute, `YYYY-MM-DD HH:MM` → count. */
  status503PerMinute: z.record(z.string(), z.number().int()),
  /** time-taken figures; null when the log has no time-taken field (off by default before IIS 7). */
  timeTaken: IisTimeTaken.nullable(),
  /** URIs with the most requests of 10 s or more (large responses left out): count and the longest, ms. */
  slowestUris: z.array(z.object({ key: z.string(), count: z.number().int(), maxMs: z.number() })),
  /** URIs that got the most 503s. */
  top503Uris: z.array(CountEntry),
});
export type IisFacts = z.infer<typeof IisFacts>;

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  const k = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[k] as number;
}

function bump(map: Record<string, number>, key: string, by = 1): void {
  map[key] = (map[key] ?? 0) + by;
}

function top(map: Map<string, number>): Array<{ key: string; count: number }> {
  return [...map]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, TOP)
    .map(([key, count]) => ({ key, count }));
}

const numberOf = (r: IisRecord, field: string): number | null => {
  const v = r[field];
  return typeof v === "number" ? v : null;
};

export function iisFacts(records: IisRecord[]): IisFacts | null {
  if (records.length === 0) return null;
  let firstTime: string | null = null;
  let lastTime: string | null = null;
  let first503: string | null = null;
  let last503: string | null = null;
  const statuses: Record<string, number> = {};
  const substatuses: Record<string, number> = {};
  const substatus503: Record<string, number> = {};
  const win32: Record<string, number> = {};
  const perMinute: Record<string, number> = {};
  const uris503 = new Map<string, number>();
  const slowUris = new Map<string, { count: number; maxMs: number }>();
  const times: number[] = [];
  let over30 = 0;
  let over120 = 0;
  let slow = 0;
  let n503 = 0;
  for (const r of records) {
    const date = typeof r.date === "string" ? r.date : null;
    const clock = typeof r.time === "string" ? r.time.slice(0, 8) : null;
    const when = date !== null && clock !== null ? `${date} ${clock}` : null;
    if (when !== null) {
      if (firstTime === null || when < firstTime) firstTime = when;
      if (lastTime === null || when > lastTime) lastTime = when;
    }
    const status = numberOf(r, "sc-status");
    const sub = numberOf(r, "sc-substatus");
    const uri = typeof r["cs-uri-stem"] === "string" ? r["cs-uri-stem"] : "-";
    if (status !== null) {
      bump(statuses, String(status));
      if (sub !== null) bump(substatuses, `${status}.${sub}`);
    }
    if (status === 503) {
      n503++;
      if (sub !== null) bump(substatus503, String(sub));
      uris503.set(uri, (uris503.get(uri) ?? 0) + 1);
      if (when !== null) {
        if (first503 === null || when < first503) first503 = when;
        if (last503 === null || when > last503) last503 = when;
        bump(perMinute, when.slice(0, 16));
      }
    }
    const w = numberOf(r, "sc-win32-status");
    if (w !== null && w !== 0) bump(win32, String(w));
    const ms = numberOf(r, "time-taken");
    if (ms === null) continue;
    times.push(ms);
    if (ms >= SLOW_MS) over30++;
    if (ms >= VERY_SLOW_MS) over120++;
    const bytes = numberOf(r, "sc-bytes");
    const large = bytes !== null && bytes >= LARGE_RESPONSE_BYTES;
    if (ms >= SLOW_MS && !large) slow++;
    if (ms >= LISTED_MS && !large) {
      const u = slowUris.get(uri) ?? { count: 0, maxMs: 0 };
      u.count++;
      u.maxMs = Math.max(u.maxMs, ms);
      slowUris.set(uri, u);
    }
  }
  times.sort((a, b) => a - b);
  const subs = Object.entries(substatus503).sort((a, b) => b[1] - a[1]);
  return {
    requests: records.length,
    firstTime,
    lastTime,
    statuses,
    substatuses,
    substatus503,
    top503Substatus: subs.length > 0 ? Number(subs[0]?.[0]) : null,
    status503Share: Math.round((n503 / records.length) * 1000) / 1000,
    first503Time: first503,
    last503Time: last503,
    win32,
    status503PerMinute: perMinute,
    timeTaken:
      times.length === 0
        ? null
        : {
            p50Ms: percentile(times, 0.5),
            p95Ms: percentile(times, 0.95),
            p99Ms: percentile(times, 0.99),
            maxMs: times[times.length - 1] as number,
            over30s: over30,
            over120s: over120,
            slowRequests: slow,
            slowShare: Math.round((slow / times.length) * 1000) / 1000,
            timed: times.length,
          },
    slowestUris: [...slowUris]
      .sort((a, b) => b[1].count - a[1].count || b[1].maxMs - a[1].maxMs || a[0].localeCompare(b[0]))
      .slice(0, TOP)
      .map(([key, u]) => ({ key, count: u.count, maxMs: u.maxMs })),
    top503Uris: top(uris503),
  };
}

export const iisSubject = defineSubject({
  doc: "IIS access logs (u_ex*.log): statuses and 503 substatuses, Win32 statuses, 503s per minute, time-taken.",
  schema: z.object({ iis: IisFacts.nullable() }),
  needs: NO_NEEDS,
  derive: ({ inputs }) => ({ iis: iisFacts(ofKind(inputs, "iis-w3c").flatMap((t) => t.payload.records)) }),
});
