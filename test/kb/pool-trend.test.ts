// The growth math on its own (least squares, r², time to a level) and on the counter series of three
// incidents, read here by a few lines of CSV handling: the `counters.series` contract
// (`{ t, nonpagedMb, pagedMb }`) feeds poolTrend as it is, and pool-usage-trend fires or stays quiet.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { deriveFacts } from "../../kb/derive.js";
import { derivePool } from "../../kb/facts/pool.js";
import {
  hoursUntil,
  leastSquares,
  type PoolReading,
  poolTrend,
  seriesTrend,
} from "../../kb/facts/pool-trend.js";
import { loadKnowledgeBase, parseTexts } from "../../kb/index.js";
import { holds } from "../../kb/match.js";
import { PACKAGE_ROOT } from "../../kb/paths.js";
import { parseTimes } from "../../kb/time.js";

const kb = loadKnowledgeBase();
const HOUR = 3_600_000;
const MB = 1024 * 1024;

describe("leastSquares", () => {
  it("fits a straight line exactly, with r² 1", () => {
    const fit = leastSquares([0, 1, 2, 3].map((h) => ({ t: h * HOUR, mb: 100 + 5 * h })));
    expect(fit?.slope).toBeCloseTo(5, 10);
    expect(fit?.intercept).toBeCloseTo(100, 10);
    expect(fit?.r2).toBeCloseTo(1, 10);
  });

  it("gives no r² for two points and nothing for one point or no time", () => {
    expect(
      leastSquares([
        { t: 0, mb: 1 },
        { t: HOUR, mb: 3 },
      ]),
    ).toEqual({ slope: 2, intercept: 1, r2: null });
    expect(leastSquares([{ t: 0, mb: 1 }])).toBeNull();
    expect(
      leastSquares([
        { t: 5, mb: 1 },
        { t: 5, mb: 2 },
      ]),
    ).toBeNull();
  });

  it("tells a noisy, flat series from a steady rise by r²", () => {
    const wobble = Array.from({ length: 48 }, (_, i) => ({
      t: i * 0.25 * HOUR,
      mb: 310 + 4 * Math.sin(i / 3),
    }));
    const fit = leastSquares(wobble);
    expect(Math.abs(fit?.slope ?? 1)).toBeLessThan(0.5);
    expect(fit?.r2).toBeLessThan(0.3);
  });
});

describe("hoursUntil", () => {
  it("is the distance over the rate, 0 when already there, null when not rising", () => {
    expect(hoursUntil(100, 4, 108)).toBe(2);
    expect(hoursUntil(110, 4, 108)).toBe(0);
    expect(hoursUntil(100, 0, 108)).toBeNull();
    expect(hoursUntil(100, -1, 108)).toBeNull();
    expect(hoursUntil(100, 4, null)).toBeNull();
  });
});

describe("seriesTrend", () => {
  it("sorts samples by time and reports the rise, its steadiness and the time to each level", () => {
    const t = seriesTrend(
      [3, 0, 2, 1].map((h) => ({ t: h * HOUR, mb: 80 + 4 * h })),
      { thresholdLevelMb: 108, defaultThresholdLevelMb: 236, limitMb: 128 },
    );
    expect(t).toMatchObject({
      samples: 4,
      firstMb: 80,
      lastMb: 92,
      minutes: 180,
      mbPerHour: 4,
      r2: 1,
      growthShare: 0.15,
    });
    expect(t).toMatchObject({
      hoursToThreshold: 4,
      minutesToThreshold: 240,
      hoursToDefaultThreshold: 36,
      hoursToLimit: 9,
    });
  });
});

