// Which lines belong to a counter-csv piece: the PDH CSV header and its rows (a time then numbers),
// Get-Counter's `Timestamp  CounterSamples` title and `\\machine\…\counter :` lines, a CounterSamples
// table's title, and a counter path with its value prove it; the command lines, Get-Counter's values
// and underlines, typeperf's closing lines and relog's report can belong to one.
import { TABLE_UNDERLINE } from "../../text.js";
import type { Continuation, LineAt, LineRecogniser, Strength } from "../module.js";

const TIME = String.raw`\d{1,2}[/.]\d{1,2}[/.]\d{4},? \d{1,2}:\d{2}(?::\d{2}(?:[.,]\d{1,7})?)?(?: ?[AaPp][Mm])?`;
const VALUE = String.raw`"(?:-?\d[\d.,]*(?:[eE][-+]?\d+)?|\s?)"`;

const STRONG: readonly RegExp[] = [
  /^\s*"\(PDH-[CT]SV [\d.]+\)/,
  new RegExp(String.raw`^\s*"${TIME}"(?:[,;\t]${VALUE})+\s*$`),
  /^\s*Timestamp\s+CounterSamples\s*$/i,
  new RegExp(
    String.raw`^\s*(?:${TIME}\s+|Readings\s*:\s*)?\\\\[^\\\s][^\\]{0,80}\\[^\\]{1,120}\\[^\\]{1,120}\s:\s*$`,
  ),
  /^\s*Path\s+InstanceName\s+CookedValue\b/i,
  // relog's command line: its console report (Begin, End, Samples) follows.
  /^\s*(?:[A-Za-z]:\\[^>]{0,200}>|PS[^>]{0,200}>)\s*relog(?:\.exe)?\s.{0,400}\.blg\b/i,
];

const PATH = /^(?:\\\\[^\\\s]{1,80})?\\[A-Za-z][^\\]{0,120}\\[A-Za-z][^\\]{0,120}$/;

/** `\\WEB01\Memory\Pool Nonpaged Bytes   114,294,784`, `\Memory\Pool Paged Bytes: 108948`. */
function pathAndValue(line: string): boolean {
  const t = line.trim();
  if (!t.startsWith("\\")) return false;
  const cut = Math.max(t.lastIndexOf(" "), t.lastIndexOf("\t"));
  if (cut <= 0 || !/^-?\d[\d.,]*$/.test(t.slice(cut + 1))) return false;
  let head = t.slice(0, cut).trimEnd();
  if (head.endsWith(":") || head.endsWith("=")) head = head.slice(0, -1).trimEnd();
  return PATH.test(head);
}

const WEAK: readonly RegExp[] = [
  /^\s*(?:[A-Za-z]:\\[^>]{0,200}>|PS[^>]{0,200}>)\s*(?:typeperf|relog|logman)(?:\.exe)?\s/i,
  /^\s*PS[^>]{0,200}>.{0,400}Get-Counter\b/i,
  /^\s*\\\\[^\\\s][^\\]{0,80}\\/,
];

/** Lines that continue a piece, never start one: values, underlines, closing and report lines. */
const CONTINUES: readonly RegExp[] = [
  /^\s+-?\d[\d.,]*(?:[eE][-+]?\d+)?\s*$/,
  /^\s*-{3,}\s*$/,
  /^\s*(?:Exiting, please wait|The command completed successfully)/i,
  /^\s*(?:Input|Output)\s*$/i,
  /^\s*(?:File\(s\)|File|Begin|End|Samples)\s*:/i,
  /^\s*\S{1,200}\.blg\b/i,
  /^\s*\d{1,3}(?:\.\d+)?%\s*$/,
  /^\s*(?:Timestamp|CounterSamples)\s*:/i,
];

function matches(res: readonly RegExp[], line: string): boolean {
  for (const re of res) if (re.test(line)) return true;
  return false;
}

function counterLine(line: string): Strength {
  if (matches(STRONG, line) || pathAndValue(line)) return 2;
  return matches(WEAK, line) ? 1 : 0;
}

function continuesCounter({ line }: LineAt, { provesOther }: Continuation<undefined>): Strength {
  const s = counterLine(line);
  if (s === 2) return 2;
  if (provesOther()) return 0;
  if (s === 1 || TABLE_UNDERLINE.test(line) || matches(CONTINUES, line)) return 1;
  return 0;
}

export const counterCsvLines: LineRecogniser<undefined> = {
  start: ({ line }) => counterLine(line),
  continues: continuesCounter,
};
