// poolmon tables → snapshots. Handles the Windows 2000/XP/2003 Support Tools poolmon and the WDK
// poolmon (Vista to 11): the two header lines, the column header, rows with or without `( delta )`,
// `Per Alloc` and `Mapped_Driver`, any sort order, and pastes whose column alignment was lost.
// One pass over the lines; each line is scanned once.
import { readInt } from "../../numbers.js";
import type { KindInput } from "../module.js";
import { LONG_DATE } from "./lines.js";
import type { PoolmonHeader, PoolmonSnapshot, PoolRow } from "./schema.js";

type PoolmonInput = KindInput<"poolmon", PoolmonSnapshot>;

type PoolType = PoolRow["type"];

/** poolmon's Type column. */
const TYPES: readonly PoolType[] = ["Nonp", "Paged"];

/** The largest x86 non-paged pool (256 MB) and paged pool (650 MB) an NT 5.x kernel can have, in KB. */
const LEGACY_MAX_NONPAGED_KB = 256 * 1024;
const LEGACY_MAX_PAGED_KB = 650 * 1024;

const MAX_WARNINGS = 50;

function isSpace(ch: string | undefined): boolean {
  return ch === " " || ch === "\t" || ch === "\u00a0";
}

function snippet(line: string): string {
  const t = line.trim();
  return t.length > 80 ? `${t.slice(0, 77)}...` : t;
}

// ---------- rows ----------

interface NumGroup {
  value: number;
  delta: number | null;
}

type RowResult =
  | { ok: true; row: PoolRow; groups: number; deltas: boolean[] }
  | { ok: false; why: string }
  | null; // not a row at all

/** Finds `<tag> <type>` at the start of a line; the tag is 1–4 characters, padded to 4. */
function splitTagType(line: string): { tag: string; type: PoolType; rest: string } | null {
  let start = 0;
  while (start < line.length && isSpace(line[start])) start++;
  // The smallest tag length whose remainder is whitespace then a type word; this reconstructs
  // `Irp ` from both ` Irp  Nonp` (aligned) and `Irp Nonp` (runs of spaces collapsed).
  for (let k = 1; k <= 4 && start + k < line.length; k++) {
    if (!isSpace(line[start + k])) continue;
    const tag = line.slice(start, start + k);
    if (isSpace(tag[0])) return null;
    let j = start + k;
    while (j < line.length && isSpace(line[j])) j++;
    for (const type of TYPES) {
      if (line.startsWith(type, j)) {
        const after = j + type.length;
        if (after === line.length || isSpace(line[after])) {
          return { tag: tag.replace(/\t|\u00a0/g, " ").padEnd(4, " "), type, rest: line.slice(after) };
        }
      }
    }
  }
  return null;
}

/** Reads `n (d) n (d) n n (d) n [driver]` after the type. */
function readGroups(rest: string): { groups: NumGroup[]; driver: string | null } | { why: string } {
  const groups: NumGroup[] = [];
  let i = 0;
  const n = rest.length;
  while (i < n) {
    while (i < n && isSpace(rest[i])) i++;
    if (i >= n) break;
    const ch = rest[i];
    if (ch === "(") {
      const close = rest.indexOf(")", i + 1);
      if (close === -1) return { why: "a delta `(` without its `)`" };
      const delta = readInt(rest.slice(i + 1, close));
      const last = groups[groups.length - 1];
      if (delta === null) return { why: `an unreadable delta "${rest.slice(i, close + 1)}"` };
      if (!last || last.delta !== null) return { why: "a delta with no number before it" };
      last.delta = delta;
      i = close + 1;
      continue;
    }
    let j = i;
    while (j < n && !isSpace(rest[j]) && rest[j] !== "(") j++;
    const token = rest.slice(i, j);
    const value = /^[-+]?\d/.test(token) ? readInt(token) : null;
    if (value === null) {
      // First non-number: the Mapped_Driver column (`[ netio.sys - Connection Tracking ]`, `<unknown>`).
      return { groups, driver: cleanDriver(rest.slice(i)) };
    }
    groups.push({ value, delta: null });
    i = j;
  }
  return { groups, driver: null };
}

function cleanDriver(text: string): string | null {
  let t = text.trim();
  if (t.startsWith("[") && t.endsWith("]")) t = t.slice(1, -1).trim();
  t = t.replace(/\s+/g, " ");
  return t.length > 0 ? t : null;
}

