// Performance counter samples, any counters, in the forms admins paste:
//  - PDH CSV, as typeperf prints it (after its command line, before `The command completed
//    successfully.`), as `typeperf -o` and relog write it, and Performance Monitor's "Save Data As":
//    a `"(PDH-CSV 4.0)"` header (relog adds the time zone and its bias: `(Pacific Daylight Time)(420)`),
//    then one quoted row per sample; a value of `" "` (a rate counter's first sample) is no value;
//  - PowerShell Get-Counter: its table (a `Timestamp` with `path :` lines, each value indented on
//    the next line, samples separated by blank lines) or `Format-List` (`Timestamp :`, `Readings :`);
//  - a CounterSamples table (`Path  InstanceName  CookedValue`), one sample without a time;
//  - a counter path and its value on one line (`\\WEB01\Memory\Pool Nonpaged Bytes   114,294,784`);
//  - relog's console report (`Begin:`, `End:`, `Samples:`), kept beside whatever else was pasted.
// Values that cannot be read are counted and reported; one pass over the lines.
import { csvDelimiter, csvFields } from "../../csv.js";
import { readNumber, safeIntegerOf } from "../../numbers.js";
import { promptOf } from "../../prompt.js";
import { splitLines } from "../../text.js";
import type { KindInput } from "../module.js";
import { counterKey, parseCounterPath } from "./path.js";
import type { CounterCsvData, CounterPath } from "./schema.js";

type Form = CounterCsvData["form"];

const MAX_WARNINGS = 30;

/** `"(PDH-CSV 4.0) (Pacific Daylight Time)(420)"`: the zone and its bias, when relog wrote them. */
const PDH_HEADER = /^\(PDH-[CT]SV [\d.]+\)(?:\s*\(([^()]{1,80})\)\s*\((-?\d{1,5})\))?/;
/** A time as Get-Counter and typeperf print it: `10/5/2020 4:42:11 PM`, `04/02/2018 08:00:00.537`, ISO. */
const TIME =
  /^(\d{1,2}[/.]\d{1,2}[/.]\d{4},? \d{1,2}:\d{2}(?::\d{2}(?:[.,]\d{1,7})?)?(?: ?[AaPp][Mm])?|\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d{1,7})?)?)/;
/** A Get-Counter path line: `\\web21\memory\pool nonpaged bytes :` (the value is on the next line). */
function pathLine(body: string): string | null {
  if (!body.startsWith("\\") || !body.endsWith(":")) return null;
  const path = body.slice(0, -1);
  return /\s$/.test(path) ? path.trimEnd() : null;
}

/** The text before a line's last token, and that token (`\\w\memory\pool nonpaged bytes   114,294,784`). */
function splitLast(s: string): [string, string] | null {
  let end = s.length;
  while (end > 0 && /\s/.test(s[end - 1] as string)) end--;
  let start = end;
  while (start > 0 && !/\s/.test(s[start - 1] as string)) start--;
  if (start === 0) return null;
  return [s.slice(0, start).trimEnd(), s.slice(start, end)];
}

function snippet(line: string): string {
  const t = line.trim();
  return t.length > 80 ? `${t.slice(0, 77)}...` : t;
}

/** A counter value: `113246208.000000`, `7.9`, `412872704`; null for blank; undefined when unreadable. */
function counterValue(text: string): number | null | undefined {
  const t = text.trim();
  if (t === "") return null;
  if (/^-?\d+(?:\.\d+)?[eE][-+]?\d+$/.test(t)) {
    const n = Number(t);
    return Number.isFinite(n) ? n : undefined;
  }
  const n = readNumber(t);
  return n === null ? undefined : n;
}

interface Sample {
  time: string | null;
  values: Map<string, number | null>;
}

class Collector {
  form: Form | null = null;
  tool: string | null = null;
  timeZone: string | null = null;
  biasMinutes: number | null = null;
  counters: CounterPath[] = [];
  keys = new Map<string, string>(); // path as written → key
  byKey = new Set<string>();
  samples: Sample[] = [];
  relog: CounterCsvData["relog"] = null;
  warnings: string[] = [];

  warn(w: string): void {
    if (this.warnings.length < MAX_WARNINGS) this.warnings.push(w);
    else if (this.warnings.length === MAX_WARNINGS) this.warnings.push("more problems not listed");
  }

