// The byte scanner must give exactly the simple parser's summary, whatever the chunking: on generated
// logs, on real-world fixtures and on the edge cases of the line format. On low-cardinality logs that
// summary is the exact one (an independent count, test/parsers/kinds/httperr/exact.ts); on high-cardinality
// logs its sketched lists and distinct counts hold the bounds they state.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { generateHttperr } from "../../bench/generate.js";
import { parseHttperr } from "../../parsers/kinds/httperr/parse.js";
import { HttperrScanner } from "../../parsers/kinds/httperr/scan.js";
import { exactOfText, exactSummary, expectWithinBounds } from "../parsers/kinds/httperr/exact.js";

const dir = mkdtempSync(join(tmpdir(), "tattle-scan-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function scanChunked(bytes: Uint8Array, chunk: number) {
  const s = new HttperrScanner();
  for (let i = 0; i < bytes.length; i += chunk) s.push(bytes.subarray(i, i + chunk));
  return s.end();
}

function simple(bytes: Uint8Array) {
  return parseHttperr(new TextDecoder().decode(bytes), "x").data.summary;
}

function expectSame(bytes: Uint8Array, chunks: number[]) {
  const want = simple(bytes);
  for (const c of chunks) expect(scanChunked(bytes, c), `chunk size ${c}`).toEqual(want);
  return want;
}

const CHUNKS = [1, 7, 4096, 65_536, Number.MAX_SAFE_INTEGER];

describe("scanner = simple parser", () => {
  it.each([
    { name: "CRLF, one header", opts: { seed: 1 } },
    {
      name: "LF, header blocks with and without streamid",
      opts: { seed: 2, lf: true, streamidBlocks: true, blockBytes: 40_000 },
    },
    {
      name: "truncated last line",
      opts: { seed: 3, truncateLast: true, blockBytes: 70_000, streamidBlocks: true },
    },
  ])("generated log: $name", ({ opts }) => {
    const path = join(dir, "gen.log");
    generateHttperr(path, 200_000, opts);
    const want = expectSame(readFileSync(path), CHUNKS);
    expect(want).toEqual(exactSummary(exactOfText(readFileSync(path, "utf8"))));
    expect(want.lines).toBeGreaterThan(1000);
    expect(want.refusedConnections).toBeGreaterThan(0);
    expect(Object.keys(want.refusalsPerMinute).length).toBeGreaterThan(0);
  });

  it("a bigger generated log, in big chunks", () => {
    const path = join(dir, "big.log");
    generateHttperr(path, 3_000_000, { seed: 9, streamidBlocks: true, blockBytes: 600_000 });
    const want = expectSame(readFileSync(path), [4096, 1_000_003, Number.MAX_SAFE_INTEGER]);
    expect(want.topClients).toHaveLength(10);
    // 3,500 clients and 2,000 URIs: within the sketches' capacity, so every count is exact.
    expect(want).toEqual(exactSummary(exactOfText(readFileSync(path, "utf8"))));
  });

  it.each([
    { name: "every line new", opts: { seed: 21, cardinality: "high" as const } },
    {
      name: "new lines and a few hot clients",
      opts: { seed: 22, cardinality: "high" as const, hotShare: 0.1 },
    },
  ])("a high-cardinality log: $name", ({ opts }) => {
    const path = join(dir, "high.log");
    generateHttperr(path, 9_000_000, { ...opts, streamidBlocks: true, blockBytes: 2_000_000 });
    const bytes = readFileSync(path);
    const want = expectSame(bytes, [65_536, 1_000_003, Number.MAX_SAFE_INTEGER]);
    // Past the sketches' capacity: estimates, stated as such, within their bounds.
    expect(want.distinctClients.relativeError).toBeGreaterThan(0);
    expect(want.distinctClients.estimate).toBeGreaterThan(50_000);
    expect(Object.values(want.byReasonDetail).some((d) => d.unlisted.uris > 0)).toBe(true);
    expectWithinBounds(want, exactOfText(bytes.toString("utf8")));
  });

  // The HTTPERR shapes peers' parsers are tested on (zone ids, streamid, no header, no final newline).
  const shapes = join(import.meta.dirname, "../fixtures/parsers/httperr-shapes");
  const fixtureFiles = [
    ...readdirSync(shapes)
      .filter((f) => f.endsWith(".log"))
      .map((f) => join(shapes, f)),
    join(import.meta.dirname, "../../samples/founding-incident/httperr1.log"),
  ];
  it.each(fixtureFiles)("fixture %s", (file) => {
    const want = expectSame(readFileSync(file), [1, 7, 4096, Number.MAX_SAFE_INTEGER]);
    expect(want.lines).toBeGreaterThan(0);
  });

  const H =
    "#Fields: date time c-ip c-port s-ip s-port cs-version cs-method cs-uri sc-status s-siteid s-reason s-queuename";
  const L = "2024-01-02 03:04:05 10.0.0.1 5000 10.0.0.2 80 HTTP/1.1 GET /a 503 1 QueueFull Pool1";
  const cases: [string, string][] = [
    [
      "no header, 13 and 14 fields",
      `${L}\n2024-01-02 03:04:06 ::1%0 1 ::1%0 80 - - - 7 - - Timer_ConnectionIdle -\n`,
    ],
    [
      "tabs and runs of spaces",
      `${H}\n  2024-01-02\t03:04:05  10.0.0.1 5000\t\t10.0.0.2 80 HTTP/1.1 GET /a 503 1 QueueFull Pool1\n`,
    ],
    [
      "Unicode spaces and zero-width",
      `${H}\n2024-01-02\u00a003:04:05 10.0.0.1 5000 10.0.0.2 80 HTTP/1.1 GET /a\u200b 503 1 QueueFull Pool1\n\u200b\n`,
    ],
    ["BOM and CRLF", `\ufeff${H}\r\n${L}\r\n${L}\r\n`],
    ["lone CR splits lines", `${H}\r${L}\r${L}\r\r\n`],
    [
      "non-ASCII and invalid bytes",
      `${H}\n2024-01-02 03:04:05 10.0.0.1 5000 10.0.0.2 80 HTTP/1.1 GET /caf\u00e9 404 1 NotFound Pool1\n`,
    ],
    [
      "numbers: leading zeros, huge, not digits",
      `${H}\n${L.replace(" 503 1 ", " 0503 0001 ")}\n${L.replace(" 503 1 ", " 99999999999999999999 1 ")}\n${L.replace(" 503 1 ", " 5x3 1 ")}\n${L.replace(" 5000 ", " 12345678901234567890123 ")}\n`,
    ],
    [
      "bad dates and times",
      `${H}\n${L.replace("2024-01-02", "2024-1-02")}\n${L.replace("03:04:05", "03:04:05.1234567")}\n${L.replace("03:04:05", "03:04:05.")}\n${L.replace("03:04:05", "3:04:05")}\n- 03:04:05 10.0.0.1 5000 10.0.0.2 80 HTTP/1.1 GET /a 503 1 QueueFull Pool1\n`,
    ],
    [
      "refusal phrases",
      `${H}\n2024-01-02 03:04:05 - - - - - - - - - 3_Connections_Refused -\n2024-01-02 03:05:05 - - - - - - - - - connections_refused -\n2024-01-02 03:05:05 - - - - - - - - - 0_Connections_Refused -\n2024-01-02 03:05:05 - - - - - - - - - 12x_Connections_Refused -\n- - - - - - - - - - - 4_Connections_Refused -\n`,
    ],
    [
      "#Fields changes, odd lists",
      `${H}\n${L}\n#fields: s-reason date time sc-status sc-status\nQueueFull 2024-01-02 03:04:05 1 503\n#Fields:\nQueueFull 2024-01-02 03:04:05 1 503\n#Fields: c-ip __proto__ s-queuename\n1.2.3.4 x Q\n#Software: x\n`,
    ],
    ["cut short and too long", `${H}\n2024-01-02 03:04:05 10.0.0.1\n${L} extra\n\n   \n${L}`],
    ["a directive without the Fields", `#Software: Microsoft HTTP API 2.0\n#Date: 2024-01-01\n${L}\n`],
    [
      "a #Fields list longer than the token arrays",
      `#Fields: ${Array.from({ length: 70 }, (_, i) => `x${i}`).join(" ")} date time s-reason\n${Array.from({ length: 70 }, (_, i) => `v${i}`).join(" ")} 2024-01-02 03:04:05 QueueFull\n`,
    ],
    ["control characters in tokens", `${H}\n${L.replace("/a", "/a\u0001b\u007f")}\n`],
  ];
  it.each(cases)("edge case: %s", (_name, text) => {
    expectSame(new TextEncoder().encode(text), [1, 2, 3, 5, 7, 64, Number.MAX_SAFE_INTEGER]);
  });
  it("invalid UTF-8 bytes", () => {
    const head = new TextEncoder().encode(
      `${H}\n2024-01-02 03:04:05 10.0.0.1 5000 10.0.0.2 80 HTTP/1.1 GET /`,
    );
    const tail = new TextEncoder().encode(` 404 1 NotFound Pool1\n${L}\n`);
    const bytes = new Uint8Array([...head, 0xc3, 0xff, 0xe2, 0x80, ...tail, 0xe2, 0x82]);
    expectSame(bytes, [1, 3, 4096]);
  });

  it("random lines from the field alphabet (property)", () => {
    const token = fc.constantFrom(
      "-",
      "2024-01-02",
      "2024-01-03",
      "03:04:05",
      "23:59:59.123",
      "10.0.0.1",
      "::1",
      "80",
      "0443",
      "503",
      "400",
      "1",
      "2",
      "HTTP/1.1",
      "GET",
      "/a",
      "/b?x=1",
      "QueueFull",
      "Timer_ConnectionIdle",
      "3_Connections_Refused",
      "Connections_Refused",
      "Pool1",
      "Pool2",
      "x\u00e9",
      "#Fields:",
      "#Version:",
      "date",
      "time",
      "s-reason",
      "sc-status",
      "c-ip",
      "s-queuename",
      "cs-uri",
      "s-siteid",
    );
    const sep = fc.constantFrom(" ", " ", " ", "  ", "\t", "\u00a0", "\u200b ");
    const line = fc
      .array(fc.tuple(token, sep), { minLength: 0, maxLength: 16 })
      .map((parts) => parts.map(([t, s]) => t + s).join(""));
    const eol = fc.constantFrom("\n", "\r\n", "\r");
    const log = fc
      .array(fc.tuple(line, eol), { maxLength: 30 })
      .map((ls) => ls.map(([l, e]) => l + e).join(""));
    fc.assert(
      fc.property(log, fc.integer({ min: 1, max: 50 }), (text, chunk) => {
        const bytes = new TextEncoder().encode(text);
        expect(scanChunked(bytes, chunk)).toEqual(simple(bytes));
      }),
      { numRuns: 300 },
    );
  });
});
