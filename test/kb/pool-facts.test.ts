// Pool facts beyond the founding incident: x64 pressure against RAM, paged pool against its limit,
// kernel-object tags told apart from drivers, growth over any number of snapshots with and without
// times, the totals' trend from snapshots or a counter series, and findstr naming an unknown tag.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { deriveFacts } from "../../kb/derive.js";
import { derivePool } from "../../kb/facts/pool.js";
import { diagnoseTexts, loadKnowledgeBase, parseTexts } from "../../kb/index.js";
import { PACKAGE_ROOT } from "../../kb/paths.js";
import type { PoolmonSnapshot, PoolRow } from "../../parsers/evidence.js";

const kb = loadKnowledgeBase();
const MB = 1024 * 1024;
const read = (...p: string[]) => readFileSync(join(PACKAGE_ROOT, ...p), "utf8");
const textsOf = (files: string[][]) => files.map((p) => ({ text: read(...p), source: p.at(-1) as string }));
const kbDiagnose = (...files: string[][]) => diagnoseTexts(kb, textsOf(files));
const factsOf = (...files: string[][]) =>
  deriveFacts(kb, parseTexts(files.map((p) => ({ text: read(...p), source: p.at(-1) as string }))));

function row(tag: string, type: "Nonp" | "Paged", mb: number, diff = 1000): PoolRow {
  return {
    tag,
    type,
    allocs: diff * 2,
    allocsDelta: null,
    frees: diff,
    freesDelta: null,
    diff,
    bytes: Math.round(mb * MB),
    bytesDelta: null,
    perAlloc: null,
    mappedDriver: null,
  };
}

function snapshot(
  rows: PoolRow[],
  time: string | null,
  header: Partial<PoolmonSnapshot["header"]> = {},
): PoolmonSnapshot {
  return {
    tool: "wdk",
    time,
    rows,
    header: {
      memoryKb: null,
      availKb: null,
      pageFlts: null,
      inRamKb: null,
      commitKb: null,
      limitKb: null,
      peakKb: null,
      nonpagedKb: null,
      pagedKb: null,
      ...header,
    },
  };
}

const machine = (ramMb: number | null) => ({
  ramMb,
  ramSource: null,
  osName: null,
  osSource: null,
  arch: null,
  archSource: null,
  measured: {
    nonpagedUsedMb: null,
    nonpagedLimitMb: null,
    pagedUsedMb: null,
    pagedLimitMb: null,
    source: null,
  },
});
const os2012r2 = {
  family: "2012r2",
  name: "Windows Server 2012 R2",
  arch: "x64" as const,
  archSource: "bcdedit",
  generation: "nt6" as const,
  source: "bcdedit",
};
const noBoot = {
  threeGb: false,
  userVaMb: null,
  pae: null,
  source: null,
  kernelSpaceMb: null,
  entry: null,
  switchesText: null,
};
const pool = (
  snapshots: PoolmonSnapshot[],
  extra: Partial<Parameters<typeof derivePool>[1]> = {},
  ramMb: number | null = 16384,
) =>
  derivePool(
    kb,
    { snapshots: snapshots.map((payload) => ({ payload })), counterSeries: null, tagDrivers: null, ...extra },
    { machine: machine(ramMb), os: os2012r2, boot: noBoot },
  );