  setForm(form: Form): void {
    if (this.form === null || this.form === "relog-summary") this.form = form;
  }

  /** The key of a counter path, registering the counter the first time; null if not a path. */
  counter(text: string): string | null {
    const seen = this.keys.get(text);
    if (seen !== undefined) return seen;
    const p = parseCounterPath(text);
    if (p === null) return null;
    const key = counterKey(p);
    this.keys.set(text, key);
    if (!this.byKey.has(key)) {
      this.byKey.add(key);
      this.counters.push(p);
    }
    return key;
  }

  sample(time: string | null): Sample {
    const s: Sample = { time, values: new Map() };
    this.samples.push(s);
    return s;
  }

  finish(source: string): KindInput<"counter-csv", CounterCsvData> {
    const keys = this.counters.map(counterKey);
    const samples = this.samples
      .filter((s) => s.values.size > 0)
      .map((s) => ({ time: s.time, values: keys.map((k) => s.values.get(k) ?? null) }));
    if (samples.length === 0 && this.relog === null) this.warn("no counter samples found");
    const data: CounterCsvData = {
      form: this.form ?? "lines",
      tool: this.tool,
      timeZone: this.timeZone,
      biasMinutes: this.biasMinutes,
      counters: samples.length > 0 ? this.counters : [],
      samples,
      relog: this.relog,
    };
    return { kind: "counter-csv", source, warnings: this.warnings, data };
  }
}

