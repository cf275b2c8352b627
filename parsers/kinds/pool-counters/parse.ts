// Pool counters from three places, all returned in KB:
//  - WinDbg/kd `!vm`: `NonPagedPool Usage: 27910 ( 111640 Kb)`, `NonPagedPool Max:`, `PagedPool
//    Usage:`, `PagedPool Maximum:`, `Physical Memory:` (Windows 8+ adds `NonPagedPoolNx Usage:`,
//    which is non-paged too and is added in);
//  - perfmon / typeperf / Get-Counter: `\Memory\Pool Nonpaged Bytes`, `\Memory\Pool Paged Bytes`
//    (the last sample wins: it is the current state);
//  - Task Manager: XP/2003 `Physical Memory (K)` / `Kernel Memory (K)` sections with Total / Paged /
//    Nonpaged lines, Windows 7 `(MB)` sections, Windows 8+ `Paged pool 312 MB` / `Non-paged pool 109 MB`.
// One pass over the lines.
import { readKb, readNumber, type SizeUnit, toKb, unitOf } from "../../numbers.js";
import type { KindInput } from "../module.js";
import type { PoolCounters } from "./schema.js";

type Values = Omit<PoolCounters, "origin">;
type Origin = PoolCounters["origin"];

function emptyValues(): Values {
  return {
    nonpagedUsedKb: null,
    nonpagedMaxKb: null,
    pagedUsedKb: null,
    pagedMaxKb: null,
    physicalMemoryKb: null,
  };
}

function snippet(line: string): string {
  const t = line.trim();
  return t.length > 80 ? `${t.slice(0, 77)}...` : t;
}

// ---------- !vm ----------

/** `!vm` names (spaces collapsed, lower-case) → field; `nx` is added to non-paged usage. */
const VM_NAMES: Record<string, keyof Values | "nx"> = {
  "physical memory": "physicalMemoryKb",
  "nonpagedpool usage": "nonpagedUsedKb",
  "nonpagedpoolnx usage": "nx",
  "nonpagedpool max": "nonpagedMaxKb",
  "nonpagedpool maximum": "nonpagedMaxKb",
  "pagedpool usage": "pagedUsedKb",
  "pagedpool max": "pagedMaxKb",
  "pagedpool maximum": "pagedMaxKb",
};

/** `<pages> ( <kb> Kb)` → KB; pages × 4 KB when the parenthesis is missing. */
function vmValue(rest: string): number | null {
  const open = rest.indexOf("(");
  if (open !== -1) {
    const close = rest.indexOf(")", open);
    const kb = readKb(rest.slice(open + 1, close === -1 ? undefined : close));
    if (kb !== null) return kb;
  }
  const pages = readNumber((open === -1 ? rest : rest.slice(0, open)).trim(), { integer: true });
  return pages === null ? null : pages * 4;
}

// ---------- perfmon ----------

type PerfField = "nonpagedUsedKb" | "pagedUsedKb";

function perfField(name: string): PerfField | null {
  const n = name.toLowerCase();
  if (n.includes("pool nonpaged bytes")) return "nonpagedUsedKb";
  if (n.includes("pool paged bytes")) return "pagedUsedKb";
  return null;
}

/** Splits one CSV line as typeperf writes it (every field quoted, no embedded quotes). */
function csvFields(line: string): string[] {
  return line
    .trim()
    .split(/"\s*,\s*"/)
    .map((f) => f.replace(/^"|"$/g, "").trim());
}

// ---------- Task Manager ----------

/** Label → number pairs in a line: `Total 164528 Paged 52912`, `Non-paged pool 109 MB`. */
function labelledNumbers(
  line: string,
): Array<{ label: string; text: string; value: number; unit: SizeUnit | null }> {
  const out: Array<{ label: string; text: string; value: number; unit: SizeUnit | null }> = [];
  const toks = line.trim().split(/\s+/);
  let label: string[] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as string;
    const value = /^\d/.test(t) ? readNumber(t) : null;
    if (value === null) {
      label.push(t);
      continue;
    }
    let unit: SizeUnit | null = null;
    const next = toks[i + 1];
    if (next !== undefined && unitOf(next) !== null && !/^\d/.test(next)) {
      unit = unitOf(next);
      i++;
    }
    out.push({ label: label.join(" ").replace(/:$/, "").toLowerCase(), text: t, value, unit });
    label = [];
  }
  return out;
}

