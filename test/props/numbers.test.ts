// Numbers stay numbers: thousands separators of every locale Windows prints, `K`/`KB`/`MB` suffixes,
// values past 2^53 and negative diffs come through readNumber/readKb and through the poolmon and
// pool-counter parsers (directly and through parseText, which normalises the paste first) as the
// same finite number, never NaN, a string or a throw.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseText } from "../../parsers/index.js";
import { parsePoolCounters } from "../../parsers/kinds/pool-counters/parse.js";
import { parsePoolmon } from "../../parsers/kinds/poolmon/parse.js";
import { readInt, readKb, readNumber } from "../../parsers/numbers.js";
import { RUNS } from "./arbitraries.js";

/** How a whole number gets printed: plain, or grouped the way a locale's tools group it. */
const GROUPINGS = ["plain", "en-US", "de-DE", "fr-FR", "de-CH"] as const;
type Grouping = (typeof GROUPINGS)[number];

/** Groups the digits of a non-negative integer (given as a digit string, so past 2^53 too). */
function group(digits: string, how: Grouping): string {
  if (how === "plain") return digits;
  const sep = { "en-US": ",", "de-DE": ".", "fr-FR": "\u202f", "de-CH": "\u2019" }[how];
  const out: string[] = [];
  for (let end = digits.length; end > 0; end -= 3) out.unshift(digits.slice(Math.max(0, end - 3), end));
  return out.join(sep);
}

/** Whole numbers as digit strings: small, large, past 2^53 (up to 2^64-ish). */
const digitsArb: fc.Arbitrary<string> = fc.oneof(
  fc.nat({ max: 999 }).map(String),
  fc.nat().map(String),
  fc.bigInt({ min: 0n, max: 2n ** 64n }).map(String),
);

const groupingArb = fc.constantFrom(...GROUPINGS);

/** The value a digit string stands for: the nearest double past 2^53. */
const numberOf = (digits: string, negative = false): number => (negative ? -1 : 1) * Number(digits);