/** typeperf / relog CSV: the first column is the time, the others are named by the header. */
function counterSeries(file: string): PoolReading[] {
  const lines = readFileSync(join(PACKAGE_ROOT, "test", "cases", file), "utf8")
    .split(/\r?\n/)
    .filter((l) => l.startsWith('"'));
  const fields = (l: string) => l.slice(1, -1).split('","');
  const header = fields(lines[0] as string);
  const col = (name: string) => header.findIndex((h) => h.toLowerCase().endsWith(name));
  const [np, pp] = [col("\\pool nonpaged bytes"), col("\\pool paged bytes")];
  const rows = lines.slice(1).map(fields);
  const times = parseTimes(rows.map((r) => r[0] ?? null));
  return rows.map((r, i) => ({
    t: times[i] as number,
    nonpagedMb: np < 0 ? null : Number(r[np]) / MB,
    pagedMb: pp < 0 ? null : Number(r[pp]) / MB,
  }));
}

/** The facts of a case's other inputs, with the pool derived again from the counter series. */
function withSeries(series: PoolReading[], ...files: string[]) {
  const texts = files.map((f) => ({
    text: readFileSync(join(PACKAGE_ROOT, "test", "cases", f), "utf8"),
    source: f,
  }));
  const facts = deriveFacts(kb, parseTexts(texts));
  return {
    ...facts,
    pool: derivePool(kb, { snapshots: [], counterSeries: series, tagDrivers: null }, facts),
  };
}

const fires = (id: string, facts: ReturnType<typeof withSeries>) => {
  const entry = kb.byId.get(id);
  if (!entry?.when) throw new Error(`no rule ${id}`);
  return holds(entry.when, facts);
};

describe("counter series of three incidents", () => {
  it("2003 /3GB, 61 typeperf samples: +3.4 MB/h, free pool under 20 MB in about 1.5 h, 39 h even without /3GB", () => {
    const series = counterSeries("typeperf-61-samples-3gb-2003/typeperf.txt");
    const facts = withSeries(series, "typeperf-61-samples-3gb-2003/boot.ini");
    const t = facts.pool.trend.nonpaged;
    expect(t?.samples).toBe(61);
    expect(t?.mbPerHour).toBeCloseTo(3.4, 0);
    expect(Math.abs((t?.mbPerHour ?? 0) - 3.4)).toBeLessThan(0.15);
    expect(t?.lastMb).toBeCloseTo(103, 0);
    expect(t?.hoursToThreshold).toBeGreaterThan(1.2);
    expect(t?.hoursToThreshold).toBeLessThan(1.8);
    expect(t?.hoursToDefaultThreshold).toBeGreaterThan(37);
    expect(t?.hoursToDefaultThreshold).toBeLessThan(41);
    expect(fires("pool-usage-trend", facts)).toBe(true);
    expect(fires("boot-3gb-switch", facts)).toBe(true);
  });

  it("2016, 97 hourly relog samples: paged pool +22 MB/h, non-paged flat", () => {
    const facts = withSeries(counterSeries("relog-csv-paged-trend-2016/pool.csv"));
    expect(facts.pool.trend.paged?.samples).toBe(97);
    expect(Math.abs((facts.pool.trend.paged?.mbPerHour ?? 0) - 22)).toBeLessThan(0.5);
    expect(Math.abs(facts.pool.trend.nonpaged?.mbPerHour ?? 1)).toBeLessThan(0.3);
    expect(fires("pool-usage-trend", facts)).toBe(true);
    expect(fires("handle-leak", facts)).toBe(false);
  });

  it("2008 R2, 48 samples over a working day: flat, no trend", () => {
    const facts = withSeries(
      counterSeries("healthy-2008r2-typeperf-flat/typeperf.txt"),
      "healthy-2008r2-typeperf-flat/bcdedit.txt",
    );
    expect(facts.pool.trend.nonpaged?.samples).toBe(48);
    expect(Math.abs(facts.pool.trend.nonpaged?.mbPerHour ?? 1)).toBeLessThan(0.5);
    expect(fires("pool-usage-trend", facts)).toBe(false);
  });

  it("fills both pools from the readings of the counters contract as they are", () => {
    const t = poolTrend(
      [
        { t: "2024-01-01T00:00:00Z", nonpagedMb: 100, pagedMb: null },
        { t: "2024-01-01T01:00:00Z", nonpagedMb: 101, pagedMb: 200 },
        { t: "2024-01-01T02:00:00Z", nonpagedMb: 102, pagedMb: 202 },
      ],
      { nonpaged: {}, paged: {} },
    );
    expect(t.nonpaged).toMatchObject({ samples: 3, mbPerHour: 1 });
    expect(t.paged).toMatchObject({ samples: 2, mbPerHour: 2, r2: null });
  });
});

