// Facts → findings → chains → the plan: run every entry's rule, fill its evidence, link findings
// into causal chains, rank them, and plan the next steps. Pure.

import { recordCount } from "../parsers/index.js";
import { deriveFacts, type TimedInput } from "./derive.js";
import type { Diagnosis, Finding, InputSummary } from "./diagnosis.js";
import type { Facts } from "./facts/index.js";
import { factAt, isPresent } from "./facts-path.js";
import type { KnowledgeBase } from "./load.js";
import { holds } from "./match.js";
import { type PlanStep, planNextSteps } from "./plan.js";
import type { Entry, Line } from "./schema.js";
import { fillLine, fillStep } from "./template.js";

const SEVERITY_RANK = { critical: 0, warning: 1, info: 2 } as const;

function confidenceOf(entry: Entry, facts: Facts): number {
  if (typeof entry.confidence === "number") return entry.confidence;
  for (const option of entry.confidence) {
    if (option.when === undefined || holds(option.when, facts)) return option.value;
  }
  return 0.5;
}

function numbersOf(entry: Entry, facts: Facts): Finding["numbers"] {
  const out: Finding["numbers"] = {};
  for (const [name, path] of Object.entries(entry.numbers)) {
    const value = factAt(facts, path);
    if (typeof value === "number" || typeof value === "string") out[name] = value;
  }
  return out;
}

/** A finding and its filled steps with their planning data (decisive, topic) for the plan. */
function toFinding(entry: Entry, facts: Facts): { finding: Finding; steps: PlanStep[] } {
  const filled = (lines: Line[]) =>
    lines.map((l) => fillLine(l, facts)).filter((l): l is string => l !== null);
  const steps = entry.next_steps.map((s) => fillStep(s, facts)).filter((s): s is PlanStep => s !== null);
  const finding: Finding = {
    id: entry.id,
    title: entry.title,
    severity: entry.severity,
    confidence: confidenceOf(entry, facts),
    summary: entry.summary.trim(),
    evidence: filled(entry.evidence),
    next_steps: steps.map((s) => s.text),
    references: entry.references,
    caused_by: [],
    paste_next: entry.ask_for
      .filter((a) => !isPresent(factAt(facts, a.missing)) && (a.when === undefined || holds(a.when, facts)))
      .map((a) => a.paste),
    numbers: numbersOf(entry, facts),
  };
  return { finding, steps };
}

/** Every path from an effect down through its causes: [symptom, cause, cause of cause, …]. */
function chainsFrom(findings: Map<string, Finding>): string[][] {
  const explained = new Set<string>();
  for (const f of findings.values()) if (f.caused_by.length > 0) explained.add(f.id);
  const isCause = new Set<string>();
  for (const f of findings.values()) for (const c of f.caused_by) isCause.add(c);
  // Symptoms: explained by something, explaining nothing.
  const symptoms = [...findings.values()].filter((f) => explained.has(f.id) && !isCause.has(f.id));
  const chains: string[][] = [];
  const walk = (id: string, path: string[]) => {
    const finding = findings.get(id);
    if (!finding || path.includes(id)) return;
    const next = [...path, id];
    if (finding.caused_by.length === 0) chains.push(next);
    for (const cause of finding.caused_by) walk(cause, next);
  };
  for (const s of symptoms) walk(s.id, []);
  return chains;
}

function rank(findings: Finding[], chains: string[][]): Finding[] {
  // Position in a chain: symptoms first, then their causes in order, so the report reads as a story.
  const depth = new Map<string, number>();
  for (const chain of chains) {
    for (const [i, id] of chain.entries()) depth.set(id, Math.min(depth.get(id) ?? i, i));
  }
  const inChain = (f: Finding) => (depth.has(f.id) ? 0 : 1);
  return [...findings].sort(
    (a, b) =>
      inChain(a) - inChain(b) ||
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      (depth.get(a.id) ?? 0) - (depth.get(b.id) ?? 0) ||
      b.confidence - a.confidence ||
      a.id.localeCompare(b.id),
  );
}

function headlineOf(kb: KnowledgeBase, ranked: Finding[], chains: string[][], facts: Facts): string | null {
  const top = ranked[0];
  if (!top) return null;
  const sentence = (f: Finding) => {
    const template = kb.byId.get(f.id)?.headline;
    const lines = template === undefined ? [] : Array.isArray(template) ? template : [template];
    for (const line of lines) {
      const text = fillLine(line, facts);
      if (text !== null) return text;
    }
    return f.title;
  };
  const chain = chains.find((c) => c[0] === top.id);
  if (!chain) return capitalize(sentence(top));
  const causes = [...new Set(chains.filter((c) => c[0] === top.id).flatMap((c) => c.slice(1)))];
  const byId = new Map(ranked.map((f) => [f.id, f]));
  const because = causes.map((id) => byId.get(id)).filter((f): f is Finding => f !== undefined);
  const parts = because.map(sentence);
  const listed = parts.length > 1 ? `${parts.slice(0, -1).join("; ")}; and ${parts.at(-1)}` : parts[0];
  return capitalize(`${sentence(top)}, because ${listed}`);
}

/** Sentence case, except for names written in lower case on purpose (`http.sys`, `w3wp.exe`). */
function capitalize(s: string): string {
  const firstWord = s.split(" ", 1)[0] ?? "";
  return firstWord.includes(".") ? s : s.charAt(0).toUpperCase() + s.slice(1);
}

export function summarizeInputs(inputs: TimedInput[]): InputSummary[] {
  return inputs.map(({ input }) => ({ source: input.source, kind: input.kind, records: recordCount(input) }));
}

export function diagnose(kb: KnowledgeBase, inputs: TimedInput[]): Diagnosis {
  const facts = deriveFacts(kb, inputs);
  const fired = new Map<string, Finding>();
  const stepsOf = new Map<string, PlanStep[]>();
  for (const entry of kb.entries) {
    if (entry.when === undefined || !holds(entry.when, facts)) continue;
    const { finding, steps } = toFinding(entry, facts);
    fired.set(entry.id, finding);
    stepsOf.set(entry.id, steps);
  }
  for (const finding of fired.values()) {
    const entry = kb.byId.get(finding.id);
    for (const effect of entry?.explains ?? []) fired.get(effect)?.caused_by.push(finding.id);
  }
  const chains = chainsFrom(fired);
  const findings = rank([...fired.values()], chains);
  return {
    findings,
    chains,
    next_steps: planNextSteps(
      findings.map((f) => ({ ...f, steps: stepsOf.get(f.id) })),
      chains,
    ),
    headline: headlineOf(kb, findings, chains, facts),
    inputs: summarizeInputs(inputs),
    facts,
  };
}
