// Reading numbers as Windows tools and people print them: `1234`, `1,234`, `1.234.567`, `1 234`,
// `-12`, `111616K`, `109 MB`, `114294784.000000`. Every reader is one pass over its input, never
// throws, and returns null for anything it cannot read. Values past 2^53 come back as the nearest
// double (Number() of the digits), not as an error.

export interface ReadNumberOptions {
  /**
   * The value is known to be a whole number (a count, bytes, KB). A lone `.` or `,` followed by
   * exactly three digits is then a thousands separator (`1.234` → 1234, as a German-locale tool
   * prints it); otherwise `1.234` reads as a decimal and only `1,234` as a thousand.
   */
  integer?: boolean;
}

/**
 * A whole number matched as digits (a PID, a count of failures, a time zone bias), or null when it
 * is past what a number holds exactly: such digits are a garbled or hostile line, and the outputs
 * promise safe integers.
 */
export function safeIntegerOf(digits: string): number | null {
  const n = Number(digits);
  return Number.isSafeInteger(n) ? n : null;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Separators that only ever group thousands: NBSP, narrow NBSP, thin space, apostrophe, underscore. */
function isGroupOnly(ch: string): boolean {
  return ch === "\u00a0" || ch === "\u202f" || ch === "\u2009" || ch === "'" || ch === "\u2019" || ch === "_";
}

function validGroups(groups: string[]): boolean {
  const first = groups[0] ?? "";
  if (first.length < 1 || first.length > 3) return false;
  for (let i = 1; i < groups.length; i++) if (groups[i]?.length !== 3) return false;
  return true;
}

/**
 * Reads one number token. Sign: `-`, `+` or the Unicode minus. Separators: `,` and `.` (whichever
 * comes last and once is the decimal point when both appear), NBSP / thin space / `'` / `_` as
 * thousands. Returns null for empty text, stray characters or impossible grouping (`1,23,4`).
 */
export function readNumber(text: string, opts: ReadNumberOptions = {}): number | null {
  const s = text.trim();
  if (s.length === 0) return null;
  let i = 0;
  let sign = 1;
  const c0 = s[0];
  if (c0 === "-" || c0 === "\u2212") {
    sign = -1;
    i = 1;
  } else if (c0 === "+") {
    i = 1;
  }
  while (i < s.length && s[i] === " ") i++;
  const groups: string[] = [];
  const seps: string[] = [];
  let cur = "";
  for (; i < s.length; i++) {
    const ch = s[i] as string;
    if (isDigit(s.charCodeAt(i))) {
      cur += ch;
    } else if (ch === "," || ch === "." || isGroupOnly(ch)) {
      groups.push(cur);
      seps.push(isGroupOnly(ch) ? " " : ch);
      cur = "";
    } else {
      return null;
    }
  }
  groups.push(cur);
  if (groups.every((g) => g.length === 0)) return null;

  let intPart: string;
  let fracPart = "";
  if (seps.length === 0) {
    intPart = cur;
  } else {
    const last = seps[seps.length - 1] as string;
    const lastGroup = groups[groups.length - 1] as string;
    const decimalCandidate = last === "," || last === ".";
    const sameAsLast = seps.filter((x) => x === last).length;
    let decimalAt = -1; // index in seps of the decimal point, or -1 for none
    if (decimalCandidate && sameAsLast === 1 && seps.length > 1) {
      decimalAt = seps.length - 1; // `1,234.5`, `1.234,5`, `1 234,5`
    } else if (decimalCandidate && seps.length === 1) {
      const ambiguous = lastGroup.length === 3 && validGroups(groups) && groups[0] !== "0";
      if (!ambiguous) decimalAt = 0;
      else if (!opts.integer && last === ".") decimalAt = 0;
    }
    const intGroups = decimalAt === -1 ? groups : groups.slice(0, decimalAt + 1);
    const thousandSeps = decimalAt === -1 ? seps : seps.slice(0, decimalAt);
    if (new Set(thousandSeps).size > 1) return null; // `1,234.567,8`
    if (thousandSeps.length > 0 && !validGroups(intGroups)) return null;
    if (lastGroup.length === 0) return null; // trailing separator: `1.`, `1,234,`
    intPart = intGroups.join("");
    if (decimalAt !== -1) fracPart = lastGroup;
  }
  const value = Number(fracPart.length > 0 ? `${intPart || "0"}.${fracPart}` : intPart || "0");
  if (!Number.isFinite(value)) return null;
  return value === 0 ? 0 : sign * value;
}

/** A whole-number count (`9632578`, `1,234`, `-12`); null when the text is not one. */
export function readInt(text: string): number | null {
  const n = readNumber(text, { integer: true });
  return n !== null && Number.isInteger(n) ? n : null;
}

export type SizeUnit = "B" | "K" | "M" | "G" | "T";

const KB_PER: Record<SizeUnit, number> = {
  B: 1 / 1024,
  K: 1,
  M: 1024,
  G: 1024 * 1024,
  T: 1024 * 1024 * 1024,
};

/**
 * The unit a suffix names, case-insensitively: `K`, `KB`, `Kb` (WinDbg's spelling of KB), `KiB`,
 * `MB`, `GB`, the French `Ko`/`Mo`/`Go`, `bytes`. Null for an unknown suffix; `def` for none.
 */
export function unitOf(suffix: string, def: SizeUnit | null = null): SizeUnit | null {
  const u = suffix.trim().toLowerCase();
  if (u === "") return def;
  if (u === "b" || u === "byte" || u === "bytes" || u === "octets" || u === "o") return "B";
  const head = u[0];
  const tail = u.slice(1);
  if (tail !== "" && tail !== "b" && tail !== "ib" && tail !== "o" && tail !== "bytes") return null;
  if (head === "k") return "K";
  if (head === "m") return "M";
  if (head === "g") return "G";
  if (head === "t") return "T";
  return null;
}

/** Converts a value in `unit` to KB. */
export function toKb(value: number, unit: SizeUnit): number {
  return value * KB_PER[unit];
}

/**
 * Reads a size and returns it in KB: `111616K`, `4193784 Kb`, `109 MB`, `1.5 GB`, `114294784 bytes`.
 * A bare number is taken in `defaultUnit` (KB unless told). Null when unreadable.
 */
export function readKb(text: string, defaultUnit: SizeUnit = "K"): number | null {
  const s = text.trim();
  let end = s.length;
  while (end > 0 && !isDigit(s.charCodeAt(end - 1))) end--;
  if (end === 0) return null;
  const unit = unitOf(s.slice(end), defaultUnit);
  if (unit === null) return null;
  const n = readNumber(s.slice(0, end));
  return n === null ? null : toKb(n, unit);
}
