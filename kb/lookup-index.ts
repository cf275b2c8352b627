// The lookup index of a knowledge base, built once (WeakMap cache) and then only read: documents
// (entries, reason phrases, event ids, pool tags) as weighted stems with natural's TF-IDF, exact
// names, squashed names for whole-name typos, and a delete-neighbourhood table that gives the
// fuzzy candidates of a query word in a few map look-ups instead of a scan of the vocabulary.
import TfIdf from "natural/lib/natural/tfidf/tfidf.js";
import { FILTER_CATEGORIES } from "./data-schema.js";
import { reasonPhraseId } from "./ids.js";
import type { KnowledgeBase } from "./load.js";
import { chunksOf, deletions, indexStems, squash } from "./lookup-text.js";
import { lineText } from "./schema.js";

/** What a match points at; turned into a hit (entry, reason, event or tag) by the lookup. */
export type Target =
  | { kind: "entry"; entryId: string }
  | { kind: "reason"; index: number }
  | { kind: "event"; index: number }
  | { kind: "tag"; tag: string };

/** Scores of the exact tiers, above anything text relevance or typo matching can reach. */
export const SCORE = {
  /** `QueueFull` written as http.sys writes it. */
  reasonExactCase: 0.99,
  /** `Tmfs`: pool tags are case-sensitive, so the exact case beats any other spelling. */
  tagExactCase: 0.98,
  /** Entry id, alias, title, reason phrase or event id in any case. */
  exact: 0.95,
  /** A pool tag in another case, or a driver file name. */
  tagOtherCase: 0.93,
  /** The same letters and digits once spaces and punctuation are gone (`3 gb switch`, `/3GB`). */
  squashed: 0.9,
  /**
   * A symptom phrase (`503 service unavailable`), as typed or squashed, for its rank-1 entry; each
   * further rank scores 0.01 less, so the causes keep their order above typos and text relevance.
   */
  symptom: 0.94,
  /** Ceiling of a whole-name typo or a name contained in the query (below every exact tier). */
  nearName: 0.88,
  /** Ceiling of text relevance (every query word found in a title or alias). */
  text: 0.8,
} as const;

export interface Posting {
  doc: number;
  /** How strongly the document carries the stem: 1 in a title, alias or name; less in prose. */
  weight: number;
}

export interface ScoredTarget {
  target: Target;
  score: number;
  /** A symptom's rank among the entries sharing it (1 = most likely cause): near matches keep the order. */
  rank?: number;
}

export interface LookupIndex {
  docs: Target[];
  postings: Map<string, Posting[]>;
  idf: Map<string, number>;
  maxIdf: number;
  /** Every stem, sorted, for prefix search (`minbytespersec` → `minbytespersecond`). */
  vocabulary: string[];
  /** A stem with one letter deleted → the stems it came from. */
  deletes: Map<string, string[]>;
  /** Stems by length, for the typo scan of long words that the delete table misses. */
  byLength: Map<number, string[]>;
  /** Pool tags (trimmed) and reason phrases exactly as written. */
  exactCase: Map<string, ScoredTarget[]>;
  /** Lower-cased names. */
  exact: Map<string, ScoredTarget[]>;
  /** Squashed names (see `squash`). */
  squashed: Map<string, ScoredTarget[]>;
  squashedKeys: string[];
  /** Names offered when nothing matches, with their squashed forms. */
  suggestions: { term: string; squashed: string }[];
  /** Pool tag → ids of the entries that mention it (or that explain its category). */
  mentions: Map<string, string[]>;
  /** Fuzzy candidates already computed for a query stem (bounded). */
  candidateCache: Map<string, { term: string; quality: number }[]>;
}

/** Field weights: titles, aliases and names; ids; prose (summary, meaning, description). */
const NAME = 3;
const ID = 2;
const PROSE = 1;

/** A word in a name counts fully; in prose it counts a fifth per use, never more than 0.6. */
function weightOf(name: number, prose: number): number {
  return Math.min(1, name / NAME + Math.min(0.6, prose * 0.2));
}

function addTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function build(kb: KnowledgeBase): LookupIndex {
  const docs: Target[] = [];
  const docStems: Map<string, { name: number; prose: number }>[] = [];
  const exactCase = new Map<string, ScoredTarget[]>();
  const exact = new Map<string, ScoredTarget[]>();
  const squashed = new Map<string, ScoredTarget[]>();
  const suggestionTerms = new Set<string>();

  const addDoc = (target: Target, fields: [string, number][]) => {
    const boosts = new Map<string, { name: number; prose: number }>();
    for (const [text, boost] of fields) {
      for (const s of indexStems(text)) {
        const b = boosts.get(s) ?? { name: 0, prose: 0 };
        if (boost === PROSE) b.prose += 1;
        else b.name = Math.max(b.name, boost);
        boosts.set(s, b);
      }
    }
    docs.push(target);
    docStems.push(boosts);
  };
  const addName = (name: string, target: Target, score: number = SCORE.exact, suggest = true) => {
    const trimmed = name.trim();
    if (trimmed === "") return;
    addTo(exact, trimmed.toLowerCase(), { target, score });
    const sq = squash(trimmed);
    if (sq !== "") addTo(squashed, sq, { target, score: Math.min(score, SCORE.squashed) });
    if (suggest) suggestionTerms.add(trimmed);
  };
  const addSymptom = (text: string, target: Target, rank: number) => {
    const score = SCORE.symptom - 0.01 * (rank - 1);
    addTo(exact, text.trim().toLowerCase(), { target, score, rank });
    const sq = squash(text);
    if (sq !== "") addTo(squashed, sq, { target, score, rank });
  };

  for (const entry of kb.entries) {
    const target: Target = { kind: "entry", entryId: entry.id };
    addDoc(target, [
      [entry.title, NAME],
      [entry.aliases.join(" "), NAME],
      [entry.misspellings.join(" "), NAME],
      [entry.id.replace(/-/g, " "), ID],
      [entry.summary, PROSE],
    ]);
    addName(entry.id, target);
    addName(entry.title, target, SCORE.exact, false);
    for (const alias of entry.aliases) addName(alias, target);
    // Misspellings find the entry but are never offered back to the user.
    for (const typo of entry.misspellings) addName(typo, target, SCORE.exact, false);
    for (const symptom of entry.symptoms) addSymptom(symptom.text, target, symptom.rank);
  }

  kb.reasons.forEach((reason, index) => {
    const target: Target = { kind: "reason", index };
    addDoc(target, [
      [reason.phrase, NAME],
      [reason.meaning, PROSE],
    ]);
    addTo(exactCase, reason.phrase, { target, score: SCORE.reasonExactCase });
    addName(reason.phrase, target);
    addName(reasonPhraseId(reason.phrase), target, SCORE.exact, false);
  });

  kb.events.forEach((event, index) => {
    const target: Target = { kind: "event", index };
    addDoc(target, [
      [`event ${event.id} ${event.source}`, NAME],
      [event.log, ID],
      [event.meaning, PROSE],
    ]);
    // People say `WAS 5002` and `HTTP 15005` for Microsoft-Windows-WAS and Microsoft-Windows-HttpEvent.
    const short = event.source.replace(/^Microsoft-Windows-/, "");
    const sources = new Set([event.source, short, short.replace(/Event$/, "")]);
    addName(`${event.id}`, target, SCORE.exact, false);
    addName(`event ${event.id}`, target, SCORE.exact, false);
    addName(`event id ${event.id}`, target, SCORE.exact, false);
    for (const source of sources) addName(`${source} ${event.id}`, target, SCORE.exact, source === short);
  });

  const entryWords = new Map(
    kb.entries.map((e) => [
      e.id,
      new Set(chunksOf([e.title, e.summary, ...e.aliases, ...e.evidence.map(lineText)].join(" "))),
    ]),
  );
  const mentions = new Map<string, string[]>();
  for (const tag of kb.tags.values()) {
    const target: Target = { kind: "tag", tag: tag.tag };
    const trimmed = tag.tag.trim();
    addTo(exactCase, trimmed, { target, score: SCORE.tagExactCase });
    if (kb.curatedTags.has(tag.tag)) {
      addDoc(target, [
        [`${tag.tag} ${tag.driver ?? ""}`, NAME],
        [`${tag.vendor ?? ""} ${tag.category.replace(/-/g, " ")}`, ID],
        [`${tag.product ?? ""} ${tag.description}`, PROSE],
      ]);
      addName(trimmed, target, SCORE.tagOtherCase);
      if (tag.driver !== undefined) {
        addName(tag.driver, target, SCORE.tagOtherCase);
        addName(tag.driver.replace(/\.(sys|exe|dll)$/i, ""), target, SCORE.tagOtherCase, false);
      }
    } else {
      // The public list's 2,000+ rows answer to their own name only: as text, driver names and
      // typo suggestions they would crowd out the entries (200 rows name http.sys).
      addTo(exact, trimmed.toLowerCase(), { target, score: SCORE.tagOtherCase });
    }
    const mentioning = kb.curatedTags.has(tag.tag)
      ? kb.entries.filter((e) => entryWords.get(e.id)?.has(trimmed)).map((e) => e.id)
      : [];
    if (
      mentioning.length === 0 &&
      FILTER_CATEGORIES.has(tag.category) &&
      kb.byId.has("antivirus-pool-leak")
    ) {
      mentioning.push("antivirus-pool-leak");
    }
    mentions.set(tag.tag, mentioning);
  }

  // natural's TfIdf gives the idf of each stem; the documents go in as stem lists, so its own
  // tokenizer and stop words (module-global state) are never used.
  const tfidf = new TfIdf();
  for (const stems of docStems) tfidf.addDocument([...stems.keys()]);
  const postings = new Map<string, Posting[]>();
  docStems.forEach((stems, doc) => {
    for (const [s, { name, prose }] of stems) addTo(postings, s, { doc, weight: weightOf(name, prose) });
  });
  const idf = new Map<string, number>();
  let maxIdf = 1;
  for (const s of postings.keys()) {
    const value = tfidf.idf(s);
    idf.set(s, value);
    maxIdf = Math.max(maxIdf, value);
  }

  const vocabulary = [...postings.keys()].sort();
  const deletes = new Map<string, string[]>();
  const byLength = new Map<number, string[]>();
  for (const term of vocabulary) {
    addTo(byLength, term.length, term);
    if (term.length >= 4) for (const d of deletions(term)) addTo(deletes, d, term);
  }

  return {
    docs,
    postings,
    idf,
    maxIdf,
    vocabulary,
    deletes,
    byLength,
    exactCase,
    exact,
    squashed,
    squashedKeys: [...squashed.keys()],
    suggestions: suggestionsOf(suggestionTerms),
    mentions,
    candidateCache: new Map(),
  };
}

/**
 * One suggestion per spelling: `QueueFull`, `queue full` and `queuefull` squash alike, and the first
 * written (an entry's first alias, as its author spells it) stands for all of them.
 */
function suggestionsOf(terms: Iterable<string>): LookupIndex["suggestions"] {
  const byKey = new Map<string, string>();
  for (const term of terms) {
    const key = squash(term);
    if (key !== "" && !byKey.has(key)) byKey.set(key, term);
  }
  return [...byKey].map(([squashed, term]) => ({ term, squashed }));
}

const cache = new WeakMap<KnowledgeBase, LookupIndex>();

/** The index of this knowledge base, built on first use; call at start-up to warm it. */
export function buildLookupIndex(kb: KnowledgeBase): LookupIndex {
  let index = cache.get(kb);
  if (!index) {
    index = build(kb);
    cache.set(kb, index);
  }
  return index;
}
