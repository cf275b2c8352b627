// What a text that gave no evidence looks like, in a few words, so that the answer says what was
// seen and not just "nothing". Light on purpose: ingest uses it without loading every parser.

import { formatBytes } from "./bytes.js";
import { isBlank, splitLines } from "./text.js";

/** UTF-8 size of a string, counted without encoding it. */
function utf8Bytes(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

/** How much of the start of a text is sampled to tell binary from text. */
const SNIFF_CHARS = 64 * 1024;

/**
 * What a text that gave no evidence looks like, in a few words, so that the answer says what was
 * seen and not just "nothing": `empty input`, `binary data (NUL bytes), 20.0 kB`, `only whitespace
 * (3 lines)`, `5.2 MB of text (87381 lines) with no line Tattletale recognises, starting "lorem
 * ipsum…"`. `partial`: some lines looked like evidence but held none (the warnings say which).
 */
export function describeUnreadable(text: string, partial = false, bytes = utf8Bytes(text)): string {
  if (text.length === 0) return "empty input (0 bytes)";
  // `bytes`: the size as read, when known; decoding turns each invalid byte into three.
  const size = formatBytes(bytes);
  const sniff = Math.min(text.length, SNIFF_CHARS);
  let nul = 0;
  let control = 0;
  let undecodable = 0;
  for (let i = 0; i < sniff; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) nul++;
    else if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) || (c >= 0x7f && c < 0xa0))
      control++;
    else if (c === 0xfffd) undecodable++;
  }
  if (nul > 0) return `binary data (NUL bytes), ${size}`;
  if (control > sniff / 100) return `binary data (control characters), ${size}`;
  if (undecodable > sniff / 100) return `binary data (bytes that are not UTF-8 text), ${size}`;
  const all = splitLines(text);
  let lines = 0;
  let first = "";
  for (const line of all) {
    if (isBlank(line)) continue;
    lines++;
    if (first === "") first = line.trim();
  }
  if (lines === 0) return `only whitespace (${all.length} line${all.length === 1 ? "" : "s"})`;
  const start = first.length > 60 ? `${first.slice(0, 60)}…` : first;
  const what = `${lines} line${lines === 1 ? "" : "s"}`;
  const why = partial ? "with no complete record Tattletale can read" : "with no line Tattletale recognises";
  return `${size} of text (${what}) ${why}, starting "${start}"`;
}
