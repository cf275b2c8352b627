// The debugger's !poolused 2 / 4, old kdexts and WinDbg 10 layouts.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ParsedInput } from "../../../../parsers/evidence.js";
import { parseKdPoolused } from "../../../../parsers/kinds/kd-poolused/parse.js";
import { KdPoolusedData } from "../../../../parsers/kinds/kd-poolused/schema.js";

const dir = import.meta.dirname;
const fixture = (name: string): string => readFileSync(join(dir, name), "utf8");

describe("parseKdPoolused", () => {
  it("reads kdexts' !poolused 2, descriptions glued to the last number", () => {
    const [p] = parseKdPoolused(fixture("poolused2-debuggingtools6-2003.txt"), "pu");
    expect(p && ParsedInput.parse(p)).toEqual(p);
    expect(p?.data).toMatchObject({ format: "kdexts", sortedBy: "nonpaged", flags: 2, total: null });
    expect(p?.data.rows[0]).toEqual({
      tag: "AfdB",
      nonpagedAllocs: 41746,
      nonpagedBytes: 66794496,
      pagedAllocs: 0,
      pagedBytes: 0,
      description: "Afd data buffer",
      binary: "afd.sys",
    });
    expect(p?.data.rows.find((r) => r.tag === "Irp ")).toMatchObject({
      nonpagedBytes: 7590510,
      binary: null,
    });
    expect(p?.data.rows.find((r) => r.tag === "Wqd1")).toMatchObject({ description: null, binary: null });
  });

  it("splits numbers that ran into each other at the header's columns (MmSt 140612 | 221249536)", () => {
    const [p] = parseKdPoolused(fixture("poolused4-debuggingtools6-2003.txt"), "pu");
    expect(p?.warnings).toEqual([]);
    expect(p?.data.sortedBy).toBe("paged");
    expect(p?.data.rows[0]).toMatchObject({ tag: "MmSt", pagedAllocs: 140612, pagedBytes: 221249536 });
    expect(p?.data.rows.find((r) => r.tag === "Se  ")).toMatchObject({ pagedBytes: 5195040 });
  });

  it("reads WinDbg 10's tab-separated descriptions and TOTAL line", () => {
    const [p] = parseKdPoolused(fixture("poolused2-windbg10-2016.txt"), "pu");
    expect(p?.data.format).toBe("windbg10");
    expect(p?.data.total).toEqual({
      nonpagedAllocs: 6821004,
      nonpagedBytes: 2301662208,
      pagedAllocs: 2144906,
      pagedBytes: 1180114944,
    });
    expect(p?.data.rows[0]).toMatchObject({
      tag: "Even",
      nonpagedBytes: 672137216,
      description: "Event objects",
    });
    expect(p?.data.rows.find((r) => r.tag === "EtwB")).toMatchObject({
      pagedBytes: 2764800,
      binary: "nt!etw",
    });
  });

  it("with the alignment lost, skips (and reports) a row whose numbers ran together", () => {
    const text = fixture("poolused2-slack-collapsed.txt");
    const [p] = parseKdPoolused(text.slice(text.indexOf("1: kd>"), text.lastIndexOf("```")), "pu");
    expect(p?.data.rows.map((r) => r.tag)).toEqual(["AfdB", "TCPt", "Irp ", "Wqd1"]);
    expect(p?.warnings.join()).toMatch(/MmSt .*run together|run together.*MmSt/);
  });

  it("gives one table per !poolused command; never throws", () => {
    const two = `kd> !poolused 2\n Tag Allocs Used Allocs Used\n Abcd 1 2 0 0\nkd> !poolused 4\n Tag Allocs Used Allocs Used\n Efgh 0 0 3 4\n`;
    expect(parseKdPoolused(two, "x").map((i) => [i.data.flags, i.data.rows.map((r) => r.tag)])).toEqual([
      [2, ["Abcd"]],
      [4, ["Efgh"]],
    ]);
    // Found by the property test: flags too long to be a number are none, and the table still reads.
    const huge = parseKdPoolused(
      `kd> !poolused 99999999999999999999\n${two.split("\n").slice(1, 3).join("\n")}\n`,
      "h",
    );
    expect(huge.map((i) => [i.data.flags, i.data.rows.map((r) => r.tag)])).toEqual([[null, ["Abcd"]]]);
    expect(() => KdPoolusedData.parse(huge[0]?.data)).not.toThrow();
    for (const junk of ["", " Tag Allocs Used Allocs Used", " X 1 2", "TOTAL 1", "(".repeat(5000)]) {
      expect(() => parseKdPoolused(junk, "j")).not.toThrow();
    }
  });
});
