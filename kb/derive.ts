// Evidence → facts. Pure: the parsed inputs of one incident (and when each was taken) in, the facts
// that rules and templates read out. Runs every subject of the registry (kb/facts/) in order.
import { type Facts, SUBJECTS } from "./facts/index.js";
import type { FactContext } from "./facts/subject.js";
import type { KnowledgeBase } from "./load.js";

export type { TimedInput } from "./facts/inputs.js";

export function deriveFacts(kb: KnowledgeBase, inputs: FactContext["inputs"]): Facts {
  const ctx: FactContext = { kb, inputs };
  const facts: Record<string, unknown> = {};
  for (const subject of SUBJECTS) {
    for (const key of Object.keys(subject.needs.shape)) {
      // A programming error: the registry lists a subject before one it reads.
      if (!(key in facts)) throw new Error(`fact subject needs "${key}", which comes later in the registry`);
    }
    Object.assign(facts, subject.derive(ctx, facts as never));
  }
  return facts as Facts;
}
