// The kernel debugger's `!poolused` (flags 2: sorted by non-paged, 4: by paged) → one row per tag.
// Shapes: Debugging Tools 6.x (kdexts: a `Pool Used:` banner, the description glued to the last
// number, numbers that overflow their column run into the next one) and WinDbg 10 (progress dots, a
// tab before the description, a TOTAL line). Columns are read at the header's positions when the
// alignment survived (which splits numbers that ran together), else by whitespace; a row that can be
// read neither way is counted and skipped. One pass over the lines.
import { safeIntegerOf } from "../../numbers.js";
import { promptOf } from "../../prompt.js";
import { isDigits, splitLines } from "../../text.js";
import type { KindInput } from "../module.js";
import type { KdPoolusedData, PoolusedRow } from "./schema.js";

type Input = KindInput<"kd-poolused", KdPoolusedData>;

const MAX_WARNINGS = 30;

/** Where the header's columns end: ` Tag    Allocs     Used    Allocs     Used`. */
interface Columns {
  tagAt: number;
  ends: [number, number, number, number];
}

function columnsOf(header: string): Columns | null {
  const tagAt = header.indexOf("Tag");
  if (tagAt === -1) return null;
  const ends: number[] = [];
  const re = /\S+/g;
  re.lastIndex = tagAt + 3;
  for (let m = re.exec(header); m !== null && ends.length < 4; m = re.exec(header))
    ends.push(m.index + m[0].length);
  return ends.length === 4 ? { tagAt, ends: ends as Columns["ends"] } : null;
}

function describe(text: string): { description: string | null; binary: string | null } {
  const t = text.replace(/\t/g, " ").trim();
  if (t === "" || /^UNKNOWN pooltag\b/i.test(t)) return { description: null, binary: null };
  const at = t.search(/,?\s*Binary:\s*/i);
  if (at === -1) return { description: t, binary: null };
  const binary = t
    .slice(at)
    .replace(/^,?\s*Binary:\s*/i, "")
    .trim();
  return { description: t.slice(0, at).trim() || null, binary: binary || null };
}

type RowRead = { row: PoolusedRow } | { why: string };

/** A row at the header's column positions; null when the line does not fit them. */
function fixedRow(line: string, c: Columns): PoolusedRow | null {
  if (line.length < c.ends[3]) return null;
  const tag = line.slice(c.tagAt, c.tagAt + 4);
  if (tag.trim() === "" || tag[0] === " " || line.slice(0, c.tagAt).trim() !== "") return null;
  const cells = [
    line.slice(c.tagAt + 4, c.ends[0]),
    line.slice(c.ends[0], c.ends[1]),
    line.slice(c.ends[1], c.ends[2]),
    line.slice(c.ends[2], c.ends[3]),
  ].map((s) => s.trim());
  if (!cells.every(isDigits)) return null;
  // The first cell must start after a space: a cell that swallowed part of the tag is misaligned.
  if (!/\s/.test(line.slice(c.tagAt + 4, c.tagAt + 5))) return null;
  const [npA, npB, pA, pB] = cells.map(Number) as [number, number, number, number];
  return {
    tag,
    nonpagedAllocs: npA,
    nonpagedBytes: npB,
    pagedAllocs: pA,
    pagedBytes: pB,
    ...describe(line.slice(c.ends[3])),
  };
}

/** Whitespace-separated tokens with where each ends. */
function tokensAt(line: string): Array<{ text: string; end: number }> {
  const out: Array<{ text: string; end: number }> = [];
  const re = /\S+/g;
  for (let m = re.exec(line); m !== null; m = re.exec(line))
    out.push({ text: m[0], end: m.index + m[0].length });
  return out;
}

