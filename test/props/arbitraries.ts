// Shared fast-check generators for the robustness properties: arbitrary strings and bytes, and real
// samples mutated the way pastes get mangled (lines cut, fields dropped or doubled, numbers huge or
// negative, columns shuffled, tabs and non-breaking spaces, Unicode look-alikes, Slack markup).
// Runs: FAST_CHECK_RUNS (default 150) per property; `npm run test:props` runs 2000.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import fc from "fast-check";
import { PACKAGE_ROOT } from "../../kb/paths.js";

/** Runs per property: bounded in CI, longer with FAST_CHECK_RUNS=2000 (`npm run test:props`). */
export const RUNS = Math.max(1, Number(process.env.FAST_CHECK_RUNS) || 150);

/** A few properties build 1 MB inputs; they run this many times (scaled with RUNS). */
export const BIG_RUNS = Math.max(2, Math.min(20, Math.round(RUNS / 50)));

// ---------- real samples ----------

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...walk(path));
    else out.push(path);
  }
  return out;
}

export interface Sample {
  name: string;
  text: string;
}

function loadSamples(): Sample[] {
  const roots = [
    join(PACKAGE_ROOT, "samples"),
    join(PACKAGE_ROOT, "test", "parsers"),
    join(PACKAGE_ROOT, "test", "fixtures", "parsers"),
  ];
  const files: string[] = [];
  for (const root of roots) {
    files.push(...walk(root).filter((p) => !p.endsWith(".json") && !p.endsWith(".md") && !p.endsWith(".ts")));
  }
  return files.map((path) => ({ name: relative(PACKAGE_ROOT, path), text: readFileSync(path, "utf8") }));
}

/** Every real sample: samples/**, the parser fixtures under test/parsers/** and test/fixtures/parsers/**. */
export const SAMPLES: readonly Sample[] = loadSamples();

export function sampleNamed(fragment: string): Sample {
  const s = SAMPLES.find((x) => x.name.includes(fragment));
  if (!s) throw new Error(`no sample named like ${fragment}`);
  return s;
}

// ---------- text and bytes ----------

/** Characters that matter to the parsers, to make random text hit their branches. */
const INTERESTING = [
  " ",
  "  ",
  "\t",
  "\n",
  "\r\n",
  "\r",
  "\u00a0",
  "\u202f",
  "\u200b",
  "\ufeff",
  "\u2028",
  "\u0000",
  "\ufffd",
  "(",
  ")",
  "[",
  "]",
  "{",
  "}",
  "-",
  "=",
  ":",
  '"',
  "`",
  "```",
  "&amp;",
  "&lt;",
  "&gt;",
  ">",
  "> ",
  "<http://x|y>",
  "#",
  "/",
  "\\",
  ",",
  ".",
  "K",
  "Kb",
  "MB",
  "-",
  "0",
  "1",
  "9",
  "123",
  "1,234",
  "-12",
  "99999999999999999999",
  "о", // Cyrillic o
  "１２３", // fullwidth digits
  "Nonp",
  "Paged",
  "Tag",
  "Memory:",
  "Commit:",
  "Pool N:",
  "#Fields:",
  "#Software: Microsoft HTTP API 2.0",
  "s-reason",
  "2007-11-13",
  "20:01:44",
  "Connections_Refused",
  "[boot loader]",
  "[operating systems]",
  "multi(0)disk(0)rdisk(0)partition(1)\\WINDOWS=",
  "/3GB",
  "/USERVA=3030",
  "identifier",
  "{current}",
  "Windows Boot Loader",
  "---",
  "Event ID:",
  "Source:",
  "Description:",
  "Event[0]:",
  "Log Name:",
  "TimeCreated",
  "ProviderName:",
  "NonPagedPool Usage:",
  "Kernel Memory (K)",
  "Pool Nonpaged Bytes",
  "Non-paged pool",
];

/** Text assembled from parser-relevant tokens and random characters. */
export const tokenText: fc.Arbitrary<string> = fc
  .array(fc.oneof(fc.constantFrom(...INTERESTING), fc.string({ maxLength: 6 })), { maxLength: 80 })
  .map((parts) => parts.join(""));

/** Random bytes decoded as UTF-8 (NULs, U+FFFD for invalid sequences, control characters). */
export const bytesAsText: fc.Arbitrary<string> = fc
  .uint8Array({ maxLength: 600 })
  .map((b) => Buffer.from(b).toString("utf8"));

/** Any string: unicode, raw UTF-16 code units (lone surrogates), bytes, token soup. */
export const anyText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: "binary", maxLength: 300 }),
  fc.string({ unit: fc.constantFrom("\ud800", "\udfff", "a", " ", "\n", "\u0000"), maxLength: 100 }),
  bytesAsText,
  tokenText,
);

// ---------- mutations of real samples ----------

const LOOK_ALIKES: ReadonlyArray<[RegExp, string]> = [
  [/o/g, "о"], // Cyrillic о
  [/a/g, "а"], // Cyrillic а
  [/e/g, "е"], // Cyrillic е
  [/[0-9]/g, "０"], // replaced below digit by digit
  [/-/g, "\u2010"], // hyphen
  [/"/g, "\u201c"], // curly quote
  [/ /g, "\u00a0"], // NBSP
  [/ /g, "\t"],
  [/ {2,}/g, " "], // collapsed alignment
  [/\n/g, "\r\n"],
  [/\n/g, "\r"],
];

function fullwidthDigits(s: string): string {
  return s.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)));
}

type Mutation = (text: string) => string;

