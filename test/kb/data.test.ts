// Checks of the curated tables in kb/data/ against each other and against the entries: every reason
// phrase has its entry, every event row names an entry that fires on that id, pool tags are four
// characters and unique, pool-limit rows are ordered so the first match is the right one.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { deriveLimit, shortEventSource } from "../../kb/derive.js";
import { reasonPhraseId } from "../../kb/ids.js";
import { loadKnowledgeBaseFrom } from "../../kb/load.js";
import { DATA_DIR } from "../../kb/paths.js";
import type { Condition } from "../../kb/schema.js";
import { ISSUE_REASON_PHRASES } from "../support/reason-phrases.js";

const kb = loadKnowledgeBaseFrom();

/** Every fact path a condition reads. */
function factsOf(condition: Condition | undefined): string[] {
  if (condition === undefined) return [];
  if ("all" in condition) return condition.all.flatMap(factsOf);
  if ("any" in condition) return condition.any.flatMap(factsOf);
  if ("not" in condition) return factsOf(condition.not);
  return [condition.fact];
}

/** The phrases Microsoft's "Error logging in HTTP APIs" page lists, plus NotFound from real logs. */
const DOCUMENTED_PHRASES = [...ISSUE_REASON_PHRASES, "Timer_SslRenegotiation"];

describe("reason phrases", () => {
  const phrases = kb.reasons.map((r) => r.phrase);

  it("lists every documented phrase once", () => {
    expect([...phrases].sort()).toEqual([...DOCUMENTED_PHRASES].sort());
    expect(new Set(phrases).size).toBe(phrases.length);
  });

  it.each(phrases)("%s has its entry, named by the id rule, in category httperr", (phrase) => {
    const entry = kb.byId.get(reasonPhraseId(phrase));
    expect(entry, reasonPhraseId(phrase)).toBeDefined();
    expect(entry?.category).toBe("httperr");
    expect(entry?.aliases).toContain(phrase);
  });

  it.each(phrases)("%s: the entry's rule reads that phrase's count", (phrase) => {
    const entry = kb.byId.get(reasonPhraseId(phrase));
    expect(factsOf(entry?.when)).toContain(`httperr.reasons.${phrase}`);
  });

  it("keeps the documented example ids", () => {
    expect(reasonPhraseId("Timer_MinBytesPerSecond")).toBe("httperr-timer-min-bytes-per-second");
    expect(kb.byId.has("httperr-invalid-cr-lf")).toBe(true);
    expect(kb.byId.has("httperr-n-a")).toBe(true);
    expect(kb.byId.has("httperr-conn-limit")).toBe(true);
  });

  it("gives each phrase an HTTP status or null", () => {
    for (const r of kb.reasons) {
      if (r.status !== null) expect(r.status, r.phrase).toBeGreaterThanOrEqual(400);
    }
  });
});

