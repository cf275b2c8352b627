// Which charts a diagnosis calls for, from the facts of the bundled samples: the founding
// incident's refusals per minute (with the Srv 2019 event), the pool leak's climb toward its limit
// and its growing tag, and nothing for a healthy server.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chartsFor, eventMarkers } from "../../charts/from-diagnosis.js";
import { ChartInput } from "../../charts/series.js";
import { diagnoseTexts, loadKnowledgeBase } from "../../kb/index.js";
import { PACKAGE_ROOT } from "../../kb/paths.js";

const kb = loadKnowledgeBase();
function diagnoseFolders(...folders: string[]) {
  const texts = folders.flatMap((folder) => {
    const dir = join(PACKAGE_ROOT, "samples", folder);
    return readdirSync(dir)
      .sort()
      .map((f) => ({ text: readFileSync(join(dir, f), "utf8"), source: f }));
  });
  return diagnoseTexts(kb, texts);
}

describe("charts for the founding incident (with its Srv 2019 event)", () => {
  const d = diagnoseFolders("founding-incident", "events");
  const charts = chartsFor(d);

  it("is the HTTPERR chart only: one poolmon snapshot is no trend", () => {
    expect(charts.map((c) => c.kind)).toEqual(["httperr-per-minute"]);
    for (const c of charts) expect(ChartInput.safeParse(c).success).toBe(true);
  });

  it("plots refused connections per minute (the sum of N) and the 503s, in UTC", () => {
    const c = charts[0];
    if (c?.kind !== "httperr-per-minute") throw new Error("expected the HTTPERR chart");
    expect(c.clock).toBe("utc");
    const refused = c.series.find((s) => s.name.startsWith("Refused connections"));
    const total = refused?.samples.reduce((a, p) => a + p.value, 0);
    expect(total).toBe(d.facts.httperr?.refusedConnections);
    expect(refused?.samples[0]).toEqual({ t: "2007-11-13T20:00:00Z", value: 42 });
    const s503 = c.series.find((s) => s.name === "503 responses");
    expect(s503?.samples.reduce((a, p) => a + p.value, 0)).toBe(d.facts.httperr?.statuses["503"]);
  });

  it("marks the Srv 2019 event at its printed time, and says that clock is the server's", () => {
    const c = charts[0];
    if (c?.kind !== "httperr-per-minute") throw new Error("expected the HTTPERR chart");
    expect(c.events).toEqual([{ t: "2007-11-13T20:01:44Z", label: "Srv 2019" }]);
    expect(c.note).toMatch(/server printed/);
  });
});

describe("charts for the pool leak (two poolmon snapshots an hour apart)", () => {
  const d = diagnoseFolders("pool-leak-growth");
  const charts = chartsFor(d);

  it("are pool in use and the growing tags", () => {
    expect(charts.map((c) => c.kind)).toEqual(["pool-usage", "growing-tags"]);
  });

  it("plot the pools at each snapshot's printed time, with the derived limit and threshold", () => {
    const c = charts[0];
    if (c?.kind !== "pool-usage") throw new Error("expected the pool chart");
    expect(c.clock).toBe("server");
    expect(c.series[0]?.samples).toEqual([
      { t: "2024-03-01T09:00:04Z", value: 402.4 },
      { t: "2024-03-01T10:00:09Z", value: 524.6 },
    ]);
    expect(c.series[1]?.samples.map((s) => s.value)).toEqual([305.6, 305.6]);
    expect(c.rules.map((r) => r.value)).toEqual([2048, 2028]);
    expect(c.note).toMatch(/^Limit derived: x86 Server 2008, Windows 7 and later/);
    // The chart's own least-squares crossing agrees with the facts' hours to threshold.
    const hours = (Date.parse(c.projection?.to.t ?? "") - Date.parse("2024-03-01T10:00:09Z")) / 3_600_000;
    expect(hours).toBeCloseTo(d.facts.pool.hoursToThreshold ?? 0, 1);
  });

  it("draw the growing tag from the first to the last snapshot", () => {
    const c = charts[1];
    if (c?.kind !== "growing-tags") throw new Error("expected the tags chart");
    expect(c.series).toEqual([
      {
        name: "Leak (acmefilt.sys, non-paged)",
        unit: "MB",
        samples: [
          { t: "2024-03-01T09:00:04Z", value: 275 },
          { t: "2024-03-01T10:00:09Z", value: 397.2 },
        ],
      },
    ]);
  });
});

describe("charts for a typeperf series (61 samples with /3GB)", () => {
  const dir = join(PACKAGE_ROOT, "test", "cases", "typeperf-61-samples-3gb-2003");
  const d = diagnoseTexts(
    kb,
    ["boot.ini", "typeperf.txt"].map((f) => ({ text: readFileSync(join(dir, f), "utf8"), source: f })),
  );
  const series = d.facts.counters?.series ?? [];

  it("plot pool in use at every counter sample, with the /3GB limit and a projected crossing", () => {
    const [pool] = chartsFor(d);
    if (pool?.kind !== "pool-usage") throw new Error(`expected a pool chart, got ${pool?.kind}`);
    expect(series.length).toBeGreaterThan(50);
    expect(pool.series[0]?.samples).toHaveLength(series.length);
    expect(pool.series[0]?.samples.at(-1)?.value).toBe(series.at(-1)?.nonpagedMb);
    expect(pool.rules.map((r) => r.value)).toContain(d.facts.pool.limitMb);
    expect(pool.projection).not.toBeNull();
  });
});

describe("no chart", () => {
  it("for a healthy server (one snapshot, no HTTPERR)", () => {
    expect(chartsFor(diagnoseFolders("healthy"))).toEqual([]);
  });

  it("for HTTPERR within a single minute", () => {
    const line = "2007-11-13 20:00:04 - - - - - - - - - 3_Connections_Refused -";
    const d = diagnoseTexts(kb, [{ text: `${line}\n${line}`, source: "paste" }]);
    expect(chartsFor(d)).toEqual([]);
  });
});

describe("event markers", () => {
  it("group one id's events within a minute, skip unreadable times, and know UTC from server time", () => {
    const { markers, clock } = eventMarkers([
      { id: 5002, source: "Microsoft-Windows-WAS", time: "2007-11-13T20:02:01Z" },
      { id: 5002, source: "Microsoft-Windows-WAS", time: "2007-11-13T20:02:40Z" },
      { id: 2019, source: "Srv", time: "13.11.2007 20:01:44" },
    ]);
    expect(markers).toEqual([{ t: "2007-11-13T20:02:01Z", label: "WAS 5002 ×2" }]);
    expect(clock).toBe("utc");
  });
});
