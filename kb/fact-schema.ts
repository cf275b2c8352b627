// Walking a facts schema by path, for `kb validate`: which value a path names and what kind of value
// it is, or why it names none (with the nearest name when it looks like a typo).
import { z } from "zod";

export type ValueKind = "number" | "text" | "boolean" | "list" | "object" | "map";

const KIND_WORDS: Record<ValueKind, string> = {
  number: "a number",
  text: "text",
  boolean: "yes/no",
  list: "a list",
  object: "a group of facts",
  map: "a table of facts",
};

export function kindWords(kind: ValueKind): string {
  return KIND_WORDS[kind];
}

/** Allowed keys of a table of facts (a record), from a data file: `httperr.reasons` → the reason phrases. */
export interface KeyDomain {
  names: ReadonlySet<string>;
  /** Where the names come from, for the message (`kb/data/reason-phrases.yaml`). */
  source: string;
}

export type Resolved = { ok: true; schema: z.ZodType; kind: ValueKind } | { ok: false; problem: string };

function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  while (s instanceof z.ZodNullable || s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
  return s;
}

export function kindOf(schema: z.ZodType): ValueKind {
  const s = unwrap(schema);
  if (s instanceof z.ZodNumber) return "number";
  if (s instanceof z.ZodBoolean) return "boolean";
  if (s instanceof z.ZodArray) return "list";
  if (s instanceof z.ZodObject) return "object";
  if (s instanceof z.ZodRecord) return "map";
  return "text";
}

/** The element schema of a list schema. */
export function elementOf(schema: z.ZodType): z.ZodType | null {
  const s = unwrap(schema);
  return s instanceof z.ZodArray ? (s.element as z.ZodType) : null;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0;
      const cost = a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1;
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}

/** The name closest to a mistyped one, when it is close enough to be what was meant. */
export function nearest(name: string, names: Iterable<string>): string | null {
  let best: { name: string; d: number } | null = null;
  for (const candidate of names) {
    const d = distance(name, candidate);
    if (best === null || d < best.d) best = { name: candidate, d };
  }
  return best !== null && best.d <= Math.max(1, Math.floor(name.length / 3)) ? best.name : null;
}

/**
 * Resolves `path` (dotted; numeric steps into lists) from `schema`. `label` is how the start is
 * named in messages (`pool.filterTags.*` inside a `where`, empty at the root); `keys` restricts the
 * keys of tables, by the table's path with `*` for list positions.
 */
export function resolvePath(
  schema: z.ZodType,
  path: string,
  label = "",
  keys: ReadonlyMap<string, KeyDomain> = new Map(),
): Resolved {
  let at: z.ZodType = schema;
  // As written, for messages; and with `*` for list positions, to find a table's key domain.
  let walked = label;
  let normalized = label;
  const join = (step: string) => (walked === "" ? step : `${walked}.${step}`);
  for (const step of path.split(".")) {
    const s = unwrap(at);
    if (s instanceof z.ZodObject) {
      const shape = s.shape as Record<string, z.ZodType>;
      if (!Object.hasOwn(shape, step)) {
        const near = nearest(step, Object.keys(shape));
        return {
          ok: false,
          problem: `unknown fact "${join(step)}"${near ? ` (did you mean "${join(near)}"?)` : ""}`,
        };
      }
      at = shape[step] as z.ZodType;
    } else if (s instanceof z.ZodRecord) {
      const domain = keys.get(normalized);
      if (domain && !domain.names.has(step)) {
        const near = nearest(step, domain.names);
        return {
          ok: false,
          problem:
            `"${step}" in "${join(step)}" is not listed in ${domain.source}` +
            (near ? ` (did you mean "${join(near)}"?)` : ""),
        };
      }
      at = s.valueType as z.ZodType;
    } else if (s instanceof z.ZodArray) {
      if (!/^\d+$/.test(step)) {
        return { ok: false, problem: `"${walked}" is a list: "${step}" must be a position (0, 1, …)` };
      }
      at = s.element as z.ZodType;
    } else {
      return { ok: false, problem: `"${walked}" is ${kindWords(kindOf(s))}: it has no "${step}"` };
    }
    const shown = s instanceof z.ZodArray ? "*" : step;
    normalized = normalized === "" ? shown : `${normalized}.${shown}`;
    walked = join(step);
  }
  return { ok: true, schema: at, kind: kindOf(at) };
}
