// What the curated tables of kb/data/ must hold. Their cross-checks (every reason phrase and event
// id has the entry that fires on it, pool-limit rows all reachable, the driver tables agreeing)
// live in `kb validate` (kb/checks/data.ts, its broken fixtures in test/kb/validate.test.ts); here
// the bundled tables pass them, and hold what the issues and DESIGN.md name.
import { describe, expect, it } from "vitest";
import { checkData } from "../../kb/checks/data.js";
import { ReasonPhrase } from "../../kb/data-schema.js";
import { deriveLimit } from "../../kb/facts/pool-limits.js";
import { reasonPhraseId } from "../../kb/ids.js";
import { loadKnowledgeBaseFrom } from "../../kb/load.js";
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

  it("keeps the ids of DESIGN.md's examples", () => {
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
});
