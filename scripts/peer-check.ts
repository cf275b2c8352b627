// `npm run test:peers -- DIR`: the peer conformance check. Runs the built CLI, `tattletale parse
// --json FILE`, as a process on every fixture log under DIR and compares the records it prints with
// the expected ones. Expected records come from `expected.json` in a log's folder (file name →
// records, the layout of Filebeat-derived fixture sets) or from `FILE.expected.json` beside the log.
// Prints one line per fixture and how many matched; exit 0 all matched, 1 a mismatch, 2 no DIR,
// a DIR that does not exist, or one that holds no fixture.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";

const BIN = join(dirname(fileURLToPath(import.meta.url)), "..", "bin", "tattletale.js");
const MAP_FILE = "expected.json";
const BESIDE = ".expected.json";

interface Fixture {
  log: string;
  /** Expected records, or why there are none to compare with. */
  expected: unknown[] | { problem: string };
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, "utf8"));
}

/** Is this a file a fixture set holds as a log (not its expectations or its notes)? */
function isLog(name: string): boolean {
  return !name.startsWith(".") && !name.endsWith(".json") && !name.endsWith(".md");
}

/** Every fixture under `dir`, folder by folder, in name order. */
function findFixtures(dir: string): Fixture[] {
  const names = readdirSync(dir).sort();
  const out: Fixture[] = [];
  const map = names.includes(MAP_FILE) ? readJson(join(dir, MAP_FILE)) : null;
  if (map !== null && (typeof map !== "object" || Array.isArray(map)))
    throw new Error(`${join(dir, MAP_FILE)} must map file names to lists of records`);
  const mapped = (map ?? {}) as Record<string, unknown>;
  for (const name of Object.keys(mapped)) {
    if (!names.includes(name))
      out.push({ log: join(dir, name), expected: { problem: "listed in expected.json but missing" } });
  }
  for (const name of names) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      out.push(...findFixtures(path));
      continue;
    }
    if (!isLog(name)) continue;
    const beside = `${path}${BESIDE}`;
    const expected = Object.hasOwn(mapped, name)
      ? mapped[name]
      : existsSync(beside)
        ? readJson(beside)
        : map !== null
          ? { problem: `no entry in ${MAP_FILE}` }
          : undefined;
    if (expected === undefined) continue; // a file with no expectation in a folder without a map
    out.push({
      log: path,
      expected:
        Array.isArray(expected) ||
        (typeof expected === "object" && expected !== null && "problem" in expected)
          ? (expected as Fixture["expected"])
          : { problem: "the expected records are not a list" },
    });
  }
  return out;
}

function short(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** Where the records first differ, in a line. */
function difference(got: unknown[], want: unknown[]): string {
  for (let i = 0; i < Math.max(got.length, want.length); i++) {
    if (isDeepStrictEqual(got[i], want[i])) continue;
    if (i >= got.length) return `record ${i + 1} missing (${got.length} records, ${want.length} expected)`;
    if (i >= want.length)
      return `record ${i + 1} not expected (${got.length} records, ${want.length} expected)`;
    const g = got[i] as Record<string, unknown>;
    const w = want[i] as Record<string, unknown>;
    if (g && w && typeof g === "object" && typeof w === "object") {
      for (const key of new Set([...Object.keys(w), ...Object.keys(g)])) {
        if (!isDeepStrictEqual(g[key], w[key]))
          return `record ${i + 1}, ${key}: got ${short(g[key])}, expected ${short(w[key])}`;
      }
    }
    return `record ${i + 1}: got ${short(g)}, expected ${short(w)}`;
  }
  return "records differ";
}

/** Null when the CLI gives exactly the expected records, else what went wrong. */
function check(fixture: Fixture): string | null {
  if (!Array.isArray(fixture.expected)) return fixture.expected.problem;
  const r = spawnSync(process.execPath, [BIN, "parse", "--json", fixture.log], {
    encoding: "utf8",
    maxBuffer: 1024 * 1024 * 1024,
  });
  if (r.status !== 0) return `tattletale parse exited ${r.status}: ${r.stderr.trim().split("\n")[0] ?? ""}`;
  let got: unknown[];
  try {
    const out = JSON.parse(r.stdout) as { inputs: Array<{ records: unknown[] }> };
    got = out.inputs.flatMap((input) => input.records);
  } catch (error) {
    return `output is not the parse --json shape (${(error as Error).message})`;
  }
  return isDeepStrictEqual(got, fixture.expected) ? null : difference(got, fixture.expected);
}

function main(args: string[]): number {
  if (args.length !== 1 || args[0] === undefined || args[0] === "") {
    process.stderr.write(
      "usage: npm run test:peers -- DIR   (a folder of fixture logs with expected records)\n",
    );
    return 2;
  }
  // npm runs scripts from the package root; a relative DIR means where the user typed it.
  const dir = resolve(process.env.INIT_CWD ?? process.cwd(), args[0]);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    process.stderr.write(`peer check: no such folder ${dir}\n`);
    return 2;
  }
  if (!existsSync(BIN)) {
    process.stderr.write(`peer check: the CLI is not built (${BIN}): run npm run build\n`);
    return 2;
  }
  const fixtures = findFixtures(dir);
  if (fixtures.length === 0) {
    process.stderr.write(`peer check: no fixture in ${dir} (logs with ${MAP_FILE} or FILE${BESIDE})\n`);
    return 2;
  }
  let matched = 0;
  for (const fixture of fixtures) {
    const name = relative(dir, fixture.log) || basename(fixture.log);
    const problem = check(fixture);
    if (problem === null) {
      matched++;
      const n = (fixture.expected as unknown[]).length;
      process.stdout.write(`ok    ${name} (${n} record${n === 1 ? "" : "s"})\n`);
    } else process.stdout.write(`FAIL  ${name}: ${problem}\n`);
  }
  process.stdout.write(`peer fixtures: ${matched} of ${fixtures.length} matched (${dir})\n`);
  return matched === fixtures.length ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
