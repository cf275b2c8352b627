// Text read by ingest, as parsed inputs: it goes through parseText like a paste. (This loads every
// parser; files.ts loads it only when there is text to parse, so that summarising a big log stays light.)
import type { ParsedInput } from "../parsers/evidence.js";
import { describeUnreadable, parseText } from "../parsers/index.js";

/**
 * The inputs of one text read from `source`; the parser's warnings go with the first. When nothing in
 * it is readable, `onUnreadable` is told what was seen instead (`bytes`: its size as read).
 */
export function textInputs(
  text: string,
  source: string,
  onUnreadable?: (source: string, seen: string) => void,
  bytes?: number,
): ParsedInput[] {
  const result = parseText(text, source);
  const first = result.inputs[0];
  if (first && result.warnings.length > 0) first.warnings = [...first.warnings, ...result.warnings];
  if (!first) onUnreadable?.(source, describeUnreadable(text, false, bytes));
  return result.inputs;
}
