// Two poolmon snapshots of one server give a growth rate per tag and a projection to the http.sys
// threshold; the times come from what was pasted above each table.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { deriveFacts } from "../../kb/derive.js";
import { diagnose } from "../../kb/engine.js";
import { loadKnowledgeBaseFrom } from "../../kb/load.js";
import { PACKAGE_ROOT } from "../../kb/paths.js";
import { parseText } from "../../parsers/index.js";

const kb = loadKnowledgeBaseFrom();
const inputsOf = (...files: string[]) =>
  files.flatMap((f) =>
    parseText(readFileSync(join(PACKAGE_ROOT, "samples", "pool-leak-growth", f), "utf8"), f).inputs.map(
      (input) => ({
        input,
      }),
    ),
  );

describe("growth between snapshots", () => {
  const inputs = inputsOf("bcdedit.txt", "poolmon-0900.txt", "poolmon-1000.txt");
  const facts = deriveFacts(kb, inputs);

  it("measures the leaking tag per hour, with its mapped driver", () => {
    expect(facts.pool.snapshots).toBe(2);
    expect(facts.pool.growth[0]).toMatchObject({ tag: "Leak", type: "Nonp", driver: "acmefilt.sys" });
    expect(facts.pool.growth[0]?.mbPerHour).toBeCloseTo(122, 0);
  });

  it("projects when free non-paged pool reaches the 20 MB threshold", () => {
    // x86 Server 2008 with 16 GB: the limit is 75% of RAM capped at 2 GB.
    expect(facts.pool.limitMb).toBe(2048);
    expect(facts.pool.limitRule).toBe("nt6-x86");
    expect(facts.pool.hoursToThreshold).toBeCloseTo(12.3, 1);
    expect(facts.pool.minutesToThreshold).toBe(739);
    const leak = diagnose(kb, inputs).findings.find((f) => f.id === "pool-tag-leak");
    expect(leak?.evidence).toContain(
      "At this rate, free non-paged pool reaches the http.sys 20 MB threshold in about 12 h 19 min",
    );
  });

  it("does not invent a rate without times", () => {
    const text = readFileSync(join(PACKAGE_ROOT, "samples", "founding-incident", "poolmon-b.txt"), "utf8");
    const twice = parseText(`${text}\n${text}`, "paste").inputs.map((input) => ({ input }));
    expect(deriveFacts(kb, twice).pool.growth).toEqual([]);
  });

  it("uses the capture times of the inputs when the paste has none (Slack message times)", () => {
    const text = readFileSync(join(PACKAGE_ROOT, "samples", "founding-incident", "poolmon-b.txt"), "utf8");
    const grown = text.replace("72351744", "82837504").replace("Pool N:111616K", "Pool N:121856K");
    const [a] = parseText(text, "first").inputs;
    const [b] = parseText(grown, "second").inputs;
    if (!a || !b) throw new Error("samples did not parse");
    const f = deriveFacts(kb, [
      { input: a, at: Date.UTC(2007, 10, 13, 18, 0) },
      { input: b, at: Date.UTC(2007, 10, 13, 19, 0) },
    ]);
    expect(f.pool.growth[0]).toMatchObject({ tag: "MFeS", mbPerHour: 10 });
  });
});
