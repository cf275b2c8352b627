// Value formats of templates: how facts read to a person, and the placeholders that use them.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FORMATS, formatDuration, formatValue, groupThousands } from "../../kb/format.js";
import type { Facts } from "../../kb/index.js";
import { fill } from "../../kb/template.js";

describe("formats", () => {
  it("groups thousands as English does, for whole numbers and one decimal (minus zero reads 0)", () => {
    expect(groupThousands(1234567.8)).toBe("1,234,567.8");
    expect(groupThousands(-1000)).toBe("-1,000");
    expect(groupThousands(999)).toBe("999");
    expect(groupThousands(-0)).toBe("0");
    const oneDecimal = fc
      .double({ min: -1e17, max: 1e17, noNaN: true })
      .map((x) => Math.round(x * 10) / 10)
      .filter((x) => !Object.is(x, -0));
    fc.assert(
      fc.property(fc.oneof(fc.maxSafeInteger(), oneDecimal), (n) => {
        expect(groupThousands(n)).toBe(n.toLocaleString("en-US", { maximumFractionDigits: 1 }));
      }),
      { numRuns: 5000 },
    );
  });

  it("formats minutes for people", () => {
    expect(formatDuration(3 * 60 + 10)).toBe("3 h 10 min");
    expect(formatDuration(15)).toBe("15 min");
    expect(formatDuration(50 * 60)).toBe("2 d 2 h");
    expect(formatDuration(120)).toBe("2 h");
    expect(formatDuration(0.2)).toBe("1 min");
  });

  it.each([
    ["int", 1234.6, "1,235"],
    ["pct", 0.634, "63%"],
    ["mb", 68.94, "68.9 MB"],
    ["mb", 2048, "2,048 MB"],
    ["duration", 739, "12 h 19 min"],
    [
      "list",
      [
        { key: "10.0.0.5", count: 3 },
        { key: "10.0.0.6", count: 1 },
      ],
      "10.0.0.5 (3), 10.0.0.6 (1)",
    ],
    ["list", ["a", "b", "c", "d", "e", "f"], "a, b, c, d, e"],
  ])("%s: %j → %s", (format, value, text) => {
    expect(formatValue(value, format)).toBe(text);
  });

  it("gives null when the value does not fit the format, so the line is left out", () => {
    expect(formatValue("MFeS", "pct")).toBeNull();
    expect(formatValue(12, "list")).toBeNull();
    expect(formatValue([], "list")).toBeNull();
    expect(formatValue(null, "int")).toBeNull();
    expect(formatValue(3, "nosuchformat")).toBeNull();
  });

  it("formats by type without a format name", () => {
    expect(formatValue(19.04, undefined)).toBe("19");
    expect(formatValue(true, undefined)).toBe("yes");
    expect(formatValue("x86", undefined)).toBe("x86");
  });

  it("documents every format", () => {
    for (const [name, f] of Object.entries(FORMATS)) expect(f.doc.length, name).toBeGreaterThan(10);
  });
});

describe("fill", () => {
  const facts = {
    pool: { freeMb: 19, minutesToThreshold: 739, usedShare: 0.85, topNonpaged: [{ tag: "MFeS" }] },
  } as unknown as Facts;

  it("fills paths, list steps and formats", () => {
    expect(fill("free {pool.freeMb|mb}, {pool.usedShare|pct} used, {pool.topNonpaged.0.tag}", facts)).toBe(
      "free 19 MB, 85% used, MFeS",
    );
    expect(fill("in about {pool.minutesToThreshold|duration}", facts)).toBe("in about 12 h 19 min");
  });

  it("leaves out a line whose fact is missing", () => {
    expect(fill("limit {pool.limitMb} MB", facts)).toBeNull();
    expect(fill("second tag {pool.topNonpaged.1.tag}", facts)).toBeNull();
  });

  it("keeps command tokens for the surface", () => {
    expect(fill("look up `{cmd:lookup tag {pool.topNonpaged.0.tag}}`", facts)).toBe(
      "look up `{cmd:lookup tag MFeS}`",
    );
  });
});
