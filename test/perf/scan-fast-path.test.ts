// The scanner's fast path (single spaces, CRLF/LF, bytes marked a piece at a time, keys told apart by
// their first and last bytes only when short) must still give the simple parser's summary.
// The property test in scan-equivalence.test.ts ends every token with a separator, so its lines
// never take the fast path; these lines mostly do, with the odd flaw that must send them elsewhere.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PIECE_BYTES } from "../../parsers/kinds/httperr/marks.js";
import { parseHttperr } from "../../parsers/kinds/httperr/parse.js";
import { HttperrScanner } from "../../parsers/kinds/httperr/scan.js";

function scanChunked(bytes: Uint8Array, chunk: number) {
  const s = new HttperrScanner();
  for (let i = 0; i < bytes.length; i += chunk) s.push(bytes.subarray(i, i + chunk));
  return s.end();
}

function simple(bytes: Uint8Array) {
  return parseHttperr(new TextDecoder().decode(bytes), "x").data.summary;
}

const H =
  "#Fields: date time c-ip c-port s-ip s-port cs-version cs-method cs-uri sc-status s-siteid s-reason s-queuename";

// Keys of every length around the 4, 8 and 16 bytes the hash table compares as words, and long keys
// that differ only in their middle bytes.
const key = fc.oneof(
  fc.constantFrom("-", "a", "ab", "abc", "abcd", "abcde", "abcdefgh", "abcdefghi", "abcdXfgh"),
  // 18 and 20 bytes, differing only in bytes 8 to 11 (neither in the first nor in the last 8 bytes).
  fc.constantFrom("/abcdefgXYijklmnop", "/abcdefgYXijklmnop", "/p/01234AB789abcdef/", "/p/01234BA789abcdef/"),
  fc.constantFrom("/0123456789abcdef", "/0123456789abcdeg", "Timer_ConnectionIdle", "3_Connections_Refused"),
);
// Up to nine digits the fast path (WebAssembly) reads a number itself; ten to fifteen go to the
// general path, sixteen and more to the slow one.
const num = fc.constantFrom(
  "-",
  "0",
  "7",
  "80",
  "443",
  "503",
  "65535",
  "0503",
  "5x",
  "999999999",
  "4294967296",
  "1234567890123456",
);
const date = fc.constantFrom("2024-01-02", "2024-01-03", "2024-1-02", "-");
const time = fc.constantFrom(
  "03:04:05",
  "03:04:06",
  "03:05:05",
  "03:04:05.12",
  "03:04:05,12",
  "3:04:05",
  "-",
);

const record = fc
  .tuple(date, time, key, num, key, num, key, key, key, num, num, key, key)
  .map((fields) => fields as string[]);

// Mostly single spaces; now and then a flaw the fast path must notice (one separator, the line end,
// a leading space), so that most lines are the fast path's and their fields decide.
const flaw = fc.constantFrom("  ", "\t", "\u00a0", "\u0001");
const eol = fc.constantFrom("\r\n", "\r\n", "\r\n", "\n", "\n", "\r", " \r\n", "\u0001\n");

const line = fc
  .tuple(
    record,
    fc.option(fc.tuple(fc.integer({ min: 0, max: 11 }), flaw), { freq: 4 }),
    eol,
    fc.integer({ min: 0, max: 7 }),
  )
  .map(([fields, odd, end, lead]) => {
    const body = fields.map((f, i) => f + (i === 12 ? "" : odd && odd[0] === i ? odd[1] : " ")).join("");
    return (lead === 0 ? " " : "") + body + end;
  });

