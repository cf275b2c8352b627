// `tattletale kb validate`: everything the loader checks (schema, duplicate ids, file names), then
// what needs the whole KB: links between entries, coverage of the reason-phrase and event tables,
// and every example run through the real engine. Problems name the file and the field.
//
// Examples: an entry with a `when` rule needs at least one `fires` and one `quiet` example. A
// lookup-only entry (no `when`) never fires, so it needs none, and a `fires` example on it is an
// error (it could never pass).
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { reasonPhraseId } from "./ids.js";
import { diagnoseTexts, type TextInput } from "./index.js";
import { KbError, type KnowledgeBase, loadKnowledgeBaseFrom } from "./load.js";
import { FIXTURES_DIR, PACKAGE_ROOT } from "./paths.js";
import type { Entry, Example } from "./schema.js";

export interface ExampleRun {
  /** Whether the entry is among the findings. */
  fired: boolean;
  /** Ids of every finding of the example's diagnosis. */
  findings: string[];
}

/** An example's texts: its inline text, or its files (under test/fixtures/) as one incident. */
export function exampleTexts(entry: Entry, example: Example): TextInput[] {
  if (example.text !== undefined) return [{ text: example.text, source: `${entry.id}: ${example.name}` }];
  return (example.files ?? []).map((file) => {
    const path = join(FIXTURES_DIR, file);
    try {
      return { text: readFileSync(path, "utf8"), source: file };
    } catch (error) {
      throw new Error(
        `cannot read ${relative(PACKAGE_ROOT, path)}: ${(error as NodeJS.ErrnoException).code ?? error}`,
      );
    }
  });
}

/** Runs one example through the parsers and the engine. Throws when a file cannot be read. */
export function runExample(kb: KnowledgeBase, entry: Entry, example: Example): ExampleRun {
  const findings = diagnoseTexts(kb, exampleTexts(entry, example)).findings.map((f) => f.id);
  return { fired: findings.includes(entry.id), findings };
}

export interface ValidationResult {
  ok: boolean;
  problems: string[];
  /** Entries loaded (0 when the loader failed). */
  entries: number;
}

function fileOf(kb: KnowledgeBase, id: string): string {
  return kb.fileOf.get(id) ?? `entry ${id}`;
}

function checkLinks(kb: KnowledgeBase): string[] {
  const problems: string[] = [];
  for (const entry of kb.entries) {
    for (const field of ["related", "explains"] as const) {
      entry[field].forEach((id, i) => {
        if (id === entry.id)
          problems.push(`${fileOf(kb, entry.id)}: ${field}.${i}: "${id}" is the entry itself`);
        else if (!kb.byId.has(id))
          problems.push(`${fileOf(kb, entry.id)}: ${field}.${i}: no entry has the id "${id}"`);
      });
    }
  }
  return problems;
}

function checkTables(kb: KnowledgeBase): string[] {
  const problems: string[] = [];
  kb.reasons.forEach((reason, i) => {
    const id = reasonPhraseId(reason.phrase);
    if (!kb.byId.has(id)) {
      problems.push(
        `kb/data/reason-phrases.yaml: reasons.${i}: "${reason.phrase}" has no entry (expected ${id})`,
      );
    }
  });
  kb.events.forEach((event, i) => {
    if (!kb.byId.has(event.entry)) {
      problems.push(
        `kb/data/event-ids.yaml: events.${i}.entry: no entry has the id "${event.entry}" (event ${event.id})`,
      );
    }
  });
  return problems;
}

function checkExamples(kb: KnowledgeBase, entry: Entry): string[] {
  const file = fileOf(kb, entry.id);
  const { fires, quiet } = entry.examples;
  const problems: string[] = [];
  if (entry.when === undefined) {
    if (fires.length > 0)
      problems.push(`${file}: examples.fires: a lookup-only entry (no \`when\`) can never fire`);
  } else {
    if (fires.length === 0) problems.push(`${file}: examples.fires: needs at least one example that fires`);
    if (quiet.length === 0)
      problems.push(`${file}: examples.quiet: needs at least one example that stays quiet`);
  }
  const run = (way: "fires" | "quiet", examples: Example[]) => {
    examples.forEach((example, i) => {
      const where = `${file}: examples.${way}.${i} ("${example.name}")`;
      let result: ExampleRun;
      try {
        result = runExample(kb, entry, example);
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

/** The checks that need a loaded knowledge base; pure except for reading example files. */
export function checkKnowledgeBase(kb: KnowledgeBase): string[] {
  return [...checkLinks(kb), ...checkTables(kb), ...kb.entries.flatMap((e) => checkExamples(kb, e))];
}

export function validateKnowledgeBase(opts: { entriesDir?: string } = {}): ValidationResult {
  let kb: KnowledgeBase;
  try {
    kb = loadKnowledgeBaseFrom(opts);
  } catch (error) {
    // The loader collects every schema problem of every file before it throws.
    if (error instanceof KbError) return { ok: false, problems: error.problems, entries: 0 };
    return { ok: false, problems: [(error as Error).message], entries: 0 };
  }
  const problems = checkKnowledgeBase(kb);
  return { ok: problems.length === 0, problems, entries: kb.entries.length };
}
