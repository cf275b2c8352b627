// The one generic test of the knowledge base: every entry fires on its `fires` examples and stays
// quiet on its `quiet` ones (as Sigma's rule tests and Semgrep's ruleid:/ok: fixtures do). Adding an
// entry never needs test code: its examples are in its YAML.
import { describe, expect, it } from "vitest";
import { runExample } from "../../kb/checks/examples.js";
import { loadKnowledgeBase } from "../../kb/index.js";

const kb = loadKnowledgeBase();

describe.each(kb.entries.map((entry) => [entry.id, entry] as const))("%s", (_id, entry) => {
  const fires = entry.examples.fires;
  const quiet = entry.examples.quiet;
  if (entry.when !== undefined) {
    it("has at least one example each way", () => {
      expect(fires.length).toBeGreaterThan(0);
      expect(quiet.length).toBeGreaterThan(0);
    });
  }
  it.each(fires.map((e) => [e.name, e] as const))("fires on: %s", (_name, example) => {
    const result = runExample(kb, entry, example);
    expect(result.findings).toContain(entry.id);
  });
  it.each(quiet.map((e) => [e.name, e] as const))("stays quiet on: %s", (_name, example) => {
    const result = runExample(kb, entry, example);
    expect(result.findings).not.toContain(entry.id);
  });
});
