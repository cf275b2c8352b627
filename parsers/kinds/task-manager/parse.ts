// Task Manager's memory figures as people paste them, in KB:
//  - XP/2003 Performance tab (typed by hand, the dialog cannot be copied): `Totals`, `Physical
//    Memory (K)` Total/Available/System Cache, `Commit Charge (K)` Total/Limit/Peak, `Kernel Memory
//    (K)` Total/Paged/Nonpaged; also on one line (`Kernel Memory (K)  Total 220564  Paged …`);
//  - Vista/7 (2008, 2008 R2): the same sections in MB, a `System` box with Handles/Threads/Processes,
//    `Up Time`, `Page File 5980M/8188M` (Vista) or `Commit (GB) 5 / 32` (7);
//  - Windows 8/2012 and later, the Memory page copied: `16.0 GB DDR4`, `Available 412 MB`,
//    `Committed 15.6/18.3 GB`, `Paged pool 547 MB`, `Non-paged pool 13.6 GB`, `In use (Compressed)`;
//    each value carries MB or GB, and Slack may have joined it all on one or two lines.
// Labels are matched by their last words, so text glued in front by a lost line break (`DDR4 Speed`)
// does not hide them. One pass over the lines.
import { readNumber, type SizeUnit, toKb, unitOf } from "../../numbers.js";
import { promptOf } from "../../prompt.js";
import { splitLines, tokens } from "../../text.js";
import type { KindInput } from "../module.js";
import type { TaskManagerData } from "./schema.js";

type Section = "physical" | "kernel" | "commit" | "totals" | "system" | "memory";
type SizeField =
  | "physicalMemoryKb"
  | "availableKb"
  | "cachedKb"
  | "commitKb"
  | "commitLimitKb"
  | "kernelTotalKb"
  | "pagedUsedKb"
  | "nonpagedUsedKb"
  | "inUseKb";
type CountField = "handles" | "threads" | "processes";

const MAX_WARNINGS = 20;

interface Value {
  text: string;
  unit: SizeUnit | null;
}

interface Pair {
  label: string;
  first: Value | null;
  second: Value | null;
  /** `6:02:14:40`: an up time. */
  time: string | null;
}

const VALUE = /^(\d[\d.,'\u2019]*)([KMGkmg][Bb]?)?(?:\/(\d[\d.,'\u2019]*)([KMGkmg][Bb]?)?)?$/;
const CLOCK = /^\d{1,3}(?::\d{2}){2,3}$/;
const HEADING =
  /^(physical memory|kernel memory|commit charge|commit|totals|system|memory|arbeitsspeicher)(?:\s*\(\s*([kmg]b?)\s*\))?\s*:?$/i;
const UNIT_IN_LABEL = /^(.*?)\s*\(\s*([kmg]b?)\s*\)\s*(.*)$/;

function sectionOf(name: string): Section {
  const n = name.toLowerCase();
  if (n === "physical memory") return "physical";
  if (n === "kernel memory") return "kernel";
  if (n === "commit charge" || n === "commit") return "commit";
  if (n === "totals") return "totals";
  if (n === "system") return "system";
  return "memory";
}

function snippet(line: string): string {
  const t = line.trim();
  return t.length > 80 ? `${t.slice(0, 77)}...` : t;
}

