// Which lines belong to an iis-w3c piece: the `#Software: Microsoft Internet Information Services`
// header, a `#Fields:` line naming IIS-only fields, and request lines in IIS's shape prove it; the
// other `#` directives and dated lines can belong to one (an HTTPERR line or header ends it).
import { isIsoDate, tokens, trimStartAll } from "../../text.js";
import type { Continuation, LineAt, LineRecogniser, Strength } from "../module.js";
import { IIS_ONLY_FIELDS, looksLikeIisRequest } from "./fields.js";

/** True for a `#Fields:` line that names a field only IIS access logs have. */
export function isIisFieldsLine(t: string): boolean {
  if (!/^#Fields:/i.test(t)) return false;
  const names = tokens(t.slice(8));
  return !names.includes("s-reason") && IIS_ONLY_FIELDS.some((f) => names.includes(f));
}

function iisLine(line: string): Strength {
  const t = trimStartAll(line);
  if (t.length === 0) return 0;
  if (t[0] === "#") {
    if (/^#Software:\s*Microsoft Internet Information Services/i.test(t)) return 2;
    if (isIisFieldsLine(t)) return 2;
    return /^#(?:Version|Date|Start-Date|End-Date|Remark)\s*:/i.test(t) ? 1 : 0;
  }
  if (!isIsoDate(t.slice(0, 10))) return 0;
  // A method then a path (` GET /`) before splitting the line: most dated lines are HTTPERR's.
  if (!/ [A-Z][A-Z-]{2,15} [/*]/.test(t)) return 1;
  return looksLikeIisRequest(tokens(t)) ? 2 : 1;
}

function continuesIis({ line }: LineAt, { provesOther }: Continuation<undefined>): Strength {
  const s = iisLine(line);
  if (s === 2) return 2;
  if (provesOther()) return 0;
  return s;
}

export const iisW3cLines: LineRecogniser<undefined> = {
  start: ({ line }) => iisLine(line),
  continues: continuesIis,
};
