// Pool tag look-up: the exact row first, then the most specific family row (`Afd?`, `Acp*`) the tag
// belongs to. Pure; the tables come from the knowledge base.
import type { PoolTag } from "./data-schema.js";

export interface TagMatch {
  row: PoolTag;
  /** `exact`: a row names this tag; `family`: only a pattern such as `Afd?` covers it (a lead, not proof). */
  match: "exact" | "family";
}

/** The four characters of a tag as poolmon keys it: shorter tags are padded with spaces (`Irp` → `Irp `). */
export function normalizeTag(tag: string): string {
  return tag.length >= 4 ? tag.slice(0, 4) : tag.padEnd(4, " ");
}

/** Does `tag` belong to the family `pattern`? `?` is one character, `*` the rest; `fold` ignores case. */
export function familyMatches(pattern: string, tag: string, fold = false): boolean {
  const p = fold ? pattern.toLowerCase() : pattern;
  const t = fold ? normalizeTag(tag).toLowerCase() : normalizeTag(tag);
  for (let i = 0; i < 4; i++) {
    const c = p[i];
    if (c === "*") return true;
    if (c !== "?" && c !== t[i]) return false;
  }
  return true;
}

/** Characters a family fixes: `Afd?` 3, `CM??` 2, `Acp*` 3. */
export function specificity(pattern: string): number {
  let fixed = 0;
  for (const c of pattern) {
    if (c === "*") break;
    if (c !== "?") fixed += 1;
  }
  return fixed;
}

/** Most specific family first; a stable sort keeps the curated row ahead of an equal public one. */
export function bySpecificity(a: PoolTag, b: PoolTag): number {
  return specificity(b.tag) - specificity(a.tag);
}

/**
 * The row that describes `tag`: its exact row, else the most specific family that covers it in the
 * same case, else in any case (pooltag.txt heads `NpFc`, `NpFs`… with `Npf*`).
 */
export function findPoolTag(
  kb: { tags: ReadonlyMap<string, PoolTag>; tagFamilies: readonly PoolTag[] },
  tag: string,
): TagMatch | null {
  const key = normalizeTag(tag);
  const exact = kb.tags.get(key);
  if (exact) return { row: exact, match: "exact" };
  const family =
    kb.tagFamilies.find((f) => familyMatches(f.tag, key)) ??
    kb.tagFamilies.find((f) => familyMatches(f.tag, key, true));
  return family ? { row: family, match: "family" } : null;
}

/** The command that finds, on the server, the driver file that holds a tag (tags are case-sensitive ASCII). */
export function findDriverCommand(tag: string): string {
  return `findstr /m /l /c:"${normalizeTag(tag)}" %SystemRoot%\\System32\\drivers\\*.sys`;
}
