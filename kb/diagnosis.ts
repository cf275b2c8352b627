// What a diagnosis is: the output of the engine, consumed by the CLI (its JSON contract is
// kb/contract.ts, docs/json-output.md), the Slack renderer and the incident store.
import { z } from "zod";
import { Facts } from "./facts/index.js";
import { Reference } from "./reference.js";

export { Reference };

export const Severity = z.enum(["critical", "warning", "info"]);
export type Severity = z.infer<typeof Severity>;

export const Finding = z.object({
  id: z.string(),
  title: z.string(),
  severity: Severity,
  confidence: z.number().min(0).max(1),
  summary: z.string(),
  /** Evidence lines with the numbers filled in from facts. */
  evidence: z.array(z.string()),
  /** This finding's own steps; may hold command tokens (`{cmd:lookup tag MFeS}`, see kb/commands.ts). */
  next_steps: z.array(z.string()),
  references: z.array(Reference),
  /** Ids of other findings of this diagnosis that explain this one (its causes). */
  caused_by: z.array(z.string()),
  /** What to paste next to confirm or extend this finding (facts it could not see). */
  paste_next: z.array(z.string()),
  /** Key numbers, for the incident store and the handoff. */
  numbers: z.record(z.string(), z.union([z.number(), z.string()])),
});
export type Finding = z.infer<typeof Finding>;

export const InputSummary = z.object({ source: z.string(), kind: z.string(), records: z.number().int() });
export type InputSummary = z.infer<typeof InputSummary>;

export const Diagnosis = z.object({
  /** Ranked: most severe and most explanatory first. */
  findings: z.array(Finding),
  /**
   * The causal chain(s), symptom first: each chain is a list of finding ids where each one is
   * explained by the next (`httperr-connections-refused` ← `nonpaged-pool-exhaustion` ← …).
   */
  chains: z.array(z.array(z.string())),
  /**
   * The plan (kb/plan.ts): one merged list of next steps for the whole diagnosis, root causes' fixes
   * first. Command tokens (`{cmd:lookup tag MFeS}`) stay neutral; each surface resolves them.
   */
  next_steps: z.array(z.string()),
  /** One sentence for a headline, null when nothing fired. */
  headline: z.string().nullable(),
  inputs: z.array(InputSummary),
  facts: Facts,
});
export type Diagnosis = z.infer<typeof Diagnosis>;