describe("tag growth of two incidents, fed as the merged pool-tag sources will feed it", () => {
  it("a PowerShell pool-tag CSV (19 samples): Thre +25.7 MB/h, steadily, a handle leak", () => {
    const lines = readFileSync(
      join(PACKAGE_ROOT, "test", "cases", "pooltag-csv-thre-2019", "pooltags.csv"),
      "utf8",
    )
      .split(/\r?\n/)
      .filter((l) => l.startsWith('"') && !l.startsWith('"DateTime"'))
      .map((l) => l.slice(1, -1).split('","'));
    const groups = new Map<string, typeof lines>();
    for (const l of lines) groups.set(l[0] as string, [...(groups.get(l[0] as string) ?? []), l]);
    const snapshots = [...groups].map(([time, rows]) => ({
      payload: {
        tool: "wdk" as const,
        time,
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
        },
        rows: rows.map(([, tag, type, allocs, frees, bytes, binary]) => ({
          tag: (tag as string).padEnd(4),
          type: type as "Nonp" | "Paged",
          allocs: Number(allocs),
          allocsDelta: null,
          frees: Number(frees),
          freesDelta: null,
          diff: Number(allocs) - Number(frees),
          bytes: Number(bytes),
          bytesDelta: null,
          perAlloc: null,
          mappedDriver: binary ?? null,
        })),
      },
    }));
    const facts = deriveFacts(kb, []);
    const pool = derivePool(kb, { snapshots, counterSeries: null, tagDrivers: null }, facts);
    const thre = pool.objectGrowth[0];
    expect(thre).toMatchObject({ tag: "Thre", samples: 19, category: "object" });
    expect(Math.abs((thre?.mbPerHour ?? 0) - 25.7)).toBeLessThan(0.6);
    expect(thre?.r2).toBeGreaterThan(0.95);
    const all = { ...facts, pool };
    expect(fires("handle-leak", all)).toBe(true);
    expect(fires("pool-tag-leak", all)).toBe(false);
  });

  it("three WDK snapshots timed with Get-Date: Proc +52.9 MB/h once the times reach the snapshots", () => {
    const text = readFileSync(
      join(PACKAGE_ROOT, "test", "cases", "proc-growth-three-snapshots-ps", "poolmon-snapshots.txt"),
      "utf8",
    );
    const times = text.split(/\r?\n/).filter((l) => /^\w+day, /.test(l));
    const inputs = parseTexts([{ text, source: "poolmon-snapshots.txt" }]).filter(
      (t) => t.input.kind === "poolmon",
    );
    expect(inputs).toHaveLength(3);
    const snapshots = inputs.map((t, i) => {
      if (t.input.kind !== "poolmon") throw new Error("poolmon only");
      return { payload: { ...t.input.data, time: times[i] ?? null } };
    });
    const facts = deriveFacts(kb, []);
    const pool = derivePool(kb, { snapshots, counterSeries: null, tagDrivers: null }, facts);
    expect(pool.growthTimed).toBe(true);
    const proc = pool.objectGrowth[0];
    expect(proc).toMatchObject({ tag: "Proc", samples: 3, category: "object" });
    expect(Math.abs((proc?.mbPerHour ?? 0) - 52.9)).toBeLessThan(1);
    const all = { ...facts, pool };
    expect(fires("handle-leak", all)).toBe(true);
    expect(fires("pool-tag-leak", all)).toBe(false);
    expect(fires("nonpaged-pool-exhaustion", all)).toBe(false);
  });
});
