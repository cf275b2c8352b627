// The plan: one list of next steps for the whole diagnosis, computed once here so every surface
// shows the same steps in the same order. What a step means for the plan is data in the entries
// (kb/schema.ts `Step`): `decisive`, `moot_when` (already applied when the step was filled) and
// `topic`.
//
// 1. Each finding's decisive steps are kept, whatever the cap: the action that resolves it (start the
//    pool rapid-fail protection stopped, restart the process that leaks handles). An entry that marks
//    none has its first step as its decisive one.
// 2. The remaining slots go round-robin (second steps, then third steps…), root causes first.
// 3. Shown in order: root causes' steps first (their fixes end the incident), round by round, then
//    the explained findings' steps, nearest the cause first, symptom last.
// A step is kept once: an identical text, or a step on a topic already planned (two entries asking
// for the same crash dump in their own words), is left out where it comes again.
import type { Finding } from "./diagnosis.js";

export const MAX_NEXT_STEPS = 8;

/** A filled next step as the plan sees it. */
export interface PlanStep {
  text: string;
  decisive: boolean;
  topic: string | null;
}

/** What the plan reads of a finding; `steps` (with their planning data) default to `next_steps`. */
export type Plannable = Pick<Finding, "id" | "caused_by" | "next_steps"> & { steps?: PlanStep[] };

/** Findings in planning order: root causes (nothing explains them) by rank, then explained ones nearest the cause first. */
function planningOrder<F extends Plannable>(ranked: F[], chains: string[][]): { roots: F[]; explained: F[] } {
  // Position in its chains: 0 is the symptom, higher is closer to the cause.
  const depth = new Map<string, number>();
  for (const chain of chains) {
    for (const [i, id] of chain.entries()) depth.set(id, Math.max(depth.get(id) ?? 0, i));
  }
  const roots = ranked.filter((f) => f.caused_by.length === 0);
  const explained = ranked
    .map((f, rank) => ({ f, rank }))
    .filter(({ f }) => f.caused_by.length > 0)
    .sort((a, b) => (depth.get(b.f.id) ?? 0) - (depth.get(a.f.id) ?? 0) || a.rank - b.rank)
    .map(({ f }) => f);
  return { roots, explained };
}

/** A finding's steps split into its decisive ones and the rest, in order. */
function split(f: Plannable): { decisive: PlanStep[]; rest: PlanStep[] } {
  const steps = f.steps ?? f.next_steps.map((text) => ({ text, decisive: false, topic: null }));
  if (!steps.some((s) => s.decisive)) return { decisive: steps.slice(0, 1), rest: steps.slice(1) };
  return { decisive: steps.filter((s) => s.decisive), rest: steps.filter((s) => !s.decisive) };
}

interface Slot {
  step: string;
  group: 0 | 1;
  round: number;
  position: number;
}

export function planNextSteps(ranked: Plannable[], chains: string[][], max = MAX_NEXT_STEPS): string[] {
  const { roots, explained } = planningOrder(ranked, chains);
  const groups = [roots.map(split), explained.map(split)] as const;
  const texts = new Set<string>();
  const topics = new Set<string>();
  const chosen: Slot[] = [];
  const add = (step: PlanStep, slot: Omit<Slot, "step">): void => {
    if (texts.has(step.text) || (step.topic !== null && topics.has(step.topic))) return;
    texts.add(step.text);
    if (step.topic !== null) topics.add(step.topic);
    chosen.push({ step: step.text, ...slot });
  };
  // Every decisive step, past the cap if need be.
  for (const group of [0, 1] as const) {
    groups[group].forEach((f, position) => {
      for (const step of f.decisive) add(step, { group, round: 0, position });
    });
  }
  const rounds = Math.max(0, ...groups.flatMap((g) => g.map((f) => f.rest.length)));
  for (const group of [0, 1] as const) {
    for (let round = 0; round < rounds; round++) {
      groups[group].forEach((f, position) => {
        const step = f.rest[round];
        if (step !== undefined && chosen.length < max) add(step, { group, round: round + 1, position });
      });
    }
  }
  return chosen
    .sort((a, b) => a.group - b.group || a.round - b.round || a.position - b.position)
    .map((s) => s.step);
}
