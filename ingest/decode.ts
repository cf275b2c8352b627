// Bytes → text, whatever wrote them. Windows tools write UTF-16 (PowerShell 5's `>` writes UTF-16LE
// with a byte-order mark; some tools leave the mark out), UTF-8 with or without a mark, or a legacy
// code page: the ANSI one (windows-1252 on Western systems) or, from cmd, the OEM one (cp850, cp437).
// Legacy is decided when the bytes are not valid UTF-8; which code page, by which one turns the
// non-ASCII bytes into letters that fit the words around them. iconv-lite does the decoding.
import { createRequire } from "node:module";

/** iconv-lite, loaded on first use: UTF-8, the common case, never needs it. */
let iconvModule: typeof import("iconv-lite") | null = null;
function iconv(): typeof import("iconv-lite") {
  iconvModule ??= createRequire(import.meta.url)("iconv-lite") as typeof import("iconv-lite");
  return iconvModule;
}

export type Charset = "utf-8" | "utf-16le" | "utf-16be" | "windows-1252" | "cp850" | "cp437";

export type Decoded = { text: string; encoding: Charset } | { binary: true };

/** How many bytes (or characters) are sampled for the NUL, control-character and code-page checks. */
const SAMPLE = 8192;
/** How many non-ASCII bytes the code-page guess looks at. */
const LEGACY_SAMPLE = 4096;
const LEGACY: readonly Charset[] = ["windows-1252", "cp850", "cp437"];

/** The charset a byte-order mark names, and the mark's length. */
function bomOf(bytes: Uint8Array): { charset: Charset; length: number } | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { charset: "utf-8", length: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { charset: "utf-16le", length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { charset: "utf-16be", length: 2 };
  return null;
}

/** UTF-16 without a mark: text in Latin scripts has a NUL in every other byte. */
function utf16Guess(bytes: Uint8Array): "utf-16le" | "utf-16be" | null {
  const n = Math.min(bytes.length, SAMPLE) & ~1;
  if (n < 4) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZero++;
    if (bytes[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  if (oddZero / pairs > 0.3 && evenZero / pairs < 0.05) return "utf-16le";
  if (evenZero / pairs > 0.3 && oddZero / pairs < 0.05) return "utf-16be";
  return null;
}

/** Valid UTF-8, a multi-byte character cut at the very end allowed (`complete` false: more follows). */
function isUtf8(bytes: Uint8Array, complete: boolean): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes, { stream: !complete });
    return true;
  } catch {
    return false;
  }
}

let tables: Map<Charset, string[]> | undefined;

/** What bytes 0x80–0xFF are in each legacy code page (made once). */
function highHalves(): Map<Charset, string[]> {
  if (!tables) {
    const high = Buffer.from(Array.from({ length: 128 }, (_, i) => 0x80 + i));
    tables = new Map(LEGACY.map((c) => [c, Array.from(iconv().decode(high, c))]));
  }
  return tables;
}

