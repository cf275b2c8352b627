// Linear time, counted in work rather than measured in time: each parser, the splitter and parseText
// get adversarial inputs of sizes n, 2n, 4n, 8n, and every doubling may at most ~2.5× the counted
// work (regex backtracking steps + whole-string scans; see work.ts for the method). A quadratic
// regex (`\s*:?\s*` before a failing atom, an unanchored `\s+$`) or a value re-scanned as it grows
// shows up as 4× per doubling.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseText } from "../../parsers/index.js";
import { parseBcdedit } from "../../parsers/kinds/bcdedit/parse.js";
import { parseBootIni } from "../../parsers/kinds/boot-ini/parse.js";
import { parseEvents } from "../../parsers/kinds/event/parse.js";
import { parseHttperr } from "../../parsers/kinds/httperr/parse.js";
import { parsePoolCounters } from "../../parsers/kinds/pool-counters/parse.js";
import { parsePoolmon } from "../../parsers/kinds/poolmon/parse.js";
import { readKb, readNumber } from "../../parsers/numbers.js";
import { normalizePaste, splitPieces } from "../../parsers/split.js";
import { fill, mutatedSample, RUNS } from "./arbitraries.js";
import { growth, measureWork } from "./work.js";

const TARGETS: ReadonlyArray<[string, (text: string) => unknown]> = [
  ["normalizePaste", normalizePaste],
  ["splitPieces", splitPieces],
  ["parseHttperr", (t) => parseHttperr(t, "s")],
  ["parsePoolmon", (t) => parsePoolmon(t, "s")],
  ["parseBootIni", (t) => parseBootIni(t, "s")],
  ["parseBcdedit", (t) => parseBcdedit(t, "s")],
  ["parseEvents", (t) => parseEvents(t, "s")],
  ["parsePoolCounters", (t) => parsePoolCounters(t, "s")],
  ["readNumber", (t) => readNumber(t)],
  ["readKb", (t) => readKb(t)],
  ["parseText", (t) => parseText(t, "s")],
];

/** What gets a line past each parser's anchors, so that the long run reaches the risky part. */
const PREFIXES = [
  "",
  "Nonpaged",
  "Non-paged pool",
  "Paged pool",
  "Total",
  "Memory",
  "Kernel Memory (K)",
  "Kernel Memory (K) ",
  "Physical Memory (K)",
  "NonPagedPool Usage:",
  "Memory: 4193848K Avail:",
  " Commit: 1234K Limit: 9K Peak: 9K Pool N: 109952K P:",
  " Tag  Type     Allocs",
  " Tmfs Nonp ",
  " Tmfs Nonp 1 (",
  "ProviderName:",
  "Description:",
  "Event ID:",
  "Source:",
  "Message   :",
  "default=",
  "[operating systems]\nmulti(0)disk(0)rdisk(0)partition(1)\\WINDOWS=",
  "multi(0)",
  "C:\\",
  "identifier",
  "Windows Boot Loader\n-------------------\nidentifier              {current}\ndisplayorder",
  "#Fields:",
  "#Software:",
  "2007-11-13 ",
  "2007-11-13 20:01:44 ",
  "<http:",
  "```",
  "`",
  "> ",
  '"',
  '"\\\\web01\\memory\\pool nonpaged bytes",',
  "(",
  "1",
  "-",
];

/** Long runs: the characters regexes loop over. */
const RUNS_OF = [" ", "\t", "\u00a0", "0", "1,", "(", "-", "=", '"', "`", "&amp;", "\\", ":", " -", "a", "<"];

/** What ends the line: nothing, a letter, or a line separator that `.` does not match. */
const SUFFIXES = ["", "x", "x\u2028y", ")", "K", ":"];

/** Headers followed by many lines of one kind (100k short lines, scaled down). */
const BLOCKS: ReadonlyArray<[string, string]> = [
  [
    "TimeCreated                     Id LevelDisplayName Message\n11/13/2007 8:01:44 PM  2019 Error  x",
    "    more",
  ],
  ["Windows Boot Manager\n--------------------\ndisplayorder            {a}", "                        {b}"],
  ["Log Name: System\nDescription:", "text text"],
  ["Event[0]:\n  Description:", "  x"],
  ["", "Tmfs Nonp 1 2 3 4"],
  ["", " Tmfs Nonp 1 (1) 2 (2) 3 4 (4) 5"],
  ["", "Memory: 1K Avail: 2K"],
  ["", "```"],
  ["", "> "],
  ["", "`x`"],
  ["", "&amp;lt;"],
  ["", "-- -- --"],
  ["[boot loader]\ndefault=multi(0)", 'multi(0)disk(0)="x" /3GB'],
  ["#Fields: date time s-reason", "2007-11-13 20:01:44 Connections_Refused"],
  ["", "2007-11-13 20:01:44 1.2.3.4 1 5.6.7.8 80 HTTP/1.1 GET / 503 1 Connections_Refused x"],
  ["", "Kernel Memory (K)"],
  ["", "\u2028"],
  ["", ""],
];

const N = 256;
const LIMIT = 2.5;

/** Null when every doubling stays within LIMIT, else what grew and the busiest regex call. */
function superlinear(
  name: string,
  build: (size: number) => string,
  fn: (t: string) => unknown,
): string | null {
  const g = growth(build, fn, N);
  if (g.ratios.every((r) => r <= LIMIT)) return null;
  const worst = g.worst ? `${g.worst.regex} (${g.worst.steps} steps on ${g.worst.inputLength} chars)` : "-";
  return `${name}: work ${g.totals.join(" → ")} for sizes ${g.sizes.join(" → ")}; busiest regex ${worst}`;
}

