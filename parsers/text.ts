// Small text helpers shared by the parsers. Everything here is a single pass over its input: pastes
// can be whole log files, so no helper may be worse than linear.

/** Splits on LF, CRLF or a lone CR. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/**
 * Whitespace as pastes deliver it: ASCII space and tab, vertical tab, form feed, and the Unicode
 * spaces chat clients and word processors substitute (NBSP, narrow NBSP, figure space, en/em spaces,
 * ideographic space).
 */
export function isSpaceCode(c: number): boolean {
  return (
    c === 0x20 ||
    c === 0x09 ||
    c === 0x0b ||
    c === 0x0c ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/** Zero-width characters that copy/paste leaves behind; they carry nothing and are dropped. */
export function isZeroWidthCode(c: number): boolean {
  return c === 0x200b || c === 0x200c || c === 0x200d || c === 0x2060 || c === 0xfeff;
}

/** Splits a line into whitespace-separated tokens (any run of any space above; zero-width dropped). */
export function tokens(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let inToken = false;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (isZeroWidthCode(c)) continue;
    if (isSpaceCode(c) || c === 0x0a || c === 0x0d) {
      if (inToken) {
        out.push(cur);
        cur = "";
        inToken = false;
      }
    } else {
      // Appending char by char is fast in V8 (ropes); slicing would break on dropped zero-width chars.
      cur += line[i];
      inToken = true;
    }
  }
  if (inToken) out.push(cur);
  return out;
}

/** True when the line holds nothing but whitespace (any kind) and zero-width characters. */
export function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (!isSpaceCode(c) && !isZeroWidthCode(c) && c !== 0x0a && c !== 0x0d) return false;
  }
  return true;
}

/** True for a string of ASCII digits only (at least one). */
export function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** `YYYY-MM-DD`. */
export function isIsoDate(s: string): boolean {
  return s.length === 10 && /^\d{4}-\d{2}-\d{2}$/.test(s);
}

/** `HH:MM:SS`, optionally with a fraction (`HH:MM:SS.fff`). */
export function isClockTime(s: string): boolean {
  return s.length >= 8 && s.length <= 16 && /^\d{2}:\d{2}:\d{2}(?:\.\d{1,7})?$/.test(s);
}

/** Drops leading whitespace of any kind above and zero-width characters (String#trimStart keeps U+200B). */
export function trimStartAll(s: string): string {
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (!isSpaceCode(c) && !isZeroWidthCode(c)) break;
    i++;
  }
  return i === 0 ? s : s.slice(i);
}

/** The dashes under a table's column titles (`----  --  ----`), as PowerShell and Get-Counter print them. */
export const TABLE_UNDERLINE = /^\s*-{2,}(?:\s+-{2,})+\s*$/;
