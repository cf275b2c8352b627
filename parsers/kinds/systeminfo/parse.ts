// `systeminfo` output → what the machine is. Forms: the default list (also `/fo list`, `/s SERVER`),
// in English or German (labels translated, the label column wider, `.` grouping thousands), and
// `/fo csv` (a header row of labels and one row of values, multi-line values joined with commas).
// Values continued on indented lines (processors, hotfixes, network cards) are skipped. Labels of
// other languages are not known; their System Type (never translated), a value naming Microsoft
// Windows, and the first two `… MB` values whose label says "physical" are still read.
import { csvDelimiter, csvFields } from "../../csv.js";
import { readNumber } from "../../numbers.js";
import { promptOf } from "../../prompt.js";
import { splitLines } from "../../text.js";
import { archOfText } from "../../windows.js";
import type { KindInput } from "../module.js";
import { LABELS, type SysteminfoField } from "./labels.js";
import type { SysteminfoData } from "./schema.js";

function emptyData(form: SysteminfoData["form"]): SysteminfoData {
  return {
    form,
    language: null,
    hostName: null,
    osName: null,
    osVersion: null,
    osBuild: null,
    systemManufacturer: null,
    systemModel: null,
    systemType: null,
    arch: null,
    processors: null,
    totalPhysicalMemoryMb: null,
    availablePhysicalMemoryMb: null,
    bootTime: null,
    upTime: null,
    timeZone: null,
    hotfixes: null,
  };
}

/** `Label:   value` (the first colon followed by a space or the end); null for other lines. */
function keyLine(line: string): { label: string; value: string } | null {
  const t = line.trim();
  const colon = t.indexOf(":");
  if (colon <= 0 || colon > 60 || t[0] === "[") return null;
  const after = t[colon + 1];
  if (after !== undefined && after !== " " && after !== "\t") return null; // `10:22:41`, `C:\`
  return {
    label: t.slice(0, colon).trim().replace(/\s+/g, " ").toLowerCase(),
    value: t.slice(colon + 1).trim(),
  };
}

/** `16,315 MB`, `32.767 MB` (German grouping): whole MB. */
function megabytes(value: string): number | null {
  const m = /^(\d[\d.,'\u00a0 ]*?)\s*(?:MB|Mo)\b/i.exec(value);
  if (!m) return null;
  return readNumber((m[1] as string).replace(/\s/g, ""), { integer: true });
}

/** The leading count of `2 Processor(s) Installed.` / `142 Hotfix(s) Installed.`. */
function leadingCount(value: string): number | null {
  const m = /^(\d{1,6})\b/.exec(value);
  return m ? Number(m[1]) : null;
}

const WINDOWS_NAME = /^Microsoft(?:\s*\(R\))?\s+Windows/i;

class Reader {
  data: SysteminfoData;
  /** Unknown-language memory values whose label says physical: total first, then available. */
  physical: number[] = [];
  read = 0;

  constructor(form: SysteminfoData["form"]) {
    this.data = emptyData(form);
  }

  set(field: SysteminfoField, value: string): void {
    const d = this.data;
    const v = value.trim();
    if (v === "") return;
    this.read++;
    switch (field) {
      case "totalPhysicalMemoryMb":
      case "availablePhysicalMemoryMb":
        d[field] ??= megabytes(v);
        return;
      case "processors":
      case "hotfixes":
        d[field] ??= leadingCount(v);
        return;
      case "systemType":
        d.systemType ??= v;
        d.arch ??= /-based/i.test(v) ? archOfText(v) : null;
        return;
      case "osVersion": {
        d.osVersion ??= v;
        const build = /\bBuild (\d{3,6})\b/i.exec(v) ?? /^\d+\.\d+\.(\d{3,6})\b/.exec(v);
        if (build) d.osBuild ??= Number(build[1]);
        return;
      }
      default:
        d[field] ??= v;
    }
  }

  /** A label/value pair from either form. */
  pair(label: string, value: string): void {
    const known = LABELS.get(label);
    if (known) {
      this.data.language ??= known[1];
      this.set(known[0], value);
      return;
    }
    // Labels of other languages: the value's shape says what it is.
    if (/^\S+-based PC$/i.test(value)) this.set("systemType", value);
    else if (WINDOWS_NAME.test(value) && this.data.osName === null) this.set("osName", value);
    else if (/ph?ys|f[ií]s/i.test(label)) {
      const mb = megabytes(value);
      if (mb !== null) this.physical.push(mb);
    }
  }

  finish(): SysteminfoData {
    const d = this.data;
    d.totalPhysicalMemoryMb ??= this.physical[0] ?? null;
    d.availablePhysicalMemoryMb ??= this.physical[1] ?? null;
    return d;
  }
}

export function parseSysteminfo(text: string, source: string): KindInput<"systeminfo", SysteminfoData> {
  const warnings: string[] = [];
  const lines = splitLines(text);
  let reader: Reader | null = null;
  let csvHeader: string[] | null = null;
  let delimiter = ",";
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const trimmed = line.trim();
    if (trimmed === "" || promptOf(line) !== null) continue;
    if (trimmed.startsWith('"')) {
      if (csvHeader === null) {
        delimiter = csvDelimiter(trimmed);
        const fields = csvFields(trimmed, delimiter).map((f) => f.trim().toLowerCase());
        if (fields.some((f) => LABELS.has(f))) {
          csvHeader = fields;
          reader ??= new Reader("csv");
          continue;
        }
      } else {
        const values = csvFields(trimmed, delimiter);
        if (values.length !== csvHeader.length) {
          warnings.push(
            `line ${i + 1}: ${values.length} values for ${csvHeader.length} columns; row skipped`,
          );
          continue;
        }
        const r = reader as Reader;
        for (const [k, label] of csvHeader.entries()) r.pair(label, values[k] ?? "");
        continue;
      }
    }
    // Continuation lines of a value (processors, hotfixes, network cards) are indented.
    if (/^\s/.test(line) && reader !== null && reader.data.form === "list") continue;
    const kv = keyLine(line);
    if (kv === null) continue;
    reader ??= new Reader("list");
    reader.pair(kv.label, kv.value);
  }
  const data = (reader ?? new Reader("list")).finish();
  if (data.osName === null && data.totalPhysicalMemoryMb === null && data.systemType === null) {
    warnings.push("no OS name, System Type or Total Physical Memory found");
  }
  return { kind: "systeminfo", source, warnings, data };
}