const isAsciiLetter = (b: number | undefined) => b !== undefined && (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7a;
const isAsciiLower = (b: number | undefined) => b !== undefined && b >= 0x61 && b <= 0x7a;
/** A byte that can be part of a word: an ASCII letter, or another non-ASCII byte (a letter, likely). */
const wordish = (b: number | undefined) => isAsciiLetter(b) || (b !== undefined && b >= 0x80);

/**
 * How well one non-ASCII byte reads as `ch`, given its neighbours: a letter inside a word scores, a
 * capital inside a lower-case word loses (`donÆt` is cp850 misreading windows-1252's `don’t`);
 * punctuation at the edge of a word scores (quotes, an ellipsis; a dash between spaces) and loses
 * inside one (but for an apostrophe); an undefined byte or a control character loses most.
 */
function fitness(ch: string, prev: number | undefined, next: number | undefined): number {
  if (ch === "\ufffd" || /\p{Cc}/u.test(ch)) return -3;
  const sides = (wordish(prev) ? 1 : 0) + (wordish(next) ? 1 : 0);
  if (/\p{L}/u.test(ch)) {
    if (isAsciiLower(prev) && isAsciiLower(next) && ch !== ch.toLowerCase()) return -2;
    return sides;
  }
  if (/\p{Zs}/u.test(ch)) return 0;
  if (sides === 2) return ch === "\u2019" || ch === "\u2018" ? 1 : -1;
  if (sides === 1) return 1;
  return /\p{Pd}/u.test(ch) ? 1 : 0;
}

/** The legacy code page that reads the non-ASCII bytes best (see `fitness`). Ties go to windows-1252. */
export function guessCodePage(bytes: Uint8Array): Charset {
  const scores = new Map<Charset, number>(LEGACY.map((c) => [c, 0]));
  const chars = highHalves();
  let seen = 0;
  for (let i = 0; i < bytes.length && seen < LEGACY_SAMPLE; i++) {
    const b = bytes[i] as number;
    if (b < 0x80) continue;
    seen++;
    for (const c of LEGACY) {
      const ch = (chars.get(c) as string[])[b - 0x80] as string;
      scores.set(c, (scores.get(c) as number) + fitness(ch, bytes[i - 1], bytes[i + 1]));
    }
  }
  let best: Charset = "windows-1252";
  for (const c of LEGACY) if ((scores.get(c) as number) > (scores.get(best) as number)) best = c;
  return best;
}

/**
 * The charset of bytes and the length of their byte-order mark. `complete`: these are all the bytes
 * (else a head, whose last character may be cut). UTF-8 unless a mark or NUL pattern says UTF-16, or
 * the bytes are not valid UTF-8 (then a legacy code page).
 */
export function sniffCharset(bytes: Uint8Array, complete = true): { charset: Charset; bom: number } {
  const bom = bomOf(bytes);
  if (bom) return { charset: bom.charset, bom: bom.length };
  const utf16 = utf16Guess(bytes);
  if (utf16) return { charset: utf16, bom: 0 };
  if (isUtf8(bytes, complete)) return { charset: "utf-8", bom: 0 };
  return { charset: guessCodePage(bytes), bom: 0 };
}

/** Decodes bytes of a known charset (the mark already skipped). */
export function decodeAs(bytes: Uint8Array, charset: Charset): string {
  if (charset === "utf-8") return new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
  return iconv().decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), charset, {
    stripBOM: false,
  });
}

function controlRatio(text: string): number {
  const sample = text.slice(0, SAMPLE);
  if (sample.length === 0) return 0;
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) control++;
  }
  return control / sample.length;
}

/**
 * Bytes of a whole text file (or its first part, `complete` false) → text, or "binary" (NULs in what
 * is not UTF-16, or more than 1% control characters).
 */
export function decodeText(bytes: Uint8Array, complete = true): Decoded {
  const { charset, bom } = sniffCharset(bytes, complete);
  const body = bytes.subarray(bom);
  if (charset === "utf-8" && body.subarray(0, SAMPLE).includes(0)) return { binary: true };
  const text = decodeAs(body, charset);
  if (controlRatio(text) > 0.01) return { binary: true };
  return { text, encoding: charset };
}

/**
 * A stream's chunks as UTF-8 bytes, for the byte scanner: UTF-8 passes through (its mark dropped),
 * anything else is decoded as it comes and encoded again.
 */
export async function* toUtf8(
  chunks: AsyncIterable<Uint8Array>,
  sniffed: { charset: Charset; bom: number },
): AsyncGenerator<Uint8Array> {
  let skip = sniffed.bom;
  if (sniffed.charset === "utf-8") {
    for await (const chunk of chunks) {
      if (skip > 0) {
        const cut = Math.min(skip, chunk.byteLength);
        skip -= cut;
        if (cut === chunk.byteLength) continue;
        yield chunk.subarray(cut);
      } else yield chunk;
    }
    return;
  }
  const decoder = iconv().getDecoder(sniffed.charset, { stripBOM: true });
  const encoder = new TextEncoder();
  // A character outside the BMP may arrive as its high surrogate in one chunk and its low one in
  // the next: hold a trailing high surrogate back, so that it is never encoded alone.
  let held = "";
  const whole = (text: string, last: boolean): string => {
    const t = held + text;
    held = "";
    const end = t.charCodeAt(t.length - 1);
    if (last || !(end >= 0xd800 && end <= 0xdbff)) return t;
    held = t.slice(-1);
    return t.slice(0, -1);
  };
  for await (const chunk of chunks) {
    const text = whole(decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)), false);
    if (text.length > 0) yield encoder.encode(text);
  }
  const rest = whole(decoder.end() ?? "", true);
  if (rest) yield encoder.encode(rest);
}

