// Reading facts by dotted path, for conditions, templates and key numbers.
import type { Facts } from "./facts.js";

/** `pool.topNonpaged.0.tag` → the value, or undefined when any step is missing. */
export function factAt(facts: Facts, path: string): unknown {
  let value: unknown = facts;
  for (const step of path.split(".")) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[step];
  }
  return value;
}

export function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);
}
