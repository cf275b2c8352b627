// What the curated tables of kb/data/ must hold. Their cross-checks (every reason phrase and event
// id has the entry that fires on it, pool-limit rows all reachable, the driver tables agreeing)
// live in `kb validate` (kb/checks/data.ts, its broken fixtures in test/kb/validate.test.ts); here
// the bundled tables pass them, and hold what the issues and DESIGN.md name.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkData } from "../../kb/checks/data.js";
import { ReasonPhrase } from "../../kb/data-schema.js";
import { deriveLimit } from "../../kb/facts/pool-limits.js";
import { reasonPhraseId } from "../../kb/ids.js";
import { loadKnowledgeBaseFrom } from "../../kb/load.js";
import { DATA_DIR } from "../../kb/paths.js";
import { familyMatches, findPoolTag } from "../../kb/pool-tags.js";
import { ISSUE_REASON_PHRASES } from "../support/reason-phrases.js";

const kb = loadKnowledgeBaseFrom();

/** The phrases Microsoft's "Error logging in HTTP APIs" page lists, plus NotFound from real logs. */
const DOCUMENTED_PHRASES = [...ISSUE_REASON_PHRASES, "Timer_SslRenegotiation"];

describe("the tables pass kb validate's cross-checks", () => {
  it("reports no problem", () => {
    expect(checkData(kb)).toEqual([]);
  });
});

describe("reason phrases", () => {
  const phrases = kb.reasons.map((r) => r.phrase);

  it("lists every documented phrase once", () => {
    expect([...phrases].sort()).toEqual([...DOCUMENTED_PHRASES].sort());
    expect(new Set(phrases).size).toBe(phrases.length);
  });

  it("keeps the documented example ids", () => {
    expect(reasonPhraseId("Timer_MinBytesPerSecond")).toBe("httperr-timer-min-bytes-per-second");
    expect(kb.byId.has("httperr-invalid-cr-lf")).toBe(true);
    expect(kb.byId.has("httperr-n-a")).toBe(true);
    expect(kb.byId.has("httperr-conn-limit")).toBe(true);
  });

  it("gives each phrase an HTTP error status or null, and the schema refuses anything else", () => {
    for (const r of kb.reasons) {
      if (r.status !== null) expect(r.status, r.phrase).toBeGreaterThanOrEqual(400);
    }
    const row = { phrase: "X", meaning: "y" };
    expect(ReasonPhrase.safeParse({ ...row, status: 200 }).success).toBe(false);
    expect(ReasonPhrase.safeParse({ ...row, status: 503 }).success).toBe(true);
    expect(ReasonPhrase.safeParse({ ...row, status: null }).success).toBe(true);
  });
});

