// The plan: one list of next steps per diagnosis. Root causes' steps first, every finding's first
// (decisive) step kept, the rest round-robin, duplicates once, capped.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Finding } from "../../kb/diagnosis.js";
import { diagnoseTexts, loadKnowledgeBase } from "../../kb/index.js";
import { PACKAGE_ROOT } from "../../kb/paths.js";
import { MAX_NEXT_STEPS, planNextSteps } from "../../kb/plan.js";

function finding(id: string, steps: number, causedBy: string[] = []): Finding {
  return {
    id,
    title: id,
    severity: "warning",
    confidence: 0.8,
    summary: "",
    evidence: [],
    next_steps: Array.from({ length: steps }, (_, i) => `${id} ${i + 1}`),
    references: [],
    caused_by: causedBy,
    paste_next: [],
    numbers: {},
  };
}

describe("planNextSteps", () => {
  // symptom ← middle ← root, as the engine ranks them: symptom first.
  const symptom = finding("symptom", 2, ["middle"]);
  const middle = finding("middle", 2, ["root"]);
  const root = finding("root", 3);
  const chains = [["symptom", "middle", "root"]];

  it("puts the root cause's steps first, then the explained findings nearest the cause first", () => {
    expect(planNextSteps([symptom, middle, root], chains)).toEqual([
      "root 1",
      "root 2",
      "root 3",
      "middle 1",
      "symptom 1",
      "middle 2",
      "symptom 2",
    ]);
  });

  it("keeps every finding's first step when the cap leaves room for few more", () => {
    const other = finding("other", 4);
    const plan = planNextSteps([symptom, middle, root, other], chains, 5);
    expect(plan).toEqual(["root 1", "other 1", "root 2", "middle 1", "symptom 1"]);
  });

  it("takes the rest round-robin across root causes", () => {
    const a = finding("a", 3);
    const b = finding("b", 3);
    expect(planNextSteps([a, b], [])).toEqual(["a 1", "b 1", "a 2", "b 2", "a 3", "b 3"]);
  });

  it("shows a step two findings share once, where it first comes", () => {
    const a = { ...finding("a", 2), next_steps: ["shared", "a 2"] };
    const b = { ...finding("b", 2, ["a"]), next_steps: ["b 1", "shared"] };
    expect(planNextSteps([b, a], [["b", "a"]])).toEqual(["shared", "a 2", "b 1"]);
  });

  it("caps the list", () => {
    const many = Array.from({ length: 12 }, (_, i) => finding(`f${i}`, 2));
    const plan = planNextSteps(many, []);
    expect(plan).toHaveLength(MAX_NEXT_STEPS);
    expect(plan).toEqual(many.slice(0, MAX_NEXT_STEPS).map((f) => f.next_steps[0]));
  });

  it("is empty without findings", () => {
    expect(planNextSteps([], [])).toEqual([]);
  });
});

describe("the founding incident's plan", () => {
  const kb = loadKnowledgeBase();
  const texts = ["httperr1.log", "poolmon-b.txt", "boot.ini"].map((f) => ({
    text: readFileSync(join(PACKAGE_ROOT, "samples", "founding-incident", f), "utf8"),
    source: f,
  }));
  const d = diagnoseTexts(kb, texts);
  const steps = (id: string) => d.findings.find((f) => f.id === id)?.next_steps ?? [];

  it("fixes the antivirus driver and /3GB first, then checks the pool, the symptom last", () => {
    const [av, boot] = [steps("antivirus-pool-leak"), steps("boot-3gb-switch")];
    expect(d.next_steps).toEqual([
      av[0],
      boot[0],
      av[1],
      boot[1],
      av[2],
      boot[2],
      steps("nonpaged-pool-exhaustion")[0],
      steps("httperr-connections-refused")[0],
    ]);
  });
});
