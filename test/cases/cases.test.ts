// The incident cases: every folder of test/cases/ read as the CLI reads a folder, diagnosed as one
// incident, and held to its expect.yaml (findings that must and must not fire, no alarm on a healthy
// server, the key numbers). `npm run accuracy` prints the same results as a table.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadKnowledgeBase } from "../../kb/index.js";
import { PACKAGE_ROOT } from "../../kb/paths.js";
import {
  accuracyOf,
  accuracyTable,
  CASE_META,
  type CaseResult,
  factProblem,
  isModernServer,
  loadCases,
  runCase,
} from "../../scripts/cases.js";

const CASES = loadCases(join(PACKAGE_ROOT, "test", "cases"));
const kb = loadKnowledgeBase();

describe("the case set (issue #12)", () => {
  it("holds at least 30 cases, a third on x64 Server 2012 R2 or later, and five healthy servers", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
    const modern = CASES.filter((c) => c.expect.arch === "x64" && isModernServer(c.expect.os));
    expect(modern.length * 3).toBeGreaterThanOrEqual(CASES.length);
    expect(CASES.filter((c) => c.expect.healthy).length).toBeGreaterThanOrEqual(5);
  });

  it("a healthy case expects no finding; a sick one expects at least one", () => {
    for (const c of CASES) {
      if (c.expect.healthy) expect(c.expect.must, c.slug).toEqual([]);
      else expect(c.expect.must.length, c.slug).toBeGreaterThan(0);
    }
  });
});

describe.each(CASES)("case $slug", (c) => {
  let result: CaseResult;
  beforeAll(async () => {
    result = await runCase(kb, c);
  });

  it("reads its inputs, never its SOURCE.md or expect.yaml", () => {
    expect(result.sources.length).toBeGreaterThan(0);
    for (const s of result.sources) expect([...CASE_META].some((m) => s.endsWith(m)), s).toBe(false);
  });

  it("gives every finding it must and none it must not", () => {
    expect(result.missing, `found: ${result.findings.map((f) => f.id).join(", ")}`).toEqual([]);
    expect(result.wrong).toEqual([]);
  });

  if (c.expect.healthy) {
    it("raises no warning or critical finding on a healthy server", () => {
      expect(result.falseAlarms).toEqual([]);
    });
  }

  if (Object.keys(c.expect.facts).length > 0) {
    it("reads the key numbers an expert reads", () => {
      expect(result.factProblems).toEqual([]);
    });
  }
});

describe("the checks themselves", () => {
  const facts = { pool: { growth: [{ tag: "Proc", mbPerHour: 52.9 }] }, httpQueues: null };
  it("compares values, numbers within a tolerance, and paths that are missing", () => {
    expect(factProblem(facts, "pool.growth.0.tag", "Proc")).toBeNull();
    expect(factProblem(facts, "pool.growth.0.tag", "Even")).toMatch(/expected "Even"/);
    expect(factProblem(facts, "pool.growth.0.mbPerHour", { approx: 52, tolerance: 1 })).toBeNull();
    expect(factProblem(facts, "pool.growth.0.mbPerHour", { approx: 50, tolerance: 1 })).toMatch(/± 1/);
    expect(factProblem(facts, "httpQueues.worst.pids", [1])).toMatch(/got undefined/);
  });

  it("counts a missing finding, a wrong one and a false critical in the accuracy", () => {
    const base = { findings: [], sources: [], factProblems: [], falseAlarms: [], falseCriticals: [] };
    const [sick, healthy] = CASES.filter((c) => !c.expect.healthy).slice(0, 1).concat(CASES.filter((c) => c.expect.healthy).slice(0, 1));
    if (!sick || !healthy) throw new Error("the case set needs a sick and a healthy case");
    const a = accuracyOf([
      { ...base, slug: sick.slug, expect: sick.expect, missing: [sick.expect.must[0] as string], wrong: ["x"] },
      {
        ...base,
        slug: healthy.slug,
        expect: healthy.expect,
        missing: [],
        wrong: [],
        falseAlarms: ["y (critical)"],
        falseCriticals: ["y"],
      },
    ]);
    expect(a.expectedFound).toBe(sick.expect.must.length - 1);
    expect(a.wrongFindings).toBe(1);
    expect(a.falseCriticalCases).toBe(1);
  });
});

describe("README's accuracy table", () => {
  it("is what the cases give today (rerun `npm run accuracy` and paste it when they change)", async () => {
    const results = [];
    for (const c of CASES) results.push(await runCase(kb, c));
    const cells = (table: string) =>
      table
        .split("\n")
        .filter((l) => l.startsWith("|") && !/^\|[\s|-]+\|$/.test(l))
        .map((l) => l.split("|").map((c) => c.trim()));
    const readme = readFileSync(join(PACKAGE_ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Accuracy"), readme.indexOf("\n## ", readme.indexOf("## Accuracy") + 1));
    expect(cells(section)).toEqual(cells(accuracyTable(accuracyOf(results))));
  });
});
