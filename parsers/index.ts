// The parsers' front door: text in (a Slack message, a file, stdin), typed evidence out. Every kind
// is reached through the registry (kinds/index.ts): splitting, parsing, counting and describing.
import type { ParsedInput } from "./evidence.js";
import { KINDS } from "./kinds/index.js";
import type { AnyInput, AnyKindModule, InputOf } from "./kinds/module.js";
import type { KindRegistry } from "./kinds/registry.js";
import { normalizePaste, splitPieces } from "./split.js";
import { isBlank, splitLines } from "./text.js";

export * from "./evidence.js";
export { parseBcdedit } from "./kinds/bcdedit/parse.js";
export { parseBootIni } from "./kinds/boot-ini/parse.js";
export { parseEvents } from "./kinds/event/parse.js";
export {
  DEFAULT_FIELDS,
  DEFAULT_FIELDS_WITH_STREAMID,
  isHttperrLine,
  parseHttperr,
} from "./kinds/httperr/parse.js";
export { HttperrSummaryBuilder, minuteKey, reasonKey, refusalCount } from "./kinds/httperr/summary.js";
export { KINDS, KindRegistry } from "./kinds/index.js";
export {
  type AnyInput,
  type AnyKindModule,
  defineKind,
  type InputKindModule,
  type InputOf,
  type KindInput,
} from "./kinds/module.js";
export { parsePoolCounters } from "./kinds/pool-counters/parse.js";
export { parsePoolmon } from "./kinds/poolmon/parse.js";
export { normalizePaste, splitPieces } from "./split.js";

export interface ParseResult<I extends AnyInput = ParsedInput> {
  /** One input per piece found (a poolmon piece gives one input per snapshot), in paste order. */
  inputs: I[];
  /** True when nothing in the text was readable evidence. */
  unrecognised: boolean;
  /** Pieces that looked like a kind but gave nothing, or whose parser failed. */
  warnings: string[];
}

/** The records of an input, whatever its kind (a streamed HTTPERR input keeps none). */
export function recordsOf(input: AnyInput, registry: KindRegistry = KINDS): readonly unknown[] {
  return registry.recordsOf(input);
}

/** How many records an input stands for: for HTTPERR, every line read, kept or streamed. */
export function recordCount(input: AnyInput, registry: KindRegistry = KINDS): number {
  return registry.recordCount(input);
}

/** An input that carries no evidence (the piece looked like its kind but nothing could be read). */
export function isEmptyInput(input: AnyInput, registry: KindRegistry = KINDS): boolean {
  return registry.isEmpty(input);
}

/**
 * Normalises a paste (Slack escaping, fences, quotes, odd whitespace), splits it into pieces and
 * parses each with its kind's parser. Inputs are named `source` when the text gives one input, else
 * `source`, `source#2`, `source#3`… in paste order. Empty inputs are dropped with a warning, and a
 * parser that throws costs its piece only (a warning), never the whole paste.
 */
export function parseText(text: string, source: string): ParseResult;
export function parseText<M extends AnyKindModule>(
  text: string,
  source: string,
  registry: KindRegistry<M>,
): ParseResult<InputOf<M>>;
export function parseText(
  text: string,
  source: string,
  registry: KindRegistry = KINDS,
): ParseResult<AnyInput> {
  const pieces = splitPieces(normalizePaste(text), registry);
  const found: AnyInput[] = [];
  const warnings: string[] = [];
  for (const piece of pieces) {
    const module = registry.module(piece.kind);
    let parsed: AnyInput[];
    try {
      parsed = module.parse(piece.text, source);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      warnings.push(`line ${piece.line}: could not read ${module.label} (${why})`);
      continue;
    }
    const kept = parsed.filter((input) => !registry.isEmpty(input));
    if (kept.length === 0) warnings.push(`line ${piece.line}: looked like ${module.label} but held none`);
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

function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} byte${bytes === 1 ? "" : "s"}`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** How much of the start of a text is sampled to tell binary from text. */
const SNIFF_CHARS = 64 * 1024;

/**
 * What a text that gave no evidence looks like, in a few words, so that the answer says what was
 * seen and not just "nothing": `empty input`, `binary data (NUL bytes), 19.5 KB`, `only whitespace
 * (3 lines)`, `5.0 MB of text (87381 lines) with no line Tattletale recognises, starting "lorem
 * ipsum…"`. `partial`: some lines looked like evidence but held none (the warnings say which).
 */
export function describeUnreadable(text: string, partial = false, bytes = utf8Bytes(text)): string {
  if (text.length === 0) return "empty input (0 bytes)";
  // `bytes`: the size as read, when known; decoding turns each invalid byte into three.
  const size = sizeText(bytes);
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
export function describeReadableKinds(registry: KindRegistry = KINDS): string {
  return registry.describe();
}
