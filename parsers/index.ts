// The parsers' front door: text in (a Slack message, a file, stdin), typed evidence out.
import { parseBcdedit } from "./bcdedit.js";
import { parseBootIni } from "./boot-ini.js";
import { formatBytes } from "./bytes.js";
import { parseEvents } from "./event.js";
import type { InputKind, ParsedInput, Piece } from "./evidence.js";
import { parseHttperr } from "./httperr.js";
import { parsePoolCounters } from "./pool-counters.js";
import { parsePoolmon } from "./poolmon.js";
import { normalizePaste, splitPieces } from "./split.js";
import { isBlank, splitLines } from "./text.js";

export * from "./evidence.js";
export {
  DEFAULT_FIELDS,
  DEFAULT_FIELDS_WITH_STREAMID,
  HttperrSummaryBuilder,
  isHttperrLine,
  minuteKey,
  parseHttperr,
  reasonKey,
  refusalCount,
} from "./httperr.js";
export { normalizePaste, splitPieces } from "./split.js";
export { parseBcdedit, parseBootIni, parseEvents, parsePoolCounters, parsePoolmon };

export interface ParseResult {
  /** One input per piece found (a poolmon piece gives one input per snapshot), in paste order. */
  inputs: ParsedInput[];
  /** True when nothing in the text was readable evidence. */
  unrecognised: boolean;
  /** Pieces that looked like a kind but gave nothing, or whose parser failed. */
  warnings: string[];
}

/** Parses one piece; poolmon may give several snapshots, every other kind one input. */
function parsePiece(piece: Piece, source: string): ParsedInput[] {
  switch (piece.kind) {
    case "httperr":
      return [parseHttperr(piece.text, source)];
    case "poolmon":
      return parsePoolmon(piece.text, source);
    case "boot-ini":
      return [parseBootIni(piece.text, source)];
    case "bcdedit":
      return [parseBcdedit(piece.text, source)];
    case "event":
      return [parseEvents(piece.text, source)];
    case "pool-counters":
      return [parsePoolCounters(piece.text, source)];
  }
}

/** The records of an input, whatever its kind (a streamed HTTPERR input keeps none). */
export function recordsOf(input: ParsedInput): unknown[] {
  switch (input.kind) {
    case "httperr":
      return input.records;
    case "poolmon":
      return input.snapshot.rows;
    case "boot-ini":
      return input.boot.entries;
    case "bcdedit":
      return input.entries;
    case "event":
      return input.events;
    case "pool-counters":
      return [input.counters];
  }
}

/** How many records an input stands for: for HTTPERR, every line read, kept or streamed. */
export function recordCount(input: ParsedInput): number {
  if (input.kind === "httperr") return Math.max(input.records.length, input.summary.lines);
  return recordsOf(input).length;
}

/** An input that carries no evidence (the piece looked like its kind but nothing could be read). */
export function isEmptyInput(input: ParsedInput): boolean {
  switch (input.kind) {
    case "httperr":
      // Streamed inputs keep no records; their summary still counts every line.
      return input.records.length === 0 && input.summary.lines === 0;
    case "poolmon":
      return (
        input.snapshot.rows.length === 0 && Object.values(input.snapshot.header).every((v) => v === null)
      );
    case "boot-ini":
      return input.boot.entries.length === 0 && input.boot.timeout === null;
    case "bcdedit":
      return input.entries.length === 0;
    case "event":
      return input.events.length === 0;
    case "pool-counters": {
      const { origin: _origin, ...numbers } = input.counters;
      return Object.values(numbers).every((v) => v === null);
    }
  }
}

const KIND_LABEL: Record<InputKind, string> = {
  httperr: "HTTPERR lines",
  poolmon: "a poolmon table",
  "boot-ini": "a boot.ini",
  bcdedit: "bcdedit output",
  event: "Event Log text",
  "pool-counters": "pool counters",
};

/**
 * Normalises a paste (Slack escaping, fences, quotes, odd whitespace), splits it into pieces and
 * parses each with its parser. Inputs are named `source` when the text gives one input, else
 * `source`, `source#2`, `source#3`… in paste order. Empty inputs are dropped with a warning, and a
 * parser that throws costs its piece only (a warning), never the whole paste.
 */
