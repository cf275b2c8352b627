// The parsers' front door: text in (a Slack message, a file, stdin), typed evidence out. Every kind
// is reached through the registry (kinds/index.ts): splitting, parsing, counting and describing.

import { describeUnreadable } from "./describe.js";
import type { ParsedInput } from "./evidence.js";
import { KINDS } from "./kinds/index.js";
import type { AnyInput, AnyKindModule, InputOf } from "./kinds/module.js";
import type { KindRegistry } from "./kinds/registry.js";
import { normalizePaste, splitPieces } from "./split.js";

export { describeUnreadable } from "./describe.js";
export * from "./evidence.js";
export { parseBcdedit } from "./kinds/bcdedit/parse.js";
export { parseBootIni } from "./kinds/boot-ini/parse.js";
export { parseCounterCsv } from "./kinds/counter-csv/parse.js";
export { parseEvents } from "./kinds/event/parse.js";
export { parseFindstrTags } from "./kinds/findstr-tags/parse.js";
export {
  DEFAULT_FIELDS,
  DEFAULT_FIELDS_WITH_STREAMID,
  isHttperrLine,
  parseHttperr,
} from "./kinds/httperr/parse.js";
export { HttperrSummaryBuilder, minuteKey, reasonKey, refusalCount } from "./kinds/httperr/summary.js";
export { parseIisW3c } from "./kinds/iis-w3c/parse.js";
export { KINDS, KindRegistry } from "./kinds/index.js";
export { parseKdPoolused } from "./kinds/kd-poolused/parse.js";
export { parseKdVm } from "./kinds/kd-vm/parse.js";
export {
  type AnyInput,
  type AnyKindModule,
  defineKind,
  type InputKindModule,
  type InputOf,
  type KindInput,
} from "./kinds/module.js";
export { parseNetshServicestate } from "./kinds/netsh-servicestate/parse.js";
export { emptyHeader, parsePoolmon } from "./kinds/poolmon/parse.js";
export { parsePooltagCsv } from "./kinds/pooltag-csv/parse.js";
export { parseSysteminfo } from "./kinds/systeminfo/parse.js";
export { parseTaskManager } from "./kinds/task-manager/parse.js";
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

/** One paragraph on what Tattletale reads, for the "nothing I can read here" answer. */
export function describeReadableKinds(registry: KindRegistry = KINDS): string {
  return registry.describe();
}
