// `kb validate`, the examples: every entry with a rule fires on its `fires` examples and stays quiet
// on its `quiet` ones, through the real parsers and engine. An example reads the entry's own files
// (kb/examples/<entry id>/) or the bundled samples/, never the test tree, so an installed package
// can validate itself; every file under kb/examples/ belongs to an example.
//
// An entry with a `when` rule needs at least one `fires` and one `quiet` example. A lookup-only
// entry (no `when`) never fires, so it needs none, and a `fires` example on it is an error.
import { readdirSync, readFileSync } from "node:fs";
import { join, normalize, relative } from "node:path";
import { diagnoseTexts, type TextInput } from "../index.js";
import type { KnowledgeBase } from "../load.js";
import { EXAMPLES_DIR, PACKAGE_ROOT } from "../paths.js";
import type { Entry, Example } from "../schema.js";

/** Bundled inputs any example may read besides its own folder. */
const SAMPLES = "samples/";

export interface ExampleRun {
  /** Whether the entry is among the findings. */
  fired: boolean;
  /** Ids of every finding of the example's diagnosis. */
  findings: string[];
}

const slashed = (path: string) => normalize(path).replaceAll("\\", "/");

/** Why an example may not read this file (outside its own folder and samples/), or null. */
function placeProblem(entry: Entry, file: string, examplesDir: string): string | null {
  const path = slashed(file);
  const own = `${slashed(relative(PACKAGE_ROOT, examplesDir))}/${entry.id}/`;
  if (path.startsWith(own) || path.startsWith(SAMPLES)) return null;
  return `${file}: an example reads files from ${own} or ${SAMPLES} only`;
}

/**
 * An example's texts: its inline text, or its files (relative to the package root) as one
 * incident. `examplesDir` holds one folder of files per entry (kb/examples/ for the bundled KB).
 */
export function exampleTexts(entry: Entry, example: Example, examplesDir = EXAMPLES_DIR): TextInput[] {
  if (example.text !== undefined) return [{ text: example.text, source: `${entry.id}: ${example.name}` }];
  return (example.files ?? []).map((file) => {
    const misplaced = placeProblem(entry, file, examplesDir);
    if (misplaced) throw new Error(misplaced);
    try {
      return { text: readFileSync(join(PACKAGE_ROOT, file), "utf8"), source: file };
    } catch (error) {
      throw new Error(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`);
    }
  });
}

/** Runs one example through the parsers and the engine. Throws when a file cannot be read. */
export function runExample(
  kb: KnowledgeBase,
  entry: Entry,
  example: Example,
  examplesDir = EXAMPLES_DIR,
): ExampleRun {
  const findings = diagnoseTexts(kb, exampleTexts(entry, example, examplesDir)).findings.map((f) => f.id);
  return { fired: findings.includes(entry.id), findings };
}

/** The examples of one entry: enough of them, and each behaving. */
export function checkExamples(
  kb: KnowledgeBase,
  entry: Entry,
  file: string,
  examplesDir = EXAMPLES_DIR,
): string[] {
  const { fires, quiet } = entry.examples;
  const problems: string[] = [];
  if (entry.when === undefined) {
    if (fires.length > 0) {
      problems.push(`${file}: examples.fires: a lookup-only entry (no \`when\`) can never fire`);
    }
  } else {
    if (fires.length === 0) problems.push(`${file}: examples.fires: needs at least one example that fires`);
    if (quiet.length === 0) {
      problems.push(`${file}: examples.quiet: needs at least one example that stays quiet`);
    }
  }
  const run = (way: "fires" | "quiet", examples: Example[]) => {
    examples.forEach((example, i) => {
      const where = `${file}: examples.${way}[${i}] ("${example.name}")`;
      let result: ExampleRun;
      try {
        result = runExample(kb, entry, example, examplesDir);
      } catch (error) {
        problems.push(`${where}: ${(error as Error).message}`);
        return;
      }
      const found = result.findings.length > 0 ? result.findings.join(", ") : "none";
      if (way === "fires" && !result.fired) problems.push(`${where}: did not fire (findings: ${found})`);
      if (way === "quiet" && result.fired) problems.push(`${where}: fired but should stay quiet`);
    });
  };
  if (entry.when !== undefined) run("fires", fires);
  run("quiet", quiet);
  return problems;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return filesUnder(path);
    return d.isFile() ? [relative(PACKAGE_ROOT, path).replaceAll("\\", "/")] : [];
  });
}

/** Files under kb/examples/ that no example uses (left behind by an edit). */
export function checkUnusedExampleFiles(kb: KnowledgeBase, dir = EXAMPLES_DIR): string[] {
  const used = new Set(
    kb.entries.flatMap((e) =>
      [...e.examples.fires, ...e.examples.quiet].flatMap((x) => (x.files ?? []).map(slashed)),
    ),
  );
  return filesUnder(dir)
    .filter((file) => !used.has(slashed(file)))
    .map((file) => `${file}: no example uses this file`);
}
