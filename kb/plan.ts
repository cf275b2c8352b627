// The plan: one list of next steps for the whole diagnosis, computed once here so every surface
// shows the same steps in the same order.
//
// 1. Each finding's first step is its decisive one: every finding keeps it (cap permitting).
// 2. The remaining slots go round-robin (second steps, then third steps…), root causes first.
// 3. Shown in order: root causes' steps first (their fixes end the incident), round by round, then
//    the explained findings' steps, nearest the cause first, symptom last.
// Steps are deduplicated by text (an earlier identical step stands for both) and capped.
import type { Finding } from "./diagnosis.js";

export const MAX_NEXT_STEPS = 8;

/** Findings in planning order: root causes (nothing explains them) by rank, then explained ones nearest the cause first. */
function planningOrder(ranked: Finding[], chains: string[][]): { roots: Finding[]; explained: Finding[] } {
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

interface Slot {
  step: string;
  group: 0 | 1;
  round: number;
  position: number;
}

export function planNextSteps(ranked: Finding[], chains: string[][], max = MAX_NEXT_STEPS): string[] {
  const { roots, explained } = planningOrder(ranked, chains);
  const groups = [roots, explained] as const;
  const seen = new Set<string>();
  const chosen: Slot[] = [];
  const take = (group: 0 | 1, round: number) => {
    groups[group].forEach((f, position) => {
      const step = f.next_steps[round];
      if (step === undefined || seen.has(step) || chosen.length >= max) return;
      seen.add(step);
      chosen.push({ step, group, round, position });
    });
  };
  take(0, 0);
  take(1, 0);
  const rounds = Math.max(0, ...ranked.map((f) => f.next_steps.length));
  for (const group of [0, 1] as const) for (let round = 1; round < rounds; round++) take(group, round);
  return chosen
    .sort((a, b) => a.group - b.group || a.round - b.round || a.position - b.position)
    .map((s) => s.step);
}
