// Which lines belong to a poolmon piece: the Memory:/Commit: header, the column header and rows prove
// it; the time or prompt line people paste above a table can belong to one.
import { tokens } from "../../text.js";
import type { LineRecogniser, Strength } from "../module.js";

const POOL_TYPES = new Set(["nonp", "paged"]);

function isPoolmonRow(line: string): boolean {
  const tok = tokens(line);
  if (tok.length < 5) return false;
  // The tag is four characters and may hold spaces (`Irp `, `I o`), so the type is token 1 to 3.
  let tagLength = 0;
  for (let k = 1; k <= 3 && k < tok.length - 1; k++) {
    tagLength += (tok[k - 1] as string).length;
    if (tagLength > 4) return false;
    if (POOL_TYPES.has((tok[k] as string).toLowerCase())) return /^\d/.test(tok[k + 1] as string);
  }
  return false;
}

function poolmonLine(line: string): Strength {
  // Values may be grouped (`4,193,848K`, `4'193'848K`), as the poolmon parser reads them.
  if (/^\s*Memory:\s*\d[\d,.'\u2019]*\s*K\b.*Avail/i.test(line)) return 2;
  if (/^\s*Commit:\s*\d[\d,.'\u2019]*\s*K\b/i.test(line)) return 2;
  if (/^\s*Tag\s+Type\s+Allocs\b/i.test(line)) return 2;
  if (isPoolmonRow(line)) return 2;
  if (/^\s*System pool information/i.test(line)) return 1;
  // What people paste above a table to say when it was taken: `echo %date% %time%` or the prompt.
  if (LONE_TIME.test(line)) return 1;
  if (/^\s*(?:[A-Za-z]:\\[^>]{0,200}>\s*)?poolmon(?:\.exe)?(?:\s|$)/i.test(line)) return 1;
  return 0;
}

/** A date and time alone on a line (`Fri 03/01/2024  9:00:04.17`, `2024-03-01 09:00:04`). */
const LONE_TIME =
  /^\s*(?:[A-Za-z]{3},?\s+)?(?:\d{4}-\d{2}-\d{2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})[ T,]+\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?(?:\s?[AaPp][Mm])?\s*$/;

export const poolmonLines: LineRecogniser = {
  start: ({ line }) => poolmonLine(line),
};
