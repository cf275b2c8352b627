import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ParsedInput } from "../../../../parsers/evidence.js";
import { parsePoolCounters } from "../../../../parsers/kinds/pool-counters/parse.js";

const dir = import.meta.dirname;
const fixture = (name: string): string => readFileSync(join(dir, name), "utf8");

describe("parsePoolCounters", () => {
  it("reads !vm of the founding box: 109 MB used of a 128 MB non-paged pool", () => {
    const p = parsePoolCounters(fixture("kd-vm-2003.txt"), "vm");
    expect(ParsedInput.parse(p)).toEqual(p);
    expect(p.warnings).toEqual([]);
    expect(p.data).toEqual({
      nonpagedUsedKb: 111616,
      nonpagedMaxKb: 131072,
      pagedUsedKb: 108948,
      pagedMaxKb: 270336,
      physicalMemoryKb: 4193784,
      origin: "kd-vm",
    });
  });

  it("adds NonPagedPoolNx to non-paged usage in Windows 8+ !vm", () => {
    const p = parsePoolCounters(fixture("kd-vm-win10.txt"), "vm10");
    expect(p.warnings).toEqual([]);
    expect(p.data).toMatchObject({
      nonpagedUsedKb: 1400 + 539156,
      nonpagedMaxKb: 17179869184,
      pagedUsedKb: 598104,
      physicalMemoryKb: 16776664,
      origin: "kd-vm",
    });
  });

  it("reads the XP/2003 Task Manager sections in KB", () => {
    const p = parsePoolCounters(fixture("taskmgr-2003.txt"), "tm");
    expect(p.warnings).toEqual([]);
    expect(p.data).toEqual({
      nonpagedUsedKb: 111616,
      nonpagedMaxKb: null,
      pagedUsedKb: 108948,
      pagedMaxKb: null,
      physicalMemoryKb: 4193784,
      origin: "task-manager",
    });
  });

  it("reads Windows 7 Task Manager sections in MB", () => {
    const p = parsePoolCounters(fixture("taskmgr-win7.txt"), "tm7");
    expect(p.warnings).toEqual([]);
    expect(p.data).toMatchObject({
      nonpagedUsedKb: 109 * 1024,
      pagedUsedKb: 312 * 1024,
      physicalMemoryKb: 4095 * 1024,
    });
  });

  it("reads the Windows 10 Task Manager copy (CRLF, tabs, units per line)", () => {
    const p = parsePoolCounters(fixture("taskmgr-win10-copy.txt"), "tm10");
    expect(p.warnings).toEqual([]);
    expect(p.data).toMatchObject({
      nonpagedUsedKb: 461 * 1024,
      pagedUsedKb: 624 * 1024,
      physicalMemoryKb: 16 * 1024 * 1024,
      origin: "task-manager",
    });
  });

  it("reads typeperf CSV, keeping the last sample, in KB", () => {
    const p = parsePoolCounters(fixture("typeperf.csv"), "csv");
    expect(p.warnings).toEqual([]);
    expect(p.data).toMatchObject({ nonpagedUsedKb: 111616, pagedUsedKb: 108948, origin: "perfmon" });
  });

  it("reads Get-Counter output with the value on the next line", () => {
    const p = parsePoolCounters(fixture("get-counter.txt"), "gc");
    expect(p.warnings).toEqual([]);
    expect(p.data).toMatchObject({ nonpagedUsedKb: 111616, pagedUsedKb: 108948, origin: "perfmon" });
  });

  it("reads one-line transcriptions and counter names with grouped values", () => {
    expect(parsePoolCounters("Paged pool 312 MB\nNon-paged pool 109 MB", "x").data).toMatchObject({
      pagedUsedKb: 312 * 1024,
      nonpagedUsedKb: 109 * 1024,
    });
    expect(
      parsePoolCounters("Kernel Memory (K)  Total 220564  Paged 108948  Nonpaged 111616", "x").data,
    ).toMatchObject({
      pagedUsedKb: 108948,
      nonpagedUsedKb: 111616,
    });
    expect(
      parsePoolCounters("\\\\WEB01\\Memory\\Pool Nonpaged Bytes   114,294,784", "x").data.nonpagedUsedKb,
    ).toBe(111616);
  });

  it("prefers !vm over Task Manager when both are pasted, and fills gaps", () => {
    const text = `${fixture("taskmgr-win7.txt")}\n${"NonPagedPool Usage:    27904 (    111616 Kb)"}\n`;
    const p = parsePoolCounters(text, "mix");
    expect(p.data).toMatchObject({ origin: "kd-vm", nonpagedUsedKb: 111616, pagedUsedKb: 312 * 1024 });
    expect(p.warnings.join()).toMatch(/task-manager too/);
  });

  it("warns about a bare number without unit and about nothing found; never throws", () => {
    const p = parsePoolCounters("Nonpaged 111616", "x");
    expect(p.data.nonpagedUsedKb).toBe(111616);
    expect(p.warnings.join()).toMatch(/no unit/);
    const q = parsePoolCounters("lunch at noon", "x");
    expect(q.warnings.join("|")).toMatch(/lunch at noon/);
    expect(q.warnings.join("|")).toMatch(/no pool counters/);
    for (const junk of [
      "",
      "NonPagedPool Usage: (",
      '"',
      '"a","b"',
      "(".repeat(5000),
      "Pool Nonpaged Bytes",
    ]) {
      expect(() => parsePoolCounters(junk, "j")).not.toThrow();
    }
  });
});