/** A row split at whitespace (alignment lost): tag, four numbers, the description glued or not. */
function tokenRow(line: string): RowRead | null {
  const toks = tokensAt(line.replace(/\u00a0/g, " "));
  const tag = toks[0]?.text;
  if (tag === undefined || tag.length > 4 || toks.length < 5) return null;
  const numbers: number[] = [];
  let glued = "";
  for (let k = 1; k <= 4; k++) {
    const t = (toks[k] as { text: string }).text;
    if (isDigits(t)) {
      numbers.push(Number(t));
      continue;
    }
    const m = /^(\d+)(\D.*)$/s.exec(t);
    if (!m) return numbers.length === 0 ? null : { why: `"${t.slice(0, 20)}" is not a count` };
    if (k < 4) return { why: `the numbers run together ("${t.slice(0, 24)}") and the columns are lost` };
    numbers.push(Number(m[1]));
    glued = m[2] as string;
  }
  const description = `${glued}${line.slice((toks[4] as { end: number }).end)}`;
  const [npA, npB, pA, pB] = numbers as [number, number, number, number];
  return {
    row: {
      tag: tag.padEnd(4, " "),
      nonpagedAllocs: npA,
      nonpagedBytes: npB,
      pagedAllocs: pA,
      pagedBytes: pB,
      ...describe(description),
    },
  };
}

function snippet(line: string): string {
  const t = line.trim();
  return t.length > 80 ? `${t.slice(0, 77)}...` : t;
}

class Table {
  data: KdPoolusedData = { format: "kdexts", sortedBy: null, flags: null, rows: [], total: null };
  warnings: string[] = [];
  columns: Columns | null = null;
  seen = false;

  warn(w: string): void {
    if (this.warnings.length < MAX_WARNINGS) this.warnings.push(w);
    else if (this.warnings.length === MAX_WARNINGS) this.warnings.push("more problems not listed");
  }

  finish(source: string): Input {
    if (this.data.rows.length === 0)
      this.warn("no !poolused rows (tag, allocations and bytes per pool) found");
    return { kind: "kd-poolused", source, warnings: this.warnings, data: this.data };
  }
}

/** Parses every `!poolused` table in `text` (a new one at each `!poolused` prompt). */
export function parseKdPoolused(text: string, source: string): Input[] {
  const out: Input[] = [];
  let t = new Table();
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const lineNo = i + 1;
    const trimmed = line.trim();
    if (trimmed === "") continue;
    const prompt = promptOf(line);
    if (prompt !== null) {
      const cmd = /^!poolused\b\s*(\d+)?/i.exec(prompt.command);
      if (cmd) {
        if (t.seen) out.push(t.finish(source));
        t = new Table();
        t.seen = true;
        // Flags are a few bits; digits past what a number holds exactly are no flags at all.
        t.data.flags = cmd[1] === undefined ? null : safeIntegerOf(cmd[1]);
      }
      continue;
    }
    const sort = /^Sorting by\s+(NonPaged|Paged)\b/i.exec(trimmed);
    if (sort) {
      t.seen = true;
      t.data.sortedBy = (sort[1] as string).toLowerCase() === "paged" ? "paged" : "nonpaged";
      continue;
    }
    if (/^Tag\s+Allocs\s+Used\s+Allocs\s+Used$/i.test(trimmed)) {
      t.seen = true;
      t.columns = columnsOf(line);
      continue;
    }
    if (/^\.+$/.test(trimmed)) {
      t.data.format = "windbg10";
      continue;
    }
    if (/^(?:Pool Used:|NonPaged\s+Paged$)/i.test(trimmed)) continue;
    const total = /^TOTAL\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)/.exec(trimmed);
    if (total) {
      const [, a, b, c, d] = total.map(Number) as [number, number, number, number, number];
      t.data.total = { nonpagedAllocs: a, nonpagedBytes: b, pagedAllocs: c, pagedBytes: d };
      t.data.format = "windbg10";
      continue;
    }
    const fixed = t.columns ? fixedRow(line, t.columns) : null;
    const read: RowRead | null = fixed ? { row: fixed } : tokenRow(line);
    if (read === null) {
      t.warn(`line ${lineNo}: not a !poolused row, ignored: "${snippet(line)}"`);
      continue;
    }
    if ("why" in read) {
      t.warn(`line ${lineNo}: row skipped (${read.why}): "${snippet(line)}"`);
      continue;
    }
    if (line.includes("\t")) t.data.format = "windbg10";
    t.seen = true;
    t.data.rows.push(read.row);
  }
  if (t.seen || out.length === 0) out.push(t.finish(source));
  return out;
}
