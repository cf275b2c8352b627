// The incident Tattletale was founded on, diagnosed by the core from its three pastes: as three
// inputs and as one combined paste. The arithmetic must be shown: 128 − 109 = 19 < 20.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { diagnose } from "../../kb/engine.js";
import { loadKnowledgeBaseFrom } from "../../kb/load.js";
import { PACKAGE_ROOT } from "../../kb/paths.js";
import { parseText } from "../../parsers/index.js";

const kb = loadKnowledgeBaseFrom();
const sample = (name: string) =>
  readFileSync(join(PACKAGE_ROOT, "samples", "founding-incident", name), "utf8");
const files = ["httperr1.log", "poolmon-b.txt", "boot.ini"];
const CHAIN_IDS = [
  "httperr-connections-refused",
  "nonpaged-pool-exhaustion",
  "boot-3gb-switch",
  "antivirus-pool-leak",
];

function diagnoseTexts(texts: Array<[string, string]>) {
  return diagnose(
    kb,
    texts.flatMap(([text, source]) => parseText(text, source).inputs.map((input) => ({ input }))),
  );
}

describe.each([
  ["three files", files.map((f) => [sample(f), f] as [string, string])],
  [
    "one combined paste",
    [[files.map(sample).join("\n\nand here is the next one:\n\n"), "paste"] as [string, string]],
  ],
])("the founding incident as %s", (_label, texts) => {
  const d = diagnoseTexts(texts);

  it("names the four findings of the chain", () => {
    expect(d.findings.map((f) => f.id)).toEqual(expect.arrayContaining(CHAIN_IDS));
  });

  it("derives the limit from /3GB and shows the arithmetic", () => {
    expect(d.facts.pool.limitMb).toBe(128);
    expect(d.facts.pool.defaultLimitMb).toBe(256);
    expect(d.facts.pool.limitSource).toBe("derived");
    expect(d.facts.pool.usedMb).toBe(109);
    expect(d.facts.pool.freeMb).toBe(19);
    const exhaustion = d.findings.find((f) => f.id === "nonpaged-pool-exhaustion");
    expect(exhaustion?.evidence.join("\n")).toContain(
      "Limit 128 MB − used 109 MB = free 19 MB, under the 20 MB",
    );
  });

  it("names the antivirus driver and its share", () => {
    expect(d.facts.pool.filterTags[0]).toMatchObject({ tag: "MFeS", category: "antivirus", mb: 69 });
    const av = d.findings.find((f) => f.id === "antivirus-pool-leak");
    expect(av?.evidence.join("\n")).toMatch(
      /MFeS = mfeavfk\.sys, McAfee.*69 MB non-paged, 63% of the 109 MB/,
    );
  });

  it("links the findings into the causal chain, symptom first", () => {
    expect(d.chains).toContainEqual([
      "httperr-connections-refused",
      "nonpaged-pool-exhaustion",
      "boot-3gb-switch",
    ]);
    expect(d.chains).toContainEqual([
      "httperr-connections-refused",
      "nonpaged-pool-exhaustion",
      "antivirus-pool-leak",
    ]);
    expect(d.findings[0]?.id).toBe("httperr-connections-refused");
    expect(d.headline).toMatch(/refused .* because .*19 MB.*20 MB/);
  });

  it("counts the refusals", () => {
    expect(d.facts.httperr?.refusedConnections).toBe(120 * 3.5);
    expect(d.facts.httperr?.firstTime).toBe("2007-11-13 19:58:12");
  });

  it("carries the references the issue names", () => {
    const urls = d.findings.flatMap((f) => f.references.map((r) => r.url));
    expect(urls).toEqual(
      expect.arrayContaining([expect.stringContaining("david.wang"), expect.stringContaining("934878")]),
    );
    expect(urls.some((u) => u.includes("4-gigabyte-tuning"))).toBe(true);
    expect(urls.some((u) => u.includes("paged-and-nonpaged-pool"))).toBe(true);
  });
});

describe("partial evidence", () => {
  it("HTTPERR alone: the symptom, and what to paste next", () => {
    const d = diagnoseTexts([[sample("httperr1.log"), "httperr1.log"]]);
    expect(d.findings.map((f) => f.id)).toEqual(["httperr-connections-refused"]);
    expect(d.findings[0]?.paste_next.join(" ")).toMatch(/poolmon -b/);
  });
});
