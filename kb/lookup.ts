// Lookup by name, by symptom and by typo: `/tattle connections_refused`, `/tattle tag Tmfs`,
// `conection refused`, `minbytespersec`. Three tiers, best first: exact names (pool tags
// case-sensitive first), then the query's squashed letters against every name (whole-name typos),
// then TF-IDF text relevance over title, aliases and summary with per-word typo matching.
// Pure; the work per query is bounded (capped words, memoised candidates, no corpus scans).
import { z } from "zod";
import { Reference } from "./diagnosis.js";
import { canonicalReason, reasonPhraseId } from "./ids.js";
import type { KnowledgeBase } from "./load.js";
import { buildLookupIndex, type LookupIndex, SCORE, type ScoredTarget, type Target } from "./lookup-index.js";
import {
  allowedEdits,
  chunksOf,
  damerauLevenshtein,
  deletions,
  isNumeric,
  isUseful,
  jaroWinkler,
  partsOf,
  squash,
  stem,
} from "./lookup-text.js";
import { findDriverCommand, findPoolTag, normalizeTag } from "./pool-tags.js";

export { buildLookupIndex } from "./lookup-index.js";

export const LookupHit = z.object({
  /** Entry id, or `tag:<TAG>` for a pool tag (its four characters, case and spaces kept). */
  id: z.string(),
  title: z.string(),
  /** 0..1; exact names score 0.9 and up, typos of names up to 0.88, text relevance up to 0.8. */
  score: z.number(),
  /** What matched: an entry's own text, an http.sys reason phrase, an event id or a pool tag. */
  kind: z.enum(["entry", "reason", "event", "tag"]),
  summary: z.string(),
  references: z.array(Reference),
});
export type LookupHit = z.infer<typeof LookupHit>;

/** What the tag table says of a query that is a pool tag (`Qz7x`, `tag AfdZ`). */
export const TagAnswer = z.object({
  /** The four characters asked about (shorter tags padded with spaces, as poolmon keys them). */
  tag: z.string(),
  /** A row names it; only a family (`Afd?`) covers it; or the table does not know it. */
  match: z.enum(["exact", "family", "unknown"]),
  /** The family row, for a family match. */
  family: z.string().nullable(),
  /** `findstr` over the driver files, whenever the table does not name the tag's driver for sure. */
  findDriverCommand: z.string().nullable(),
});
export type TagAnswer = z.infer<typeof TagAnswer>;

export const LookupResult = z.object({
  hits: z.array(LookupHit),
  /** Only when there is no hit: the nearest names (aliases, ids, tags), best first. */
  suggestions: z.array(z.string()),
  /** When the query is a pool tag (explicitly `tag X`, or a four-character word): what the table says. */
  tag: TagAnswer.nullable(),
});
export type LookupResult = z.infer<typeof LookupResult>;

/** Bounds that keep a pasted 4,000-character query in the milliseconds. */
const MAX_QUERY_CHARS = 20_000;
const MAX_UNITS = 24;
/** Distinct words of a long query read before giving up on finding more that the index knows. */
const MAX_DISTINCT_WORDS = 256;
const MAX_SQUASHED = 48;
const MAX_CANDIDATES = 12;
const MAX_CACHE = 5_000;
const MIN_SCORE = 0.2;
const SUGGESTIONS = 5;

const HTTPERR_REFERENCE: Reference = {
  title: "Microsoft: Error logging in HTTP APIs (HTTPERR reason phrases)",
  url: "https://learn.microsoft.com/en-us/troubleshoot/developer/webapps/iis/iisadmin-service-inetinfo/error-logging-in-http-apis",
};

type Candidate = { term: string; quality: number };

