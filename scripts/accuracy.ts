// `npm run accuracy`: diagnoses every incident case of test/cases/ and prints the accuracy table
// (README, "Accuracy"), then the cases that miss an expectation.
import { join } from "node:path";
import { loadKnowledgeBase } from "../kb/index.js";
import { PACKAGE_ROOT } from "../kb/paths.js";
import { accuracyOf, accuracyTable, loadCases, runCase } from "./cases.js";

const kb = loadKnowledgeBase();
const results = [];
for (const c of loadCases(join(PACKAGE_ROOT, "test", "cases"))) results.push(await runCase(kb, c));
console.log(accuracyTable(accuracyOf(results)));
const problems = results.flatMap((r) => [
  ...r.missing.map((id) => `${r.slug}: missing ${id}`),
  ...r.wrong.map((id) => `${r.slug}: wrong ${id}`),
  ...r.falseAlarms.map((f) => `${r.slug}: healthy, but ${f}`),
  ...r.factProblems.map((p) => `${r.slug}: ${p}`),
]);
if (problems.length > 0) console.log(`\n${problems.join("\n")}`);
