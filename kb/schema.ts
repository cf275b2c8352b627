// The schema every kb/entries/*.yaml file must pass. An entry is a diagnosis or a lookup topic:
// what it means, when it fires (a condition over facts), what to show, what to do, where to read.
import { z } from "zod";
import { Reference, Severity } from "./diagnosis.js";

const idPattern = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * A fact path such as `pool.freeMb`, `httperr.reasons.QueueFull`, `events.ids.2019`, with numeric
 * steps into lists (`pool.topNonpaged.0.tag`). Inside a `where`, a path is relative to the list
 * element (`mb`), `@` is the element itself, and `$.` starts from the whole facts (`$.pool.freeMb`).
 */
export const FactPath = z
  .string()
  .regex(/^(@|(\$\.)?[A-Za-z0-9_]+(\.[^.\s]+)*)$/, "a dotted fact path like pool.freeMb");

/** The value of another fact, for fact-to-fact comparisons: `gt: { fact: pool.limitMb }`. */
export const Ref = z.object({ fact: FactPath }).strict();
export type Ref = z.infer<typeof Ref>;

const NumberOperand = z.union([z.number(), Ref]);
const ScalarOperand = z.union([z.number(), z.string(), z.boolean(), Ref]);

const Comparison = z
  .object({
    fact: FactPath,
    gt: NumberOperand.optional(),
    gte: NumberOperand.optional(),
    lt: NumberOperand.optional(),
    lte: NumberOperand.optional(),
    eq: ScalarOperand.optional(),
    ne: ScalarOperand.optional(),
    in: z.array(z.union([z.number(), z.string()])).optional(),
    /** true: the fact is present (not null/undefined/empty list); false: it is absent. */
    exists: z.boolean().optional(),
  })
  .strict()
  .refine((c) => Object.keys(c).length > 1, { message: "a comparison needs an operator besides fact" });
export type Comparison = z.infer<typeof Comparison>;

export type Condition =
  | Comparison
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  /** At least one element of the list satisfies `where` (paths in `where` relative to the element). */
  | { some: string; where: Condition }
  /** The list is not empty and every element satisfies `where`. */
  | { every: string; where: Condition };

export const Condition: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    Comparison,
    z.object({ all: z.array(Condition).min(1) }).strict(),
    z.object({ any: z.array(Condition).min(1) }).strict(),
    z.object({ not: Condition }).strict(),
    z.object({ some: FactPath, where: Condition }).strict(),
    z.object({ every: FactPath, where: Condition }).strict(),
  ]),
);

/**
 * A template line: `{fact.path}` and `{fact.path|format}` placeholders (formats: kb/format.ts), and
 * in next steps `{cmd:lookup tag <TAG>}` command tokens (kb/commands.ts). With `when`, the line is
 * shown only when the condition holds.
 */
export const Line = z.union([z.string(), z.object({ text: z.string(), when: Condition }).strict()]);
export type Line = z.infer<typeof Line>;

export function lineText(line: Line): string {
  return typeof line === "string" ? line : line.text;
}

/** A confidence, or a list of (condition, confidence) where the first that holds wins. */
const Confidence = z.union([
  z.number().min(0).max(1),
  z.array(z.object({ when: Condition.optional(), value: z.number().min(0).max(1) }).strict()).min(1),
]);

/**
 * Example input: inline text, or files joined as one incident. File paths are relative to the
 * package root: the entry's own under `kb/examples/<entry id>/`, or the bundled `samples/`.
 */
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
    headline: Line.optional(),
    /** Evidence lines; a line whose condition fails or whose fact is missing is left out. */
    evidence: z.array(Line).default([]),
    /** Key numbers recorded with the incident: name → fact path. */
    numbers: z.record(z.string(), FactPath).default({}),
    next_steps: z.array(Line).min(1),
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