describe("x64 pressure: non-paged pool against RAM", () => {
  const facts = factsOf(
    ["kb", "examples", "nonpaged-pool-exhaustion", "poolmon-2012r2-13gb.txt"],
    ["kb", "examples", "nonpaged-pool-exhaustion", "bcdedit-2012r2.txt"],
  );

  it("derives the 2012 R2 limit from RAM and shows how much of RAM the pool holds", () => {
    expect(facts.os).toMatchObject({ family: "2012r2", arch: "x64" });
    expect(facts.pool.ramMb).toBe(16316);
    expect(facts.pool.limitMb).toBe(16316);
    expect(facts.pool.limitRule).toBe("nt6-x64-2012r2");
    expect(facts.pool.usedMb).toBeCloseTo(13861, 0);
    expect(facts.pool.usedShareOfRam).toBeCloseTo(0.85, 2);
    expect(facts.pool.availableMb).toBeCloseTo(412, 0);
    expect(facts.pool.availableShareOfRam).toBeCloseTo(0.025, 3);
    // Free against the limit is 2.4 GB: on x64 the limit is not the wall, RAM is.
    expect(facts.pool.headroomMb).toBeGreaterThan(0);
  });

  it("raises nonpaged-pool-exhaustion with the arithmetic against RAM", () => {
    const d = kbDiagnose(
      ["kb", "examples", "nonpaged-pool-exhaustion", "poolmon-2012r2-13gb.txt"],
      ["kb", "examples", "nonpaged-pool-exhaustion", "bcdedit-2012r2.txt"],
    );
    const f = d.findings.find((x) => x.id === "nonpaged-pool-exhaustion");
    expect(f?.severity).toBe("critical");
    expect(f?.evidence).toContain(
      "RAM 16,316 MB − non-paged pool 13,861 MB: the pool holds 85% of physical memory, which nothing can page out",
    );
    expect(f?.evidence).toContain("Available memory: 412 MB, 3% of RAM");
    expect(d.headline).toMatch(/^Non-paged pool holds 13,861 MB of the 16,316 MB of RAM \(85%\)/);
  });

  it("stays quiet on 3.1 GB of non-paged pool on a 128 GB server", () => {
    const d = kbDiagnose(
      ["kb", "examples", "nonpaged-pool-exhaustion", "poolmon-2012r2-128gb-healthy.txt"],
      ["kb", "examples", "nonpaged-pool-exhaustion", "bcdedit-2012r2.txt"],
    );
    expect(d.facts.pool.usedShareOfRam).toBeCloseTo(0.024, 3);
    expect(d.findings.filter((x) => x.severity !== "info")).toEqual([]);
  });
});

describe("paged pool against its limit", () => {
  it("uses the measured maximum (!vm) and computes free paged pool", () => {
    const facts = factsOf(
      ["kb", "examples", "paged-pool-exhaustion", "livekd-vm.txt"],
      ["kb", "examples", "paged-pool-exhaustion", "poolmon-b.txt"],
    );
    expect(facts.pool.pagedLimitSource).toBe("measured");
    expect(facts.pool.pagedLimitMb).toBe(343);
    expect(facts.pool.pagedUsedMb).toBeCloseTo(339.3, 1);
    expect(facts.pool.pagedFreeMb).toBeCloseTo(3.7, 1);
    expect(facts.pool.pagedUsedShare).toBeCloseTo(0.989, 3);
    expect(facts.pool.topPaged[0]).toMatchObject({ tag: "MmSt", category: "kernel" });
  });

  it("only knows the ceiling for x86 2003 without !vm (530 MB), and says so", () => {
    const facts = factsOf(
      ["kb", "examples", "paged-pool-exhaustion", "exchange-boot.ini"],
      ["kb", "examples", "paged-pool-exhaustion", "exchange-poolmon-b.txt"],
    );
    expect(facts.pool.pagedLimitMb).toBeNull();
    expect(facts.pool.pagedLimitUpperMb).toBe(530);
    expect(facts.pool.pagedLimitRule).toBe("nt5-x86-paged-2003");
    expect(facts.pool.pagedUsedShareOfUpper).toBeCloseTo(0.323, 3);
  });
});

describe("kernel-object tags apart from drivers", () => {
  it("lists object tags of either pool with their share, largest share first", () => {
    const p = pool([
      snapshot(
        [
          row("Toke", "Paged", 3172),
          row("MmSt", "Paged", 402),
          row("File", "Nonp", 183.8),
          row("Irp ", "Nonp", 99.3),
        ],
        null,
        {
          nonpagedKb: 498 * 1024,
          pagedKb: 4474 * 1024,
        },
      ),
    ]);
    expect(p.topObjectTag).toMatchObject({
      tag: "Toke",
      type: "Paged",
      category: "object",
      description: "Access token objects",
    });
    expect(p.topObjectTag?.share).toBeCloseTo(0.709, 3);
    expect(p.objectTags.map((t) => t.tag)).toEqual(["Toke", "File"]);
  });
});

