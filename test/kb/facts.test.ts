// The fact registry: every subject documented and derived after the subjects it reads, `Facts` made
// of exactly their keys, and what each sample derives passing the schema that validate walks.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { deriveFacts } from "../../kb/derive.js";
import { Facts, SUBJECTS } from "../../kb/facts/index.js";
import { loadKnowledgeBase, parseTexts } from "../../kb/index.js";
import { PACKAGE_ROOT } from "../../kb/paths.js";

const kb = loadKnowledgeBase();
const SAMPLES = join(PACKAGE_ROOT, "samples");

describe("the registry", () => {
  it("documents every subject in one line", () => {
    for (const s of SUBJECTS) {
      expect(s.doc.length).toBeGreaterThan(20);
      expect(s.doc).not.toContain("\n");
    }
  });

  it("derives each subject after the subjects it reads", () => {
    const before = new Set<string>();
    for (const s of SUBJECTS) {
      for (const key of Object.keys(s.needs.shape)) expect(before.has(key), key).toBe(true);
      for (const key of Object.keys(s.schema.shape)) before.add(key);
    }
  });

  it("builds Facts from the subjects' keys, each key from one subject", () => {
    const keys = SUBJECTS.flatMap((s) => Object.keys(s.schema.shape));
    expect(new Set(keys).size).toBe(keys.length);
    expect(Object.keys(Facts.shape)).toEqual(keys);
  });
});

describe.each(readdirSync(SAMPLES))("samples/%s", (name) => {
  const dir = join(SAMPLES, name);
  const texts = readdirSync(dir).map((f) => ({ text: readFileSync(join(dir, f), "utf8"), source: f }));
  const facts = deriveFacts(kb, parseTexts(texts));

  it("derives facts that pass the Facts schema, key for key", () => {
    expect(Facts.strict().parse(facts)).toEqual(facts);
    for (const key of ["os", "boot", "pool"] as const) {
      expect(Object.keys(facts[key]).sort()).toEqual(Object.keys(Facts.shape[key].shape).sort());
    }
  });
});

describe("no facts", () => {
  it("derives the empty incident too", () => {
    const facts = deriveFacts(kb, []);
    expect(Facts.parse(facts)).toEqual(facts);
    expect(facts.httperr).toBeNull();
    expect(facts.events).toBeNull();
    expect(facts.pool.limitMb).toBeNull();
    expect(facts.kinds).toEqual([]);
  });
});
