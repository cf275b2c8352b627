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

/**
 * A next step: a template line, or one with planning data. `decisive`: the action that resolves the
 * finding (start the stopped pool, restart the leaking process); the plan keeps every contributing
 * finding's decisive steps whatever its length cap. `moot_when`: the step is left out when this
 * holds, because the evidence has made it moot (the events it asks for are pasted, the worker it
 * would inspect was stopped, it hunts a crash where the evidence shows a hang). `topic`: steps of
 * different entries that do the same thing (`crash-dump`, `start-pool`) share one; the plan keeps the
 * first and leaves the others out.
 */
export const Step = z.union([
  z.string(),
  z
    .object({
      text: z.string(),
      when: Condition.optional(),
      moot_when: Condition.optional(),
      decisive: z.literal(true).optional(),
      topic: z.string().regex(idPattern, "lower-kebab-case").optional(),
    })
    .strict(),
]);
export type Step = z.infer<typeof Step>;

export function lineText(line: Line | Step): string {
  return typeof line === "string" ? line : line.text;
}

/** A lookup symptom: a phrase people type for what they see, shared by the entries that can cause it. */
export const Symptom = z
  .object({
    text: z.string().min(1),
    /** Among the entries sharing the phrase: 1 = the most likely cause, listed first. */
    rank: z.number().int().min(1).max(9),
  })
  .strict();
export type Symptom = z.infer<typeof Symptom>;

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

/** What to paste when a fact the entry would use is missing (and, with `when`, only while that holds). */
const AskFor = z.object({ missing: FactPath, paste: z.string().min(1), when: Condition.optional() }).strict();

export const Entry = z
  .object({
    id: z.string().regex(idPattern, "lower-kebab-case"),
    title: z.string().min(1),
    severity: Severity,
    /** What it is, in a paragraph of our own words. */
    summary: z.string().min(1),
    /** Names people search for: reason phrases, event ids, switch names, other spellings. */
    aliases: z.array(z.string()).default([]),
    /**
     * Deliberate misspellings (`Disabeld`, `URL_Lenght`): found by the lookup like aliases, never
     * shown or offered as a suggestion.
     */
    misspellings: z.array(z.string()).default([]),
    /** Phrases for the symptom a user sees (`503 service unavailable`), ranked among the entries sharing them. */
    symptoms: z.array(Symptom).default([]),
    category: z.enum(["httperr", "pool", "boot", "event", "lookup"]),
    /** When the rule fires. Absent: a lookup-only topic that never fires by itself. */
    when: Condition.optional(),
    confidence: Confidence.default(0.8),
    /** Ids of findings this one explains (its effects): builds the causal chain. */
    explains: z.array(z.string()).default([]),
    /** One sentence for the diagnosis headline, a template like evidence; with a list, the first line that fills. */
    headline: z.union([Line, z.array(Line).min(1)]).optional(),
    /** Evidence lines; a line whose condition fails or whose fact is missing is left out. */
    evidence: z.array(Line).default([]),
    /** Key numbers recorded with the incident: name → fact path. */
    numbers: z.record(z.string(), FactPath).default({}),
    next_steps: z.array(Step).min(1),
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
  .strict()
  .superRefine((entry, ctx) => {
    const objects = entry.next_steps.map((s, i) => ({ s, i })).filter(({ s }) => typeof s !== "string");
    const decisive = objects.filter(({ s }) => typeof s !== "string" && s.decisive);
    if (decisive.length > 1) {
      ctx.addIssue({
        code: "custom",
        path: ["next_steps", decisive[1]?.i ?? 0, "decisive"],
        message: "one decisive step per entry: the action that resolves it",
      });
    }
    const topics = new Map<string, number>();
    for (const { s, i } of objects) {
      if (typeof s === "string" || s.topic === undefined) continue;
      const earlier = topics.get(s.topic);
      if (earlier !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["next_steps", i, "topic"],
          message: `topic "${s.topic}" is already the topic of next_steps[${earlier}]`,
        });
      } else topics.set(s.topic, i);
    }
    const aliases = new Set(entry.aliases.map((a) => a.toLowerCase()));
    entry.misspellings.forEach((m, i) => {
      if (aliases.has(m.toLowerCase())) {
        ctx.addIssue({
          code: "custom",
          path: ["misspellings", i],
          message: `"${m}" is also an alias: a name is either a spelling people are shown or a misspelling`,
        });
      }
    });
  });
export type Entry = z.infer<typeof Entry>;