/** Vocabulary stems a query stem stands for: itself, words it begins, or words one typo away. */
function candidatesOf(index: LookupIndex, token: string): Candidate[] {
  const cached = index.candidateCache.get(token);
  if (cached) return cached;
  const found = new Map<string, number>();
  const add = (term: string, quality: number) => found.set(term, Math.max(found.get(term) ?? 0, quality));
  if (index.postings.has(token)) add(token, 1);
  if (token.length >= 4 && !isNumeric(token)) {
    // Prefix: binary search for the first stem >= token, then walk while it still starts with it.
    let lo = 0;
    let hi = index.vocabulary.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((index.vocabulary[mid] ?? "") < token) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo, n = 0; i < index.vocabulary.length && n < MAX_CANDIDATES; i++, n++) {
      const term = index.vocabulary[i] ?? "";
      if (!term.startsWith(token)) break;
      if (term !== token) add(term, 0.85 * (0.5 + (0.5 * token.length) / term.length));
    }
    if (!found.has(token)) {
      // One edit: the token, its deletions and the stems' deletions meet in the delete table.
      const near = new Set<string>(index.deletes.get(token) ?? []);
      for (const d of deletions(token)) {
        if (index.postings.has(d)) near.add(d);
        for (const term of index.deletes.get(d) ?? []) near.add(term);
      }
      for (const term of near) {
        if (damerauLevenshtein(token, term) <= 1) add(term, 0.9 * jaroWinkler(token, term));
      }
      // Two edits in a long word: a scan of the stems of about its length, cheap filter first.
      if (near.size === 0 && token.length >= 8) {
        for (let len = token.length - 2; len <= token.length + 2; len++) {
          for (const term of index.byLength.get(len) ?? []) {
            const jw = jaroWinkler(token, term);
            if (jw >= 0.88 && damerauLevenshtein(token, term) <= 2) add(term, 0.85 * jw);
          }
        }
      }
    }
  }
  const result = [...found]
    .map(([term, quality]) => ({ term, quality }))
    .sort((a, b) => b.quality - a.quality)
    .slice(0, MAX_CANDIDATES);
  if (index.candidateCache.size >= MAX_CACHE) index.candidateCache.clear();
  index.candidateCache.set(token, result);
  return result;
}

/** A query word: matched whole (`queuefull`) or by its parts (`queue` + `full`), whichever is better. */
interface Unit {
  whole: string | null;
  parts: string[];
}

function unitsOf(index: LookupIndex, query: string): Unit[] {
  const seen = new Set<string>();
  const known: Unit[] = [];
  const unknown: Unit[] = [];
  for (const chunk of chunksOf(query.slice(0, MAX_QUERY_CHARS))) {
    const lower = chunk.toLowerCase();
    if (seen.has(lower)) continue;
    if (seen.size >= MAX_DISTINCT_WORDS) break;
    seen.add(lower);
    const whole = isUseful(lower) ? stem(lower) : null;
    const split = partsOf(chunk);
    const parts =
      split.length > 1
        ? split
            .map((p) => p.toLowerCase())
            .filter(isUseful)
            .map(stem)
        : [];
    if (whole === null && parts.length === 0) continue;
    // Words the index knows go first, so a long paste keeps its meaningful words within the cap.
    const isKnown = (whole !== null && index.postings.has(whole)) || parts.some((p) => index.postings.has(p));
    (isKnown ? known : unknown).push({ whole, parts });
    if (known.length >= MAX_UNITS) break;
  }
  return [...known, ...unknown].slice(0, MAX_UNITS);
}

/** Best score per document for one stem, and the idf of its best candidate. */
function matchToken(index: LookupIndex, token: string): { scores: Map<number, number>; idf: number } {
  const scores = new Map<number, number>();
  let idf = 0;
  for (const { term, quality } of candidatesOf(index, token)) {
    idf = Math.max(idf, (index.idf.get(term) ?? 0) * quality);
    for (const { doc, weight } of index.postings.get(term) ?? []) {
      const s = quality * weight;
      if (s > (scores.get(doc) ?? 0)) scores.set(doc, s);
    }
  }
  return { scores, idf };
}

/** TF-IDF-weighted share of the query words each document answers, 0..1. */
function textScores(index: LookupIndex, units: Unit[]): Map<number, number> {
  const total = new Map<number, number>();
  let weightSum = 0;
  let unknown = 0;
  for (const unit of units) {
    const unitScores = new Map<number, number>();
    let idf = 0;
    if (unit.whole !== null) {
      const m = matchToken(index, unit.whole);
      idf = m.idf;
      for (const [doc, s] of m.scores) unitScores.set(doc, s);
    }
    if (unit.parts.length > 0) {
      const partial = new Map<number, number>();
      for (const part of unit.parts) {
        const m = matchToken(index, part);
        idf = Math.max(idf, m.idf);
        for (const [doc, s] of m.scores) partial.set(doc, (partial.get(doc) ?? 0) + s / unit.parts.length);
      }
      for (const [doc, s] of partial) if (s > (unitScores.get(doc) ?? 0)) unitScores.set(doc, s);
    }
    if (idf === 0) {
      unknown += 1;
      continue;
    }
    weightSum += idf;
    for (const [doc, s] of unitScores) total.set(doc, (total.get(doc) ?? 0) + idf * s);
  }
  // A word nothing matches weighs like the rarest word, so it lowers every document alike; only two
  // count, so that a long paste still finds what it mentions.
  weightSum += index.maxIdf * Math.min(unknown, 2);
  if (weightSum > 0) for (const [doc, s] of total) total.set(doc, s / weightSum);
  return total;
}