/** A big text is decoded this many bytes at a time, the event loop running in between. */
export const PART_BYTES = 256 * 1024;

/** A decoded text, also as pieces of about PART_BYTES each (`text` is their concatenation). */
export type DecodedParts = { text: string; encoding: Charset; parts: string[] } | { binary: true };

/** The first `n` bytes of a body held as chunks. */
function firstBytes(chunks: readonly Uint8Array[], n: number): Uint8Array {
  const out: Uint8Array[] = [];
  let have = 0;
  for (const c of chunks) {
    if (have >= n) break;
    const part = c.subarray(0, n - have);
    out.push(part);
    have += part.byteLength;
  }
  return Buffer.concat(out, have);
}

/** Where UTF-8 `bytes` can be cut without splitting a character (the rest waits for more). */
function utf8SafeEnd(bytes: Uint8Array): number {
  const end = bytes.byteLength;
  // Back up over continuation bytes (10xxxxxx) to the lead byte of the last character, and cut
  // before it unless its sequence is complete.
  let lead = end - 1;
  while (lead > 0 && end - lead < 4 && ((bytes[lead] ?? 0) & 0xc0) === 0x80) lead--;
  const b = bytes[lead] ?? 0;
  const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
  return lead + length <= end ? end : lead;
}

/**
 * decodeText for a body held as the chunks it arrived in, without making it one buffer or one flat
 * string on this thread: PART_BYTES are decoded at a time, the event loop running in between, and
 * the text is the concatenation of those pieces (which V8 keeps as a rope until something needs it
 * flat; the bot hands the pieces to its parse worker one by one). The head (its mark, its first
 * 32 KB) decides the charset and whether it is binary. `wholeLines` drops a last line cut short.
 */
export async function decodeParts(
  chunks: readonly Uint8Array[],
  total: number,
  opts: { wholeLines?: boolean } = {},
): Promise<DecodedParts> {
  const cut = (text: string) => {
    const nl = text.lastIndexOf("\n");
    return nl > 0 ? text.slice(0, nl + 1) : text;
  };
  if (total <= PART_BYTES) {
    const d = decodeText(Buffer.concat(chunks, total), !opts.wholeLines);
    if ("binary" in d) return d;
    const text = opts.wholeLines ? cut(d.text) : d.text;
    return { text, encoding: d.encoding, parts: [text] };
  }
  const head = firstBytes(chunks, SAMPLE * 4);
  const decided = decodeText(head, false);
  if ("binary" in decided) return decided;
  const { charset, bom } = sniffCharset(head, false);
  let skip = bom;
  // UTF-8 pieces are decoded on their own (TextDecoder's streaming mode is many times slower), cut
  // where no character is split; other charsets go through iconv's decoder, which carries a cut
  // character over to the next piece itself.
  const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });
  const legacy = charset === "utf-8" ? null : iconv().getDecoder(charset, { stripBOM: false });
  const parts: string[] = [];
  let carry: Uint8Array = new Uint8Array(0);
  let group: Uint8Array[] = [];
  let groupBytes = 0;
  const flush = async (last: boolean) => {
    const bytes = Buffer.concat([carry, ...group], carry.byteLength + groupBytes);
    if (legacy) {
      parts.push(legacy.write(bytes) + (last ? (legacy.end() ?? "") : ""));
    } else {
      const end = last ? bytes.byteLength : utf8SafeEnd(bytes);
      parts.push(utf8.decode(bytes.subarray(0, end)));
      carry = bytes.subarray(end);
    }
    group = [];
    groupBytes = 0;
    await new Promise((resolve) => setImmediate(resolve));
  };
  for (const chunk of chunks) {
    let c = chunk;
    if (skip > 0) {
      const n = Math.min(skip, c.byteLength);
      c = c.subarray(n);
      skip -= n;
    }
    group.push(c);
    groupBytes += c.byteLength;
    if (groupBytes >= PART_BYTES) await flush(false);
  }
  await flush(true);
  if (opts.wholeLines) {
    // The last line is cut short: drop it, from the last piece that holds a line end.
    while (parts.length > 1 && !(parts.at(-1) as string).includes("\n")) parts.pop();
    parts[parts.length - 1] = cut(parts.at(-1) as string);
  }
  const nonEmpty = parts.filter((p) => p.length > 0);
  return { text: nonEmpty.reduce((a, b) => a + b, ""), encoding: charset, parts: nonEmpty };
}
