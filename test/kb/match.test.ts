// The condition language: comparisons with a value or another fact, all/any/not, and some/every
// over lists with paths relative to the element (`$.` for the whole facts, `@` for the element).
import { describe, expect, it } from "vitest";
import type { Facts } from "../../kb/index.js";
import { holds, pathsRead } from "../../kb/match.js";
import { Condition } from "../../kb/schema.js";

const facts = {
  pool: {
    limitMb: 128,
    usedMb: 109,
    defaultLimitMb: 256,
    headroomMb: -1,
    missing: null,
    topNonpaged: [
      { tag: "MFeS", mb: 69, share: 0.63, category: "antivirus" },
      { tag: "Irp ", mb: 9, share: 0.08, category: "kernel" },
    ],
    growth: [],
  },
  events: { sources: ["Srv", "WAS"] },
} as unknown as Facts;

/** Parses through the entry schema first, so every example is valid YAML-side syntax. */
const check = (c: unknown) => holds(Condition.parse(c), facts);

describe("comparisons", () => {
  it("compares a fact with a value", () => {
    expect(check({ fact: "pool.usedMb", gt: 100, lte: 109 })).toBe(true);
    expect(check({ fact: "pool.usedMb", lt: 100 })).toBe(false);
    expect(check({ fact: "pool.topNonpaged.0.category", in: ["antivirus", "backup"] })).toBe(true);
  });

  it("compares a fact with another fact", () => {
    expect(check({ fact: "pool.usedMb", lt: { fact: "pool.limitMb" } })).toBe(true);
    expect(check({ fact: "pool.defaultLimitMb", gt: { fact: "pool.limitMb" } })).toBe(true);
    expect(check({ fact: "pool.limitMb", gte: { fact: "pool.defaultLimitMb" } })).toBe(false);
    expect(check({ fact: "pool.limitMb", ne: { fact: "pool.defaultLimitMb" } })).toBe(true);
    expect(check({ fact: "pool.limitMb", eq: { fact: "pool.limitMb" } })).toBe(true);
  });

  it("never holds when either side is absent", () => {
    expect(check({ fact: "pool.usedMb", lt: { fact: "pool.missing" } })).toBe(false);
    expect(check({ fact: "pool.missing", lt: { fact: "pool.usedMb" } })).toBe(false);
    expect(check({ fact: "pool.usedMb", ne: { fact: "pool.nowhere" } })).toBe(false);
    expect(check({ fact: "pool.missing", eq: { fact: "pool.nowhere" } })).toBe(false);
    expect(check({ not: { fact: "pool.missing", gt: 0 } })).toBe(true);
  });
});

describe("some and every", () => {
  it("looks into list elements with relative paths", () => {
    expect(
      check({ some: "pool.topNonpaged", where: { fact: "category", in: ["antivirus", "endpoint"] } }),
    ).toBe(true);
    expect(check({ some: "pool.topNonpaged", where: { fact: "category", eq: "backup" } })).toBe(false);
    expect(check({ every: "pool.topNonpaged", where: { fact: "mb", gte: 9 } })).toBe(true);
    expect(check({ every: "pool.topNonpaged", where: { fact: "mb", gte: 10 } })).toBe(false);
  });

  it("reaches the whole facts with `$.` and the element itself with `@`", () => {
    const big = {
      some: "pool.topNonpaged",
      where: {
        all: [
          { fact: "mb", gte: 16 },
          { fact: "$.pool.headroomMb", lt: 40 },
        ],
      },
    };
    expect(check(big)).toBe(true);
    expect(check({ some: "pool.topNonpaged", where: { fact: "mb", gt: { fact: "$.pool.usedMb" } } })).toBe(
      false,
    );
    expect(check({ some: "events.sources", where: { fact: "@", eq: "WAS" } })).toBe(true);
  });

  it("holds for nothing when the list is empty or absent", () => {
    expect(check({ some: "pool.growth", where: { fact: "mbPerHour", gte: 0 } })).toBe(false);
    expect(check({ every: "pool.growth", where: { fact: "mbPerHour", gte: 0 } })).toBe(false);
    expect(check({ every: "pool.nowhere", where: { fact: "mb", gte: 0 } })).toBe(false);
  });

  it("lists the paths a condition reads, from the root", () => {
    const c = Condition.parse({
      any: [
        { fact: "pool.usedMb", gt: { fact: "pool.limitMb" } },
        {
          some: "pool.topNonpaged",
          where: {
            all: [
              { fact: "mb", gte: 1 },
              { fact: "$.pool.headroomMb", lt: 0 },
            ],
          },
        },
      ],
    });
    expect(pathsRead(c)).toEqual([
      "pool.usedMb",
      "pool.limitMb",
      "pool.topNonpaged",
      "pool.topNonpaged.*.mb",
      "pool.headroomMb",
    ]);
  });
});

describe("the schema", () => {
  it("rejects a comparison without an operator and a some without where", () => {
    expect(Condition.safeParse({ fact: "pool.usedMb" }).success).toBe(false);
    expect(Condition.safeParse({ some: "pool.topNonpaged" }).success).toBe(false);
    expect(Condition.safeParse({ fact: "pool.usedMb", gt: { fact: "not a path" } }).success).toBe(false);
  });
});
