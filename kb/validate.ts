// `tattletale kb validate`: everything the loader checks (schema, duplicate ids and table rows, file
// names), then what needs the whole knowledge base, each naming the file and the field:
// - links: `related` and `explains` name existing entries;
// - facts: every fact path, `|format` and `{cmd:…}` of every entry against the Facts schema
//   (kb/checks/entry-facts.ts);
// - data: the tables against each other and the entries (kb/checks/data.ts);
// - examples: every example run through the real engine, and no stray example file
//   (kb/checks/examples.ts).
import { relative } from "node:path";
import { checkData } from "./checks/data.js";
import { checkEntryFacts } from "./checks/entry-facts.js";
import { checkExamples, checkUnusedExampleFiles } from "./checks/examples.js";
import type { KeyDomain } from "./fact-schema.js";
import { KbError, type KnowledgeBase, type LoadOptions, loadKnowledgeBaseFrom } from "./load.js";
import { squash } from "./lookup-text.js";
import { DATA_DIR, EXAMPLES_DIR, PACKAGE_ROOT } from "./paths.js";

export interface ValidationResult {
  ok: boolean;
  problems: string[];
  /** Entries loaded (0 when the loader failed). */
  entries: number;
}

export interface ValidateOptions extends LoadOptions {
  /** The examples' files, one folder per entry (kb/examples by default). */
  examplesDir?: string;
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
          problems.push(`${fileOf(kb, entry.id)}: ${field}[${i}]: "${id}" is the entry itself`);
        else if (!kb.byId.has(id))
          problems.push(`${fileOf(kb, entry.id)}: ${field}[${i}]: no entry has the id "${id}"`);
      });
    }
  }
  return problems;
}

/**
 * Symptoms are shared by several entries and ranked among them: two entries cannot hold the same
 * rank of one phrase (phrases compared as the lookup compares them, letters and digits only).
 */
function checkSymptoms(kb: KnowledgeBase): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const entry of kb.entries) {
    entry.symptoms.forEach((symptom, i) => {
      const key = `${squash(symptom.text)}#${symptom.rank}`;
      const other = seen.get(key);
      if (other !== undefined && other !== entry.id) {
        problems.push(
          `${fileOf(kb, entry.id)}: symptoms[${i}]: "${symptom.text}" has rank ${symptom.rank} in ${other} too; give each entry its own rank`,
        );
      } else seen.set(key, entry.id);
    });
  }
  return problems;
}

/** Tables of facts whose keys come from the data: the reason phrases of kb/data/reason-phrases.yaml. */
function keyDomains(kb: KnowledgeBase, data: string): Map<string, KeyDomain> {
  const reasons: KeyDomain = {
    names: new Set(kb.reasons.map((r) => r.phrase)),
    source: `${data}/reason-phrases.yaml`,
  };
  return new Map([
    ["httperr.reasons", reasons],
    ["httperr.reasonShare", reasons],
    ["httperr.perReason", reasons],
  ]);
}

/** The checks that need a loaded knowledge base; pure except for reading example files. */
export function checkKnowledgeBase(
  kb: KnowledgeBase,
  opts: { data?: string; examplesDir?: string; unusedFiles?: boolean } = {},
): string[] {
  const data = opts.data ?? "kb/data";
  const examplesDir = opts.examplesDir ?? EXAMPLES_DIR;
  const keys = keyDomains(kb, data);
  const facts = kb.entries.flatMap((e) => checkEntryFacts(e, keys).map((p) => `${fileOf(kb, e.id)}: ${p}`));
  return [
    ...checkLinks(kb),
    ...checkSymptoms(kb),
    ...facts,
    ...checkData(kb, data),
    ...kb.entries.flatMap((e) => checkExamples(kb, e, fileOf(kb, e.id), examplesDir)),
    ...(opts.unusedFiles === false ? [] : checkUnusedExampleFiles(kb, examplesDir)),
  ];
}

export function validateKnowledgeBase(opts: ValidateOptions = {}): ValidationResult {
  let kb: KnowledgeBase;
  try {
    kb = loadKnowledgeBaseFrom(opts);
  } catch (error) {
    // The loader collects every schema problem of every file before it throws.
    if (error instanceof KbError) return { ok: false, problems: error.problems, entries: 0 };
    return { ok: false, problems: [(error as Error).message], entries: 0 };
  }
  const problems = checkKnowledgeBase(kb, {
    data: relative(PACKAGE_ROOT, opts.dataDir ?? DATA_DIR),
    examplesDir: opts.examplesDir,
    // Another entries folder with the bundled examples folder would find every bundled file unused.
    unusedFiles: opts.entriesDir === undefined || opts.examplesDir !== undefined,
  });
  return { ok: problems.length === 0, problems, entries: kb.entries.length };
}
