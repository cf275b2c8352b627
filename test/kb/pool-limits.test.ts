// The pool-limit table, row by row: what each OS family, architecture, RAM size and boot switch gives
// for non-paged and paged pool, and which rows only know a ceiling (the real limit needs `!vm`).
import { describe, expect, it } from "vitest";
import { deriveFacts } from "../../kb/derive.js";
import { deriveLimit, type LimitQuery } from "../../kb/facts/pool-limits.js";
import { loadKnowledgeBase, parseTexts } from "../../kb/index.js";

const kb = loadKnowledgeBase();
const GB = 1024;

const base: LimitQuery = {
  generation: "nt5",
  family: "2003",
  arch: "x86",
  threeGb: false,
  userVa: false,
  ramMb: 4 * GB,
};
const limit = (q: Partial<LimitQuery>) => deriveLimit(kb, { ...base, ...q });

describe("non-paged pool, x86 Windows 2000/XP/2003", () => {
  it.each([
    ["1.2 GB of RAM or more", {}, 256, "nt5-x86", true],
    ["/3GB", { threeGb: true }, 128, "nt5-x86-3gb", true],
    [
      "/3GB /USERVA=3030: still 128 MB (the space goes to system PTEs)",
      { threeGb: true, userVa: true, userVaMb: 3030 },
      128,
      "nt5-x86-3gb-userva",
      true,
    ],
    ["/PAE without /3GB: still 256 MB", { pae: true }, 256, "nt5-x86-pae", true],
    ["/3GB /PAE: 128 MB", { threeGb: true, pae: true }, 128, "nt5-x86-3gb", true],
    ["767 MB of RAM: only the 256 MB ceiling is public", { ramMb: 767 }, 256, "nt5-x86-small-ram", false],
    [
      "767 MB of RAM with /3GB: at most 128 MB",
      { ramMb: 767, threeGb: true },
      128,
      "nt5-x86-small-ram-3gb",
      false,
    ],
    ["RAM unknown: the general 256 MB row", { ramMb: null }, 256, "nt5-x86", true],
  ] as const)("%s", (_, q, mb, rule, exact) => {
    const found = limit(q);
    expect(found).toMatchObject({ limitMb: mb, exact });
    expect(found?.rule.id).toBe(rule);
    expect(found?.rule.reference.url).toMatch(/^https:\/\//);
  });
});

describe("non-paged pool, x86 Vista and later", () => {
  const nt6 = { generation: "nt6" as const, family: "2008" };

  it("grows to 75% of RAM, at most 2 GB", () => {
    expect(limit({ ...nt6, ramMb: 2 * GB })).toMatchObject({ limitMb: 1536, exact: true });
    expect(limit({ ...nt6, ramMb: 4 * GB })?.limitMb).toBe(2048);
  });

  it("with increaseuserva, is at most what the kernel keeps (4096 − increaseuserva), a ceiling only", () => {
    const found = limit({ ...nt6, ramMb: 4 * GB, threeGb: true, userVa: true, userVaMb: 3072 });
    expect(found).toMatchObject({ limitMb: 1024, exact: false });
    expect(found?.rule.id).toBe("nt6-x86-increaseuserva");
  });

  it("on Vista, is bounded by kernel address space and RAM only", () => {
    expect(limit({ ...nt6, family: "vista", ramMb: 1 * GB })).toMatchObject({ limitMb: 1024, exact: false });
  });
});

describe("non-paged pool, x64 by generation", () => {
  const x64 = (family: string, generation: "nt5" | "nt6" = "nt6") => ({
    arch: "x64" as const,
    family,
    generation,
  });

  it.each([
    ["2003 x64: about 400 KB per MB of RAM", x64("2003", "nt5"), 16 * GB, 6390, "nt5-x64"],
    ["Vista x64: 40% of RAM", x64("vista"), 16 * GB, 6554, "nt6-x64-vista"],
    ["2008 R2: 75% of RAM", x64("2008r2"), 16 * GB, 12288, "nt6-x64-2008"],
    ["2008 R2: at most 128 GB", x64("2008r2"), 512 * GB, 128 * GB, "nt6-x64-2008"],
    ["2012: RAM", x64("2012"), 16 * GB, 16 * GB, "nt6-x64-2012"],
    ["2012: at most 128 GB", x64("2012"), 512 * GB, 128 * GB, "nt6-x64-2012"],
    ["2012 R2 and later: RAM", x64("2012r2"), 16 * GB, 16 * GB, "nt6-x64-2012r2"],
    [
      "2012 R2 and later: up to 16 TB, so 512 GB of RAM is the limit",
      x64("2012r2"),
      512 * GB,
      512 * GB,
      "nt6-x64-2012r2",
    ],
    ["Windows 10 (family 81): RAM", x64("81"), 32 * GB, 32 * GB, "nt6-x64-2012r2"],
  ] as const)("%s", (_, q, ramMb, mb, rule) => {
    const found = limit({ ...q, ramMb });
    expect(found?.limitMb).toBe(mb);
    expect(found?.rule.id).toBe(rule);
  });

  it("gives nothing without RAM: the x64 rows scale with it", () => {
    expect(limit({ arch: "x64", generation: "nt6", family: "2012r2", ramMb: null })).toBeNull();
  });
});

describe("paged pool", () => {
  const paged = (q: Partial<LimitQuery>) => limit({ pool: "paged", ...q });

  it.each([
    ["2003: at most 530 MB", { family: "2003" }, 530, "nt5-x86-paged-2003"],
    ["XP: at most 490 MB", { family: "xp" }, 490, "nt5-x86-paged-xp"],
    ["2000: at most 350 MB", { family: "2000" }, 350, "nt5-x86-paged-2000"],
  ] as const)("x86 %s, a ceiling only (the real maximum is often far lower: !vm)", (_, q, mb, rule) => {
    const found = paged(q);
    expect(found).toMatchObject({ limitMb: mb, exact: false });
    expect(found?.rule.id).toBe(rule);
  });

  it("x64 2012 R2 and later: 15.5 TB or the commit limit, whichever is smaller", () => {
    const q = { arch: "x64" as const, generation: "nt6" as const, family: "2012r2", ramMb: 32 * GB };
    expect(paged(q)?.limitMb).toBe(15.5 * GB * GB);
    expect(paged({ ...q, commitLimitMb: 37_793 })?.limitMb).toBe(37_793);
  });

  it("x86 Server 2008 with increaseuserva 3072: at most the 1 GB the kernel keeps", () => {
    const found = paged({ generation: "nt6", family: "2008", threeGb: true, userVa: true, userVaMb: 3072 });
    expect(found).toMatchObject({ limitMb: 1024, exact: false });
  });
});

describe("the architecture of an x64-only Windows", () => {
  const bcdedit = (description: string) =>
    [
      "Windows Boot Loader",
      "-------------------",
      "identifier              {current}",
      "device                  partition=C:",
      "path                    \\Windows\\system32\\winload.exe",
      `description             ${description}`,
      "osdevice                partition=C:",
      "systemroot              \\Windows",
      "nx                      OptOut",
    ].join("\n");

  it.each([
    ["Windows Server 2012 R2", "2012r2"],
    ["Windows Server 2016", "2012r2"],
    ["Windows Server 2008 R2 Enterprise", "2008r2"],
    ["Windows Server 2012 Datacenter", "2012"],
  ])("%s is x64 whatever bcdedit omits", (description, family) => {
    const facts = deriveFacts(kb, parseTexts([{ text: bcdedit(description), source: "bcdedit.txt" }]));
    expect(facts.os).toMatchObject({ family, arch: "x64", generation: "nt6" });
    expect(facts.os.archSource).toMatch(/x64 only/);
  });

  it("leaves a Windows that ships for both architectures unknown (Server 2008, Windows 10)", () => {
    for (const description of ["Windows Server 2008", "Windows 10"]) {
      const facts = deriveFacts(kb, parseTexts([{ text: bcdedit(description), source: "bcdedit.txt" }]));
      expect(facts.os.arch).toBeNull();
    }
  });
});
