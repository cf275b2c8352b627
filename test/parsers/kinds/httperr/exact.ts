// An exact reading of HTTPERR records for the tests, independent of the summary code: plain Maps,
// every value kept. exactSummary() is what the summary must be when its sketches hold every value
// (low cardinality); expectWithinBounds() checks a summary against the truth when they do not.
import { expect } from "vitest";
import type { HttperrRecord, HttperrSummary, TopEntry } from "../../../../parsers/evidence.js";
import { parseHttperr } from "../../../../parsers/kinds/httperr/parse.js";
import { reasonKey, refusalCount, timestamp } from "../../../../parsers/kinds/httperr/summary.js";

type Counts = Map<string, number>;

interface ExactReason {
  count: number;
  first: string | null;
  last: string | null;
  queues: Counts;
  sites: Counts;
  uris: Counts;
}

export interface Exact {
  lines: number;
  skipped: number;
  byReason: Counts;
  byStatus: Counts;
  bySite: Counts;
  byQueue: Counts;
  first: string | null;
  last: string | null;
  refusalsPerMinute: Counts;
  status503PerMinute: Counts;
  refused: number;
  clients: Counts;
  uris: Counts;
  perReason: Map<string, ExactReason>;
}

const bump = (m: Counts, k: string, by = 1) => m.set(k, (m.get(k) ?? 0) + by);
const min = (a: string | null, b: string) => (a === null || b < a ? b : a);
const max = (a: string | null, b: string) => (a === null || b > a ? b : a);

export function exactOf(records: readonly HttperrRecord[], skipped: number): Exact {
  const x: Exact = {
    lines: records.length,
    skipped,
    byReason: new Map(),
    byStatus: new Map(),
    bySite: new Map(),
    byQueue: new Map(),
    first: null,
    last: null,
    refusalsPerMinute: new Map(),
    status503PerMinute: new Map(),
    refused: 0,
    clients: new Map(),
    uris: new Map(),
    perReason: new Map(),
  };
  const str = (v: HttperrRecord[string] | undefined) => (v === null || v === undefined ? null : String(v));
  for (const r of records) {
    const reason = str(r["s-reason"]);
    const status = str(r["sc-status"]);
    const site = str(r["s-siteid"]);
    const queue = str(r["s-queuename"]);
    const client = str(r["c-ip"]);
    const uri = str(r["cs-uri"]);
    const ts = timestamp(r);
    const refused = refusalCount(reason);
    x.refused += refused;
    if (status !== null) bump(x.byStatus, status);
    if (site !== null) bump(x.bySite, site);
    if (queue !== null) bump(x.byQueue, queue);
    if (client !== null) bump(x.clients, client);
    if (uri !== null) bump(x.uris, uri);
    if (ts !== null) {
      x.first = min(x.first, ts);
      x.last = max(x.last, ts);
      if (refused > 0) bump(x.refusalsPerMinute, ts.slice(0, 16), refused);
      if (status === "503") bump(x.status503PerMinute, ts.slice(0, 16));
    }
    if (reason === null) continue;
    const key = reasonKey(reason);
    bump(x.byReason, key);
    let d = x.perReason.get(key);
    if (!d) {
      d = { count: 0, first: null, last: null, queues: new Map(), sites: new Map(), uris: new Map() };
      x.perReason.set(key, d);
    }
    d.count++;
    if (ts !== null) {
      d.first = min(d.first, ts);
      d.last = max(d.last, ts);
    }
    if (queue !== null) bump(d.queues, queue);
    if (site !== null) bump(d.sites, site);
    if (uri !== null) bump(d.uris, uri);
  }
  return x;
}

/** The exact reading of a log's text, through the parser's records. */
export function exactOfText(text: string): Exact {
  const parsed = parseHttperr(text, "exact");
  return exactOf(parsed.data.records, parsed.data.summary.skipped);
}

const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const sorted = (m: Counts) => Object.fromEntries([...m].sort((a, b) => byKey(a[0], b[0])));

function ranked(m: Counts): [string, number][] {
  return [...m].sort((a, b) => b[1] - a[1] || byKey(a[0], b[0]));
}

