// Lookup: exact names first (pool tags case-sensitive), then names with typos, then text relevance.
// The reason-phrase and event tests are driven by kb/data tables, so new rows are tested as added.
import { describe, expect, it } from "vitest";
import type { PoolTag, ReasonPhrase } from "../../kb/data-schema.js";
import { reasonPhraseId } from "../../kb/ids.js";
import { type KnowledgeBase, loadKnowledgeBase } from "../../kb/index.js";
import { buildLookupIndex, LookupResult, lookup } from "../../kb/lookup.js";
import { partsOf } from "../../kb/lookup-text.js";
import { ISSUE_REASON_PHRASES } from "../support/reason-phrases.js";

const kb = loadKnowledgeBase();

/** Every reason phrase issue 3 lists, so typo handling is tested even before each has its entry. */

/** The real KB plus reason rows for every phrase of the issue that the table does not have yet. */
function withAllPhrases(base: KnowledgeBase): KnowledgeBase {
  const known = new Set(base.reasons.map((r) => r.phrase));
  const extra: ReasonPhrase[] = ISSUE_REASON_PHRASES.filter((p) => !known.has(p)).map((phrase) => ({
    phrase,
    status: null,
    meaning: `http.sys logged ${phrase}.`,
  }));
  return { ...base, reasons: [...base.reasons, ...extra] };
}

/**
 * Misspellings a person makes: lower case, spaces for underscores, and in the longest word (when it
 * has five letters or more, so the result is still recognisably that name) a dropped letter and
 * two neighbouring letters swapped.
 */
function misspellings(phrase: string): string[] {
  const out = [phrase.toLowerCase(), phrase.replace(/_/g, " "), phrase.replace(/_/g, " ").toLowerCase()];
  const words = phrase.split(/[_/]/).flatMap(partsOf);
  const longest = words.reduce((a, b) => (b.length > a.length ? b : a), "");
  if (longest.length >= 5) {
    const at = phrase.indexOf(longest);
    const dropped = longest.slice(0, 2) + longest.slice(3);
    const swapped = longest[0] + (longest[2] ?? "") + (longest[1] ?? "") + longest.slice(3);
    out.push(phrase.slice(0, at) + dropped + phrase.slice(at + longest.length));
    out.push(phrase.slice(0, at) + swapped + phrase.slice(at + longest.length));
  }
  return [...new Set(out)].filter((m) => m !== phrase);
}

function topId(base: KnowledgeBase, query: string): string | undefined {
  return lookup(base, query).hits[0]?.id;
}

describe("reason phrases of kb/data/reason-phrases.yaml", () => {
  it.each(kb.reasons.map((r) => [r.phrase] as const))("%s has its entry and it is the top hit", (phrase) => {
    const id = reasonPhraseId(phrase);
    expect(kb.byId.has(id)).toBe(true);
    const hit = lookup(kb, phrase).hits[0];
    expect(hit?.id).toBe(id);
    expect(hit?.references.length).toBeGreaterThan(0);
    for (const typo of misspellings(phrase)) expect([typo, topId(kb, typo)]).toEqual([typo, id]);
  });
});

describe("every reason phrase of the issue, exact and misspelt", () => {
  const all = withAllPhrases(kb);
  it.each(ISSUE_REASON_PHRASES.map((p) => [p] as const))("%s", (phrase) => {
    const id = reasonPhraseId(phrase);
    expect(topId(all, phrase)).toBe(id);
    for (const typo of misspellings(phrase)) expect([typo, topId(all, typo)]).toEqual([typo, id]);
  });

  it("generates real misspellings", () => {
    expect(misspellings("Connections_Refused")).toEqual(
      expect.arrayContaining([
        "connections_refused",
        "Connections Refused",
        "Conections_Refused",
        "Cnonections_Refused",
      ]),
    );
    expect(misspellings("N/A")).toEqual(["n/a"]);
  });

  it.each([
    ["conection refused", "httperr-connections-refused"],
    ["minbytespersec", "httperr-timer-min-bytes-per-second"],
    ["timer conection idle", "httperr-timer-connection-idle"],
    ["3_Connections_Refused", "httperr-connections-refused"],
    ["Timer AppPol", "httperr-timer-app-pool"],
    ["AppPolTimer", "httperr-app-pool-timer"],
  ])("%s → %s", (query, id) => {
    expect(topId(all, query)).toBe(id);
  });
});