const numberReplacements = ["-1", "-999999", "99999999999999999999", "1e400", "1,234,567", "0", "-0", "NaN"];

/** One mutation, chosen and parameterised by fast-check. */
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  // cut the text at a position (a truncated paste)
  fc.double({ min: 0, max: 1, noNaN: true }).map((f) => (t: string) => t.slice(0, Math.floor(t.length * f))),
  // drop, double or cut one line
  fc.tuple(fc.nat(), fc.constantFrom("drop", "double", "cut")).map(([k, how]) => (t: string) => {
    const lines = t.split("\n");
    const i = k % lines.length;
    const line = lines[i] ?? "";
    if (how === "drop") lines.splice(i, 1);
    else if (how === "double") lines.splice(i, 0, line);
    else lines[i] = line.slice(0, Math.floor(line.length / 2));
    return lines.join("\n");
  }),
  // drop, double or shuffle fields on one line
  fc
    .tuple(fc.nat(), fc.nat(), fc.constantFrom("drop", "double", "shuffle"))
    .map(([k, f, how]) => (t: string) => {
      const lines = t.split("\n");
      const i = k % lines.length;
      const fields = (lines[i] ?? "").split(/(\s+)/);
      const j = f % Math.max(1, fields.length);
      if (how === "drop") fields.splice(j, 1);
      else if (how === "double") fields.splice(j, 0, fields[j] ?? "");
      else fields.reverse();
      lines[i] = fields.join("");
      return lines.join("\n");
    }),
  // a number replaced by a huge, negative or unreadable one
  fc.tuple(fc.nat(), fc.constantFrom(...numberReplacements)).map(([k, by]) => (t: string) => {
    let seen = 0;
    return t.replace(/\d+/g, (m) => (seen++ % 7 === k % 7 ? by : m));
  }),
  // Unicode look-alikes and whitespace substitutions
  fc.constantFrom(...LOOK_ALIKES).map(
    ([re, by]) =>
      (t: string) =>
        by === "０" ? fullwidthDigits(t) : t.replace(re, by),
  ),
  // Slack markup around it
  fc.constantFrom(
    (t: string) => `\`\`\`${t}\`\`\``,
    (t: string) => `\`\`\`log\n${t}\n\`\`\``,
    (t: string) => t.replace(/^/gm, "> "),
    (t: string) => `>>> ${t}`,
    (t: string) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"),
    (t: string) => `here is what I see: ${t} any idea?`,
  ),
  // two samples' worth: the text twice
  fc.constant((t: string) => `${t}\n${t}`),
);

/** A real sample with 0–5 mutations applied. */
export const mutatedSample: fc.Arbitrary<{ name: string; text: string }> = fc
  .tuple(fc.constantFrom(...SAMPLES), fc.array(mutation, { maxLength: 5 }))
  .map(([s, ms]) => ({ name: s.name, text: ms.reduce((t, m) => m(t), s.text) }));

/** Two real samples glued together, the way people paste several things in one message. */
export const mixedSamples: fc.Arbitrary<string> = fc
  .array(fc.constantFrom(...SAMPLES), { minLength: 2, maxLength: 4 })
  .chain((ss) => fc.constantFrom("\n", "\n\n", " ", "\n```\n").map((sep) => ss.map((s) => s.text).join(sep)));

/** Everything the never-throw properties feed: random text, mutated samples, mixes. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: anyText },
  { weight: 3, arbitrary: mutatedSample.map((s) => s.text) },
  { weight: 1, arbitrary: mixedSamples },
);

// ---------- big inputs ----------

const MB = 1024 * 1024;

/** A big input that prints as a short description in a counterexample, not as megabytes. */
export interface Big {
  text: string;
  what: string;
}

function big(text: string, what: string): Big {
  return { text, what, [fc.toStringMethod]: () => `${what} (${text.length} chars)` } as Big;
}

/** Repeats `unit` to about `size` characters. */
export function fill(unit: string, size: number): string {
  return unit.repeat(Math.max(1, Math.ceil(size / Math.max(1, unit.length)))).slice(0, size);
}

/** 1 MB single lines: a sample line with a 1 MB run of one character or token inserted. */
export const megabyteLine: fc.Arbitrary<Big> = fc
  .tuple(
    fc.constantFrom(...SAMPLES),
    fc.nat(),
    fc.constantFrom(" ", "\t", "0", "(", "-", "=", '"', "`", "&amp;", "\u00a0", "\\", "a", "1,"),
  )
  .map(([s, k, run]) => {
    const lines = s.text.split("\n").filter((l) => l.trim() !== "");
    const line = lines[k % lines.length] ?? "";
    const cut = k % Math.max(1, line.length);
    const what = `${s.name} line ${k % lines.length} with ${JSON.stringify(run)}×1MB at ${cut}`;
    return big(`${line.slice(0, cut)}${fill(run, MB)}${line.slice(cut)}`, what);
  });

/** About 100k short lines: one sample line, or a short adversarial line, over and over. */
export const manyShortLines: fc.Arbitrary<Big> = fc
  .tuple(
    fc.constantFrom(...SAMPLES),
    fc.nat(),
    fc.constantFrom("", " ", "-", "```", "> ", "a", "Nonp 1 2 3 4", "   cont", "Event ID: 1"),
  )
  .map(([s, k, alt]) => {
    const lines = s.text.split("\n").filter((l) => l.trim() !== "");
    const line = k % 2 === 0 ? (lines[k % lines.length] ?? "").slice(0, 40) : alt;
    return big(Array.from({ length: 100_000 }, () => line).join("\n"), `100k × ${JSON.stringify(line)}`);
  });
