// The incident cases of test/cases/: each folder read through the CLI's own ingest (readInputs on the
// folder, one incident), diagnosed, and checked against its expect.yaml. Shared by the cases test and
// `npm run accuracy`, so the accuracy table is what the test checks.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { readInputs } from "../ingest/index.js";
import { diagnose, type KnowledgeBase } from "../kb/index.js";

/** A fact expectation: a value that must be equal, or a number within a tolerance. */
const FactExpectation = z.union([
  z.object({ approx: z.number(), tolerance: z.number().min(0) }).strict(),
  z.unknown(),
]);

export const CaseExpect = z
  .object({
    title: z.string().min(1),
    os: z.string().min(1),
    arch: z.enum(["x86", "x64", "ia64"]),
    healthy: z.boolean(),
    must: z.array(z.string()).default([]),
    must_not: z.array(z.string()).default([]),
    facts: z.record(z.string(), FactExpectation).default({}),
    /** Numbers for facts that do not exist (yet): kept for the record, not checked. */
    facts_planned: z.record(z.string(), FactExpectation).default({}),
  })
  .strict();
export type CaseExpect = z.infer<typeof CaseExpect>;

export interface Case {
  slug: string;
  dir: string;
  expect: CaseExpect;
}

/** Files of a case folder that describe the case rather than being part of the incident. */
export const CASE_META = new Set(["SOURCE.md", "expect.yaml"]);

/** Every case folder under root (folders starting with `_` hold fixtures, not cases), by name. */
export function loadCases(root: string): Case[] {
  return readdirSync(root)
    .filter((name) => !name.startsWith("_") && statSync(join(root, name)).isDirectory())
    .sort()
    .map((slug) => {
      const dir = join(root, slug);
      const raw: unknown = parseYaml(readFileSync(join(dir, "expect.yaml"), "utf8"));
      return { slug, dir, expect: CaseExpect.parse(raw) };
    });
}

/** The value at a dotted path (`pool.growth.0.tag`) in the facts; undefined when it is not there. */
export function factAt(facts: unknown, path: string): unknown {
  let at: unknown = facts;
  for (const key of path.split(".")) {
    if (at === null || typeof at !== "object") return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

function isApprox(e: unknown): e is { approx: number; tolerance: number } {
  return e !== null && typeof e === "object" && "approx" in e && "tolerance" in e;
}

/** Why a fact does not meet its expectation, or null when it does. */
export function factProblem(facts: unknown, path: string, expected: unknown): string | null {
  const actual = factAt(facts, path);
  if (isApprox(expected)) {
    if (typeof actual !== "number")
      return `${path}: expected ≈${expected.approx}, got ${JSON.stringify(actual)}`;
    return Math.abs(actual - expected.approx) <= expected.tolerance + 1e-9
      ? null
      : `${path}: expected ${expected.approx} ± ${expected.tolerance}, got ${actual}`;
  }
  return JSON.stringify(actual) === JSON.stringify(expected)
    ? null
    : `${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
}

export interface CaseResult {
  slug: string;
  expect: CaseExpect;
  /** Finding ids with their severity, as diagnosed. */
  findings: Array<{ id: string; severity: string }>;
  /** Input sources the diagnosis read (the case's meta files must not be among them). */
  sources: string[];
  missing: string[];
  wrong: string[];
  /** Warning or critical findings on a healthy case. */
  falseAlarms: string[];
  /** Of those, the critical ones. */
  falseCriticals: string[];
  factProblems: string[];
}

/** Reads a case folder as the CLI reads a folder and checks the diagnosis against its expect.yaml. */
export async function runCase(kb: KnowledgeBase, c: Case): Promise<CaseResult> {
  const inputs = await readInputs([c.dir], { onUnreadable: () => {} });
  const d = diagnose(
    kb,
    inputs.map((input) => ({ input })),
  );
  const findings = d.findings.map((f) => ({ id: f.id, severity: f.severity }));
  const ids = new Set(findings.map((f) => f.id));
  const alarms = c.expect.healthy ? findings.filter((f) => f.severity !== "info") : [];
  return {
    slug: c.slug,
    expect: c.expect,
    findings,
    sources: inputs.map((i) => i.source),
    missing: c.expect.must.filter((id) => !ids.has(id)),
    wrong: c.expect.must_not.filter((id) => ids.has(id)),
    falseAlarms: alarms.map((f) => `${f.id} (${f.severity})`),
    falseCriticals: alarms.filter((f) => f.severity === "critical").map((f) => f.id),
    factProblems: Object.entries(c.expect.facts)
      .map(([path, expected]) => factProblem(d.facts, path, expected))
      .filter((p): p is string => p !== null),
  };
}

/** Windows Server 2012 R2 or later, as a case names its OS. */
export function isModernServer(os: string): boolean {
  return /\b(2012 R2|2016|2019|2022|2025)\b/.test(os);
}

export interface Accuracy {
  cases: number;
  modernX64: number;
  healthy: number;
  expectedFound: number;
  expectedTotal: number;
  /** must_not ids that fired. */
  wrongFindings: number;
  /** Healthy cases that got a critical finding, and that got any warning or critical finding. */
  falseCriticalCases: number;
  falseAlarmCases: number;
  factsHeld: number;
  factsTotal: number;
}

export function accuracyOf(results: ReadonlyArray<CaseResult>): Accuracy {
  const healthy = results.filter((r) => r.expect.healthy);
  return {
    cases: results.length,
    modernX64: results.filter((r) => r.expect.arch === "x64" && isModernServer(r.expect.os)).length,
    healthy: healthy.length,
    expectedFound: results.reduce((n, r) => n + r.expect.must.length - r.missing.length, 0),
    expectedTotal: results.reduce((n, r) => n + r.expect.must.length, 0),
    wrongFindings: results.reduce((n, r) => n + r.wrong.length, 0),
    falseCriticalCases: healthy.filter((r) => r.falseCriticals.length > 0).length,
    falseAlarmCases: healthy.filter((r) => r.falseAlarms.length > 0).length,
    factsHeld: results.reduce((n, r) => n + Object.keys(r.expect.facts).length - r.factProblems.length, 0),
    factsTotal: results.reduce((n, r) => n + Object.keys(r.expect.facts).length, 0),
  };
}

/** The accuracy table, as Markdown (README's "Accuracy" section). */
export function accuracyTable(a: Accuracy): string {
  const pct = (n: number, d: number) => (d === 0 ? "—" : `${Math.round((n / d) * 1000) / 10}%`);
  return [
    "| Measure | Result |",
    "| --- | --- |",
    `| Incident cases | ${a.cases} (${a.modernX64} on x64 Server 2012 R2 or later, ${a.healthy} healthy) |`,
    `| Expected findings found | ${a.expectedFound} / ${a.expectedTotal} (${pct(a.expectedFound, a.expectedTotal)}) |`,
    `| Wrong findings (a \`must_not\` id fired) | ${a.wrongFindings} |`,
    `| Healthy cases with a critical finding | ${a.falseCriticalCases} / ${a.healthy} |`,
    `| Healthy cases with any warning or critical | ${a.falseAlarmCases} / ${a.healthy} |`,
    `| Key numbers (facts) as an expert reads them | ${a.factsHeld} / ${a.factsTotal} |`,
  ].join("\n");
}
