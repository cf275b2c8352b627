// The WebAssembly reader marks exactly the bytes that end a token (≤ 0x20 or ≥ 0x80), turns plain
// lines into records and leaves every other line to the general path; the committed module is what
// its AssemblyScript source compiles to.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type FieldLayout,
  type LineReader,
  newPiece,
  PIECE_BYTES,
  type Piece,
  SLOT_13,
  SLOT_DEFAULT,
} from "../../../../parsers/kinds/httperr/marks.js";
import { compileLines, LINES_MODULE, linesModuleText } from "../../../../scripts/compile-wasm.js";

function marked(bits: Int32Array, i: number): boolean {
  return ((bits[i >> 5] as number) >>> (i & 31)) % 2 === 1;
}

/** A piece with its reader (this Node has WebAssembly). */
function wasmPiece(): Piece & { reader: LineReader } {
  const piece = newPiece();
  expect(piece.reader).not.toBeNull();
  return piece as Piece & { reader: LineReader };
}

describe("the WebAssembly marks", () => {
  it("mark every byte ≤ 0x20 or ≥ 0x80 and no other, at any length (property)", () => {
    const { bytes, reader } = wasmPiece();
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 5000 }), (some) => {
        bytes.set(some);
        reader.mark(some.length);
        for (let i = 0; i < some.length; i++) {
          const b = some[i] as number;
          expect(marked(reader.bits, i)).toBe(b <= 0x20 || b >= 0x80);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("cover a whole piece, and pieces do not share memory", () => {
    const a = wasmPiece();
    const b = wasmPiece();
    a.bytes.fill(0x41);
    b.bytes.fill(0x20);
    a.bytes[PIECE_BYTES - 1] = 0x0a;
    a.reader.mark(PIECE_BYTES);
    b.reader.mark(PIECE_BYTES);
    expect(marked(a.reader.bits, PIECE_BYTES - 1)).toBe(true);
    expect(marked(a.reader.bits, PIECE_BYTES - 2)).toBe(false);
    expect(a.reader.bits.slice(0, -1).every((w) => w === 0)).toBe(true);
    expect(b.reader.bits.every((w) => w === -1)).toBe(true);
  });
});

/** http.sys's default fields: date time c-ip c-port s-ip s-port cs-version cs-method cs-uri sc-status s-siteid s-reason s-queuename. */
const DEFAULT_13: FieldLayout = {
  count: 13,
  date: 0,
  time: 1,
  cip: 2,
  uri: 8,
  status: 9,
  site: 10,
  reason: 11,
  queue: 12,
  numeric: Int32Array.of(3, 5, 9, 10),
};

/** Marks `text` in a new piece and reads it from byte 0 up to its last LF. */
function readAll(text: string): { stoppedAt: number; records: number[][]; bytes: Uint8Array } {
  const piece = wasmPiece();
  const reader = piece.reader;
  reader.setLayout(SLOT_13, DEFAULT_13);
  const bytes = new TextEncoder().encode(text);
  piece.bytes.set(bytes);
  reader.mark(bytes.length);
  const stoppedAt = reader.read(0, bytes.lastIndexOf(10), SLOT_DEFAULT);
  const records = Array.from({ length: reader.count() }, (_, k) =>
    Array.from(reader.records.subarray(k * reader.recordWords, (k + 1) * reader.recordWords)),
  );
  return { stoppedAt, records, bytes };
}

describe("the WebAssembly line reader", () => {
  const plain = "2024-01-02 03:04:05 10.0.0.1 5000 10.0.0.5 80 HTTP/1.1 GET /a?b 503 1 QueueFull Pool\r\n";

  it("reads a plain line into the byte ranges of its fields and its numbers", () => {
    const { stoppedAt, records, bytes } = readAll(plain + plain.replace("503 1", "- 7"));
    expect(stoppedAt).toBe(bytes.length);
    expect(records).toHaveLength(2);
    const [reasonS, reasonE, queueS, queueE, ipS, ipE, uriS, uriE, status, site, date, time] =
      records[0] as number[];
    const text = (s: number, e: number) => new TextDecoder().decode(bytes.subarray(s, e));
    expect([text(reasonS, reasonE), text(queueS, queueE), text(ipS, ipE), text(uriS, uriE)]).toEqual([
      "QueueFull",
      "Pool",
      "10.0.0.1",
      "/a?b",
    ]);
    expect([status, site, date, time]).toEqual([503, 1, 20240102, 30405]);
    expect((records[1] as number[]).slice(8, 10)).toEqual([-1, 7]);
  });

  it.each([
    ["a tab between fields", plain.replace(" GET", "\tGET")],
    ["two spaces", plain.replace(" GET", "  GET")],
    ["a trailing space", plain.replace("Pool", "Pool ")],
    ["non-ASCII", plain.replace("/a?b", "/é")],
    ["a directive", "#Fields: date time\r\n"],
    ["a port that is not a number", plain.replace("5000", "50x0")],
    ["a status of ten digits", plain.replace("503", "5030000000")],
    ["a bad date", plain.replace("2024-01-02", "2024-1-02")],
    ["a twelfth field missing", plain.replace(" Pool", "")],
  ])("leaves a line with %s to the general path, after the plain lines before it", (_, odd) => {
    const { stoppedAt, records } = readAll(plain + odd + plain);
    expect(records).toHaveLength(1);
    expect(stoppedAt).toBe(new TextEncoder().encode(plain).length);
  });
});

describe("lines-wasm.ts", () => {
  it("holds the bytes assembly/lines.ts compiles to now (npm run wasm)", () => {
    expect(readFileSync(LINES_MODULE, "utf8")).toBe(linesModuleText(compileLines()));
  }, 60_000);
});
