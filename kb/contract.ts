// The JSON contract of `diagnose --json`, `lookup --json` and `kb list --json`, built from the
// schemas the engine already has (a shape is written once). The CLI serialises through these, and
// schema/*.schema.json is generated from them (npm run schema); docs/json-output.md describes them.
import { z } from "zod";
import { Diagnosis, Finding } from "./diagnosis.js";
import { LookupResult } from "./lookup.js";
import { Entry } from "./schema.js";

/** A finding as printed: the engine's Finding without its summary and key numbers. */
export const DiagnoseFinding = Finding.pick({
  id: true,
  title: true,
  severity: true,
  confidence: true,
  evidence: true,
  next_steps: true,
  references: true,
  caused_by: true,
  paste_next: true,
});

/** `tattletale diagnose --json`: a Diagnosis with its findings as above, keys in this order. */
export const DiagnoseOutput = z
  .object({
    findings: z.array(DiagnoseFinding),
    headline: Diagnosis.shape.headline,
    chains: Diagnosis.shape.chains,
    next_steps: Diagnosis.shape.next_steps,
    inputs: Diagnosis.shape.inputs,
    facts: Diagnosis.shape.facts,
  })
  .meta({
    title: "tattletale diagnose --json",
    description: "One diagnosis of every input given, read together as one incident.",
  });
export type DiagnoseOutput = z.infer<typeof DiagnoseOutput>;

/** `tattletale lookup --json`. */
export const LookupOutput = LookupResult.meta({
  title: "tattletale lookup --json",
  description: "Knowledge base hits for a query, best first; suggestions only when nothing matched.",
});
export type LookupOutput = z.infer<typeof LookupOutput>;

/** One entry of `tattletale kb list --json`: the fields of a KB entry that identify it. */
export const KbListEntry = z.object({
  id: Entry.shape.id,
  title: Entry.shape.title,
  severity: Entry.shape.severity,
  references: Entry.shape.references,
});

/** `tattletale kb list --json`. */
export const KbListOutput = z.object({ entries: z.array(KbListEntry) }).meta({
  title: "tattletale kb list --json",
  description: "Every entry of the knowledge base, in id order.",
});
export type KbListOutput = z.infer<typeof KbListOutput>;
