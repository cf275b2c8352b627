// Bytes of an uploaded file → text, or "binary". Windows tools often write UTF-16 (PowerShell `>`),
// sometimes without a byte-order mark; older tools write a legacy code page (read as Latin-1).
export type Decoded = { text: string; encoding: string } | { binary: true };

const SAMPLE = 8192;

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

export function decodeText(bytes: Uint8Array): Decoded {
  let encoding: string;
  let body = bytes;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    encoding = "utf-8";
    body = bytes.subarray(3);
  } else if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    encoding = "utf-16le";
    body = bytes.subarray(2);
  } else if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    encoding = "utf-16be";
    body = bytes.subarray(2);
  } else {
    encoding = utf16Guess(bytes) ?? "utf-8";
  }
  if (encoding === "utf-8" && body.subarray(0, SAMPLE).includes(0)) return { binary: true };
  let text = new TextDecoder(encoding).decode(body);
  if (encoding === "utf-8") {
    const sample = text.slice(0, SAMPLE);
    const bad = sample.split("\uFFFD").length - 1;
    if (sample.length > 0 && bad / sample.length > 0.01) {
      text = new TextDecoder("latin1").decode(body);
      encoding = "latin1";
    }
  }
  if (controlRatio(text) > 0.01) return { binary: true };
  return { text, encoding };
}

/** A big file is decoded this many bytes at a time, the event loop running in between. */
const PART_BYTES = 256 * 1024;

/** A decoded text, also as pieces of about PART_BYTES each (`text` is their concatenation). */
export type DecodedParts = { text: string; encoding: string; parts: string[] } | { binary: true };

/** Where `bytes` can be cut without splitting a character of `encoding` (the rest waits for more). */
function safeEnd(bytes: Uint8Array, encoding: string, utf16: boolean, bigEndian: boolean): number {
  let end = bytes.byteLength;
  if (utf16) {
    end -= end % 2;
    // A high surrogate last: its pair is in the next piece.
    const unit = (i: number) =>
      bigEndian ? ((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0) : ((bytes[i + 1] ?? 0) << 8) | (bytes[i] ?? 0);
    if (end >= 2 && unit(end - 2) >= 0xd800 && unit(end - 2) <= 0xdbff) end -= 2;
    return end;
  }
  if (encoding !== "utf-8") return end;
  // Back up over continuation bytes (10xxxxxx) to the lead byte of the last character, and cut
  // before it unless its sequence is complete.
  let lead = end - 1;
  while (lead > 0 && end - lead < 4 && ((bytes[lead] ?? 0) & 0xc0) === 0x80) lead--;
  const b = bytes[lead] ?? 0;
  const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
  return lead + length <= end ? end : lead;
}

/** The first `n` bytes of a body held as chunks. */
function firstBytes(chunks: Uint8Array[], n: number): Uint8Array {
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

/**
 * decodeText for a body held as the chunks it arrived in, without ever making it one buffer or one
 * flat string on this thread: 256 KB are decoded at a time, the event loop running in between,
 * and the text is the concatenation of those pieces (which V8 keeps as a rope, not copied into one
 * string, until something needs it flat; the pieces go to a worker thread one by one, see
 * parse-worker.ts). Same answer as decodeText, which decides from the head of the file (its BOM,
 * its first 8 KB): the head decides here too. `wholeLines` drops a last line cut short.
 */
export async function decodeChunks(
  chunks: Uint8Array[],
  total: number,
  opts: { wholeLines?: boolean } = {},
): Promise<DecodedParts> {
  const cut = (text: string) => {
    const nl = text.lastIndexOf("\n");
    return nl > 0 ? text.slice(0, nl + 1) : text;
  };
  if (total <= PART_BYTES) {
    const d = decodeText(Buffer.concat(chunks, total));
    if ("binary" in d) return d;
    const text = opts.wholeLines ? cut(d.text) : d.text;
    return { text, encoding: d.encoding, parts: [text] };
  }
  const head = firstBytes(chunks, SAMPLE * 4 + 4);
  const decided = decodeText(head);
  if ("binary" in decided) return decided;
  let skip =
    head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf
      ? 3
      : (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)
        ? 2
        : 0;
  // Each piece is decoded on its own (TextDecoder's streaming mode is many times slower), cut where
  // no character is split: after a UTF-8 lead byte's sequence, after a whole UTF-16 code unit pair.
  const decoder = new TextDecoder(decided.encoding);
  const utf16 = decided.encoding.startsWith("utf-16");
  const bigEndian = decided.encoding === "utf-16be";
  const parts: string[] = [];
  let carry: Uint8Array = new Uint8Array(0);
  let group: Uint8Array[] = [];
  let groupBytes = 0;
  const flush = async (last: boolean) => {
    const bytes = Buffer.concat([carry, ...group], carry.byteLength + groupBytes);
    const end = last ? bytes.byteLength : safeEnd(bytes, decided.encoding, utf16, bigEndian);
    parts.push(decoder.decode(bytes.subarray(0, end)));
    carry = bytes.subarray(end);
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
  return { text: nonEmpty.reduce((a, b) => a + b, ""), encoding: decided.encoding, parts: nonEmpty };
}