/** The query as a name: as typed, without a leading `tag` / `event` / `reason`, and `3_X` as `X`. */
function nameVariants(query: string): string[] {
  const trimmed = query.trim();
  const bare = trimmed.replace(/^(\/?tattle\s+)?((pool\s+)?tag|event(\s*id)?|reason)\s+/i, "").trim();
  return [...new Set([trimmed, bare, canonicalReason(bare)].filter((v) => v !== ""))];
}

function nameScores(index: LookupIndex, query: string): ScoredTarget[] {
  const out: ScoredTarget[] = [];
  for (const name of nameVariants(query)) {
    out.push(...(index.exactCase.get(name) ?? []));
    out.push(...(index.exact.get(name.toLowerCase()) ?? []));
    const sq = squash(name);
    if (sq !== "") out.push(...(index.squashed.get(sq) ?? []));
  }
  return out;
}

/** Whole-name typos (`conectionrefused`) and names inside the query or the query inside a name. */
function nearNameScores(index: LookupIndex, query: string): ScoredTarget[] {
  const sq = squash(nameVariants(query).at(-1) ?? "");
  if (sq.length < 3 || sq.length > MAX_SQUASHED) return [];
  const edits = allowedEdits(sq.length);
  const out: ScoredTarget[] = [];
  for (const key of index.squashedKeys) {
    let score = 0;
    if (sq.length >= 5 && key.length > sq.length && key.includes(sq)) {
      score = 0.75 + (0.13 * sq.length) / key.length;
    } else if (key.length >= 6 && sq.length > key.length && sq.includes(key)) {
      score = 0.75 + (0.13 * key.length) / sq.length;
    }
    const allowed = Math.min(edits, allowedEdits(key.length));
    if (allowed > 0 && Math.abs(key.length - sq.length) <= allowed) {
      const jw = jaroWinkler(sq, key);
      if (jw >= 0.8 && damerauLevenshtein(sq, key) <= allowed) score = Math.max(score, SCORE.nearName * jw);
    }
    if (score > 0) {
      for (const t of index.squashed.get(key) ?? []) {
        out.push({ target: t.target, score: score - 0.01 * ((t.rank ?? 1) - 1) });
      }
    }
  }
  return out;
}

interface Resolved {
  id: string;
  kind: LookupHit["kind"];
  title: string;
  summary: string;
  references: Reference[];
}

function resolve(kb: KnowledgeBase, target: Target): Resolved | null {
  const fromEntry = (id: string, kind: LookupHit["kind"], summary?: string): Resolved | null => {
    const entry = kb.byId.get(id);
    if (!entry) return null;
    return {
      id,
      kind,
      title: entry.title,
      summary: summary ?? entry.summary.trim(),
      references: entry.references,
    };
  };
  switch (target.kind) {
    case "entry":
      return fromEntry(target.entryId, "entry");
    case "reason": {
      const reason = kb.reasons[target.index];
      if (!reason) return null;
      const id = reasonPhraseId(reason.phrase);
      return (
        fromEntry(id, "reason") ?? {
          id,
          kind: "reason",
          title: reason.phrase,
          summary: reason.meaning,
          references: [HTTPERR_REFERENCE],
        }
      );
    }
    case "event": {
      const event = kb.events[target.index];
      if (!event) return null;
      const line = `Event ${event.id} (${event.source}, ${event.log} log): ${event.meaning}`;
      const entry = kb.byId.get(event.entry);
      return {
        id: event.entry,
        kind: "event",
        title: entry?.title ?? `Event ${event.id} (${event.source})`,
        summary: entry ? `${line} ${entry.summary.trim()}` : line,
        references: entry?.references ?? [],
      };
    }
    case "tag": {
      const tag = kb.tags.get(target.tag) ?? kb.tagFamilies.find((f) => f.tag === target.tag);
      if (!tag) return null;
      const who = [tag.vendor, tag.product].filter((v) => v !== undefined).join(", ");
      const driver =
        tag.driver ?? (tag.component ? `${tag.component} (binary not named)` : "binary not named");
      const what = tag.family ? "Pool tag family" : "Pool tag";
      return {
        id: `tag:${tag.tag}`,
        kind: "tag",
        title: `${what} ${JSON.stringify(tag.tag)}: ${driver} (${who === "" ? "" : `${who}; `}${tag.category})`,
        summary: tag.description,
        references: [
          {
            title: `Source for pool tag ${JSON.stringify(tag.tag)}${tag.driver ? ` (${tag.driver})` : ""}`,
            url: tag.source,
          },
        ],
      };
    }
  }
}

function suggestionsFor(index: LookupIndex, query: string): string[] {
  const sq = squash(query.slice(0, 200)).slice(0, 40);
  if (sq === "") return [];
  const scored = index.suggestions
    .map(({ term, squashed }) => ({ term, sim: jaroWinkler(sq, squashed) }))
    .sort((a, b) => b.sim - a.sim || a.term.localeCompare(b.term));
  // `URL Length`, `url_length` and `UrlLength` are one suggestion: spellings that squash alike.
  const seen = new Set<string>();
  const out: string[] = [];
  for (const { term } of scored) {
    const key = squash(term);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(term);
    if (out.length >= SUGGESTIONS) break;
  }
  return out;
}

