// CSV of pool tags that PowerShell scripts write (there is no cmdlet: scripts read the same
// SystemPoolTagInformation poolmon shows and Export-Csv it): an optional `#TYPE …` line (Windows
// PowerShell 5.1 without -NoTypeInformation), a header, then one row per tag per sample. Columns are
// found by name (DateTime, Tag, Type/PoolType, Allocs/NumberOfAllocs, Frees, Bytes/NumberOfBytes or
// `Bytes(MB)`, Binary), or the wide SYSTEM_POOLTAG layout (PagedUsed/NonPagedUsed on one row);
// fields quoted or not, `,` `;` or tab; times as the script wrote them (culture short form or ISO).
// Rows that cannot be read are counted and skipped. One pass over the lines.
import { csvDelimiter, csvFields } from "../../csv.js";
import { readNumber } from "../../numbers.js";
import { promptOf } from "../../prompt.js";
import { splitLines } from "../../text.js";
import type { KindInput } from "../module.js";
import { type Column, columnOf, type Unit, unitOfColumn } from "./columns.js";
import type { PooltagCsvData, PooltagRow } from "./schema.js";

const MAX_WARNINGS = 30;
const UNIT_BYTES: Record<Unit, number> = { bytes: 1, KB: 1024, MB: 1024 * 1024 };

function snippet(line: string): string {
  const t = line.trim();
  return t.length > 80 ? `${t.slice(0, 77)}...` : t;
}

function poolType(text: string): PooltagRow["type"] | undefined {
  const t = text
    .trim()
    .toLowerCase()
    .replace(/[^a-z]/g, "");
  if (t === "nonp" || t === "nonpaged" || t === "np" || t === "nonpagedpool") return "Nonp";
  if (t === "paged" || t === "p" || t === "pagedpool") return "Paged";
  return undefined;
}

interface Header {
  columns: string[];
  at: Partial<Record<Column, number>>;
  unit: Unit;
  delimiter: string;
}

/** A header line: a Tag column and a bytes column (or the wide layout's). */
function headerOf(line: string): Header | null {
  const delimiter = csvDelimiter(line);
  const columns = csvFields(line, delimiter);
  const at: Partial<Record<Column, number>> = {};
  let unit: Unit = "bytes";
  columns.forEach((name, k) => {
    const c = columnOf(name);
    if (c !== null && at[c] === undefined) {
      at[c] = k;
      if (c === "bytes") unit = unitOfColumn(name);
    }
  });
  if (at.tag === undefined) return null;
  if (at.bytes === undefined && at.pagedBytes === undefined && at.nonpagedBytes === undefined) return null;
  return { columns, at, unit, delimiter };
}

export function parsePooltagCsv(text: string, source: string): KindInput<"pooltag-csv", PooltagCsvData> {
  const warnings: string[] = [];
  const warn = (w: string): void => {
    if (warnings.length < MAX_WARNINGS) warnings.push(w);
    else if (warnings.length === MAX_WARNINGS) warnings.push("more problems not listed");
  };
  let header: Header | null = null;
  const rows: PooltagRow[] = [];

  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const lineNo = i + 1;
    const trimmed = line.trim();
    if (trimmed === "" || /^#TYPE\b/i.test(trimmed) || promptOf(line) !== null) continue;
    const h = headerOf(trimmed);
    if (h) {
      header = h;
      continue;
    }
    if (header === null) {
      warn(`line ${lineNo}: before the CSV header, ignored: "${snippet(line)}"`);
      continue;
    }
    const f = csvFields(trimmed, header.delimiter);
    const at = header.at;
    const cell = (c: Column): string | null => {
      const k = at[c];
      return k === undefined ? null : (f[k] ?? null);
    };
    const num = (c: Column, integer = true): number | null | undefined => {
      const v = cell(c);
      if (v === null || v.trim() === "") return null;
      const n = readNumber(v, { integer });
      return n === null ? undefined : n;
    };
    const tag = cell("tag");
    if (tag === null || tag.length === 0 || tag.length > 4) {
      warn(`line ${lineNo}: no four-character tag, row skipped: "${snippet(line)}"`);
      continue;
    }
    const date = cell("date");
    const clock = cell("clock");
    const time = cell("time") ?? (date !== null && clock !== null ? `${date} ${clock}` : (date ?? clock));
    const binary = cell("binary")?.trim() || null;

    const push = (
      type: PooltagRow["type"],
      allocs: number | null | undefined,
      frees: number | null | undefined,
      diff: number | null | undefined,
      bytes: number | null | undefined,
    ): boolean => {
      if (
        bytes === undefined ||
        bytes === null ||
        allocs === undefined ||
        frees === undefined ||
        diff === undefined
      ) {
        warn(`line ${lineNo}: a count that is not a number, row skipped: "${snippet(line)}"`);
        return false;
      }
      const scaled = Math.round(bytes * UNIT_BYTES[header?.unit ?? "bytes"]);
      rows.push({
        time: time?.trim() || null,
        tag: tag.padEnd(4, " "),
        type,
        allocs,
        frees,
        diff: diff ?? (allocs !== null && frees !== null ? allocs - frees : null),
        bytes: scaled,
        binary,
      });
      return true;
    };

    if (at.bytes !== undefined) {
      const typeText = cell("type");
      const type = typeText === null ? null : poolType(typeText);
      if (type === undefined) {
        warn(`line ${lineNo}: pool type "${typeText}" is neither paged nor non-paged, row skipped`);
        continue;
      }
      push(type, num("allocs"), num("frees"), num("diff"), num("bytes", header.unit === "bytes"));
      continue;
    }
    // The wide layout: one row holds both pools; a pool with nothing in it is left out.
    for (const [type, a, fr, b] of [
      ["Paged", "pagedAllocs", "pagedFrees", "pagedBytes"],
      ["Nonp", "nonpagedAllocs", "nonpagedFrees", "nonpagedBytes"],
    ] as const) {
      const bytes = num(b, header.unit === "bytes");
      const allocs = num(a);
      if (bytes === null || (bytes === 0 && (allocs ?? 0) === 0)) continue;
      if (!push(type, allocs, num(fr), null, bytes)) break;
    }
  }
  if (rows.length === 0) warn("no pool tag rows (a CSV with Tag and Bytes columns) found");
  const data: PooltagCsvData = {
    columns: header?.columns ?? [],
    unit: header?.unit ?? "bytes",
    layout: header && header.at.bytes === undefined ? "wide" : "long",
    rows,
  };
  return { kind: "pooltag-csv", source, warnings, data };
}