function topOf(m: Counts): { top: TopEntry[]; unlisted: number } {
  const r = ranked(m);
  return {
    top: r.slice(0, 10).map(([key, count]) => ({ key, count, overcount: 0 })),
    unlisted: r[10]?.[1] ?? 0,
  };
}

/** The summary the log must have when every count is exact. */
export function exactSummary(x: Exact): HttperrSummary {
  const clients = topOf(x.clients);
  const uris = topOf(x.uris);
  const queues = topOf(x.byQueue);
  return {
    lines: x.lines,
    skipped: x.skipped,
    byReason: sorted(x.byReason),
    byStatus: sorted(x.byStatus),
    bySite: sorted(x.bySite),
    byQueue: sorted(x.byQueue),
    firstTime: x.first,
    lastTime: x.last,
    refusalsPerMinute: sorted(x.refusalsPerMinute),
    status503PerMinute: sorted(x.status503PerMinute),
    refusedConnections: x.refused,
    topClients: clients.top,
    topUris: uris.top,
    topQueues: queues.top,
    unlisted: { clients: clients.unlisted, uris: uris.unlisted, queues: queues.unlisted },
    distinctClients: { estimate: x.clients.size, relativeError: 0 },
    distinctUris: { estimate: x.uris.size, relativeError: 0 },
    byReasonDetail: Object.fromEntries(
      [...x.perReason]
        .sort((a, b) => byKey(a[0], b[0]))
        .map(([k, d]) => {
          const q = topOf(d.queues);
          const s = topOf(d.sites);
          const u = topOf(d.uris);
          return [
            k,
            {
              count: d.count,
              firstTime: d.first,
              lastTime: d.last,
              topQueues: q.top,
              topSites: s.top,
              topUris: u.top,
              unlisted: { queues: q.unlisted, sites: s.unlisted, uris: u.unlisted },
            },
          ];
        }),
    ),
  };
}

/** Promises a sketched top list breaks, against the true counts. */
function brokenList(label: string, top: TopEntry[], unlisted: number, truth: Counts): string[] {
  const out: string[] = [];
  const listed = new Set(top.map((e) => e.key));
  for (const e of top) {
    const t = truth.get(e.key) ?? 0;
    if (t > e.count || e.count - e.overcount > t)
      out.push(`${label} ${e.key}: true ${t} outside [${e.count - e.overcount}, ${e.count}]`);
  }
  for (const [k, t] of truth) {
    if (!listed.has(k) && t > unlisted) out.push(`${label} ${k}: ${t} lines, unlisted, above ${unlisted}`);
  }
  for (let i = 1; i < top.length; i++) {
    if ((top[i] as TopEntry).count > (top[i - 1] as TopEntry).count) out.push(`${label}: not in count order`);
  }
  return out;
}

/**
 * A summary whose sketches dropped values: every exact count equal, every sketched list and distinct
 * count within the bounds it states.
 */
export function expectWithinBounds(s: HttperrSummary, x: Exact): void {
  const want = exactSummary(x);
  const exactPart = (h: HttperrSummary) => ({
    ...h,
    topClients: undefined,
    topUris: undefined,
    unlisted: { ...h.unlisted, clients: undefined, uris: undefined },
    distinctClients: undefined,
    distinctUris: undefined,
    byReasonDetail: Object.fromEntries(
      Object.entries(h.byReasonDetail).map(([k, d]) => [
        k,
        { ...d, topUris: undefined, unlisted: { ...d.unlisted, uris: undefined } },
      ]),
    ),
  });
  expect(exactPart(s)).toEqual(exactPart(want));
  const broken = [
    ...brokenList("client", s.topClients, s.unlisted.clients, x.clients),
    ...brokenList("uri", s.topUris, s.unlisted.uris, x.uris),
  ];
  for (const [k, d] of x.perReason) {
    const got = s.byReasonDetail[k];
    if (got) broken.push(...brokenList(`${k} uri`, got.topUris, got.unlisted.uris, d.uris));
  }
  for (const [label, est, truth] of [
    ["clients", s.distinctClients, x.clients.size],
    ["uris", s.distinctUris, x.uris.size],
  ] as const) {
    if (Math.abs(est.estimate - truth) > est.relativeError * est.estimate)
      broken.push(`distinct ${label}: ${est.estimate} ± ${est.relativeError} misses ${truth}`);
  }
  expect(broken).toEqual([]);
}
