// Which lines belong to a systeminfo piece: OS Name, OS Version, Total Physical Memory and System
// Type with values of their shape (in English or German), and the `/fo csv` header, prove it; the
// other `Label: value` lines, the indented continuations and the CSV row can belong to one.
import type { Continuation, LineAt, LineRecogniser, Strength } from "../module.js";
import { LABELS } from "./labels.js";

const CSV_HEADER = /^\s*"(?:Host Name|Hostname)"\s*[,;]\s*"(?:OS Name|Betriebssystemname)"/i;

const STRONG: readonly RegExp[] = [
  CSV_HEADER,
  /^\s*(?:OS Name|Betriebssystemname):\s*Microsoft/i,
  /^\s*(?:OS Version|Betriebssystemversion):\s*\d+\.\d+\.\d+/i,
  /^\s*(?:Total Physical Memory|Gesamter physischer Speicher):\s*\d[\d.,]*\s*MB/i,
  /^\s*[^:]{1,60}:\s*(?:X86|x64|ARM64|ARM|Itanium|IA64)-based PC\s*$/i,
];

function isStrong(line: string): boolean {
  for (const re of STRONG) if (re.test(line)) return true;
  return false;
}

/** A line whose label is one systeminfo prints (any language we know). */
function isKnownLabel(line: string): boolean {
  const t = line.trim();
  const colon = t.indexOf(":");
  if (colon <= 0 || colon > 60) return false;
  return LABELS.has(t.slice(0, colon).trim().replace(/\s+/g, " ").toLowerCase());
}

/** The open piece: whether it is the `/fo csv` form (its one data row follows the header). */
export interface SysteminfoState {
  csv: boolean;
}

function continuesSysteminfo(
  { line }: LineAt,
  { afterBlank, state, provesOther }: Continuation<SysteminfoState>,
): Strength {
  if (CSV_HEADER.test(line)) {
    state.csv = true;
    return 2;
  }
  if (isStrong(line)) return 2;
  if (provesOther()) return 0;
  if (afterBlank) return isKnownLabel(line) ? 1 : 0;
  if (state.csv) return /^\s*"/.test(line) ? 1 : 0;
  if (/^\s+\S/.test(line)) return 1; // a value continued under the value column
  return /^[^\s:[][^:]{0,60}:(?:\s|$)/.test(line) ? 1 : 0;
}

export const systeminfoLines: LineRecogniser<SysteminfoState> = {
  start: ({ line }) =>
    isStrong(line) ? 2 : /^\s*(?:[A-Za-z]:\\[^>]{0,200}>|PS [^>]{0,200}>)\s*systeminfo\b/i.test(line) ? 1 : 0,
  continues: continuesSysteminfo,
  open: ({ line }) => ({ csv: CSV_HEADER.test(line) }),
};