const KIND_ORDER: Record<LookupHit["kind"], number> = { reason: 0, event: 1, tag: 2, entry: 3 };

const TAG_PREFIX = /^(\/?tattle\s+)?(pool\s+)?tag\s+/i;

/** The tag a query asks about: `tag X` (1–4 characters), or one word of exactly four that is not a number. */
function tagQueryOf(query: string): { tag: string; explicit: boolean } | null {
  const start = query.trimStart();
  const explicit = TAG_PREFIX.test(start);
  const bare = start.replace(TAG_PREFIX, "").trimEnd();
  if (!/^[\x21-\x7e]{1,4}$/.test(bare)) return null;
  if (!explicit && (bare.length < 4 || /^\d+$/.test(bare))) return null;
  return { tag: normalizeTag(bare), explicit };
}

export function lookup(kb: KnowledgeBase, query: string, limit = 10): LookupResult {
  if (query.trim() === "" || limit <= 0) return { hits: [], suggestions: [], tag: null };
  const index = buildLookupIndex(kb);

  const scored: ScoredTarget[] = [...nameScores(index, query), ...nearNameScores(index, query)];
  const tagQuery = tagQueryOf(query);
  const tagMatch = tagQuery ? findPoolTag(kb, tagQuery.tag) : null;
  // A tag no row names, covered by a family (`AfdZ` → `Afd?`): the family answers, just under exact names.
  if (tagMatch?.match === "family")
    scored.push({ target: { kind: "tag", tag: tagMatch.row.tag }, score: SCORE.squashed });
  for (const [doc, s] of textScores(index, unitsOf(index, query))) {
    const target = index.docs[doc];
    if (target) scored.push({ target, score: SCORE.text * s });
  }

  // One hit per id: the best way it matched decides; a second way only breaks ties.
  const best = new Map<string, { resolved: Resolved; score: number; second: number; target: Target }>();
  const resolvedCache = new Map<Target, Resolved | null>();
  const consider = (target: Target, score: number) => {
    if (!resolvedCache.has(target)) resolvedCache.set(target, resolve(kb, target));
    const resolved = resolvedCache.get(target);
    if (!resolved) return;
    const current = best.get(resolved.id);
    if (!current) {
      best.set(resolved.id, { resolved, score, second: 0, target });
    } else if (
      score > current.score ||
      (score === current.score && KIND_ORDER[resolved.kind] < KIND_ORDER[current.resolved.kind])
    ) {
      best.set(resolved.id, { resolved, score, second: current.score, target });
    } else {
      current.second = Math.max(current.second, score);
    }
  };
  for (const { target, score } of scored) consider(target, score);
  // A pool tag brings the entries that mention it, just below it.
  for (const { score, target } of [...best.values()]) {
    if (target.kind !== "tag") continue;
    for (const id of index.mentions.get(target.tag) ?? [])
      consider({ kind: "entry", entryId: id }, score * 0.9);
  }

  const hits = [...best.values()]
    .map(({ resolved, score, second }) => ({ ...resolved, score: round(Math.min(1, score + 0.02 * second)) }))
    .filter((h) => h.score >= MIN_SCORE)
    .sort((a, b) => b.score - a.score || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.id.localeCompare(b.id))
    .slice(0, limit)
    .map(({ id, title, score, kind, summary, references }) => ({
      id,
      title,
      score,
      kind,
      summary,
      references,
    }));
  let tag: TagAnswer | null = null;
  if (tagQuery && tagMatch) {
    tag = {
      tag: tagQuery.tag,
      match: tagMatch.match,
      family: tagMatch.match === "family" ? tagMatch.row.tag : null,
      findDriverCommand:
        tagMatch.match === "exact" && tagMatch.row.driver !== undefined
          ? null
          : findDriverCommand(tagQuery.tag),
    };
  }
  // A lower-case word (`hang`, `slow`) reads as a question first: a tag only if nothing else matched.
  const tagLike = tagQuery !== null && (tagQuery.explicit || /[A-Z0-9]/.test(tagQuery.tag));
  if (tagQuery && !tagMatch && (tagLike || hits.length === 0)) {
    tag = {
      tag: tagQuery.tag,
      match: "unknown",
      family: null,
      findDriverCommand: findDriverCommand(tagQuery.tag),
    };
  }
  const suggest = hits.length === 0 && !(tag !== null && tagLike);
  return { hits, suggestions: suggest ? suggestionsFor(index, query) : [], tag };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