export function parseText(text: string, source: string): ParseResult {
  const pieces = splitPieces(normalizePaste(text));
  const found: ParsedInput[] = [];
  const warnings: string[] = [];
  for (const piece of pieces) {
    let parsed: ParsedInput[];
    try {
      parsed = parsePiece(piece, source);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      warnings.push(`line ${piece.line}: could not read ${KIND_LABEL[piece.kind]} (${why})`);
      continue;
    }
    const kept = parsed.filter((input) => !isEmptyInput(input));
    if (kept.length === 0)
      warnings.push(`line ${piece.line}: looked like ${KIND_LABEL[piece.kind]} but held none`);
    found.push(...kept);
  }
  const inputs = found.map((input, n) => ({ ...input, source: n === 0 ? source : `${source}#${n + 1}` }));
  if (inputs.length === 0) warnings.push(`nothing readable: ${describeUnreadable(text, pieces.length > 0)}`);
  return { inputs, unrecognised: inputs.length === 0, warnings };
}

/** UTF-8 size of a string, counted without encoding it. */
function utf8Bytes(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

/** How much of the start of a text is sampled to tell binary from text. */
const SNIFF_CHARS = 64 * 1024;

/**
 * What a text that gave no evidence looks like, in a few words, so that the answer says what was
 * seen and not just "nothing": `empty input`, `binary data (NUL bytes), 20.0 kB`, `only whitespace
 * (3 lines)`, `5.2 MB of text (87381 lines) with no line Tattletale recognises, starting "lorem
 * ipsum…"`. `partial`: some lines looked like evidence but held none (the warnings say which).
 */
export function describeUnreadable(text: string, partial = false, bytes = utf8Bytes(text)): string {
  if (text.length === 0) return "empty input (0 bytes)";
  // `bytes`: the size as read, when known; decoding turns each invalid byte into three.
  const size = formatBytes(bytes);
  const sniff = Math.min(text.length, SNIFF_CHARS);
  let nul = 0;
  let control = 0;
  let undecodable = 0;
  for (let i = 0; i < sniff; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) nul++;
    else if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) || (c >= 0x7f && c < 0xa0))
      control++;
    else if (c === 0xfffd) undecodable++;
  }
  if (nul > 0) return `binary data (NUL bytes), ${size}`;
  if (control > sniff / 100) return `binary data (control characters), ${size}`;
  if (undecodable > sniff / 100) return `binary data (bytes that are not UTF-8 text), ${size}`;
  const all = splitLines(text);
  let lines = 0;
  let first = "";
  for (const line of all) {
    if (isBlank(line)) continue;
    lines++;
    if (first === "") first = line.trim();
  }
  if (lines === 0) return `only whitespace (${all.length} line${all.length === 1 ? "" : "s"})`;
  const start = first.length > 60 ? `${first.slice(0, 60)}…` : first;
  const what = `${lines} line${lines === 1 ? "" : "s"}`;
  const why = partial ? "with no complete record Tattletale can read" : "with no line Tattletale recognises";
  return `${size} of text (${what}) ${why}, starting "${start}"`;
}

/** One paragraph on what Tattletale reads, for the "nothing I can read here" answer. */
export function describeReadableKinds(): string {
  return (
    "I read what a Windows/IIS server tattles, pasted as text or attached as a file: " +
    "http.sys HTTPERR log lines (with or without their #Fields header, e.g. `Connections_Refused`, " +
    "`Timer_ConnectionIdle`, 503 `QueueFull`); `poolmon` tables (the Support Tools or WDK tool, e.g. `poolmon -b`, " +
    "with the Memory:/Commit: header); `boot.ini` (to spot `/3GB` and `/USERVA`); `bcdedit /enum` output; " +
    "Event Log entries copied from Event Viewer, `wevtutil qe /f:text` or `Get-WinEvent`; and pool counters " +
    "from Task Manager (Kernel Memory), the debugger's `!vm` or perfmon (Pool Nonpaged Bytes). " +
    "Code blocks, quotes and several kinds in one message are fine: I find each piece and read them together."
  );
}
