// Text handling for the lookup: words split the way ops names are written (CamelCase, `_`, `/`,
// digits glued to letters), Porter stems, the squashed form used for whole-name matching, and the
// fuzzy measures from `natural`. Only natural's sub-modules are imported (see natural-shim.d.ts).
import JaroWinklerDistance from "natural/lib/natural/distance/jaro-winkler_distance.js";
import { DamerauLevenshteinDistance } from "natural/lib/natural/distance/levenshtein_distance.js";
import PorterStemmer from "natural/lib/natural/stemmers/porter_stemmer.js";
import { words as stopwordList } from "natural/lib/natural/util/stopwords.js";

const STOPWORDS: ReadonlySet<string> = new Set(stopwordList);

/** Runs of letters and digits; everything else (`_`, `/`, `-`, `.`, spaces) separates. */
const CHUNK = /[\p{L}\p{N}]+/gu;

export function chunksOf(text: string): string[] {
  return text.match(CHUNK) ?? [];
}

/** `MinBytesPerSecond` → Min Bytes Per Second; `HTTPErr` → HTTP Err; `3GB` → 3 GB. */
export function partsOf(chunk: string): string[] {
  return chunk
    .replace(/(\p{Ll})(\p{Lu})/gu, "$1 $2")
    .replace(/(\p{Lu}+)(\p{Lu}\p{Ll})/gu, "$1 $2")
    .replace(/(\p{L})(\p{N})/gu, "$1 $2")
    .replace(/(\p{N})(\p{L})/gu, "$1 $2")
    .split(" ")
    .filter((p) => p.length > 0);
}

const NUMERIC = /^\p{N}+$/u;

export function isNumeric(token: string): boolean {
  return NUMERIC.test(token);
}

/** A lower-case token worth indexing or searching: no stop words, no lone letters. */
export function isUseful(token: string): boolean {
  return (token.length > 1 || isNumeric(token)) && !STOPWORDS.has(token);
}

/** Porter stems already computed (bounded): the stemmer is the slow part of indexing and queries. */
const stems = new Map<string, string>();
const MAX_STEMS = 50_000;

export function stem(token: string): string {
  let s = stems.get(token);
  if (s === undefined) {
    s = isNumeric(token) ? token : PorterStemmer.stem(token);
    if (stems.size >= MAX_STEMS) stems.clear();
    stems.set(token, s);
  }
  return s;
}

/** Stems of a text for the index: each chunk whole and, when it splits, each of its parts. */
export function indexStems(text: string): string[] {
  const out: string[] = [];
  for (const chunk of chunksOf(text)) {
    const whole = chunk.toLowerCase();
    if (isUseful(whole)) out.push(stem(whole));
    const parts = partsOf(chunk);
    if (parts.length > 1) {
      for (const part of parts) {
        const p = part.toLowerCase();
        if (isUseful(p)) out.push(stem(p));
      }
    }
  }
  return out;
}

/** Lower-case letters and digits only: `Connections_Refused`, `connections refused` → `connectionsrefused`. */
export function squash(text: string): string {
  return (text.toLowerCase().match(CHUNK) ?? []).join("");
}

export function jaroWinkler(a: string, b: string): number {
  return JaroWinklerDistance(a, b);
}

/** Edits (insert, delete, substitute, swap neighbours) between two strings. */
export function damerauLevenshtein(a: string, b: string): number {
  return DamerauLevenshteinDistance(a, b);
}

/** Edits a typo of a name of this length may carry and still count as that name. */
export function allowedEdits(length: number): number {
  if (length <= 3) return 0;
  if (length <= 8) return 1;
  if (length <= 15) return 2;
  return 3;
}

/** Every string one deletion away (for the delete-neighbourhood index of fuzzy candidates). */
export function deletions(term: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i < term.length; i++) out.add(term.slice(0, i) + term.slice(i + 1));
  return [...out];
}