describe("growth over any number of snapshots", () => {
  const three = (times: Array<string | null>) =>
    pool([
      snapshot([row("Proc", "Nonp", 308, 144_179), row("ConT", "Nonp", 538)], times[0] ?? null),
      snapshot([row("Proc", "Nonp", 414, 193_799), row("ConT", "Nonp", 539)], times[1] ?? null),
      snapshot([row("Proc", "Nonp", 519, 242_951), row("ConT", "Nonp", 537)], times[2] ?? null),
    ]);

  it("fits a least-squares rate per tag over every timed snapshot (Get-Date's long form)", () => {
    const p = three([
      "Tuesday, March 12, 2024 9:02:41 AM",
      "Tuesday, March 12, 2024 11:03:10 AM",
      "Tuesday, March 12, 2024 1:02:55 PM",
    ]);
    expect(p.growthTimed).toBe(true);
    expect(p.snapshotMinutes).toBeCloseTo(240.2, 1);
    const proc = p.objectGrowth[0];
    expect(proc).toMatchObject({ tag: "Proc", samples: 3, fromMb: 308, toMb: 519, category: "object" });
    expect(proc?.mbPerHour).toBeCloseTo(52.7, 1);
    expect(proc?.r2).toBeGreaterThan(0.99);
    expect(proc?.diffDelta).toBe(98_772);
    expect(p.driverGrowth).toEqual([]);
  });

  it("without times, gives the absolute growth and no rate", () => {
    const p = three([null, null, null]);
    expect(p.growthTimed).toBe(false);
    expect(p.snapshotMinutes).toBeNull();
    expect(p.objectGrowth[0]).toMatchObject({
      tag: "Proc",
      deltaMb: 211,
      minutes: null,
      mbPerHour: null,
      r2: null,
    });
    expect(p.objectGrowth[0]?.growthShare).toBeCloseTo(0.685, 3);
  });

  it("does not mix a timed series with an untimed snapshot", () => {
    const p = three(["2024-03-12 09:00:00", null, "2024-03-12 13:00:00"]);
    expect(p.growthTimed).toBe(false);
    expect(p.objectGrowth[0]?.mbPerHour).toBeNull();
  });

  it("reads a day-first series as day first (05/03 then 06/03 is one day, not a month)", () => {
    const p = three(["05/03/2024 22:00:00", "05/03/2024 23:00:00", "06/03/2024 00:00:00"]);
    expect(p.snapshotMinutes).toBe(120);
  });
});

describe("the trend of the totals", () => {
  it("comes from timed snapshot totals with the time left to the limit", () => {
    const facts = factsOf(
      ["kb", "examples", "pool-usage-trend", "poolmon-four-hours.txt"],
      ["kb", "examples", "pool-usage-trend", "boot.ini"],
    );
    const t = facts.pool.trend;
    expect(t.source).toBe("poolmon");
    expect(t.nonpaged).toMatchObject({ samples: 4, firstMb: 86, lastMb: 96.5 });
    expect(t.nonpaged?.mbPerHour).toBeCloseTo(3.49, 1);
    expect(t.nonpaged?.r2).toBeGreaterThan(0.99);
    // /3GB: limit 128 MB, http.sys refuses at 108 MB in use; without /3GB, at 236 MB.
    expect(t.nonpaged?.hoursToThreshold).toBeCloseTo((108 - 96.5) / 3.49, 0);
    expect(t.nonpaged?.hoursToDefaultThreshold).toBeCloseTo((236 - 96.5) / 3.49, 0);
    expect(facts.pool.hoursToThreshold).toBe(t.nonpaged?.hoursToThreshold);
  });

  it("prefers a counter series when it has more samples than the snapshots (counters.series)", () => {
    const series = Array.from({ length: 61 }, (_, i) => ({
      t: new Date(Date.UTC(2007, 9, 3, 8, i * 5)).toISOString(),
      nonpagedMb: 86 + (3.4 * i * 5) / 60,
      pagedMb: 137,
    }));
    const p = pool([], { counterSeries: series });
    expect(p.trend.source).toBe("counters");
    expect(p.trend.nonpaged?.samples).toBe(61);
    expect(p.trend.nonpaged?.mbPerHour).toBeCloseTo(3.4, 2);
    expect(p.trend.paged?.mbPerHour).toBeCloseTo(0, 5);
  });
});

describe("findstr names the driver of a tag nothing else knows (tagDrivers)", () => {
  const unknown = [
    snapshot([row("WqFl", "Nonp", 2366.9), row("Irp ", "Nonp", 60)], null, { nonpagedKb: 2716 * 1024 }),
  ];

  it("takes the one driver file findstr found", () => {
    const p = pool(unknown, { tagDrivers: { WqFl: ["C:\\Windows\\System32\\drivers\\wqfilt64.sys"] } });
    expect(p.topNonpaged[0]).toMatchObject({ tag: "WqFl", driver: "wqfilt64.sys", known: "findstr" });
  });

  it("leaves the tag unknown when findstr found it in several files", () => {
    const p = pool(unknown, { tagDrivers: { WqFl: ["a.sys", "b.sys"] } });
    expect(p.topNonpaged[0]).toMatchObject({ tag: "WqFl", driver: null, known: "unknown" });
  });
});
