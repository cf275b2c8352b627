// Adding an input kind is one module and one registry entry: a test-only kind, registered through the
// same KindRegistry the real kinds are, is split out of a paste, parsed, counted, printed as
// `parse --json` prints inputs and described, with no other change anywhere.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineKind, KINDS, KindRegistry, parseText, splitPieces } from "../../../parsers/index.js";

const Reading = z.object({ days: z.number().int(), hours: z.number().int() });

/** `net statistics server` output: "Statistics since …" then "Uptime: 12 days, 3 hours" (made up for the test). */
const uptime = defineKind({
  kind: "uptime",
  label: "an uptime report",
  reads: "uptime reports (`Uptime: 12 days, 3 hours`)",
  schema: z.object({ readings: z.array(Reading) }),
  lines: {
    start: ({ line }) =>
      /^\s*Uptime:\s*\d+ days?/i.test(line) ? 2 : /^\s*Statistics since\b/i.test(line) ? 1 : 0,
  },
  parse: (text, source) => [
    {
      kind: "uptime",
      source,
      warnings: [],
      data: {
        readings: [...text.matchAll(/Uptime:\s*(\d+) days?,?\s*(\d+) hours?/gi)].map((m) => ({
          days: Number(m[1]),
          hours: Number(m[2]),
        })),
      },
    },
  ],
  records: (data) => data.readings,
  count: (data) => data.readings.length,
  isEmpty: (data) => data.readings.length === 0,
  details: (data) => ({ longestHours: Math.max(...data.readings.map((r) => r.days * 24 + r.hours)) }),
});

const registry = new KindRegistry([...KINDS.modules, uptime]);

const PASTE = [
  "here is what the box says:",
  "2007-11-13 20:01:44 - - - - - - - - - 3_Connections_Refused -",
  "",
  "Statistics since 11/1/2007 8:00 AM",
  "Uptime: 12 days, 3 hours",
  "Uptime: 2 days, 20 hours",
  "",
  "and that's all",
].join("\n");

describe("a kind added through the registry", () => {
  it("is split out of a paste beside the real kinds", () => {
    expect(splitPieces(PASTE, registry).map((p) => [p.kind, p.line])).toEqual([
      ["httperr", 2],
      ["uptime", 4],
    ]);
  });

  it("is parsed, counted, checked against its schema and printed like any input", () => {
    const result = parseText(PASTE, "paste", registry);
    expect(result.warnings).toEqual([]);
    expect(result.inputs.map((i) => [i.kind, i.source])).toEqual([
      ["httperr", "paste"],
      ["uptime", "paste#2"],
    ]);
    const input = result.inputs[1];
    if (!input) throw new Error("no uptime input");
    expect(registry.recordsOf(input)).toEqual([
      { days: 12, hours: 3 },
      { days: 2, hours: 20 },
    ]);
    expect(registry.recordCount(input)).toBe(2);
    expect(registry.isEmpty(input)).toBe(false);
    expect(registry.inputSchema().parse(input)).toEqual(input);
    expect(registry.toJson(input)).toEqual({
      source: "paste#2",
      kind: "uptime",
      records: [
        { days: 12, hours: 3 },
        { days: 2, hours: 20 },
      ],
      longestHours: 291,
      warnings: [],
    });
  });

  it("is in the 'what I read' answer, after the real kinds", () => {
    expect(registry.describe()).toContain("; and uptime reports (`Uptime: 12 days, 3 hours`). ");
    expect(registry.describe()).toContain("`poolmon` tables");
  });

  it("gives its label to the warning about a piece that held nothing", () => {
    const empty = new KindRegistry([
      {
        ...uptime,
        parse: (_text: string, source: string) => [
          { kind: "uptime", source, warnings: [], data: { readings: [] } },
        ],
      },
    ]);
    expect(parseText("Uptime: 3 days", "x", empty).warnings).toContain(
      "line 1: looked like an uptime report but held none",
    );
  });

  it("stays out of the real registry, and a kind cannot be registered twice", () => {
    expect(parseText(PASTE, "paste").inputs.map((i) => i.kind)).toEqual(["httperr"]);
    expect(KINDS.kinds).not.toContain("uptime");
    expect(() => new KindRegistry([...KINDS.modules, KINDS.module("poolmon")])).toThrow(
      'input kind "poolmon" is registered twice',
    );
  });
});
