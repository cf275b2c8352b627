// http.sys HTTPERR logs (W3C extended format, written by HTTP API 1.0 / 2.0 on Windows Server 2003+).
// Records are keyed by the W3C field names of the log's own `#Fields:` line, or of the default order
// when a paste has no header. The summary is built by HttperrSummaryBuilder, which a streaming
// scanner can reuse so that every path through the code gives the same numbers.
import { isClockTime, isDigits, isIsoDate, splitLines, tokens, trimStartAll } from "../../text.js";
import type { KindInput } from "../module.js";
import type { HttperrData, HttperrRecord } from "./schema.js";
import { HttperrSummaryBuilder } from "./summary.js";

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
export function parseHttperr(text: string, source: string): KindInput<"httperr", HttperrData> {
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
  return { kind: "httperr", source, warnings, data: { records, summary: builder.result() } };
}
