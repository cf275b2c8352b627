// Fills `{fact.path}` and `{fact.path|format}` placeholders. A template that names a missing fact
// yields null, so the line is left out rather than shown with a hole in it; `kb validate` makes sure
// every path and format exists, so only facts absent from this incident drop a line. Command
// tokens (`{cmd:lookup tag MFeS}`) are left for the surface to resolve (kb/commands.ts).
import type { Facts } from "./facts/index.js";
import { factAt } from "./facts-path.js";
import { formatValue } from "./format.js";
import { holds } from "./match.js";
import type { Line, Step } from "./schema.js";

/** `{path}` or `{path|format}`; `$` and `@` are for conditions only, so a path starts with a word character. */
export const PLACEHOLDER = /\{([A-Za-z0-9_][A-Za-z0-9_.%/-]*)(?:\|([a-z]+))?\}/g;

export function fill(template: string, facts: Facts): string | null {
  let missing = false;
  const out = template.replace(PLACEHOLDER, (_, path: string, format: string | undefined) => {
    const text = formatValue(factAt(facts, path), format);
    if (text === null) missing = true;
    return text ?? "";
  });
  return missing ? null : out;
}

/** A template line filled, or null when its `when` fails or a fact it names is missing. */
export function fillLine(line: Line, facts: Facts): string | null {
  if (typeof line === "string") return fill(line, facts);
  return holds(line.when, facts) ? fill(line.text, facts) : null;
}

/** A next step with what the plan needs to know of it. */
export interface FilledStep {
  text: string;
  decisive: boolean;
  topic: string | null;
}

/**
 * A next step filled, or null when its `when` fails, its `moot_when` holds (the evidence made it
 * moot) or a fact it names is missing.
 */
export function fillStep(step: Step, facts: Facts): FilledStep | null {
  if (typeof step === "string") {
    const text = fill(step, facts);
    return text === null ? null : { text, decisive: false, topic: null };
  }
  if (step.when && !holds(step.when, facts)) return null;
  if (step.moot_when && holds(step.moot_when, facts)) return null;
  const text = fill(step.text, facts);
  return text === null ? null : { text, decisive: step.decisive === true, topic: step.topic ?? null };
}
