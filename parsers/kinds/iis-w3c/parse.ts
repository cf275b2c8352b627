// IIS W3C access logs (`u_exYYMMDD.log`, IIS 6 to 10) and pastes of their lines → requests keyed by
// W3C field name. `#Fields:` sets the field list for the lines after it: IIS writes a new header block
// after each restart and the fields may change there. Without a header, a line with IIS 7–10's 15
// default fields or IIS 6's 14 is read in that order. Lines whose field count does not match, or whose
// date, time or numbers are malformed, are counted as skipped (the first few reported). One pass.
import { isClockTime, isDigits, isIsoDate, splitLines, tokens, trimStartAll } from "../../text.js";
import type { KindInput } from "../module.js";
import { IIS6_DEFAULT_FIELDS, IIS7_DEFAULT_FIELDS, NUMERIC_FIELDS } from "./fields.js";
import type { IisRecord, IisW3cData } from "./schema.js";

const MAX_LINE_WARNINGS = 5;

function defaultFields(count: number, tok: readonly string[]): readonly string[] | null {
  if (count === IIS7_DEFAULT_FIELDS.length && /^[A-Z]/.test(tok[3] ?? "")) return IIS7_DEFAULT_FIELDS;
  if (count === IIS6_DEFAULT_FIELDS.length && /^[A-Z]/.test(tok[4] ?? "")) return IIS6_DEFAULT_FIELDS;
  return null;
}

type LineResult = { record: IisRecord } | { problem: string };

function readLine(tok: readonly string[], fields: readonly string[] | null): LineResult {
  const names = fields ?? defaultFields(tok.length, tok);
  if (names === null) return { problem: `${tok.length} fields and no #Fields line to name them` };
  if (tok.length !== names.length)
    return { problem: `${tok.length} fields where ${names.length} were expected` };
  const record: IisRecord = {};
  for (let k = 0; k < names.length; k++) {
    const name = names[k] as string;
    const raw = tok[k] as string;
    if (raw === "-") record[name] = null;
    else if (NUMERIC_FIELDS.has(name)) {
      if (!isDigits(raw) || raw.length > 15)
        return { problem: `${name} is not a number (${raw.slice(0, 40)})` };
      record[name] = Number(raw);
    } else record[name] = raw;
  }
  if (typeof record.date === "string" && !isIsoDate(record.date)) {
    return { problem: `date is not YYYY-MM-DD (${record.date.slice(0, 40)})` };
  }
  if (typeof record.time === "string" && !isClockTime(record.time)) {
    return { problem: `time is not HH:MM:SS (${record.time.slice(0, 40)})` };
  }
  return { record };
}

export function parseIisW3c(text: string, source: string): KindInput<"iis-w3c", IisW3cData> {
  const warnings: string[] = [];
  const data: IisW3cData = { software: null, fields: [], fieldSets: 0, records: [], skipped: 0 };
  let fields: readonly string[] | null = null;
  let reported = 0;
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const t = trimStartAll(lines[i] as string);
    if (t.length === 0) continue;
    if (t[0] === "#") {
      const lower = t.slice(0, 10).toLowerCase();
      if (lower.startsWith("#fields:")) {
        fields = tokens(t.slice(8)).filter((name) => name !== "__proto__");
        data.fieldSets++;
      } else if (lower.startsWith("#software:")) data.software ??= t.slice(10).trim() || null;
      continue;
    }
    const tok = tokens(t);
    const result = readLine(tok, fields);
    if ("record" in result) {
      data.records.push(result.record);
      continue;
    }
    data.skipped++;
    if (reported < MAX_LINE_WARNINGS) {
      warnings.push(`line ${i + 1}: skipped, ${result.problem}`);
      reported++;
    }
  }
  if (data.skipped > reported) warnings.push(`${data.skipped - reported} more lines skipped`);
  data.fields = [...(fields ?? (data.records.length > 0 ? Object.keys(data.records[0] as IisRecord) : []))];
  if (data.records.length === 0) warnings.push("no IIS access log requests found");
  return { kind: "iis-w3c", source, warnings, data };
}
