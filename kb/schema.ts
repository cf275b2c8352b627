// The schema every kb/entries/*.yaml file must pass. An entry is a diagnosis or a lookup topic:
// what it means, when it fires (a condition over facts), what to show, what to do, where to read.
import { z } from "zod";
import { Reference, Severity } from "./diagnosis.js";

const idPattern = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** A fact path such as `pool.freeMb`, `httperr.reasons.QueueFull`, `events.ids.2019`. */
const FactPath = z.string().regex(/^[A-Za-z0-9_]+(\.[^.\s]+)*$/, "a dotted fact path like pool.freeMb");

const Comparison = z
  .object({
    fact: FactPath,
    gt: z.number().optional(),
    gte: z.number().optional(),
    lt: z.number().optional(),
    lte: z.number().optional(),
    eq: z.union([z.number(), z.string(), z.boolean()]).optional(),
    ne: z.union([z.number(), z.string(), z.boolean()]).optional(),
    in: z.array(z.union([z.number(), z.string()])).optional(),
    /** true: the fact is present (not null/undefined); false: it is absent. */
    exists: z.boolean().optional(),
  })
  .strict()
  .refine((c) => Object.keys(c).length > 1, { message: "a comparison needs an operator besides fact" });

export type Condition =
  | z.infer<typeof Comparison>
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

export const Condition: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    Comparison,
    z.object({ all: z.array(Condition).min(1) }).strict(),
    z.object({ any: z.array(Condition).min(1) }).strict(),
    z.object({ not: Condition }).strict(),
  ]),
);

/** A confidence, or a list of (condition, confidence) where the first that holds wins. */
const Confidence = z.union([
  z.number().min(0).max(1),
  z.array(z.object({ when: Condition.optional(), value: z.number().min(0).max(1) }).strict()).min(1),
]);

/** Example input: inline text, or files under test/fixtures/ joined as one incident. */
const Example = z
  .object({
    name: z.string().min(1),
    text: z.string().optional(),
    files: z.array(z.string()).optional(),
  })
  .strict()
  .refine((e) => (e.text === undefined) !== (e.files === undefined), {
    message: "an example has either text or files",
  });
export type Example = z.infer<typeof Example>;

/** What to paste when a fact the entry would use is missing. */
const AskFor = z.object({ missing: FactPath, paste: z.string().min(1) }).strict();

export const Entry = z
  .object({
    id: z.string().regex(idPattern, "lower-kebab-case"),
    title: z.string().min(1),
    severity: Severity,
    /** What it is, in a paragraph of our own words. */
    summary: z.string().min(1),
    /** Names people search for: reason phrases, event ids, switch names, common misspellings. */
    aliases: z.array(z.string()).default([]),
    category: z.enum(["httperr", "pool", "boot", "event", "lookup"]),
    /** When the rule fires. Absent: a lookup-only topic that never fires by itself. */
    when: Condition.optional(),
    confidence: Confidence.default(0.8),
    /** Ids of findings this one explains (its effects): builds the causal chain. */
    explains: z.array(z.string()).default([]),
    /** One sentence for the diagnosis headline, a template like evidence. */
    headline: z.string().optional(),
    /** Evidence lines; `{fact.path}` placeholders filled from facts; a line with a missing fact is left out. */
    evidence: z.array(z.string()).default([]),
    /** Key numbers recorded with the incident: name → fact path. */
    numbers: z.record(z.string(), FactPath).default({}),
    next_steps: z.array(z.string()).min(1),
    ask_for: z.array(AskFor).default([]),
    references: z.array(Reference).min(1),
    related: z.array(z.string()).default([]),
    examples: z
      .object({
        fires: z.array(Example).default([]),
        quiet: z.array(Example).default([]),
      })
      .strict()
      .default({ fires: [], quiet: [] }),
  })
  .strict();
export type Entry = z.infer<typeof Entry>;
