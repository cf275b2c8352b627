// Evaluates an entry's `when` condition against facts. Absent facts never satisfy a comparison,
// so a rule about the pool stays quiet when no pool data was pasted; a comparison with another
// fact (`gt: { fact: pool.limitMb }`) needs both present.
import type { Facts } from "./facts/index.js";
import { factAt, isPresent } from "./facts-path.js";
import type { Comparison, Condition, Ref } from "./schema.js";

type Scalar = number | string | boolean;

/** Where paths are read: the root facts, and the list element inside a `where`. */
interface Scope {
  root: Facts;
  at: unknown;
}

function operand(value: Scalar | Ref, scope: Scope): unknown {
  return typeof value === "object" ? factAt(scope.root, value.fact, scope.at) : value;
}

const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

function compare(c: Comparison, scope: Scope): boolean {
  const value = factAt(scope.root, c.fact, scope.at);
  if (c.exists !== undefined && isPresent(value) !== c.exists) return false;
  for (const op of ["gt", "gte", "lt", "lte"] as const) {
    const bound = c[op];
    if (bound === undefined) continue;
    const other = operand(bound, scope);
    if (!isNumber(value) || !isNumber(other)) return false;
    if (op === "gt" && !(value > other)) return false;
    if (op === "gte" && !(value >= other)) return false;
    if (op === "lt" && !(value < other)) return false;
    if (op === "lte" && !(value <= other)) return false;
  }
  if (c.eq !== undefined) {
    const other = operand(c.eq, scope);
    if (other === undefined || other === null || value !== other) return false;
  }
  if (c.ne !== undefined) {
    const other = operand(c.ne, scope);
    if (value === undefined || value === null || other === undefined || other === null || value === other)
      return false;
  }
  if (c.in !== undefined && !c.in.includes(value as string | number)) return false;
  return true;
}

function elements(path: string, scope: Scope): unknown[] {
  const list = factAt(scope.root, path, scope.at);
  return Array.isArray(list) ? list : [];
}

function holdsIn(condition: Condition, scope: Scope): boolean {
  if ("all" in condition) return condition.all.every((c) => holdsIn(c, scope));
  if ("any" in condition) return condition.any.some((c) => holdsIn(c, scope));
  if ("not" in condition) return !holdsIn(condition.not, scope);
  if ("some" in condition) {
    return elements(condition.some, scope).some((at) => holdsIn(condition.where, { root: scope.root, at }));
  }
  if ("every" in condition) {
    // An absent or empty list satisfies nothing, like an absent fact.
    const list = elements(condition.every, scope);
    return list.length > 0 && list.every((at) => holdsIn(condition.where, { root: scope.root, at }));
  }
  return compare(condition, scope);
}

export function holds(condition: Condition, facts: Facts): boolean {
  return holdsIn(condition, { root: facts, at: facts });
}

/** Every fact path a condition reads, from the root (`pool.filterTags.*.mb` inside a `where`). */
export function pathsRead(condition: Condition | undefined, base = ""): string[] {
  if (condition === undefined) return [];
  const at = (path: string) =>
    path.startsWith("$.") ? path.slice(2) : path === "@" ? base.replace(/\.$/, "") : `${base}${path}`;
  if ("all" in condition) return condition.all.flatMap((c) => pathsRead(c, base));
  if ("any" in condition) return condition.any.flatMap((c) => pathsRead(c, base));
  if ("not" in condition) return pathsRead(condition.not, base);
  if ("some" in condition || "every" in condition) {
    const list = "some" in condition ? condition.some : condition.every;
    return [at(list), ...pathsRead(condition.where, `${at(list)}.*.`)];
  }
  const refs = [condition.gt, condition.gte, condition.lt, condition.lte, condition.eq, condition.ne]
    .filter((o): o is Ref => typeof o === "object" && o !== null)
    .map((o) => at(o.fact));
  return [at(condition.fact), ...refs];
}
