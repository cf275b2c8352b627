// Every parser, the splitter and the core path, fed hostile text: they never throw and always return
// what their schema says (zod: no NaN, no Infinity, integers where integers are promised).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Diagnosis } from "../../kb/diagnosis.js";
import { diagnoseTexts, loadKnowledgeBase } from "../../kb/index.js";
import { ParsedInput, Piece } from "../../parsers/evidence.js";
import { parseText } from "../../parsers/index.js";
import { parseBcdedit } from "../../parsers/kinds/bcdedit/parse.js";
import { parseBootIni } from "../../parsers/kinds/boot-ini/parse.js";
import { parseEvents } from "../../parsers/kinds/event/parse.js";
import { parseHttperr } from "../../parsers/kinds/httperr/parse.js";
import { parsePoolCounters } from "../../parsers/kinds/pool-counters/parse.js";
import { parsePoolmon } from "../../parsers/kinds/poolmon/parse.js";
import { normalizePaste, splitPieces } from "../../parsers/split.js";
import { BIG_RUNS, hostileText, manyShortLines, megabyteLine, RUNS } from "./arbitraries.js";

const PARSERS: ReadonlyArray<[string, (text: string) => ParsedInput[]]> = [
  ["parseHttperr", (t) => [parseHttperr(t, "src")]],
  ["parsePoolmon", (t) => parsePoolmon(t, "src")],
  ["parseBootIni", (t) => [parseBootIni(t, "src")]],
  ["parseBcdedit", (t) => [parseBcdedit(t, "src")]],
  ["parseEvents", (t) => [parseEvents(t, "src")]],
  ["parsePoolCounters", (t) => [parsePoolCounters(t, "src")]],
];

/** The parser's output passes its schema unchanged and keeps the source it was given. */
function wellFormed(inputs: ParsedInput[]): void {
  expect(inputs.length).toBeGreaterThan(0);
  for (const input of inputs) {
    expect(ParsedInput.parse(input)).toEqual(input);
    expect(input.source).toBe("src");
  }
}

function splitterInvariants(text: string): void {
  const normal = normalizePaste(text);
  expect(typeof normal).toBe("string");
  // Idempotent on what matters: a second pass finds the same pieces.
  const pieces = splitPieces(normal);
  const lineCount = normal.split(/\r\n|\r|\n/).length;
  let last = 0;
  for (const piece of pieces) {
    expect(Piece.parse(piece)).toEqual(piece);
    expect(piece.line).toBeGreaterThan(last); // paste order, no overlap
    expect(piece.line).toBeLessThanOrEqual(lineCount);
    expect(piece.text.trim()).not.toBe("");
    last = piece.line + piece.text.split("\n").length - 1;
  }
}

function parseTextInvariants(text: string): void {
  const result = parseText(text, "src");
  expect(result.unrecognised).toBe(result.inputs.length === 0);
  result.inputs.forEach((input, n) => {
    expect(ParsedInput.parse(input)).toEqual(input);
    expect(input.source).toBe(n === 0 ? "src" : `src#${n + 1}`);
  });
  for (const w of result.warnings) expect(typeof w).toBe("string");
  if (result.unrecognised) expect(result.warnings.some((w) => w.startsWith("nothing readable: "))).toBe(true);
}

/** Inputs that once broke a schema (kept as fixed examples, run before the random ones). */
const KNOWN: Array<[string]> = [
  // Event ID and N of N_Connections_Refused past 2^53: ids and counts must stay safe integers.
  ["Log Name: System\nSource: Srv\nEvent ID: 99999999999999999999\nDescription:\nx\n"],
  ["2007-11-13 20:01:44 1.2.3.4 1 5.6.7.8 80 HTTP/1.1 GET / - - 99999999999999999999_Connections_Refused -"],
];

describe.each(PARSERS)("%s on hostile text", (_name, parse) => {
  it("never throws and returns a well-formed result", () => {
    fc.assert(
      fc.property(hostileText, (text) => wellFormed(parse(text))),
      { numRuns: RUNS, examples: KNOWN },
    );
  });
});

describe("the splitter on hostile text", () => {
  it("normalizePaste and splitPieces never throw and give ordered, well-formed pieces", () => {
    fc.assert(fc.property(hostileText, splitterInvariants), { numRuns: RUNS * 2 });
  });

  it("parseText never throws, names inputs in order and says why when nothing was readable", () => {
    fc.assert(fc.property(hostileText, parseTextInvariants), { numRuns: RUNS * 2, examples: KNOWN });
  });
});

describe("the core path on hostile text", () => {
  const kb = loadKnowledgeBase();
  it("diagnoseTexts never throws and returns a diagnosis that passes its schema", () => {
    fc.assert(
      fc.property(fc.array(hostileText, { minLength: 1, maxLength: 3 }), (texts) => {
        const d = diagnoseTexts(
          kb,
          texts.map((text, i) => ({ text, source: `paste-${i}`, at: 1_700_000_000_000 + i * 3_600_000 })),
        );
        expect(Diagnosis.parse(d)).toBeTruthy();
        expect(() => JSON.stringify(d)).not.toThrow();
      }),
      { numRuns: RUNS },
    );
  });
});

describe("big inputs", () => {
  it("every parser and parseText read a 1 MB single line", () => {
    fc.assert(
      fc.property(megabyteLine, ({ text }) => {
        for (const [, parse] of PARSERS) wellFormed(parse(text));
        parseTextInvariants(text);
      }),
      { numRuns: BIG_RUNS },
    );
  });

  it("every parser and parseText read 100k short lines", () => {
    fc.assert(
      fc.property(manyShortLines, ({ text }) => {
        for (const [, parse] of PARSERS) wellFormed(parse(text));
        parseTextInvariants(text);
      }),
      { numRuns: BIG_RUNS },
    );
  });
});
