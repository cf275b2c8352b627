// The HTTPERR summary: counts by reason, status, site and queue, the time span, refusals and 503s
// per minute, top clients, URIs and queues. Built incrementally by HttperrSummaryBuilder, which the
// parser and the streaming scanner both use, so that every path through the code gives the same numbers.

import { isClockTime, isDigits, isIsoDate } from "../../text.js";
import type { CountEntry, HttperrRecord, HttperrSummary } from "./schema.js";

/** How many entries the top-N lists of the summary keep. */
export const TOP_N = 10;

const REFUSED = "connections_refused";

/**
 * Refused connections a reason phrase stands for: http.sys folds a burst of refusals into one line
 * `N_Connections_Refused`, so that line counts N; a plain `Connections_Refused` counts 1; any other
 * reason 0. An N of ten digits or more counts 1.
 */
export function refusalCount(reason: string | null | undefined): number {
  if (!reason) return 0;
  const lower = reason.toLowerCase();
  if (lower === REFUSED) return 1;
  const us = lower.indexOf("_");
  if (us > 0 && lower.slice(us + 1) === REFUSED && isDigits(lower.slice(0, us))) {
    // A count of ten digits or more is no real burst (and sums of it would leave the safe integers
    // the summary's schema promises): the line still counts, once.
    return us <= MAX_FOLD_DIGITS ? Number(lower.slice(0, us)) : 1;
  }
  return 0;
}

/** The longest N of `N_Connections_Refused` read as a count (up to 999,999,999). */
const MAX_FOLD_DIGITS = 9;

/**
 * The reason phrase a record is counted under in `byReason`: `3_Connections_Refused` and
 * `4_Connections_Refused` both count as `Connections_Refused` (the N lives in `refusedConnections`).
 */
export function reasonKey(reason: string): string {
  return refusalCount(reason) > 0 ? "Connections_Refused" : reason;
}

/** `YYYY-MM-DD HH:MM` of a record, or null when it lacks a usable date or time. */
export function minuteKey(record: HttperrRecord): string | null {
  const ts = timestamp(record);
  return ts === null ? null : ts.slice(0, 16);
}

/** `YYYY-MM-DD HH:MM:SS` of a record, or null. */
export function timestamp(record: HttperrRecord): string | null {
  const date = record.date;
  const time = record.time;
  if (typeof date !== "string" || typeof time !== "string") return null;
  if (!isIsoDate(date) || !isClockTime(time)) return null;
  return `${date} ${time.slice(0, 8)}`;
}

function str(v: HttperrRecord[string] | undefined): string | null {
  if (v === null || v === undefined) return null;
  return String(v);
}

function bump(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

function top(map: Map<string, number>, n: number): CountEntry[] {
  return [...map]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, n)
    .map(([key, count]) => ({ key, count }));
}

function sortedObject(map: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...map].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
}

/**
 * Incremental HttperrSummary. Semantics (shared by every producer of a summary):
 * - `lines` counts records added, `skipped` the lines given to `skip()`;
 * - `byReason` counts records per reason phrase (see reasonKey), `byStatus`/`bySite`/`byQueue` per
 *   value; null values are not counted;
 * - `firstTime`/`lastTime` are the earliest and latest `date time` seen (not file order, so that
 *   concatenated logs give the real span);
 * - `refusalsPerMinute` adds refusalCount(reason) per minute, `status503PerMinute` counts records
 *   with status 503 per minute; records without date and time are left out of both;
 * - top lists hold the 10 most frequent non-null values, ties broken by key.
 */
export class HttperrSummaryBuilder {
  private lines = 0;
  private skipped = 0;
  private readonly byReason = new Map<string, number>();
  private readonly byStatus = new Map<string, number>();
  private readonly bySite = new Map<string, number>();
  private readonly byQueue = new Map<string, number>();
  private readonly clients = new Map<string, number>();
  private readonly uris = new Map<string, number>();
  private readonly refusals = new Map<string, number>();
  private readonly status503 = new Map<string, number>();
  private firstTime: string | null = null;
  private lastTime: string | null = null;
  private refused = 0;

  add(record: HttperrRecord): void {
    this.lines++;
    const reason = str(record["s-reason"]);
    const status = str(record["sc-status"]);
    const site = str(record["s-siteid"]);
    const queue = str(record["s-queuename"]);
    const client = str(record["c-ip"]);
    const uri = str(record["cs-uri"]);
    if (reason !== null) bump(this.byReason, reasonKey(reason));
    if (status !== null) bump(this.byStatus, status);
    if (site !== null) bump(this.bySite, site);
    if (queue !== null) bump(this.byQueue, queue);
    if (client !== null) bump(this.clients, client);
    if (uri !== null) bump(this.uris, uri);

    const refused = refusalCount(reason);
    this.refused += refused;
    const ts = timestamp(record);
    if (ts === null) return;
    if (this.firstTime === null || ts < this.firstTime) this.firstTime = ts;
    if (this.lastTime === null || ts > this.lastTime) this.lastTime = ts;
    const minute = ts.slice(0, 16);
    if (refused > 0) bump(this.refusals, minute, refused);
    if (status === "503") bump(this.status503, minute);
  }

  /** Counts a line that was not a record (cut short, malformed). */
  skip(count = 1): void {
    this.skipped += count;
  }

  result(): HttperrSummary {
    return {
      lines: this.lines,
      skipped: this.skipped,
      byReason: sortedObject(this.byReason),
      byStatus: sortedObject(this.byStatus),
      bySite: sortedObject(this.bySite),
      byQueue: sortedObject(this.byQueue),
      firstTime: this.firstTime,
      lastTime: this.lastTime,
      refusalsPerMinute: sortedObject(this.refusals),
      status503PerMinute: sortedObject(this.status503),
      refusedConnections: this.refused,
      topClients: top(this.clients, TOP_N),
      topUris: top(this.uris, TOP_N),
      topQueues: top(this.byQueue, TOP_N),
    };
  }
}
