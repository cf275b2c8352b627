// http.sys HTTPERR logs (W3C extended format, written by HTTP API 1.0 / 2.0 on Windows Server 2003+).
// Records are keyed by the W3C field names of the log's own `#Fields:` line, or of the default order
// when a paste has no header. The summary is built by HttperrSummaryBuilder, which a streaming
// scanner can reuse so that every path through the code gives the same numbers.
import type { CountEntry, HttperrRecord, HttperrSummary, ParsedOf } from "./evidence.js";
import { isClockTime, isDigits, isIsoDate, splitLines, tokens, trimStartAll } from "./text.js";

/** The field order of HTTP API 1.0/2.0 HTTPERR logs when no `#Fields:` line says otherwise. */
export const DEFAULT_FIELDS: readonly string[] = Object.freeze([
  "date",
  "time",
  "c-ip",
  "c-port",
  "s-ip",
  "s-port",
  "cs-version",
  "cs-method",
  "cs-uri",
  "sc-status",
  "s-siteid",
  "s-reason",
  "s-queuename",
]);

/** HTTP API 2.0 (Windows Server 2016+, HTTP/2) adds `streamid` after `cs-uri`. */
export const DEFAULT_FIELDS_WITH_STREAMID: readonly string[] = Object.freeze([
  ...DEFAULT_FIELDS.slice(0, 9),
  "streamid",
  ...DEFAULT_FIELDS.slice(9),
]);

/** Fields read as numbers (everything else stays a string; `-` is null everywhere). */
export const NUMERIC_FIELDS: ReadonlySet<string> = new Set(["c-port", "s-port", "sc-status", "s-siteid"]);

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

/** Field names of a `#Fields:` directive line, or null when the line is not one. */
export function fieldsDirective(line: string): string[] | null {
  const t = trimStartAll(line);
  if (t.length < 8 || t[0] !== "#" || t.slice(1, 8).toLowerCase() !== "fields:") return null;
  // Guard the record objects: a field literally named __proto__ would reach the prototype.
  return tokens(t.slice(8)).filter((name) => name !== "__proto__");
}

function looksLikeIp(s: string): boolean {
  return s === "-" || s.includes(".") || s.includes(":");
}

function isDashOrDigits(s: string | undefined): boolean {
  return s === "-" || (s !== undefined && isDigits(s));
}

function hasLetter(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) | 0x20;
    if (c >= 0x61 && c <= 0x7a) return true;
  }
  return false;
}

/**
 * Cheap detection of an HTTPERR line: the HTTP API header lines (`#Software: Microsoft HTTP API…`,
 * a `#Fields:` line naming `s-reason`) or a data line in the default order (13 fields, or 14 with
 * `streamid`) whose date, time, client address, ports and status have the right shape and whose
 * reason phrase holds a letter. IIS access-log lines fail the port/reason checks.
 */
export function isHttperrLine(line: string): boolean {
  const t = trimStartAll(line);
  if (t.startsWith("#")) {
    const lower = t.toLowerCase();
    if (lower.startsWith("#software:")) return lower.includes("microsoft http api");
    const names = fieldsDirective(t);
    return names?.includes("s-reason") === true;
  }
  // Cheapest rejection first: a data line starts with a date.
  if (t.length < 30 || !isIsoDate(t.slice(0, 10))) return false;
  const tok = tokens(t);
  if (tok.length !== 13 && tok.length !== 14) return false;
  const shift = tok.length - 13;
  const reason = tok[11 + shift] ?? "";
  return (
    isClockTime(tok[1] ?? "") &&
    looksLikeIp(tok[2] ?? "") &&
    isDashOrDigits(tok[3]) &&
    looksLikeIp(tok[4] ?? "") &&
    isDashOrDigits(tok[5]) &&
    isDashOrDigits(tok[9 + shift]) &&
    isDashOrDigits(tok[10 + shift]) &&
    reason !== "-" &&
    hasLetter(reason)
  );
}

/** Why a data line could not become a record, or the record. */
export type LineResult = { record: HttperrRecord } | { problem: string };

/**
 * Reads one data line against a field list (null = no `#Fields` seen: the default order, 13 or 14
 * fields by count). Exported for the streaming scanner.
 */
export function readHttperrLine(line: string, fields: readonly string[] | null): LineResult {
  const tok = tokens(line);
  const names = fields ?? (tok.length === 14 ? DEFAULT_FIELDS_WITH_STREAMID : DEFAULT_FIELDS);
  if (tok.length < names.length) {
    return { problem: `${tok.length} of ${names.length} fields (cut short?)` };
  }
  if (tok.length > names.length) {
    return { problem: `${tok.length} fields where ${names.length} were expected` };
  }
  const record: HttperrRecord = {};
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    const raw = tok[i] as string;
    if (raw === "-") {
      record[name] = null;
    } else if (NUMERIC_FIELDS.has(name)) {
      if (!isDigits(raw)) return { problem: `${name} is not a number (${raw.slice(0, 40)})` };
      record[name] = Number(raw);
    } else {
      record[name] = raw;
    }
  }
  if (typeof record.date === "string" && !isIsoDate(record.date)) {
    return { problem: `date is not YYYY-MM-DD (${record.date.slice(0, 40)})` };
  }
  if (typeof record.time === "string" && !isClockTime(record.time)) {
    return { problem: `time is not HH:MM:SS (${record.time.slice(0, 40)})` };
  }
  return { record };
}

/** At most this many skipped lines are reported one by one; the rest are summed up in one warning. */
const MAX_LINE_WARNINGS = 5;

/**
 * Parses an HTTPERR log or a paste of its lines. `#Fields:` lines switch the field list for the
 * lines after them (concatenated logs); other `#` directives are ignored; blank lines are ignored;
 * any other line that is not a record (cut short, malformed) is skipped, counted in
 * `summary.skipped` and reported in `warnings`.
 */
export function parseHttperr(text: string, source: string): ParsedOf<"httperr"> {
  const records: HttperrRecord[] = [];
  const warnings: string[] = [];
  const builder = new HttperrSummaryBuilder();
  let fields: string[] | null = null;
  let skipped = 0;
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const t = trimStartAll(line);
    if (t.length === 0) continue;
    // trimStartAll also drops a byte-order mark, so `\uFEFF#Software:` is a directive too.
    if (t[0] === "#") {
      const names = fieldsDirective(t);
      if (names !== null && names.length > 0) fields = names;
      continue;
    }
    const result = readHttperrLine(line, fields);
    if ("record" in result) {
      records.push(result.record);
      builder.add(result.record);
      continue;
    }
    skipped++;
    builder.skip();
    if (skipped <= MAX_LINE_WARNINGS) warnings.push(`line ${i + 1}: ${result.problem}; skipped`);
  }
  if (skipped > MAX_LINE_WARNINGS) {
    warnings.push(`${skipped - MAX_LINE_WARNINGS} more lines skipped (${skipped} in all)`);
  }
  return { kind: "httperr", source, warnings, records, summary: builder.result() };
}