export function parsePoolCounters(text: string, source: string): KindInput<"pool-counters", PoolCounters> {
  const warnings: string[] = [];
  const found: Record<Origin, Values> = {
    "kd-vm": emptyValues(),
    perfmon: emptyValues(),
    "task-manager": emptyValues(),
  };
  const seen = new Set<Origin>();
  /** Lines read as nothing; reported only for Task Manager text (`!vm` and Get-Counter print many). */
  const ignored: string[] = [];
  let nx: number | null = null;

  // Task Manager state: the section a line belongs to and the unit its heading names.
  let section: "physical" | "kernel" | "commit" | "memory" | null = null;
  let sectionUnit: SizeUnit | null = null;
  // perfmon state: typeperf column map, or a Get-Counter path whose value is on the next line.
  let csvColumns: Array<PerfField | null> | null = null;
  let pendingPerf: PerfField | null = null;

  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const trimmed = line.trim();
    const lineNo = i + 1;
    if (trimmed === "") continue;
    // Command prompts (`C:\>typeperf "\Memory\Pool Nonpaged Bytes"`, `PS C:\> Get-Counter …`, `kd> !vm`)
    // name counters but hold no values.
    if (/^(?:PS )?[A-Za-z]:\\[^>]{0,200}>/.test(trimmed) || /^(?:\d+: )?kd> /.test(trimmed)) continue;

    // ---- typeperf CSV ----
    if (trimmed.startsWith('"')) {
      const fields = csvFields(trimmed);
      if (fields.some((f) => perfField(f) !== null)) {
        csvColumns = fields.map(perfField);
        continue;
      }
      if (csvColumns) {
        fields.forEach((f, col) => {
          const field = csvColumns?.[col];
          if (!field) return;
          const v = readNumber(f);
          if (v === null) {
            if (f !== "") warnings.push(`line ${lineNo}: perfmon value "${f}" is not a number`);
            return;
          }
          found.perfmon[field] = toKb(v, "B");
          seen.add("perfmon");
        });
        continue;
      }
    }

    // ---- Get-Counter: `\\web01\memory\pool nonpaged bytes :` then the value ----
    if (pendingPerf) {
      const v = readNumber(trimmed);
      const field = pendingPerf;
      pendingPerf = null;
      if (v !== null) {
        found.perfmon[field] = toKb(v, "B");
        seen.add("perfmon");
        continue;
      }
    }
    const perf = perfField(trimmed);
    if (perf) {
      // The value follows the counter name on the line (`... Pool Nonpaged Bytes   114,294,784`)
      // or alone on the next one.
      const at = trimmed.toLowerCase().lastIndexOf("bytes");
      const tail = trimmed
        .slice(at + 5)
        .replace(/^[\s:"=,]+/, "")
        .trim();
      const v = tail === "" ? null : readNumber(tail.split(/\s+/)[0] as string);
      if (v !== null) {
        found.perfmon[perf] = toKb(v, "B");
        seen.add("perfmon");
      } else if (tail === "") {
        pendingPerf = perf;
      } else {
        warnings.push(`line ${lineNo}: no number after the counter: "${snippet(line)}"`);
      }
      continue;
    }

    // ---- !vm ----
    const colon = trimmed.indexOf(":");
    if (colon > 0) {
      const name = trimmed.slice(0, colon).trim().replace(/\s+/g, " ").toLowerCase();
      const vmField = VM_NAMES[name];
      if (vmField !== undefined && (trimmed.includes("(") || /^(?:non)?pagedpool/.test(name))) {
        const kb = vmValue(trimmed.slice(colon + 1));
        if (kb === null) {
          warnings.push(`line ${lineNo}: unreadable !vm value: "${snippet(line)}"`);
        } else if (vmField === "nx") {
          nx = kb;
          seen.add("kd-vm");
        } else {
          found["kd-vm"][vmField] = kb;
          seen.add("kd-vm");
        }
        continue;
      }
    }

    // ---- Task Manager ----
    // The leading `\s*` sits inside the optional unit group: `\s*(?:…)?\s*` tries every split of a
    // run of spaces before failing (quadratic); this form fails in one pass.
    const heading =
      /^(physical memory|kernel memory|commit charge|memory)(?:\s*\(\s*([kmg]b?)\s*\))?\s*:?$/i.exec(trimmed);
    if (heading) {
      const h = (heading[1] as string).toLowerCase();
      section =
        h === "physical memory"
          ? "physical"
          : h === "kernel memory"
            ? "kernel"
            : h === "commit charge"
              ? "commit"
              : "memory";
      sectionUnit = heading[2] ? unitOf(heading[2]) : null;
      continue;
    }
    // A heading and its numbers on one line: `Kernel Memory (K)  Total 164528  Paged 52912  Nonpaged 111616`.
    // `(?:\s*:)?\s+` rather than `\s*:?\s+`, and `s` so that `(.*)$` cannot fail on U+2028: both
    // would make the engine retry every split of the spaces (quadratic, cubic with U+2028).
    const inline = /^(physical memory|kernel memory)\s*\(\s*([kmg]b?)\s*\)(?:\s*:)?\s+(.*)$/is.exec(trimmed);
    let body = trimmed;
    if (inline) {
      section = (inline[1] as string).toLowerCase().startsWith("physical") ? "physical" : "kernel";
      sectionUnit = unitOf(inline[2] as string);
      body = inline[3] as string;
    }
    const pairs = labelledNumbers(body);
    let used = false;
    for (const p of pairs) {
      const unit = p.unit ?? sectionUnit;
      const label = p.label.replace(/\s+/g, " ");
      let field: keyof Values | null = null;
      if (/^non-?paged(?: pool)?$/.test(label) || label === "nonpaged pool") field = "nonpagedUsedKb";
      else if (/^paged(?: pool)?$/.test(label)) field = "pagedUsedKb";
      else if (label === "total" && section === "physical") field = "physicalMemoryKb";
      else if (label === "" && section === "memory" && p.unit !== null && pairs.length === 1)
        field = "physicalMemoryKb";
      if (field === null) continue;
      if (unit === null) {
        warnings.push(`line ${lineNo}: "${snippet(line)}" has no unit; read as KB`);
      }
      // KB are whole numbers: `1.000` there is a German thousand, not one.
      const whole = (unit ?? "K") === "K" ? readNumber(p.text, { integer: true }) : null;
      found["task-manager"][field] = toKb(whole ?? p.value, unit ?? "K");
      seen.add("task-manager");
      used = true;
    }
    if (used || pairs.length > 0) continue;
    if (section === null) ignored.push(`line ${lineNo}: not a pool counter, ignored: "${snippet(line)}"`);
  }

  if (nx !== null) {
    const base = found["kd-vm"].nonpagedUsedKb ?? 0;
    found["kd-vm"].nonpagedUsedKb = base + nx;
  }
  // One origin per result: the debugger's numbers are exact, perfmon's next, Task Manager's rounded.
  const order: Origin[] = ["kd-vm", "perfmon", "task-manager"];
  const origin = order.find((o) => seen.has(o)) ?? "task-manager";
  const counters: PoolCounters = { ...found[origin], origin };
  // Fill gaps from the other origins rather than dropping what they said.
  for (const o of order) {
    if (o === origin || !seen.has(o)) continue;
    warnings.push(`counters from ${o} too; ${origin} values take precedence`);
    for (const k of Object.keys(counters) as Array<keyof PoolCounters>) {
      if (k === "origin") continue;
      if (counters[k] === null) counters[k] = found[o][k];
    }
  }
  if (origin === "task-manager") warnings.push(...ignored.slice(0, 20));
  if (seen.size === 0) warnings.push("no pool counters (Task Manager, !vm or perfmon) found");
  return { kind: "pool-counters", source, warnings, data: counters };
}