describe("readNumber and readKb", () => {
  it("read every grouping and sign to the nearest double", () => {
    fc.assert(
      fc.property(digitsArb, groupingArb, fc.boolean(), (digits, how, negative) => {
        const text = `${negative ? "-" : ""}${group(digits, how)}`;
        const expected = numberOf(digits, negative);
        expect(readInt(text)).toBe(expected === 0 ? 0 : expected);
        const n = readNumber(text, { integer: true });
        expect(Number.isFinite(n)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it("read K, KB, Kb, MB, GB and bytes suffixes into KB", () => {
    const units: Array<[string, number]> = [
      ["K", 1],
      ["KB", 1],
      [" Kb", 1],
      [" KB", 1],
      ["MB", 1024],
      [" MB", 1024],
      [" GB", 1024 * 1024],
      [" bytes", 1 / 1024],
    ];
    fc.assert(
      fc.property(digitsArb, groupingArb, fc.constantFrom(...units), (digits, how, [suffix, factor]) => {
        const kb = readKb(`${group(digits, how)}${suffix}`);
        expect(kb).toBe(Number(digits) * factor);
      }),
      { numRuns: RUNS },
    );
  });

  it("never return NaN or Infinity, whatever the text", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.stringMatching(/^[-+\u2212]?[0-9.,'\u00a0\u202f _]{0,40}(?:[KkMmGg][Bb]?| bytes)?$/),
          fc.constantFrom(
            "9".repeat(400),
            `${"9".repeat(400)}K`,
            "1e400",
            "-",
            "K",
            "１２３",
            "1,2,3",
            "Infinity",
          ),
        ),
        (text) => {
          for (const v of [
            readNumber(text),
            readNumber(text, { integer: true }),
            readInt(text),
            readKb(text),
          ]) {
            if (v !== null) expect(Number.isFinite(v)).toBe(true);
          }
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });
});

// ---------- poolmon ----------

interface RowSpec {
  tag: string;
  type: "Nonp" | "Paged";
  allocs: string;
  frees: string;
  diff: { digits: string; negative: boolean };
  bytes: string;
  deltas: { allocs: number; frees: number } | null;
  perAlloc: string | null;
}

const tagArb = fc
  .tuple(
    fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"),
    fc.string({
      unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCXYZ019"),
      minLength: 0,
      maxLength: 3,
    }),
  )
  .map(([first, rest]) => `${first}${rest}`.padEnd(4, " "));

const rowArb: fc.Arbitrary<RowSpec> = fc.record({
  tag: tagArb,
  type: fc.constantFrom("Nonp" as const, "Paged" as const),
  allocs: digitsArb,
  frees: digitsArb,
  diff: fc.record({ digits: digitsArb, negative: fc.boolean() }),
  bytes: digitsArb,
  deltas: fc.option(fc.record({ allocs: fc.integer({ min: -5000, max: 5000 }), frees: fc.nat(5000) }), {
    nil: null,
  }),
  perAlloc: fc.option(digitsArb, { nil: null }),
});

function rowLine(r: RowSpec, how: Grouping): string {
  const g = (d: string) => group(d, how);
  const diff = `${r.diff.negative ? "-" : ""}${g(r.diff.digits)}`;
  const cells = r.deltas
    ? [`${g(r.allocs)} (${r.deltas.allocs})`, `${g(r.frees)} (${r.deltas.frees})`, diff, `${g(r.bytes)} (0)`]
    : [g(r.allocs), g(r.frees), diff, g(r.bytes)];
  if (r.perAlloc !== null) cells.push(g(r.perAlloc));
  return ` ${r.tag} ${r.type}     ${cells.join("      ")}`;
}

function expectRow(row: unknown, r: RowSpec): void {
  expect(row).toMatchObject({
    tag: r.tag,
    type: r.type,
    allocs: Number(r.allocs),
    frees: Number(r.frees),
    diff: numberOf(r.diff.digits, r.diff.negative) || 0,
    bytes: Number(r.bytes),
    perAlloc: r.perAlloc === null ? null : Number(r.perAlloc),
    allocsDelta: r.deltas ? r.deltas.allocs : null,
    diffDelta: r.deltas ? r.deltas.allocs - r.deltas.frees : null,
  });
}

/** Grouping that survives a paste: normalizePaste turns NBSP and narrow NBSP into plain spaces. */
const pasteSafe = fc.constantFrom("plain" as const, "en-US" as const, "de-DE" as const, "de-CH" as const);

describe("poolmon numbers", () => {
  it("a row's numbers come back as written: grouped, huge, negative diffs and deltas", () => {
    fc.assert(
      fc.property(rowArb, groupingArb, (r, how) => {
        // The Per Alloc column is all or nothing within one table; one row is its own table here.
        const [snapshot] = parsePoolmon(`${rowLine(r, how)}\n`, "pm");
        expect(snapshot?.data.rows).toHaveLength(1);
        expectRow(snapshot?.data.rows[0], r);
      }),
      { numRuns: RUNS },
    );
  });

  it("the same through parseText, under the header lines, as pasted in Slack", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(rowArb, { selector: (r) => `${r.type}|${r.tag}`, minLength: 1, maxLength: 6 }),
        pasteSafe,
        fc.nat(),
        (rows, how, k) => {
          // Per Alloc and the deltas are columns of the whole table: all rows have them or none.
          const perAlloc = k % 2 === 0;
          const deltas = k % 3 === 0;
          const fixed = rows.map((r) => ({
            ...r,
            // poolmon prints Per Alloc as Bytes / Diff; an arbitrary value could look like the
            // truncated last cell the parser is right to drop (5 where 5000000000 was due).
            perAlloc: perAlloc ? perAllocOf(r) : null,
            deltas: deltas ? (r.deltas ?? { allocs: 0, frees: 0 }) : null,
          }));
          const text = [
            "```",
            ` Memory: ${group("4193848", how)}K Avail: ${group("1258744", how)}K  PageFlts:  1234   InRam Krnl: 5K P: 9K`,
            ` Commit: ${group("2138412", how)}K Limit: ${group("6106436", how)}K Peak: 9K            Pool N:${group("109952", how)}K P: 9K`,
            "",
            ` Tag  Type     Allocs            Frees            Diff   Bytes       ${perAlloc ? "Per Alloc" : ""}`,
            "",
            ...fixed.map((r) => rowLine(r, how)),
            "```",
          ].join("\n");
          const result = parseText(text, "slack");
          const pm = result.inputs.find((i) => i.kind === "poolmon");
          expect(pm?.kind, JSON.stringify(result.warnings)).toBe("poolmon");
          if (pm?.kind !== "poolmon") return;
          expect(pm.data.header.nonpagedKb).toBe(109952);
          expect(pm.data.rows).toHaveLength(fixed.length);
          for (const [i, row] of pm.data.rows.entries()) expectRow(row, fixed[i] as RowSpec);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

function perAllocOf(r: RowSpec): string {
  const diff = BigInt(r.diff.digits);
  return r.diff.negative || diff === 0n ? (r.perAlloc ?? "16") : String(BigInt(r.bytes) / diff);
}

// ---------- pool counters ----------

describe("pool counter numbers", () => {
  it("!vm usage in pages and Kb, grouped or not, reads the Kb", () => {
    fc.assert(
      fc.property(digitsArb, groupingArb, (digits, how) => {
        const kb = Number(digits);
        const pages = group(String(BigInt(digits) / 4n), how);
        const { data: counters } = parsePoolCounters(
          `NonPagedPool Usage:    ${pages} ( ${group(digits, how)} Kb)\nNonPagedPool Max:      ${pages} ( ${group(digits, how)} Kb)`,
          "kd",
        );
        expect(counters.origin).toBe("kd-vm");
        expect(counters.nonpagedUsedKb).toBe(kb);
        expect(counters.nonpagedMaxKb).toBe(kb);
      }),
      { numRuns: RUNS },
    );
  });

  it("Task Manager and perfmon values, grouped, with or without a unit", () => {
    fc.assert(
      fc.property(digitsArb, pasteSafe, fc.constantFrom("K", "MB"), (digits, grouping, unit) => {
        const v = Number(digits);
        // `1.000 MB` and a perfmon `1.000` are decimals (Task Manager and typeperf print fractions);
        // only whole-KB values read a lone `.` before three digits as a thousands separator.
        const how = unit === "MB" && grouping === "de-DE" ? "plain" : grouping;
        const perfHow = grouping === "de-DE" ? "plain" : grouping;
        const tm = parsePoolCounters(
          `Kernel Memory (${unit})\n Total  ${group(digits, how)}\n Nonpaged ${group(digits, how)}`,
          "tm",
        );
        expect(tm.data.nonpagedUsedKb).toBe(unit === "K" ? v : v * 1024);
        const win10 = parsePoolCounters(
          `Non-paged pool ${group(digits, how)} ${unit === "K" ? "KB" : "MB"}`,
          "tm",
        );
        expect(win10.data.nonpagedUsedKb).toBe(unit === "K" ? v : v * 1024);
        const perf = parsePoolCounters(
          `\\\\WEB01\\Memory\\Pool Nonpaged Bytes   ${group(digits, perfHow)}`,
          "pf",
        );
        expect(perf.data.nonpagedUsedKb).toBe(v / 1024);
      }),
      { numRuns: RUNS },
    );
  });
});
