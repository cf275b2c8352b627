// Which lines belong to an HTTPERR piece: the HTTP API header lines and data lines prove it; other
// `#` directives and lines cut short after their date can belong to one.
import { isIsoDate, trimStartAll } from "../../text.js";
import type { LineRecogniser, Strength } from "../module.js";
import { isHttperrLine } from "./parse.js";

const ISO_DATE_START = /^\d{4}-\d{2}-\d{2}(?:\s|$)/;

function httperrLine(line: string): Strength {
  const t = trimStartAll(line);
  if (t.length === 0) return 0;
  if (t[0] === "#") {
    if (isHttperrLine(t)) return 2;
    return /^#(?:Software|Version|Date|Fields|Remark|Start-Date|End-Date)\s*:/i.test(t) ? 1 : 0;
  }
  if (!isIsoDate(t.slice(0, 10))) return 0;
  if (isHttperrLine(t)) return 2;
  // A line cut short keeps its date: it stays in the piece (the parser counts it as skipped).
  return ISO_DATE_START.test(t) ? 1 : 0;
}

export const httperrLines: LineRecogniser = {
  start: ({ line }) => httperrLine(line),
};
