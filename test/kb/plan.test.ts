// The plan: one list of next steps per diagnosis. Root causes' steps first, every finding's first
// (decisive) step kept, the rest round-robin, duplicates once, capped.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Finding } from "../../kb/diagnosis.js";
import { diagnoseTexts, loadKnowledgeBase } from "../../kb/index.js";
import { PACKAGE_ROOT } from "../../kb/paths.js";
import { MAX_NEXT_STEPS, type PlanStep, planNextSteps } from "../../kb/plan.js";

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

  it("caps the list, but never drops a finding's decisive step", () => {
    const many = Array.from({ length: 12 }, (_, i) => finding(`f${i}`, 2));
    const plan = planNextSteps(many, []);
    // Twelve findings, twelve decisive (first) steps: all kept past the cap of 8, and nothing else.
    expect(plan).toEqual(many.map((f) => f.next_steps[0]));
    const few = Array.from({ length: 3 }, (_, i) => finding(`g${i}`, 5));
    expect(planNextSteps(few, [])).toHaveLength(MAX_NEXT_STEPS);
  });

  it("is empty without findings", () => {
    expect(planNextSteps([], [])).toEqual([]);
  });
});

describe("planning data in the steps", () => {
  const step = (text: string, extra: Partial<PlanStep> = {}): PlanStep => ({
    text,
    decisive: false,
    topic: null,
    ...extra,
  });
  const withSteps = (id: string, steps: PlanStep[], causedBy: string[] = []) => ({
    ...finding(id, 0, causedBy),
    next_steps: steps.map((s) => s.text),
    steps,
  });

  it("keeps a decisive step that is not the first, and shows it in the first round", () => {
    const stopped = withSteps("stopped", [
      step("read why"),
      step("check crash"),
      step("start the pool", { decisive: true }),
    ]);
    const other = withSteps("other", [step("o 1"), step("o 2"), step("o 3"), step("o 4")]);
    const plan = planNextSteps([other, stopped], [], 3);
    expect(plan).toContain("start the pool");
    expect(plan.slice(0, 2)).toEqual(["o 1", "start the pool"]);
    expect(plan).toHaveLength(3);
  });

  it("keeps one step per topic: the first planned stands for the others", () => {
    const crash = withSteps("crash", [step("capture a crash dump", { topic: "crash-dump", decisive: true })]);
    const abandoned = withSteps(
      "abandoned",
      [step("if it crashes, dump it", { topic: "crash-dump" }), step("check recycles")],
      ["crash"],
    );
    expect(planNextSteps([abandoned, crash], [["abandoned", "crash"]])).toEqual([
      "capture a crash dump",
      "check recycles",
    ]);
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
    expect(d.next_steps.slice(0, 4)).toEqual([av[0], boot[0], av[1], boot[1]]);
    // Every finding's decisive (first) step is there; the symptom's comes last.
    for (const id of ["nonpaged-pool-exhaustion", "httperr-connections-refused"]) {
      expect(d.next_steps).toContain(steps(id)[0]);
    }
    expect(d.next_steps.indexOf(steps("httperr-connections-refused")[0])).toBe(d.next_steps.length - 2);
    expect(d.next_steps.length).toBeLessThanOrEqual(MAX_NEXT_STEPS);
  });

  it("asks for poolmon snapshots once, and does not ask to map a tag the table already names", () => {
    expect(d.next_steps.filter((s) => /poolmon -b`? snapshots|Run `poolmon -b`/.test(s))).toHaveLength(1);
    expect(d.next_steps.join("\n")).not.toMatch(/map it to its driver|Map the top tag/);
  });
});

describe("hang or crash: the plans of two IIS incidents", () => {
  const kb = loadKnowledgeBase();
  const read = (dir: string, files: string[]) =>
    diagnoseTexts(
      kb,
      files.map((f) => ({ text: readFileSync(join(PACKAGE_ROOT, dir, f), "utf8"), source: f })),
    );

  it("keeps the decisive step of rapid-fail protection (start the pool) and drops the moot ones", () => {
    const d = read("kb/examples/app-pool-hang", ["crash-system-events.txt", "crash-httperr4.log"]);
    expect(d.findings.map((f) => f.id)).toEqual(expect.arrayContaining(["event-was-5002", "event-was-5011"]));
    expect(d.findings.map((f) => f.id)).not.toContain("app-pool-hang");
    const plan = d.next_steps.join("\n");
    expect(plan).toMatch(/appcmd start apppool/);
    expect(plan).toMatch(/crash dump/);
    // The System log is pasted: asking for it again is moot; the pool is stopped: there is no worker to look at.
    expect(plan).not.toMatch(/Look in the System log|Find the process exit|Read the failures/);
    expect(plan).not.toMatch(/Worker Processes|current requests/);
    expect(d.next_steps.filter((s) => /start apppool/.test(s))).toHaveLength(1);
  });

  it("tells a hang from a crash: a hang dump first, no crash dump", () => {
    const d = read("kb/examples/app-pool-hang", ["httperr7.log", "was-events.txt"]);
    expect(d.findings[0]?.id).toBe("app-pool-hang");
    expect(d.next_steps[0]).toMatch(/hang dump/);
    const plan = d.next_steps.join("\n");
    expect(plan).toMatch(/appcmd list requests/);
    expect(plan).not.toMatch(/crash dump|procdump -e/);
    expect(d.next_steps.filter((s) => /hang dump/.test(s))).toHaveLength(1);
  });
});
