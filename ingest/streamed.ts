// The input a streamed HTTPERR log becomes: its summary, no records, and a warning that says so.
import type { HttperrSummary, ParsedOf } from "../parsers/evidence.js";

/** The input a streamed log becomes: the full summary, no records, and a warning that says so. */
export function streamedInput(source: string, summary: HttperrSummary, what: string): ParsedOf<"httperr"> {
  const warnings = [`${what} was streamed: the summary covers every line, but records were not kept`];
  if (summary.skipped > 0) warnings.push(`${summary.skipped} lines skipped (cut short or malformed)`);
  return { kind: "httperr", source, warnings, data: { records: [], summary } };
}