function check(name: string, build: (size: number) => string, fn: (t: string) => unknown): void {
  expect(superlinear(name, build, fn)).toBeNull();
}

describe("linear work on long single lines", () => {
  // Known-bad shapes first (each one was quadratic or worse before its fix), then random ones.
  const examples: Array<[number, number, number, number]> = [
    [TARGETS.findIndex(([n]) => n === "splitPieces"), PREFIXES.indexOf("Nonpaged"), 0, 1],
    [TARGETS.findIndex(([n]) => n === "splitPieces"), PREFIXES.indexOf("Total"), 0, 1],
    [TARGETS.findIndex(([n]) => n === "parsePoolCounters"), PREFIXES.indexOf("Memory"), 0, 1],
    [TARGETS.findIndex(([n]) => n === "parsePoolCounters"), PREFIXES.indexOf("Kernel Memory (K) "), 0, 2],
    [TARGETS.findIndex(([n]) => n === "parseEvents"), PREFIXES.indexOf("ProviderName:"), 0, 2],
    [TARGETS.findIndex(([n]) => n === "parseBcdedit"), PREFIXES.indexOf("identifier"), 0, 1],
    [TARGETS.findIndex(([n]) => n === "parseEvents"), PREFIXES.indexOf("Description:"), 0, 1],
  ];
  it("every target, prefix, run and ending", () => {
    fc.assert(
      fc.property(
        fc.nat(TARGETS.length - 1),
        fc.nat(PREFIXES.length - 1),
        fc.nat(RUNS_OF.length - 1),
        fc.nat(SUFFIXES.length - 1),
        (t, p, r, s) => {
          const [name, fn] = TARGETS[t] as [string, (x: string) => unknown];
          const prefix = PREFIXES[p] as string;
          const run = RUNS_OF[r] as string;
          const suffix = SUFFIXES[s] as string;
          check(
            `${name}(${JSON.stringify(prefix)} + ${JSON.stringify(run)}×n + ${JSON.stringify(suffix)})`,
            (size) => `${prefix}${fill(run, size)}${suffix}`,
            fn,
          );
        },
      ),
      { numRuns: RUNS, examples },
    );
  });

  it("every parser on every prefix with a run of spaces (exhaustive)", () => {
    const failures: string[] = [];
    for (const [name, fn] of TARGETS) {
      for (const prefix of PREFIXES) {
        const build = (size: number) => `${prefix}${fill(" ", size)}x`;
        const f = superlinear(`${name}(${JSON.stringify(prefix)} + spaces + "x")`, build, fn);
        if (f) failures.push(f);
      }
    }
    expect(failures).toEqual([]);
  });
});

describe("linear work on many short lines", () => {
  it("every target on every block", () => {
    const failures: string[] = [];
    for (const [name, fn] of TARGETS) {
      if (name === "readNumber" || name === "readKb") continue;
      for (const [head, line] of BLOCKS) {
        const build = (size: number): string => {
          const count = Math.max(1, Math.floor(size / (line.length + 1)));
          return `${head}\n${Array.from({ length: count }, () => line).join("\n")}`;
        };
        const f = superlinear(`${name}(${JSON.stringify(head)} + ${JSON.stringify(line)} lines)`, build, fn);
        if (f) failures.push(f);
      }
    }
    expect(failures).toEqual([]);
  });
});

describe("linear work on real samples", () => {
  // From 2 copies up: one copy of a cut sample can leave a fence open that the second closes, a
  // one-off change of shape rather than growth.
  it("parseText on a mutated sample pasted 2, 4, 8 and 16 times", () => {
    fc.assert(
      fc.property(mutatedSample, ({ name, text }) => {
        const g = growth(
          (copies) => Array.from({ length: copies }, () => text).join("\n"),
          (t) => parseText(t, "s"),
          2,
        );
        const worst = g.worst ? `${g.worst.regex} (${g.worst.steps} steps)` : "-";
        for (const r of g.ratios)
          expect(r, `${name}: ${g.totals.join(" → ")}; ${worst}`).toBeLessThanOrEqual(LIMIT);
      }),
      { numRuns: Math.max(10, Math.round(RUNS / 5)) },
    );
  });
});

describe("the work counter itself", () => {
  it("sees a quadratic regex that a call count would miss", () => {
    // `\s*:?\s*` before an atom that fails tries every split of the run: n²/2 steps.
    const quadratic = (t: string) => /^x\s*:?\s*\d/.test(t);
    const linearRe = (t: string) => /^x\s*(?::\s*)?\d/.test(t);
    const build = (size: number) => `x${" ".repeat(size)}y`;
    expect(growth(build, quadratic, N).ratios.every((r) => r > 3.5)).toBe(true);
    expect(growth(build, linearRe, N).ratios.every((r) => r < 2.2)).toBe(true);
  });

  it("sees a value re-scanned as it grows", () => {
    const rescan = (t: string) => {
      let acc = "";
      for (const line of t.split("\n")) acc = `${acc} ${line}`.trim();
      return acc;
    };
    expect(growth((size) => "ab\n".repeat(size / 3), rescan, N).ratios.every((r) => r > 3.5)).toBe(true);
  });

  it("counts the same as V8 matches (it checks every call against the real exec)", () => {
    const { work } = measureWork(() => parseText("2007-11-13 20:01:44 a b c\n```x```\n&amp;", "s"));
    expect(work.regexCalls).toBeGreaterThan(10);
  });
});