function parseRow(line: string): RowResult {
  const tt = splitTagType(line);
  if (!tt) return null;
  const read = readGroups(tt.rest);
  if ("why" in read) return { ok: false, why: read.why };
  const { groups, driver } = read;
  if (groups.length < 4) return { ok: false, why: `only ${groups.length} of the 4-5 number columns` };
  if (groups.length > 5) return { ok: false, why: `${groups.length} number columns (poolmon prints 4 or 5)` };
  const [allocs, frees, diff, bytes, perAlloc] = groups as [
    NumGroup,
    NumGroup,
    NumGroup,
    NumGroup,
    NumGroup?,
  ];
  let diffDelta = diff.delta;
  if (diffDelta === null && allocs.delta !== null && frees.delta !== null)
    diffDelta = allocs.delta - frees.delta;
  const row: PoolRow = {
    tag: tt.tag,
    type: tt.type,
    allocs: allocs.value,
    allocsDelta: allocs.delta,
    frees: frees.value,
    freesDelta: frees.delta,
    diff: diff.value,
    diffDelta,
    bytes: bytes.value,
    bytesDelta: bytes.delta,
    perAlloc: perAlloc ? perAlloc.value : null,
    mappedDriver: driver,
  };
  return { ok: true, row, groups: groups.length, deltas: groups.map((g) => g.delta !== null) };
}

// ---------- header ----------