describe("exact names and typos in the bundled KB", () => {
  it.each([
    ["QueueFull", "httperr-queue-full", "reason"],
    ["/3GB", "boot-3gb-switch", "entry"],
    ["3gb", "boot-3gb-switch", "entry"],
    ["3 gb switch", "boot-3gb-switch", "entry"],
    ["boot-3gb-switch", "boot-3gb-switch", "entry"],
    ["MFeS", "tag:MFeS", "tag"],
    ["Irp", "tag:Irp ", "tag"],
    ["tag Irp", "tag:Irp ", "tag"],
    ["mfeavfk.sys", "tag:MFeS", "tag"],
  ])("%s → %s (%s)", (query, id, kind) => {
    const hit = lookup(kb, query).hits[0];
    expect(hit?.id).toBe(id);
    expect(hit?.kind).toBe(kind);
    expect(hit?.score).toBeGreaterThanOrEqual(0.9);
  });

  it.each([
    ["non paged", "nonpaged-pool-exhaustion"],
    ["Conections Refusd", "httperr-connections-refused"],
    ["rapidfail", "httperr-app-offline"],
    ["antivirs", "antivirus-pool-leak"],
  ])("%s → %s", (query, id) => {
    expect(topId(kb, query)).toBe(id);
  });

  it("ranks exact names above typos, and typos above text relevance", () => {
    const exact = lookup(kb, "Connections_Refused").hits[0]?.score ?? 0;
    const typo = lookup(kb, "conection refused").hits[0]?.score ?? 0;
    const text = lookup(kb, "site hangs").hits[0]?.score ?? 0;
    expect(exact).toBeGreaterThan(typo);
    expect(typo).toBeGreaterThan(text);
    expect(text).toBeGreaterThan(0);
  });

  it("each hit carries its references and the result matches its schema", () => {
    const result = lookup(kb, "connections refused");
    expect(LookupResult.parse(result)).toEqual(result);
    expect(result.hits[0]?.references.some((r) => r.url.startsWith("https://"))).toBe(true);
  });

  it("respects the limit and answers nothing to an empty query", () => {
    expect(lookup(kb, "pool", 2).hits.length).toBeLessThanOrEqual(2);
    expect(lookup(kb, "   ")).toEqual({ hits: [], suggestions: [], tag: null });
  });
});