/** Label → value pairs of a line: `Total 164528 Paged 52912`, `Committed 15.6/18.3 GB`, `5 / 32`. */
function pairsOf(line: string): Pair[] {
  const toks = tokens(line);
  const out: Pair[] = [];
  let label: string[] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as string;
    // `(467 MB)` after the compressed figure: a detail, not a value of its own.
    if (t.startsWith("(") && /\d/.test(t)) {
      while (i < toks.length && !(toks[i] as string).endsWith(")")) i++;
      continue;
    }
    if (CLOCK.test(t)) {
      out.push({ label: label.join(" "), first: null, second: null, time: t });
      label = [];
      continue;
    }
    const m = VALUE.exec(t);
    if (!m) {
      label.push(t);
      continue;
    }
    const first: Value = { text: m[1] as string, unit: m[2] ? unitOf(m[2]) : null };
    let second: Value | null = m[3] ? { text: m[3], unit: m[4] ? unitOf(m[4]) : null } : null;
    if (second === null && toks[i + 1] === "/") {
      const n = VALUE.exec(toks[i + 2] ?? "");
      if (n && !n[3]) {
        second = { text: n[1] as string, unit: n[2] ? unitOf(n[2]) : null };
        i += 2;
      }
    }
    const next = toks[i + 1];
    if (next !== undefined && !/^\d/.test(next) && unitOf(next) !== null) {
      const unit = unitOf(next);
      if (first.unit === null) first.unit = unit;
      if (second && second.unit === null) second.unit = unit;
      i++;
    }
    out.push({ label: label.join(" "), first, second, time: null });
    label = [];
  }
  return out;
}

const ends = (label: string, name: string): boolean => label === name || label.endsWith(` ${name}`);

/** The size field a label names in a section, or a count, or null. */
function fieldOf(label: string, section: Section | null): SizeField | CountField | "upTime" | null {
  if (
    ends(label, "non-paged pool") ||
    ends(label, "nonpaged pool") ||
    ends(label, "nicht ausgelagerter pool")
  )
    return "nonpagedUsedKb";
  if (ends(label, "non-paged") || ends(label, "nonpaged")) return "nonpagedUsedKb";
  if (ends(label, "paged pool") || ends(label, "ausgelagerter pool") || ends(label, "paged"))
    return "pagedUsedKb";
  if (ends(label, "committed") || ends(label, "zugesichert") || ends(label, "page file")) return "commitKb";
  if (
    ends(label, "in use (compressed)") ||
    ends(label, "in use") ||
    ends(label, "in verwendung (komprimiert)")
  )
    return "inUseKb";
  if (ends(label, "available") || ends(label, "verfügbar")) return "availableKb";
  if (ends(label, "cached") || ends(label, "system cache") || ends(label, "im cache")) return "cachedKb";
  if (ends(label, "handles")) return "handles";
  if (ends(label, "threads")) return "threads";
  if (ends(label, "processes")) return "processes";
  if (ends(label, "up time")) return "upTime";
  if (ends(label, "limit") && section === "commit") return "commitLimitKb";
  if (ends(label, "total")) {
    if (section === "physical") return "physicalMemoryKb";
    if (section === "kernel") return "kernelTotalKb";
    if (section === "commit") return "commitKb";
  }
  return null;
}

/** Labels Task Manager prints that carry nothing the diagnosis uses: read, not reported. */
const KNOWN_UNUSED = [
  "speed",
  "slots used",
  "of",
  "form factor",
  "hardware reserved",
  "virtual machine",
  "free",
  "peak",
];

function isKnownUnused(label: string): boolean {
  return KNOWN_UNUSED.some((name) => ends(label, name));
}

function emptyData(): TaskManagerData {
  return {
    form: "lines",
    physicalMemoryKb: null,
    availableKb: null,
    cachedKb: null,
    commitKb: null,
    commitLimitKb: null,
    kernelTotalKb: null,
    pagedUsedKb: null,
    nonpagedUsedKb: null,
    inUseKb: null,
    handles: null,
    threads: null,
    processes: null,
    upTime: null,
  };
}