describe("event ids", () => {
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

  it("names a source URL for every row, families included", () => {
    for (const t of [...kb.tags.values(), ...kb.tagFamilies]) expect(t.source, t.tag).toMatch(/^https:\/\//);
  });

  it("marks the object-manager tags of the curated table as `object`", () => {
    for (const tag of ["Even", "Toke", "Proc", "Thre", "File", "Muta", "Key ", "Port", "Sect"]) {
      expect(kb.tags.get(tag)?.category, JSON.stringify(tag)).toBe("object");
      expect(kb.curatedTags.has(tag), JSON.stringify(tag)).toBe(true);
    }
    expect(kb.tags.get("Irp ")?.category).toBe("kernel");
    expect(kb.tags.get("MmSt")?.category).toBe("kernel");
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

describe("public pool tag list", () => {
  const raw = JSON.parse(readFileSync(join(DATA_DIR, "pool-tags-public.json"), "utf8")) as {
    tags: Array<{ tag: string; family?: true; driver?: string; category: string; source: string }>;
  };
  const PINNED =
    /^https:\/\/github\.com\/(kodybrown\/rktools2k3\/blob\/[0-9a-f]{40}\/pooltag\.txt|tklengyel\/drakvuf\/blob\/[0-9a-f]{40}\/src\/plugins\/poolmon\/private\.h)#L\d+$/;

  it("holds over 2,000 tags, each once", () => {
    expect(raw.tags.length).toBeGreaterThan(2000);
    expect(new Set(raw.tags.map((t) => t.tag)).size).toBe(raw.tags.length);
    expect(kb.tags.size + kb.tagFamilies.length).toBeGreaterThan(2000);
  });

  it("cites the exact line of a pinned source file for every row", () => {
    for (const t of raw.tags) expect(t.source, JSON.stringify(t.tag)).toMatch(PINNED);
  });

  it("has tags of four printable ASCII characters, and wildcards only in family rows", () => {
    for (const t of raw.tags) {
      expect(t.tag, JSON.stringify(t.tag)).toMatch(/^[\x20-\x7e]{4}$/);
      expect(t.tag.trim().length, JSON.stringify(t.tag)).toBeGreaterThan(0);
      expect(/[?*]/.test(t.tag), JSON.stringify(t.tag)).toBe(t.family === true);
    }
  });

  it("keeps the families pooltag.txt writes (`Afd?`, `Npf*`, `CM??`)", () => {
    const families = new Set(kb.tagFamilies.map((f) => f.tag));
    for (const f of ["Afd?", "Npf*", "CM??", "Acp*", "Ntf?", "Ul??"]) expect(families.has(f), f).toBe(true);
    expect(kb.tags.has("Afd?")).toBe(false);
  });

  it("lets curated rows win over the public row of the same tag", () => {
    const publicMmSt = raw.tags.find((t) => t.tag === "MmSt");
    expect(publicMmSt).toBeDefined();
    expect(kb.tags.get("MmSt")?.source).toMatch(/^https:\/\/learn\.microsoft\.com\//);
    expect(kb.tags.get("MmSt")?.source).not.toBe(publicMmSt?.source);
  });

  it("adds what the curated table lacks, with binary and component (`AfdB`, `ObNm`)", () => {
    expect(kb.tags.get("AfdB")).toMatchObject({
      driver: "afd.sys",
      vendor: "Microsoft",
      category: "network",
    });
    expect(kb.tags.get("ObNm")).toMatchObject({ driver: "ntoskrnl.exe", component: "nt!ob" });
    expect(kb.tags.get("UlHT")?.driver).toBe("http.sys");
  });

  it("marks the object-manager tags as `object`, and only those", () => {
    const objects = [...kb.tags.values()].filter((t) => t.category === "object").map((t) => t.tag);
    expect(objects.sort()).toEqual(
      [
        "ALPC",
        "Dire",
        "Even",
        "File",
        "Key ",
        "Muta",
        "ObDi",
        "ObHd",
        "ObNm",
        "Obeb",
        "Obtb",
        "Port",
        "Proc",
        "Prof",
        "Sect",
        "Sema",
        "Symb",
        "Thre",
        "Time",
        "Toke",
        "TpWo",
      ].sort(),
    );
    for (const tag of objects) expect(kb.tags.get(tag)?.driver, tag).toBe("ntoskrnl.exe");
  });

  it("never files a public row as antivirus or backup", () => {
    // Those categories feed antivirus-pool-leak; only researched rows may carry them.
    for (const t of raw.tags) expect(["antivirus", "backup"], t.tag).not.toContain(t.category);
  });
});

describe("pool tag look-up: the exact row, then the most specific family", () => {
  it("finds the exact row first, even where a family covers the tag", () => {
    expect(findPoolTag(kb, "AfdB")).toMatchObject({ match: "exact", row: { tag: "AfdB" } });
  });

  it("pads a short tag as poolmon keys it (`Irp` → `Irp `)", () => {
    expect(findPoolTag(kb, "Irp")).toMatchObject({ match: "exact", row: { tag: "Irp " } });
  });

  it("falls back to the family (`AfdZ` → `Afd?`, `CM99` → `CM??`)", () => {
    expect(findPoolTag(kb, "AfdZ")).toMatchObject({
      match: "family",
      row: { tag: "Afd?", driver: "afd.sys" },
    });
    expect(findPoolTag(kb, "CM99")).toMatchObject({ match: "family", row: { tag: "CM??" } });
  });

  it("prefers the family that fixes more characters (`ScDz`: `ScD?` over `Sc??`)", () => {
    const families = new Set(kb.tagFamilies.map((f) => f.tag));
    expect(families.has("Sc??")).toBe(true);
    expect(familyMatches("Sc??", "ScDz")).toBe(true);
    expect(findPoolTag(kb, "ScDz")?.row.tag).toBe("ScD?");
  });

  it("matches case first, then any case (`NpFz` falls under pooltag.txt's `Npf*`)", () => {
    expect(familyMatches("Npf*", "NpFz")).toBe(false);
    expect(familyMatches("Npf*", "NpFz", true)).toBe(true);
    expect(findPoolTag(kb, "NpFz")).toMatchObject({
      match: "family",
      row: { tag: "Npf*", driver: "npfs.sys" },
    });
  });

  it("reads `*` as the rest of the tag and `?` as one character", () => {
    expect(familyMatches("Acp*", "AcpX")).toBe(true);
    expect(familyMatches("Bu* ", "BuXY")).toBe(true);
    expect(familyMatches("Afd?", "AfeB")).toBe(false);
    expect(familyMatches("Gh ?", "Gh 5")).toBe(true);
    expect(familyMatches("Gh ?", "Ghx5")).toBe(false);
  });

  it("knows nothing of a tag outside every row and family", () => {
    expect(findPoolTag(kb, "Qz7x")).toBeNull();
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
    // Server 2012 (and Windows 8): RAM or 128 GB, whichever is smaller.
    expect(x64?.limitMb).toBe(16384);
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
});