describe("event ids of kb/data/event-ids.yaml", () => {
  it.each(kb.events.map((e) => [`${e.source} ${e.id}`, e.entry] as const))("%s → %s", (query, entry) => {
    const hit = lookup(kb, query).hits[0];
    expect(hit?.id).toBe(entry);
    expect(hit?.kind).toBe("event");
  });

  it.each(kb.events.map((e) => [e.id, e.entry] as const))(
    "bare %s finds %s among the top hits",
    (id, entry) => {
      const top = lookup(kb, String(id)).hits;
      const best = top[0]?.score;
      expect(top.filter((h) => h.score === best).map((h) => h.id)).toContain(entry);
    },
  );

  it.each(kb.events.map((e) => [`${e.source.replace(/^Microsoft-Windows-/, "")} ${e.id}`, e.entry] as const))(
    "short source %s → %s",
    (query, entry) => {
      expect(lookup(kb, query).hits[0]?.id).toBe(entry);
    },
  );

  it("event 2019 is explained by the non-paged pool entry, with the event's meaning", () => {
    const hit = lookup(kb, "event 2019").hits[0];
    expect(hit?.id).toBe("nonpaged-pool-exhaustion");
    expect(hit?.summary).toMatch(/^Event 2019 \(Srv/);
  });
});

describe("pool tags", () => {
  const tag = (t: string, driver: string): PoolTag => ({
    tag: t,
    driver,
    vendor: "Example Vendor",
    category: "antivirus",
    description: `Allocations of ${driver}.`,
    source: "https://example.com/pooltags",
  });
  const cased: KnowledgeBase = {
    ...kb,
    tags: new Map([...kb.tags, ["AbCd", tag("AbCd", "upper.sys")], ["abcd", tag("abcd", "lower.sys")]]),
  };

  it("a tag in its exact case ranks above the same letters in another case", () => {
    expect(
      lookup(cased, "AbCd")
        .hits.slice(0, 2)
        .map((h) => h.id),
    ).toEqual(["tag:AbCd", "tag:abcd"]);
    expect(
      lookup(cased, "abcd")
        .hits.slice(0, 2)
        .map((h) => h.id),
    ).toEqual(["tag:abcd", "tag:AbCd"]);
    const other = lookup(cased, "ABCD").hits.filter((h) => h.kind === "tag");
    expect(other.map((h) => h.id).sort()).toEqual(["tag:AbCd", "tag:abcd"]);
    expect(other[0]?.score).toBe(other[1]?.score);
  });

  it("a tag hit names driver, vendor and category, cites its source, and brings the entries about it", () => {
    const hits = lookup(cased, "AbCd").hits;
    expect(hits[0]?.title).toContain("upper.sys");
    expect(hits[0]?.title).toContain("Example Vendor");
    expect(hits[0]?.title).toContain("antivirus");
    expect(hits[0]?.references).toEqual([expect.objectContaining({ url: "https://example.com/pooltags" })]);
    expect(hits.map((h) => h.id)).toContain("antivirus-pool-leak");
  });

  const reasonNames = new Set(kb.reasons.map((r) => r.phrase));
  const tags = [...kb.curatedTags].filter((t) => !reasonNames.has(t.trim()));
  it.each(tags.map((t) => [t] as const))("%j is the top hit for itself", (t) => {
    expect(topId(kb, t.trim())).toBe(`tag:${t}`);
  });

  it("every tag of the public list is the top hit for itself", () => {
    const misses = [...kb.tags.keys()]
      .filter((t) => !kb.curatedTags.has(t) && !reasonNames.has(t.trim()))
      .filter((t) => topId(kb, t.trim()) !== `tag:${t}`);
    expect(misses).toEqual([]);
  });
});

describe("pool tags the table does not name", () => {
  it("an unknown tag is said to be unknown, with the findstr command that finds its driver", () => {
    const result = lookup(kb, "Qz7x");
    expect(kb.tags.has("Qz7x")).toBe(false);
    expect(result.tag).toEqual({
      tag: "Qz7x",
      match: "unknown",
      family: null,
      findDriverCommand: 'findstr /m /l /c:"Qz7x" %SystemRoot%\\System32\\drivers\\*.sys',
    });
    expect(result.hits.filter((h) => h.kind === "tag")).toEqual([]);
    expect(result.suggestions).toEqual([]);
  });

  it("`tag X` pads a short tag to four characters, as poolmon keys it", () => {
    expect(lookup(kb, "tag Zq").tag).toMatchObject({ tag: "Zq  ", match: "unknown" });
    expect(lookup(kb, "tag Zq").tag?.findDriverCommand).toContain('/c:"Zq  "');
  });

  it("a tag no row names but a family covers answers with the family, and still gives findstr", () => {
    const result = lookup(kb, "AfdZ");
    expect(result.tag).toMatchObject({ tag: "AfdZ", match: "family", family: "Afd?" });
    expect(result.tag?.findDriverCommand).toContain('/c:"AfdZ"');
    expect(result.hits[0]?.id).toBe("tag:Afd?");
    expect(result.hits[0]?.title).toContain("afd.sys");
  });

  it("an exact row that names its driver needs no findstr", () => {
    expect(lookup(kb, "AfdB").tag).toEqual({
      tag: "AfdB",
      match: "exact",
      family: null,
      findDriverCommand: null,
    });
    expect(topId(kb, "AfdB")).toBe("tag:AfdB");
  });

  it("a row of the public list that names no binary still gives findstr", () => {
    const row = [...kb.tags.values()].find((t) => t.driver === undefined && /^[A-Z][a-z]{3}$/.test(t.tag));
    expect(row).toBeDefined();
    const answer = lookup(kb, row?.tag ?? "").tag;
    expect(answer?.match).toBe("exact");
    expect(answer?.findDriverCommand).toContain(`/c:"${row?.tag}"`);
  });

  it("numbers and lower-case words that found something are not taken for tags", () => {
    expect(lookup(kb, "5002").tag).toBeNull();
    expect(lookup(kb, "pool").tag).toBeNull();
    expect(lookup(kb, "connections refused").tag).toBeNull();
  });
});

describe("long and hopeless queries", () => {
  it("answers a 4,000-character query", () => {
    const words = ["conection", "refused", "Tmfs", "w3wp", "2007-11-13", "10.0.0.1", "nonpaged", "xqzv"];
    let query = "";
    for (let i = 0; query.length < 4000; i++)
      query += `${words[i % words.length]}${i} ${words[(i * 3) % words.length]} `;
    query = query.slice(0, 4000);
    const result = lookup(kb, query);
    expect(LookupResult.parse(result)).toEqual(result);
    expect(result.hits.length).toBeLessThanOrEqual(10);
  });

  it("finds what a long paste mentions", () => {
    const paste = `${"2007-11-13 20:01:44 10.1.2.3 1234 10.0.0.1 80 - - - - - - - - - 3_Connections_Refused -\n".repeat(50)}`;
    expect(topId(kb, paste)).toBe("httperr-connections-refused");
  });

  it("no hit: suggests the nearest names", () => {
    const result = lookup(kb, "qwxzj");
    expect(result.hits).toEqual([]);
    expect(result.suggestions.length).toBeGreaterThan(0);
  });

  it.each([
    ["incrsusrvaxq", "increaseuserva"],
    ["quefulll", "QueueFull"],
    ["qqqq3gbb", "boot-3gb-switch"],
  ])("no hit for %s, but %s is suggested", (query, name) => {
    const result = lookup(kb, query);
    expect(result.hits).toEqual([]);
    expect(result.suggestions).toContain(name);
  });

  it("builds the index once per knowledge base", () => {
    expect(buildLookupIndex(kb)).toBe(buildLookupIndex(kb));
    expect(buildLookupIndex({ ...kb })).not.toBe(buildLookupIndex(kb));
  });
});

describe("symptoms: what users see, the likely causes first", () => {
  const FIRST = ["httperr-app-offline", "httperr-queue-full", "httperr-app-pool-timer", "httperr-disabled"];

  it.each([
    "503 service unavailable",
    "Service Unavailable",
    "HTTP Error 503. The service is unavailable.",
    "HTTP Error 503 - The service is unavailable",
    "site down after deploy",
    "site down after a deploymnet",
  ])("%s → AppOffline, QueueFull, AppPoolTimer, Disabled", (query) => {
    const hits = lookup(kb, query).hits.map((h) => h.id);
    expect(hits.slice(0, 4)).toEqual(FIRST);
    expect(new Set(hits).size).toBe(hits.length);
  });

  it("ranks the symptom above typos of names and text relevance, below an exact name", () => {
    const top = lookup(kb, "503 service unavailable").hits;
    expect(top[0]?.score).toBeGreaterThan(0.9);
    expect(top[4]?.score ?? 0).toBeLessThan(top[3]?.score ?? 0);
    expect(lookup(kb, "AppOffline").hits[0]?.score).toBeGreaterThan(top[0]?.score ?? 1);
  });
});

describe("misspellings and suggestions", () => {
  const misspelt = kb.entries.flatMap((e) => e.misspellings.map((m) => [m, e.id] as const));

  it("marks the deliberate misspellings apart from the aliases", () => {
    expect(misspelt.length).toBeGreaterThan(40);
    for (const e of kb.entries) {
      const aliases = new Set(e.aliases.map((a) => a.toLowerCase()));
      for (const m of e.misspellings) expect(aliases.has(m.toLowerCase()), `${e.id}: ${m}`).toBe(false);
    }
  });

  it.each(misspelt)("finds %s (→ %s) but never suggests it", (typo, id) => {
    expect(lookup(kb, typo).hits[0]?.id).toBe(id);
    const index = buildLookupIndex(kb);
    expect(index.suggestions.map((s) => s.term)).not.toContain(typo);
  });

  it("never suggests two spellings of one name", () => {
    for (const query of ["xyzzy plugh", "qqqq3gbb", "quefulll", "lenghtt"]) {
      const suggestions = lookup(kb, query).suggestions;
      const squashed = suggestions.map((s) => s.toLowerCase().replace(/[^a-z0-9]/g, ""));
      expect(new Set(squashed).size, suggestions.join(" | ")).toBe(squashed.length);
      for (const [typo] of misspelt) expect(suggestions).not.toContain(typo);
    }
  });
});
