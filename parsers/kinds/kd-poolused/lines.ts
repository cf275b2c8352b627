// Which lines belong to a kd-poolused piece: `!poolused` typed at a debugger prompt, its `Sorting by`
// line, its column header and rows whose description comes from pooltag.txt prove it; other rows,
// the `NonPaged Paged` header, the TOTAL line and the progress dots can belong to one.
import type { Continuation, LineAt, LineRecogniser, Strength } from "../module.js";

/** ` AfdB    41746 66794496         0        0Afd data buffer , Binary: afd.sys` (any spacing). */
const ROW = /^\s{0,2}\S{1,4}\s+\d+\s+\d+\s+\d+\s+\d/;
const DESCRIBED = /(?:, Binary: \S|UNKNOWN pooltag '|\t\S)/;

const STRONG: readonly RegExp[] = [
  /^\s*(?:\d{1,3}: ?)?l?kd> ?!poolused\b/i,
  /^\s*Sorting by\s+(?:NonPaged|Paged|Tag)\b/i,
  /^\s*Tag\s+Allocs\s+Used\s+Allocs\s+Used\s*$/i,
];

function kdPoolusedLine(line: string): Strength {
  for (const re of STRONG) if (re.test(line)) return 2;
  if (ROW.test(line)) return DESCRIBED.test(line) ? 2 : 1;
  if (/^\s*(?:NonPaged\s+Paged|Pool Used:|TOTAL\s+\d+\s+\d+)/i.test(line)) return 1;
  return 0;
}

function continuesKdPoolused({ line }: LineAt, { provesOther }: Continuation<undefined>): Strength {
  const s = kdPoolusedLine(line);
  if (s === 2) return 2;
  if (provesOther()) return 0;
  // A row whose numbers ran together (`MmSt 0 0 140612221249536Mm …`) still belongs: the parser
  // reads it at the header's columns, or counts it as unreadable.
  if (s === 1 || /^\s*\.{2,}\s*$/.test(line) || /^\s{0,2}\S{1,4}\s+\d+\s+\d/.test(line)) return 1;
  return 0;
}

export const kdPoolusedLines: LineRecogniser<undefined> = {
  start: ({ line }) => kdPoolusedLine(line),
  continues: continuesKdPoolused,
};