describe("scanner fast path = simple parser", () => {
  it("records with single spaces, repeated starts and near-miss keys (property)", () => {
    // Lines repeat so that many start with the same 20 bytes as the line before them.
    const log = fc
      .array(fc.tuple(line, fc.integer({ min: 1, max: 3 })), { minLength: 1, maxLength: 40 })
      .map((ls) => ls.map(([l, times]) => l.repeat(times)).join(""));
    // Without a `#Fields` line the default field lists apply (13 tokens, or 14 with a stream id).
    const withHeader = fc
      .tuple(fc.boolean(), log)
      .map(([header, body]) => (header ? `${H}\r\n${body}` : body));
    fc.assert(
      fc.property(withHeader, fc.integer({ min: 1, max: 300 }), (text, chunk) => {
        const bytes = new TextEncoder().encode(text);
        const want = simple(bytes);
        expect(scanChunked(bytes, chunk)).toEqual(want);
        expect(scanChunked(bytes, bytes.length)).toEqual(want);
      }),
      { numRuns: 300 },
    );
  });

  it("reason and queue counted alike whether they come side by side (one lookup) or apart (property)", () => {
    // http.sys writes the reason phrase, then the queue name: the summary looks both up as one key.
    // A field list that puts the queue first, or another field between, takes them one at a time.
    const apart = [
      H.replace("s-reason s-queuename", "s-queuename s-reason"),
      H.replace("s-siteid s-reason", "s-reason s-siteid"),
    ];
    const log = fc
      .tuple(fc.constantFrom(H, ...apart), fc.array(line, { minLength: 1, maxLength: 40 }))
      .map(([header, ls]) => `${header}\r\n${ls.join("")}`);
    fc.assert(
      fc.property(log, (text) => {
        const bytes = new TextEncoder().encode(text);
        expect(scanChunked(bytes, bytes.length)).toEqual(simple(bytes));
      }),
      { numRuns: 300 },
    );
  });

  it("a line that starts like the last one but goes wrong after its first 20 bytes", () => {
    const L = "2024-01-02 03:04:05 10.0.0.1 5000 10.0.0.2 80 HTTP/1.1 GET /a 503 1 QueueFull Pool1";
    const text = [
      H,
      L,
      "2024-01-02 03:04:05  10.0.0.1 5000 10.0.0.2 80 HTTP/1.1 GET /a 503 1 QueueFull Pool1",
      "2024-01-02 03:04:05 ",
      "2024-01-02 03:04:05 \t10.0.0.1 5000 10.0.0.2 80 HTTP/1.1 GET /a 503 1 QueueFull Pool1",
      L,
      `${L} `,
      // A doubled space among the last bytes before the line end, at each of the four alignments.
      ...["/a", "/ab", "/abc", "/abcd"].map((uri) => L.replace("/a", uri).replace("Pool1", " P")),
      "",
    ].join("\r\n");
    const bytes = new TextEncoder().encode(text);
    const want = simple(bytes);
    // Runs of spaces and tabs are separators to the simple parser too; only the cut line is skipped.
    expect(want.lines).toBe(9);
    expect(want.skipped).toBe(1);
    for (const chunk of [1, 5, 21, 64, bytes.length]) expect(scanChunked(bytes, chunk)).toEqual(want);
  });

  it("lines across the scanner's pieces: a piece ends at every byte of a line and its CRLF; lines longer than a piece", () => {
    const L = "2024-01-02 03:04:05 10.0.0.1 5000 10.0.0.2 80 HTTP/1.1 GET /a 503 1 QueueFull Pool1";
    const lines = [H];
    let size = H.length;
    // Lengths that walk through every remainder, so that piece boundaries fall everywhere in a line.
    for (let k = 0; size < 3 * PIECE_BYTES; k++) {
      const line = L.replace("/a", `/${"x".repeat(k % 97)}`);
      lines.push(line);
      size += line.length + 2;
    }
    lines.push(L.replace("/a", `/${"y".repeat(PIECE_BYTES + 5)}`), L);
    lines.push(L.replace("/a", `/${"z".repeat(3 * PIECE_BYTES)}`), L);
    const bytes = new TextEncoder().encode(`${lines.join("\r\n")}\r\n`);
    const want = simple(bytes);
    expect(want.lines).toBe(lines.length - 1);
    for (const chunk of [bytes.length, PIECE_BYTES - 1, PIECE_BYTES + 1, 1_000_003])
      expect(scanChunked(bytes, chunk)).toEqual(want);
  });
});
