// Task Manager's memory figures in the forms people paste (what pool-counters read before, and more).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ParsedInput } from "../../../../parsers/evidence.js";
import { parseText } from "../../../../parsers/index.js";
import { parseTaskManager } from "../../../../parsers/kinds/task-manager/parse.js";

const dir = import.meta.dirname;
const fixture = (name: string): string => readFileSync(join(dir, name), "utf8");
const GB = 1024 * 1024;

describe("parseTaskManager", () => {
  it("reads the XP/2003 Performance tab sections in KB", () => {
    const p = parseTaskManager(fixture("taskmgr-2003.txt"), "tm");
    expect(ParsedInput.parse(p)).toEqual(p);
    expect(p.warnings).toEqual([]);
    expect(p.data).toMatchObject({
      form: "performance-tab",
      nonpagedUsedKb: 111616,
      pagedUsedKb: 108948,
      kernelTotalKb: 220564,
      physicalMemoryKb: 4193784,
      availableKb: 2837512,
      commitKb: 1183440,
      commitLimitKb: 6274092,
    });
  });

  it("reads the 2003 tab typed on one line per section", () => {
    const p = parseTaskManager(fixture("taskmgr-2003-one-line.txt"), "tm");
    expect(p.warnings).toEqual([]);
    expect(p.data).toMatchObject({ kernelTotalKb: 241388, pagedUsedKb: 138104, nonpagedUsedKb: 103284 });
    expect(p.data).toMatchObject({ physicalMemoryKb: 4193784, commitLimitKb: 6274092 });
  });

  it("reads Vista's MB sections and its System box (Page File is the commit charge)", () => {
    const p = parseTaskManager(fixture("vista-2008-performance-tab.txt"), "tm");
    expect(p.warnings).toEqual([]);
    expect(p.data).toMatchObject({
      physicalMemoryKb: 4094 * 1024,
      nonpagedUsedKb: 390 * 1024,
      pagedUsedKb: 312 * 1024,
      commitKb: 5980 * 1024,
      commitLimitKb: 8188 * 1024,
      handles: 41212,
      processes: 61,
      upTime: "6:02:14:40",
    });
  });

  it("reads Windows 7's sections in MB and Commit (GB) used / limit", () => {
    const p = parseTaskManager(fixture("win7-2008r2-performance-tab.txt"), "tm7");
    expect(p.warnings).toEqual([]);
    expect(p.data).toMatchObject({
      physicalMemoryKb: 16383 * 1024,
      availableKb: 9884 * 1024,
      nonpagedUsedKb: 287 * 1024,
      pagedUsedKb: 498 * 1024,
      commitKb: 5 * GB,
      commitLimitKb: 32 * GB,
    });
  });

  it("reads the Windows 8.1 Memory page: 13.6 GB non-paged on a 16 GB box", () => {
    const p = parseTaskManager(fixture("win81-2012r2-memory-copy.txt"), "tm");
    expect(p.warnings).toEqual([]);
    expect(p.data.form).toBe("memory-tab");
    expect(p.data.physicalMemoryKb).toBe(16 * GB);
    expect(p.data.nonpagedUsedKb).toBeCloseTo(13.6 * GB, 3);
    expect(p.data.availableKb).toBe(412 * 1024);
    expect(p.data.commitLimitKb).toBeCloseTo(18.3 * GB, 3);
  });

  it("reads the Windows 10 copy whether Slack kept its lines or joined them", () => {
    const clean = parseTaskManager(fixture("taskmgr-win10-copy.txt"), "a").data;
    const joined = parseTaskManager(fixture("win10-slack-mangled.txt"), "b").data;
    expect(clean).toMatchObject({
      physicalMemoryKb: 16 * GB,
      nonpagedUsedKb: 461 * 1024,
      pagedUsedKb: 624 * 1024,
    });
    expect(joined).toEqual(clean);
  });

  it("reads pools given in GB (Windows 10 / Server 2019 on a physical server)", () => {
    const p = parseTaskManager(fixture("win10-2019-memory-copy.txt"), "tm").data;
    expect(p.physicalMemoryKb).toBe(64 * GB);
    expect(p.pagedUsedKb).toBeCloseTo(1.3 * GB, 3);
    expect(p.nonpagedUsedKb).toBe(2 * GB);
  });

  it("reads one-line transcriptions, and a bare number as KB with a warning", () => {
    expect(parseTaskManager("Paged pool 312 MB\nNon-paged pool 109 MB", "x").data).toMatchObject({
      pagedUsedKb: 312 * 1024,
      nonpagedUsedKb: 109 * 1024,
    });
    const bare = parseTaskManager("Nonpaged 111616", "x");
    expect(bare.data.nonpagedUsedKb).toBe(111616);
    expect(bare.warnings.join()).toMatch(/no unit/);
  });

  it("reports lines it cannot read, and nothing found; never throws", () => {
    const q = parseTaskManager("lunch at noon", "x");
    expect(q.warnings.join("|")).toMatch(/lunch at noon/);
    expect(q.warnings.join("|")).toMatch(/no Task Manager memory figures/);
    for (const junk of ["", "Memory", "Committed 1/", "(".repeat(5000), "Kernel Memory (K)", "Up Time 1:2"]) {
      expect(() => parseTaskManager(junk, "j")).not.toThrow();
    }
  });

  it("is found in a paste beside other kinds, with the prose dropped", () => {
    const result = parseText(`task manager:\n${fixture("win2003-performance-tab.txt")}\nthat's all`, "msg");
    expect(result.inputs.map((i) => i.kind)).toEqual(["task-manager"]);
  });
});