export function parseTaskManager(text: string, source: string): KindInput<"task-manager", TaskManagerData> {
  const warnings: string[] = [];
  const warn = (w: string): void => {
    if (warnings.length < MAX_WARNINGS) warnings.push(w);
  };
  const data = emptyData();
  let section: Section | null = null;
  let sectionUnit: SizeUnit | null = null;
  let classic = false;
  let memoryTab = false;

  const toKbOf = (v: Value, lineNo: number, line: string): number | null => {
    const unit = v.unit ?? sectionUnit;
    if (unit === null) warn(`line ${lineNo}: "${snippet(line)}" has no unit; read as KB`);
    // KB are whole numbers: `1.000` there is a German thousand, not one.
    const n = (unit ?? "K") === "K" ? readNumber(v.text, { integer: true }) : readNumber(v.text);
    return n === null ? null : toKb(n, unit ?? "K");
  };

  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const lineNo = i + 1;
    const trimmed = line.trim();
    if (trimmed === "" || promptOf(line) !== null) continue;
    const heading = HEADING.exec(trimmed);
    if (heading) {
      section = sectionOf(heading[1] as string);
      sectionUnit = heading[2] ? unitOf(heading[2]) : null;
      if (section === "memory" && sectionUnit === null) memoryTab = true;
      else classic = true;
      continue;
    }
    const pairs = pairsOf(line);
    let used = false;
    for (const pair of pairs) {
      let label = pair.label.toLowerCase().replace(/:/g, "").replace(/\s+/g, " ").trim();
      // A heading on the value's line: `Kernel Memory (K) Total 220564`, `Commit (GB) 5 / 32`.
      const inline = UNIT_IN_LABEL.exec(label);
      if (inline && /^(?:physical memory|kernel memory|commit charge|commit)$/.test(inline[1] as string)) {
        section = sectionOf(inline[1] as string);
        sectionUnit = unitOf(inline[2] as string);
        classic = true;
        label = (inline[3] as string).trim();
      }
      // The first value of the Memory page is the installed RAM (`16.0 GB DDR4`).
      if ((label === "" || ends(label, "memory") || ends(label, "arbeitsspeicher")) && pair.first?.unit) {
        if ((section === "memory" || label !== "") && data.physicalMemoryKb === null) {
          data.physicalMemoryKb = toKbOf(pair.first, lineNo, line);
          memoryTab = true;
          used = true;
          continue;
        }
      }
      if (label === "" && section === "commit" && pair.first && pair.second) {
        data.commitKb = toKbOf(pair.first, lineNo, line);
        data.commitLimitKb = toKbOf(pair.second, lineNo, line);
        used = true;
        continue;
      }
      const field = fieldOf(label, section);
      if (field === null) {
        if (isKnownUnused(label)) used = true;
        continue;
      }
      used = true;
      if (field === "upTime") {
        data.upTime = pair.time;
        continue;
      }
      if (pair.first === null) continue;
      if (field === "handles" || field === "threads" || field === "processes") {
        const n = readNumber(pair.first.text, { integer: true });
        if (n !== null && Number.isSafeInteger(n)) data[field] = n;
        continue;
      }
      // `Paged pool 547 MB`: the Memory page's label, with its own unit.
      if (ends(label, "pool") && pair.first.unit !== null) memoryTab = true;
      data[field] = toKbOf(pair.first, lineNo, line);
      if (field === "commitKb" && pair.second) data.commitLimitKb = toKbOf(pair.second, lineNo, line);
    }
    // `Slots used: N/A`, `Virtual machine: Yes`, `Form factor: DIMM`: the Memory page, no number.
    if (!used && isKnownUnused((trimmed.split(/[:\t]/)[0] ?? "").trim().toLowerCase())) used = true;
    if (!used) warn(`line ${lineNo}: not a Task Manager figure, ignored: "${snippet(line)}"`);
  }
  data.form = memoryTab && !classic ? "memory-tab" : classic ? "performance-tab" : "lines";
  const sizes = [
    data.physicalMemoryKb,
    data.pagedUsedKb,
    data.nonpagedUsedKb,
    data.availableKb,
    data.commitKb,
  ];
  if (sizes.every((v) => v === null)) warn("no Task Manager memory figures found");
  return { kind: "task-manager", source, warnings, data };
}
