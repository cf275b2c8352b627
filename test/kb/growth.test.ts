// Two poolmon snapshots of one server give a growth rate per tag and a projection to the http.sys
// threshold; the times come from what was pasted above each table.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { deriveFacts, formatDuration, parseLooseTime } from "../../kb/derive.js";
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
  const facts = deriveFacts(kb, inputsOf("bcdedit.txt", "poolmon-0900.txt", "poolmon-1000.txt"));

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
    expect(facts.pool.hoursToThresholdText).toBe("12 h 19 min");
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

describe("parseLooseTime and formatDuration", () => {
  it.each([
    ["2024-03-01 09:00:04", Date.UTC(2024, 2, 1, 9, 0, 4)],
    ["Fri 03/01/2024  9:00:04.17", Date.UTC(2024, 2, 1, 9, 0, 4)],
    ["3/1/2024 9:05 PM", Date.UTC(2024, 2, 1, 21, 5, 0)],
    ["3/1/2024 12:05 AM", Date.UTC(2024, 2, 1, 0, 5, 0)],
  ])("%s", (text, expected) => {
    expect(parseLooseTime(text)).toBe(expected);
  });

  it("returns null for text without a time", () => {
    expect(parseLooseTime("no time here")).toBeNull();
  });

  it("formats hours for people", () => {
    expect(formatDuration(3 + 10 / 60)).toBe("3 h 10 min");
    expect(formatDuration(0.25)).toBe("15 min");
    expect(formatDuration(50)).toBe("2 d 2 h");
  });
});
