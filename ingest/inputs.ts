// What ingest hands the layers above: parsed inputs. Text goes through parseText like a paste; a
// streamed log becomes an HTTPERR input that holds its summary and no records.
import type { HttperrSummary, ParsedInput, ParsedOf } from "../parsers/evidence.js";
import { describeUnreadable, parseText } from "../parsers/index.js";

/** The input a streamed log becomes: the full summary, no records, and a warning that says so. */
export function streamedInput(source: string, summary: HttperrSummary, what: string): ParsedOf<"httperr"> {
  const warnings = [`${what} was streamed: the summary covers every line, but records were not kept`];
  if (summary.skipped > 0) warnings.push(`${summary.skipped} lines skipped (cut short or malformed)`);
  return { kind: "httperr", source, warnings, data: { records: [], summary } };
}

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
