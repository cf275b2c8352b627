// Evaluates an entry's `when` condition against facts. Absent facts never satisfy a comparison,
// so a rule about the pool stays quiet when no pool data was pasted.

import type { Facts } from "./facts.js";
import { factAt, isPresent } from "./facts-path.js";
import type { Condition } from "./schema.js";

function compare(c: Extract<Condition, { fact: string }>, facts: Facts): boolean {
  const value = factAt(facts, c.fact);
  if (c.exists !== undefined && isPresent(value) !== c.exists) return false;
  const numeric = c.gt !== undefined || c.gte !== undefined || c.lt !== undefined || c.lte !== undefined;
  if (numeric) {
    if (typeof value !== "number" || !Number.isFinite(value)) return false;
    if (c.gt !== undefined && !(value > c.gt)) return false;
    if (c.gte !== undefined && !(value >= c.gte)) return false;
    if (c.lt !== undefined && !(value < c.lt)) return false;
    if (c.lte !== undefined && !(value <= c.lte)) return false;
  }
  if (c.eq !== undefined && value !== c.eq) return false;
  if (c.ne !== undefined && (value === undefined || value === null || value === c.ne)) return false;
  if (c.in !== undefined && !c.in.includes(value as string | number)) return false;
  return true;
}

export function holds(condition: Condition, facts: Facts): boolean {
  if ("all" in condition) return condition.all.every((c) => holds(c, facts));
  if ("any" in condition) return condition.any.some((c) => holds(c, facts));
  if ("not" in condition) return !holds(condition.not, facts);
  return compare(condition, facts);
}
