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
import { parseCounterCsv } from "../../parsers/kinds/counter-csv/parse.js";
import { parseEvents } from "../../parsers/kinds/event/parse.js";
import { parseFindstrTags } from "../../parsers/kinds/findstr-tags/parse.js";
import { parseHttperr } from "../../parsers/kinds/httperr/parse.js";
import { parseIisW3c } from "../../parsers/kinds/iis-w3c/parse.js";
import { parseKdPoolused } from "../../parsers/kinds/kd-poolused/parse.js";
import { parseKdVm } from "../../parsers/kinds/kd-vm/parse.js";
import { parseNetshServicestate } from "../../parsers/kinds/netsh-servicestate/parse.js";
import { parsePoolmon } from "../../parsers/kinds/poolmon/parse.js";
import { parsePooltagCsv } from "../../parsers/kinds/pooltag-csv/parse.js";
import { parseSysteminfo } from "../../parsers/kinds/systeminfo/parse.js";
import { parseTaskManager } from "../../parsers/kinds/task-manager/parse.js";
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
  ["parseTaskManager", (t) => parseTaskManager(t, "s")],
  ["parseSysteminfo", (t) => parseSysteminfo(t, "s")],
  ["parseKdVm", (t) => parseKdVm(t, "s")],
  ["parseKdPoolused", (t) => parseKdPoolused(t, "s")],
  ["parseCounterCsv", (t) => parseCounterCsv(t, "s")],
  ["parseNetshServicestate", (t) => parseNetshServicestate(t, "s")],
  ["parseFindstrTags", (t) => parseFindstrTags(t, "s")],
  ["parsePooltagCsv", (t) => parsePooltagCsv(t, "s")],
  ["parseIisW3c", (t) => parseIisW3c(t, "s")],
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
  // the kinds of issue #12
  "Memory 16.0 GB",
  "Committed 1",
  "Committed 1/2",
  "Kernel Memory (K) Total",
  "In use (Compressed) ",
  "Windows Server 2003 Kernel Version 3790",
  "Kernel base = 0x",
  "Physical Memory:",
  "Product:",
  " Tag    Allocs     Used    Allocs     Used\n AfdB",
  " AfdB 1 2 3 ",
  '"(PDH-CSV 4.0)","\\\\W\\Memory\\Pool Paged Bytes"\n"01/01/2020 00:00:00.000",',
  "Timestamp  CounterSamples\n10/5/2020 4:42:11 PM  \\\\w\\m\\c",
  "Readings : \\\\w\\m\\c",
  "Path  InstanceName  CookedValue\n\\\\w\\m(a)\\c",
  "\\\\W\\Memory\\Pool Paged Bytes",
  "Begin:",
  "Request queue name:",
  "Max queued request age:",
  "Requests:\nElapsed time (ms):",
  "C:\\>findstr /m /l ",
  'C:\\>findstr /c:"',
  "PS C:\\> Get-ChildItem | Select-String -Pattern ",
  '"DateTime","Tag","Type","Bytes"\n',
  "Tag,Type,Bytes\nAbcd,Nonp,",
  "Tag;PagedUsed\nAbcd;",
  "#Software: Microsoft Internet Information Services\n",
  "#Fields: date time cs-uri-stem time-taken\n2024-01-01 00:00:00 ",
  "2019-01-31 14:20:13 10.0.0.1 GET /",
  "Host Name:",
  "OS Name: Microsoft",
  "Total Physical Memory:",
  '"Host Name","OS Name"\n"',
];

/** Long runs: the characters regexes loop over. */
const RUNS_OF = [
  " ",
  "\t",
  "\u00a0",
  "0",
  "1,",
  "(",
  "-",
  "=",
  '"',
  "`",
  "&amp;",
  "\\",
  ":",
  " -",
  "a",
  "<",
  ";",
  '","',
  ".",
  "/",
];

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
  // the kinds of issue #12
  ["Physical Memory (MB)", "Total 4094"],
  ["Memory", "\tNon-paged pool\t13.6 GB"],
  ["kd> !vm", "\tNonPagedPool Usage:    27910 (    111640 Kb)"],
  ["Windows Server 2003 Kernel Version 3790 MP Free x86 compatible", "....."],
  [
    " Tag    Allocs     Used    Allocs     Used",
    " AfdB    41746 66794496         0        0Afd data buffer , Binary: afd.sys",
  ],
  ['"(PDH-CSV 4.0)","\\\\W\\Memory\\Pool Paged Bytes"', '"01/01/2020 00:00:00.000","1"'],
  [
    "Timestamp                 CounterSamples",
    "                          \\\\w\\memory\\pool paged bytes :\n                          1",
  ],
  ["Path InstanceName CookedValue", "\\\\s\\http service request queues(a b)\\currentqueuesize  a b  2"],
  ["Request queues:", "    Request queue name: X\n        Queued requests: 1"],
  ["C:\\>findstr /m /l Abcd *.sys", "a.sys"],
  ['"DateTime","Tag","Type","Bytes"', '"3/14/2024 9:00:02 AM","Abcd","Nonp","1"'],
  [
    "#Software: Microsoft Internet Information Services 10.0\n#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken",
    "2019-03-04 10:00:07 10.0.0.5 GET /x - 80 - 10.0.0.9 UA - 503 2 0 15",
  ],
  ["Host Name:                 WEB14", "                           [01]: x"],
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
    [TARGETS.findIndex(([n]) => n === "parseTaskManager"), PREFIXES.indexOf("Memory"), 0, 1],
    [TARGETS.findIndex(([n]) => n === "parseTaskManager"), PREFIXES.indexOf("Kernel Memory (K) "), 0, 2],
    [TARGETS.findIndex(([n]) => n === "parseEvents"), PREFIXES.indexOf("ProviderName:"), 0, 2],
    [TARGETS.findIndex(([n]) => n === "parseBcdedit"), PREFIXES.indexOf("identifier"), 0, 1],
    [TARGETS.findIndex(([n]) => n === "parseEvents"), PREFIXES.indexOf("Description:"), 0, 1],
    // A search word of `","` runs: quoted or not by where the run is cut (the single-quote path once
    // took a global regex over the whole word).
    [
      TARGETS.findIndex(([n]) => n === "parseFindstrTags"),
      PREFIXES.indexOf("C:\\>findstr /m /l "),
      RUNS_OF.indexOf('","'),
      SUFFIXES.indexOf(""),
    ],
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
  // one-off change of shape rather than growth. A run takes about a quarter of a second on a 2-core
  // VM, and `npm run test:props` makes hundreds: the timeout grows with them.
  it(
    "parseText on a mutated sample pasted 2, 4, 8 and 16 times",
    () => {
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
    },
    Math.max(60_000, RUNS * 100),
  );
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
