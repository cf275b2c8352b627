// CSV from PowerShell pool-tag scripts.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ParsedInput } from "../../../../parsers/evidence.js";
import { parsePooltagCsv } from "../../../../parsers/kinds/pooltag-csv/parse.js";

const dir = import.meta.dirname;
const fixture = (name: string): string => readFileSync(join(dir, name), "utf8");

describe("parsePooltagCsv", () => {
  it("reads Export-Csv with its #TYPE line: one row per tag per sample", () => {
    const p = parsePooltagCsv(fixture("export-csv-ps51-with-type.csv"), "c");
    expect(ParsedInput.parse(p)).toEqual(p);
    expect(p.warnings).toEqual([]);
    expect(p.data.rows).toHaveLength(9);
    expect(p.data.rows[1]).toEqual({
      time: "3/14/2024 9:00:02 AM",
      tag: "Thre",
      type: "Nonp",
      allocs: 5000000,
      frees: 4917895,
      diff: 82105,
      bytes: 190485248,
      binary: "nt!ps",
    });
  });

  it("reads SYSTEM_POOLTAG column names (PoolType NonPaged, NumberOfBytes)", () => {
    const rows = parsePooltagCsv(fixture("export-csv-pwsh7.csv"), "c").data.rows;
    expect(rows.map((r) => [r.tag, r.type])).toEqual([
      ["SysR", "Nonp"],
      ["Toke", "Paged"],
      ["SysR", "Nonp"],
      ["Toke", "Paged"],
      ["SysR", "Nonp"],
      ["Toke", "Paged"],
    ]);
  });

  it("converts a Bytes(MB) column and keeps a tag's trailing space", () => {
    const p = parsePooltagCsv(fixture("iso-time-megabytes.csv"), "c").data;
    expect(p.unit).toBe("MB");
    expect(p.rows[0]).toMatchObject({
      time: "2024-03-14T09:00:02",
      tag: "Proc",
      bytes: Math.round(308 * 1048576),
    });
    expect(p.rows[1]?.tag).toBe("Irp ");
  });

  it("reads the wide layout (PagedUsed and NonPagedUsed on one row) with `;`", () => {
    const p = parsePooltagCsv(fixture("wide-layout-semicolon.csv"), "c").data;
    expect(p.layout).toBe("wide");
    expect(
      p.rows.filter((r) => r.time === "14.03.2024 09:00:02").map((r) => [r.tag, r.type, r.bytes]),
    ).toEqual([
      ["Toke", "Paged", 3326083072],
      ["File", "Nonp", 96743264],
      ["CM31", "Paged", 160167216],
      ["CM31", "Nonp", 2048],
    ]);
  });

  it("skips (and reports) rows it cannot read; never throws", () => {
    const p = parsePooltagCsv(
      "Tag,Type,Bytes\nAbcdef,Nonp,1\nAbcd,Weird,2\nAbcd,Nonp,x\nAbcd,Paged,3\n",
      "c",
    );
    expect(p.data.rows.map((r) => [r.tag, r.bytes])).toEqual([["Abcd", 3]]);
    expect(p.warnings).toHaveLength(3);
    for (const junk of ["", "Tag,Bytes", '"', ",".repeat(5000), "#TYPE x"]) {
      expect(() => parsePooltagCsv(junk, "j")).not.toThrow();
    }
  });
});