describe("event ids", () => {
  it("has unique ids", () => {
    const ids = kb.events.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(kb.events.map((e) => [e.id, e] as const))("%i names an entry that fires on it", (id, row) => {
    const entry = kb.byId.get(row.entry);
    expect(entry, row.entry).toBeDefined();
    const facts = factsOf(entry?.when);
    const bySource = `events.bySource.${shortEventSource(row.source)}.${id}`;
    expect(facts.includes(`events.ids.${id}`) || facts.includes(bySource), facts.join(", ")).toBe(true);
  });

  it("covers the events the issue names", () => {
    const ids = new Set(kb.events.map((e) => e.id));
    for (const id of [2019, 2020, 5002, 5011, 5013, 5117, 15005, 15016, 15021, 1011, 1013, 1039]) {
      expect(ids.has(id), String(id)).toBe(true);
    }
  });

  it("links WAS 5002 to the AppOffline finding it causes", () => {
    expect(kb.byId.get("event-was-5002")?.explains).toContain("httperr-app-offline");
  });
});

describe("pool tags", () => {
  // The table as written (the loader keeps only the last of two equal tags).
  const raw = parseYaml(readFileSync(join(DATA_DIR, "pool-tags.yaml"), "utf8")) as {
    tags: Array<{ tag: string }>;
  };

  it("has tags of exactly four characters, case-sensitive and unique", () => {
    const tags = raw.tags.map((t) => t.tag);
    for (const tag of tags) expect(tag, JSON.stringify(tag)).toHaveLength(4);
    expect(new Set(tags).size).toBe(tags.length);
  });

  it("keeps trailing spaces (`Irp `, `Mdl `)", () => {
    expect(kb.tags.get("Irp ")?.driver).toBe("ntoskrnl.exe");
    expect(kb.tags.has("Irp")).toBe(false);
  });

  it("tells case apart", () => {
    expect(kb.tags.has("MmSt")).toBe(true);
    expect(kb.tags.has("mmst")).toBe(false);
  });

  it("indexes drivers by lower-case file name", () => {
    for (const [driver, rows] of kb.tagsByDriver) {
      expect(driver).toBe(driver.toLowerCase());
      expect(rows.length).toBeGreaterThan(0);
    }
  });

  it("names a source URL for every row", () => {
    for (const t of kb.tags.values()) expect(t.source, t.tag).toMatch(/^https:\/\//);
  });

  it("covers the Microsoft tags an engineer meets in a leak", () => {
    for (const tag of [
      "MmSt",
      "Thre",
      "Even",
      "File",
      "Ntfx",
      "Ntfr",
      "Irp ",
      "Toke",
      "MmCa",
      "Mdl ",
      "Vad ",
      "Proc",
      "Sect",
    ]) {
      expect(kb.tags.get(tag)?.vendor, JSON.stringify(tag)).toBe("Microsoft");
    }
  });
});

describe("pool limits", () => {
  const q = { family: "2003", ramMb: 4096, userVa: false };

  it("gives 256 MB for x86 2003 and 128 MB with /3GB (first matching row wins)", () => {
    expect(deriveLimit(kb, { ...q, generation: "nt5", arch: "x86", threeGb: false })?.limitMb).toBe(256);
    expect(deriveLimit(kb, { ...q, generation: "nt5", arch: "x86", threeGb: true })?.limitMb).toBe(128);
  });

  it("keeps /3GB with /USERVA at the /3GB limit", () => {
    expect(
      deriveLimit(kb, { ...q, generation: "nt5", arch: "x86", threeGb: true, userVa: true })?.limitMb,
    ).toBe(128);
  });

  it("scales with RAM on x64 and on Vista/2008 x86, with caps", () => {
    const x64 = deriveLimit(kb, {
      family: "2012",
      ramMb: 16384,
      userVa: false,
      generation: "nt6",
      arch: "x64",
      threeGb: false,
    });
    expect(x64?.limitMb).toBe(12288);
    const x86 = deriveLimit(kb, {
      family: "2008",
      ramMb: 4096,
      userVa: false,
      generation: "nt6",
      arch: "x86",
      threeGb: false,
    });
    expect(x86?.limitMb).toBe(2048);
  });

  it("names a reference for every row", () => {
    for (const rule of kb.poolLimits.rules) expect(rule.reference.url, rule.id).toMatch(/^https:\/\//);
  });

  it("puts /3GB-specific rows before the general row of the same OS and architecture", () => {
    const rules = kb.poolLimits.rules;
    rules.forEach((rule, i) => {
      if (rule.threeGb !== undefined) return;
      const later = rules
        .slice(i + 1)
        .filter((r) => r.generation === rule.generation && r.arch === rule.arch && r.threeGb !== undefined);
      expect(
        later.map((r) => r.id),
        `${rule.id} shadows them`,
      ).toEqual([]);
    });
  });

  it("maps every family to a generation used by the rules", () => {
    const generations = new Set(kb.poolLimits.rules.map((r) => r.generation));
    for (const f of kb.poolLimits.families) expect(generations.has(f.generation), f.family).toBe(true);
  });
});
