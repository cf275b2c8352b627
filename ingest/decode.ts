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