/** The number after `key` (`Memory: 4193848K`, `Limit:6106436K`), from `from`; and where it ends. */
function valueAfter(line: string, key: string, from = 0): { value: number; end: number } | null {
  const at = line.indexOf(key, from);
  if (at === -1) return null;
  let i = at + key.length;
  while (i < line.length && isSpace(line[i])) i++;
  let j = i;
  // Digits and the separators readInt groups with (`109,952`, `109.952`, `109'952`, `109’952`).
  while (j < line.length && /[\d,.'\u2019\u202f]/.test(line[j] as string)) j++;
  const value = readInt(line.slice(i, j));
  if (value === null) return null;
  return { value, end: j };
}

/** A poolmon header with nothing known (an input that gives pool rows without one). */
export function emptyHeader(): PoolmonHeader {
  return {
    memoryKb: null,
    availKb: null,
    pageFlts: null,
    inRamKb: null,
    commitKb: null,
    limitKb: null,
    peakKb: null,
    nonpagedKb: null,
    pagedKb: null,
  };
}

function isMemoryLine(line: string): boolean {
  return line.includes("Memory:") && line.includes("Avail:");
}

function isCommitLine(line: string): boolean {
  return line.includes("Commit:") && (line.includes("Pool N:") || line.includes("Limit:"));
}

function readMemoryLine(line: string, h: PoolmonHeader): void {
  h.memoryKb = valueAfter(line, "Memory:")?.value ?? null;
  h.availKb = valueAfter(line, "Avail:")?.value ?? null;
  h.pageFlts = valueAfter(line, "PageFlts:")?.value ?? null;
  h.inRamKb = valueAfter(line, "Krnl:")?.value ?? null;
}

function readCommitLine(line: string, h: PoolmonHeader): void {
  h.commitKb = valueAfter(line, "Commit:")?.value ?? null;
  h.limitKb = valueAfter(line, "Limit:")?.value ?? null;
  h.peakKb = valueAfter(line, "Peak:")?.value ?? null;
  const n = valueAfter(line, "Pool N:");
  h.nonpagedKb = n?.value ?? null;
  h.pagedKb = n ? (valueAfter(line, "P:", n.end)?.value ?? null) : null;
}

/** A date and time on a line of its own (`2007-11-13 20:05:12`, `11/13/2007 8:05 PM`, `Tue 11/13/2007 20:05:12.34`). */
const TIME_RE =
  /\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?|\d{1,2}[/.]\d{1,2}[/.]\d{2,4},? {1,4}\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?(?: ?[AaPp][Mm])?/;

// ---------- snapshots ----------

interface Pending {
  row: PoolRow;
  groups: number;
  deltas: boolean[];
  line: number;
  lastLine: boolean;
}

class Builder {
  header = emptyHeader();
  headerSeen = false;
  rows: Pending[] = [];
  keys = new Set<string>();
  time: string | null = null;
  perAllocColumn: boolean | null = null;
  mappedColumn = false;
  warnings: string[] = [];
  lines = 0;

  warn(w: string): void {
    if (this.warnings.length < MAX_WARNINGS) this.warnings.push(w);
    else if (this.warnings.length === MAX_WARNINGS) this.warnings.push("more problems not listed");
  }

  get empty(): boolean {
    return this.rows.length === 0 && !this.headerSeen;
  }

  finish(source: string): PoolmonInput {
    const withPerAlloc = this.perAllocColumn ?? this.rows.some((p) => p.groups === 5);
    const withDeltas = this.rows.some((p) => p.deltas[0]);
    const rows: PoolRow[] = [];
    for (const p of this.rows) {
      const hasDriver = p.row.mappedDriver !== null;
      // A 4-number row in a Per Alloc table, or a bytes column without its delta in a delta
      // table, is a row cut short (the paste ended, or a line was broken).
      if (!hasDriver && withPerAlloc && p.groups === 4) {
        this.warn(
          `line ${p.line}: row for tag "${p.row.tag}" has no Per Alloc value; looks cut short, skipped`,
        );
        continue;
      }
      if (!hasDriver && withDeltas && p.groups === 4 && !p.deltas[3]) {
        this.warn(
          `line ${p.line}: row for tag "${p.row.tag}" ends before the Bytes delta; looks cut short, skipped`,
        );
        continue;
      }
      if (p.lastLine && p.row.perAlloc !== null && p.row.diff > 0) {
        const expected = String(Math.floor(p.row.bytes / p.row.diff));
        const got = String(p.row.perAlloc);
        if (got !== expected && got.length < expected.length && expected.startsWith(got)) {
          this.warn(`line ${p.line}: Per Alloc of tag "${p.row.tag}" is cut short (${got}); row skipped`);
          continue;
        }
      }
      rows.push(p.row);
    }
    const h = this.header;
    const mapped = this.mappedColumn || rows.some((r) => r.mappedDriver !== null);
    // Without Mapped_Driver the two tools print the same; pools bigger than an NT 5.x x86 kernel
    // can have mean a newer Windows, hence the WDK tool.
    const big = (h.nonpagedKb ?? 0) > LEGACY_MAX_NONPAGED_KB || (h.pagedKb ?? 0) > LEGACY_MAX_PAGED_KB;
    if (rows.length === 0) this.warn("no poolmon rows (tag, type, allocs, frees, diff, bytes) found");
    const snapshot: PoolmonSnapshot = {
      tool: mapped || big ? "wdk" : "legacy",
      header: h,
      rows,
      time: this.time,
    };
    return { kind: "poolmon", source, warnings: this.warnings, data: snapshot };
  }
}

/**
 * Parses every poolmon snapshot in `text`. A new snapshot starts at a `Memory:` header, a column
 * header or a time line that follows rows, or when a tag+type already seen repeats (two tables
 * pasted without headers). Always returns at least one element; problems are in `warnings`.
 */
export function parsePoolmon(text: string, source: string): PoolmonInput[] {
  const lines = text.split(/\r\n|\r|\n/);
  let lastContent = lines.length - 1;
  while (lastContent > 0 && (lines[lastContent] ?? "").trim() === "") lastContent--;
  const endsClean = /[\r\n]\s*$/.test(text.slice(-4));

  const out: PoolmonInput[] = [];
  let b = new Builder();
  const next = (): void => {
    out.push(b.finish(source));
    b = new Builder();
  };

  for (let idx = 0; idx < lines.length; idx++) {
    const line = lines[idx] as string;
    const lineNo = idx + 1;
    if (line.trim() === "") continue;

    if (isMemoryLine(line)) {
      if (b.rows.length > 0 || b.header.memoryKb !== null) next();
      b.headerSeen = true;
      readMemoryLine(line, b.header);
      continue;
    }
    if (isCommitLine(line)) {
      if (b.rows.length > 0 || b.header.commitKb !== null) next();
      b.headerSeen = true;
      readCommitLine(line, b.header);
      if (b.header.nonpagedKb === null) b.warn(`line ${lineNo}: header has no readable "Pool N:" value`);
      continue;
    }
    if (/\bTag\b/.test(line) && /\bType\b/.test(line) && /Allocs/.test(line)) {
      if (b.rows.length > 0) next();
      b.perAllocColumn = /Per\s?Alloc/i.test(line);
      b.mappedColumn = /Mapped_?Driver/i.test(line);
      continue;
    }
    if (/System pool information|Session pool information|^\s*[-=]{3,}\s*$/i.test(line)) continue;

    const r = parseRow(line);
    if (r?.ok) {
      const key = `${r.row.type}|${r.row.tag}`;
      if (b.keys.has(key)) {
        b.warn(`line ${lineNo}: tag "${r.row.tag}" ${r.row.type} appears again; read as a second snapshot`);
        next();
      }
      b.keys.add(key);
      b.rows.push({
        row: r.row,
        groups: r.groups,
        deltas: r.deltas,
        line: lineNo,
        lastLine: idx === lastContent && !endsClean,
      });
      continue;
    }
    if (r && !r.ok) {
      b.warn(`line ${lineNo}: broken poolmon row skipped (${r.why}): "${snippet(line)}"`);
      continue;
    }

    const t = TIME_RE.exec(line);
    if (t || LONG_DATE.test(line)) {
      if (b.rows.length > 0) next();
      b.time = t ? t[0] : line.trim();
      continue;
    }
    // A command prompt (`C:\>poolmon -b`, `PS C:\> poolmon`) is expected noise.
    if (/^\s*(?:PS )?[A-Za-z]:\\[^>]{0,200}>/.test(line)) continue;
    b.warn(`line ${lineNo}: not a poolmon line, ignored: "${snippet(line)}"`);
  }
  if (!b.empty || out.length === 0) out.push(b.finish(source));
  return out;
}

/** Exposed for the tests: one row, as the parser reads it. */
export function parsePoolmonRow(line: string): PoolRow | null {
  const r = parseRow(line);
  return r?.ok ? r.row : null;
}