const TOOLS: ReadonlyArray<[RegExp, string]> = [
  [/^typeperf(?:\.exe)?\b/i, "typeperf"],
  [/^relog(?:\.exe)?\b/i, "relog"],
  [/(?:^|[|(]\s*)Get-Counter\b/i, "Get-Counter"],
];

export function parseCounterCsv(text: string, source: string): KindInput<"counter-csv", CounterCsvData> {
  const c = new Collector();
  /** The PDH header's columns: counter keys (null for the time column or a path that is not one). */
  let columns: Array<string | null> | null = null;
  let delimiter = ",";
  /** Get-Counter: the sample being read and the path whose value comes on the next line. */
  let current: Sample | null = null;
  let pending: string | null = null;
  /** CounterSamples table: where the InstanceName column starts, and its one sample. */
  let tableInstanceAt = -1;
  let table: Sample | null = null;

  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const lineNo = i + 1;
    const trimmed = line.trim();
    if (trimmed === "") continue;

    const prompt = promptOf(line);
    if (prompt !== null) {
      for (const [re, name] of TOOLS) if (re.test(prompt.command)) c.tool ??= name;
      pending = null;
      continue;
    }

    // ---- PDH CSV ----
    if (trimmed.startsWith('"')) {
      const head = PDH_HEADER.exec(trimmed.slice(1));
      if (head) {
        delimiter = csvDelimiter(trimmed);
        const fields = csvFields(trimmed, delimiter);
        columns = fields.map((f, k) => (k === 0 ? null : c.counter(f)));
        c.timeZone ??= head[1]?.trim() ?? null;
        c.biasMinutes ??= head[2] === undefined ? null : Number(head[2]);
        c.setForm("pdh-csv");
        continue;
      }
      if (columns !== null) {
        const fields = csvFields(trimmed, delimiter);
        const time = TIME.exec(fields[0] ?? "");
        if (!time) {
          c.warn(`line ${lineNo}: a CSV row without a time, skipped: "${snippet(line)}"`);
          continue;
        }
        const s = c.sample(fields[0] as string);
        let bad = 0;
        columns.forEach((key, k) => {
          if (key === null) return;
          const v = counterValue(fields[k] ?? "");
          if (v === undefined) bad++;
          s.values.set(key, v ?? null);
        });
        if (bad > 0) c.warn(`line ${lineNo}: ${bad} value(s) that are not numbers, read as none`);
        if (fields.length !== columns.length) {
          c.warn(`line ${lineNo}: ${fields.length} fields for ${columns.length} columns`);
        }
        continue;
      }
    }

    // ---- relog's console report ----
    const report = /^(Begin|End|Samples):\s*(.*)$/s.exec(trimmed);
    if (report) {
      c.relog ??= { begin: null, end: null, samples: null };
      const value = (report[2] as string).trim();
      if (report[1] === "Begin") c.relog.begin ??= value || null;
      else if (report[1] === "End") c.relog.end ??= value || null;
      else if (/^\d+$/.test(value)) c.relog.samples ??= safeIntegerOf(value);
      c.setForm("relog-summary");
      continue;
    }

    // ---- CounterSamples table ----
    if (/^Path\s+InstanceName\s+CookedValue\b/i.test(trimmed)) {
      tableInstanceAt = line.indexOf("InstanceName");
      table = c.sample(null);
      c.setForm("counter-samples");
      continue;
    }
    if (table !== null && trimmed.startsWith("\\")) {
      const m = splitLast(trimmed);
      const v = m ? counterValue(m[1]) : undefined;
      if (!m || v === undefined || v === null) {
        c.warn(`line ${lineNo}: a CounterSamples row without a value, skipped: "${snippet(line)}"`);
        continue;
      }
      let pathText = m[0];
      if (
        tableInstanceAt > 0 &&
        line.length > tableInstanceAt &&
        /\s/.test(line[tableInstanceAt - 1] ?? "")
      ) {
        pathText = line.slice(0, tableInstanceAt).trim();
      } else {
        // Alignment lost: drop a trailing InstanceName that repeats the path's own instance.
        const p = parseCounterPath(pathText);
        const sp = pathText.lastIndexOf(" ");
        if (p && sp > 0) {
          const tail = pathText.slice(sp + 1);
          const head = parseCounterPath(pathText.slice(0, sp));
          if (head?.instance !== null && head?.instance === tail) pathText = pathText.slice(0, sp);
        }
      }
      const key = c.counter(pathText);
      if (key === null) c.warn(`line ${lineNo}: not a counter path, skipped: "${snippet(line)}"`);
      else table.values.set(key, v);
      continue;
    }

    // ---- Get-Counter ----
    if (/^Timestamp\s+CounterSamples$/i.test(trimmed) || /^-{3,}\s+-{3,}$/.test(trimmed)) {
      c.setForm("get-counter");
      continue;
    }
    const listTime = /^Timestamp\s*:\s*(.*)$/is.exec(trimmed);
    if (listTime) {
      current = c.sample((listTime[1] as string).trim() || null);
      pending = null;
      c.setForm("get-counter");
      continue;
    }
    if (/^CounterSamples\s*:/i.test(trimmed)) continue;
    let body = trimmed.replace(/^Readings\s*:\s*/i, "");
    const time = TIME.exec(body);
    let sampleTime: string | null = null;
    if (time && /^\s+\\/.test(body.slice(time[0].length))) {
      sampleTime = time[0];
      body = body.slice(time[0].length).trim();
    }
    const path = pathLine(body);
    if (path !== null) {
      if (sampleTime !== null || current === null) current = c.sample(sampleTime);
      pending = c.counter(path);
      if (pending === null) c.warn(`line ${lineNo}: not a counter path: "${snippet(line)}"`);
      c.setForm("get-counter");
      continue;
    }
    if (pending !== null && current !== null) {
      const v = counterValue(body);
      if (v === undefined) c.warn(`line ${lineNo}: counter value "${snippet(body)}" is not a number`);
      else current.values.set(pending, v);
      pending = null;
      continue;
    }

    // ---- a path and its value on one line ----
    if (body.startsWith("\\")) {
      const m = splitLast(body);
      if (m) {
        const key = c.counter(m[0].endsWith(":") || m[0].endsWith("=") ? m[0].slice(0, -1).trimEnd() : m[0]);
        const v = counterValue(m[1]);
        if (key !== null && v !== undefined && v !== null) {
          const s = c.samples.at(-1);
          const target =
            s && s.time === null && !s.values.has(key) && c.form === "lines" ? s : c.sample(null);
          target.values.set(key, v);
          c.setForm("lines");
          continue;
        }
      }
    }
    if (
      /^(?:Exiting, please wait|The command completed successfully|Input|Output|-{3,}|File\(s\):|File:|\d{1,3}(?:\.\d+)?%)/i.test(
        trimmed,
      )
    )
      continue;
    if (/\.blg\b/i.test(trimmed)) continue;
    c.warn(`line ${lineNo}: not a counter line, ignored: "${snippet(line)}"`);
  }
  return c.finish(source);
}
