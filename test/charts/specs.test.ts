// The spec builders are pure: the samples in, a Vega-Lite spec out with the series values, the
// limit and threshold lines, the projected crossing, the top tags and the events where they belong.

import { compile } from "vega-lite";
import { describe, expect, it } from "vitest";
import { poolUsageInput } from "../../charts/from-diagnosis.js";
import { ChartInput, type Series } from "../../charts/series.js";
import {
  CHART_WIDTH,
  DASH_PROJECTION,
  DASH_THRESHOLD,
  niceCeil,
  SERIES_COLOURS,
} from "../../charts/specs/common.js";
import { growingTagsSpec, topGrowing } from "../../charts/specs/growing-tags.js";
import { eventsInWindow, fillMinutes, httperrPerMinuteSpec } from "../../charts/specs/httperr-per-minute.js";
import { buildSpec } from "../../charts/specs/index.js";
import { poolUsageSpec } from "../../charts/specs/pool-usage.js";

// biome-ignore lint/suspicious/noExplicitAny: reading back Vega-Lite JSON
type Json = any;
const layers = (spec: unknown): Json[] => (spec as Json).layer;
const valuesOf = (layer: Json) => layer.data.values as Json[];

const NONPAGED: Series = {
  name: "Non-paged pool in use",
  unit: "MB",
  samples: [
    { t: "2024-03-01T09:00:04Z", value: 402.4 },
    { t: "2024-03-01T10:00:09Z", value: 524.6 },
  ],
};
const PAGED: Series = {
  name: "Paged pool in use",
  unit: "MB",
  samples: NONPAGED.samples.map((s) => ({ t: s.t, value: 305.6 })),
};

function poolInput() {
  const input = poolUsageInput({
    nonpaged: NONPAGED,
    paged: PAGED,
    clock: "server",
    limitMb: 2048,
    thresholdMb: 20,
    limitNote: "Limit derived: x86, 75% of RAM, at most 2 GB",
  });
  if (input === null) throw new Error("two samples make a pool chart");
  return input;
}

describe("pool usage spec", () => {
  const input = poolInput();
  const chart = poolUsageSpec(input);
  const all = layers(chart.spec);

  it("is a valid chart input", () => {
    expect(ChartInput.safeParse(input).success).toBe(true);
  });

  it("plots every sample of both pools, non-paged first", () => {
    const rows = valuesOf(all[0]);
    expect(rows).toEqual([
      { t: "2024-03-01T09:00:04Z", value: 402.4, series: "Non-paged pool in use" },
      { t: "2024-03-01T10:00:09Z", value: 524.6, series: "Non-paged pool in use" },
      { t: "2024-03-01T09:00:04Z", value: 305.6, series: "Paged pool in use" },
      { t: "2024-03-01T10:00:09Z", value: 305.6, series: "Paged pool in use" },
    ]);
    expect(all[0].encoding.color.scale).toEqual({
      domain: ["Non-paged pool in use", "Paged pool in use"],
      range: [SERIES_COLOURS[0], SERIES_COLOURS[1]],
    });
  });

  it("draws the limit solid and the http.sys threshold as limit − 20 MB, dashed, both labelled", () => {
    const rules = all.filter((l) => l.mark.type === "rule" && l.encoding.y);
    expect(rules.map((r) => [valuesOf(r)[0].value, r.mark.strokeDash ?? "solid"])).toEqual([
      [2048, "solid"],
      [2028, DASH_THRESHOLD],
    ]);
    const labels = all.filter((l) => l.mark.type === "text").map((l) => valuesOf(l)[0].label);
    expect(labels).toContain("Non-paged pool limit 2,048 MB");
    expect(labels).toContain("http.sys refuses connections above 2,028 MB in use (free < 20 MB)");
  });

  it("extends the trend, dashed, to the crossing time, marked and labelled", () => {
    const p = input.projection;
    expect(p?.reaches).toBe(true);
    const dashed = all.find((l) => l.mark.type === "line" && l.mark.strokeDash === DASH_PROJECTION);
    expect(valuesOf(dashed)).toEqual([p?.from, p?.to]);
    expect(p?.from).toEqual({ t: "2024-03-01T10:00:09Z", value: 524.6 });
    expect(p?.to.value).toBe(2028);
    expect(p?.to.t).toMatch(/^2024-03-01T22:19:/);
    const marker = all.find((l) => l.mark.type === "rule" && !l.encoding.y);
    expect(valuesOf(marker)[0].t).toBe(p?.to.t);
    const label = all.find((l) => l.mark.type === "text" && valuesOf(l)[0].label?.startsWith("At "));
    expect(valuesOf(label)[0].label).toBe(
      "At 122 MB/h: http.sys threshold at 2024-03-01 22:19 (server clock)",
    );
  });

  it("fixes both domains: time from the first sample past the crossing, values from 0 over the limit", () => {
    const { x, y } = all[0].encoding;
    expect(x.scale.domain[0]).toBe(Date.parse("2024-03-01T09:00:04Z"));
    expect(x.scale.domain[1]).toBeGreaterThan(Date.parse(input.projection?.to.t ?? ""));
    expect(y.scale.domain).toEqual([0, niceCeil(2048 * 1.06)]);
    expect(x.scale.type).toBe("utc");
  });

  it("says what is plotted: title, units, time axis with its clock and date", () => {
    const spec = chart.spec as Json;
    expect(spec.title).toEqual({
      text: "Pool in use",
      subtitle: "Limit derived: x86, 75% of RAM, at most 2 GB",
    });
    expect(all[0].encoding.y.axis.title).toBe("Pool in use (MB)");
    expect(all[0].encoding.x.axis.title).toBe("Time (server clock as printed, zone unknown), 2024-03-01");
    expect(spec.width + spec.padding.left + spec.padding.right).toBe(CHART_WIDTH);
    expect(CHART_WIDTH).toBeLessThanOrEqual(800);
  });

  it("without a limit: no lines, no projection, and the note says what to paste", () => {
    const none = poolUsageInput({
      nonpaged: NONPAGED,
      paged: null,
      clock: "utc",
      limitMb: null,
      thresholdMb: 20,
      limitNote: null,
    });
    expect(none?.rules).toEqual([]);
    expect(none?.projection).toBeNull();
  });

  it("needs two times: one sample is no trend", () => {
    const one = { ...NONPAGED, samples: NONPAGED.samples.slice(0, 1) };
    const args = {
      nonpaged: one,
      paged: null,
      clock: "utc" as const,
      limitMb: 100,
      thresholdMb: 20,
      limitNote: null,
    };
    expect(poolUsageInput(args)).toBeNull();
  });

  it("uses the projection's series colour for the dashed line", () => {
    const dashed = all.find((l) => l.mark.type === "line" && l.mark.strokeDash === DASH_PROJECTION);
    expect(dashed.mark.color).toBe(SERIES_COLOURS[0]);
  });
});

describe("growing tags spec", () => {
  const tag = (name: string, from: number, to: number): Series => ({
    name,
    unit: "MB",
    samples: [
      { t: "2024-03-01T09:00:00Z", value: from },
      { t: "2024-03-01T11:00:00Z", value: to },
    ],
  });
  const tags = [
    tag("Leak (acmefilt.sys, non-paged)", 275, 397.2),
    tag("ConT (netio.sys, non-paged)", 13.9, 20),
    tag("File (non-paged)", 2.4, 2.4),
    tag("Even (paged)", 40, 35),
    tag("Toke (paged)", 10, 70),
  ];

  it("keeps the top N growers, biggest growth first, and leaves out what did not grow", () => {
    expect(topGrowing(tags, 2).map((g) => g.series.name)).toEqual([
      "Leak (acmefilt.sys, non-paged)",
      "Toke (paged)",
    ]);
    expect(topGrowing(tags, 8).map((g) => g.series.name)).toEqual([
      "Leak (acmefilt.sys, non-paged)",
      "Toke (paged)",
      "ConT (netio.sys, non-paged)",
    ]);
  });

  it("draws one line per tag with its growth rate in the legend", () => {
    const chart = growingTagsSpec({ kind: "growing-tags", clock: "utc", note: null, series: tags, top: 5 });
    const [lines] = layers(chart.spec);
    expect(lines.encoding.color.scale.domain).toEqual([
      "Leak (acmefilt.sys, non-paged)  +61.1 MB/h",
      "Toke (paged)  +30 MB/h",
      "ConT (netio.sys, non-paged)  +3.1 MB/h",
    ]);
    const leak = valuesOf(lines).filter((r: Json) => r.series.startsWith("Leak"));
    expect(leak.map((r: Json) => r.value)).toEqual([275, 397.2]);
    expect(new Set(lines.encoding.color.scale.range).size).toBe(3);
    expect(lines.encoding.x.axis.title).toBe("Time (UTC), 2024-03-01");
    expect(chart.title).toBe("Pool tags growing fastest (top 3)");
  });

  it("takes N samples per tag as well as two", () => {
    const many: Series = {
      name: "Leak",
      unit: "MB",
      samples: [0, 1, 2, 3, 4].map((h) => ({ t: `2024-03-01T0${h}:00:00Z`, value: 100 + h * 10 })),
    };
    const chart = growingTagsSpec({ kind: "growing-tags", clock: "utc", note: null, series: [many], top: 5 });
    expect(valuesOf(layers(chart.spec)[0])).toHaveLength(5);
    expect(chart.title).toBe("Pool tag growing");
  });
});

describe("HTTPERR per minute spec", () => {
  const refused: Series = {
    name: "Refused connections (N of N_Connections_Refused)",
    unit: "per minute",
    samples: [
      { t: "2007-11-13T20:00:00Z", value: 42 },
      { t: "2007-11-13T20:03:00Z", value: 40 },
    ],
  };
  const s503: Series = {
    name: "503 responses",
    unit: "per minute",
    samples: [{ t: "2007-11-13T19:59:00Z", value: 1 }],
  };

  it("fills the minutes without lines with 0, over the span of every series", () => {
    const [a, b] = fillMinutes([refused, s503]);
    expect(a?.samples.map((p) => [p.t.slice(11, 16), p.value])).toEqual([
      ["19:59", 0],
      ["20:00", 42],
      ["20:01", 0],
      ["20:02", 0],
      ["20:03", 40],
    ]);
    expect(b?.samples.map((p) => p.value)).toEqual([1, 0, 0, 0, 0]);
  });

  it("marks the events inside the window and counts those left out", () => {
    const events = [
      { t: "2007-11-13T20:01:44Z", label: "Srv 2019" },
      { t: "2007-11-13T23:30:00Z", label: "WAS 5002" },
    ];
    const lo = Date.parse("2007-11-13T19:59:00Z");
    const hi = Date.parse("2007-11-13T20:03:00Z");
    expect(eventsInWindow(events, lo, hi)).toEqual({ shown: [events[0]], left: 1 });
    const chart = httperrPerMinuteSpec({
      kind: "httperr-per-minute",
      clock: "utc",
      note: null,
      series: [refused, s503],
      events,
    });
    const all = layers(chart.spec);
    const marker = all.find((l) => l.mark.type === "rule");
    expect(valuesOf(marker).map((m: Json) => [m.t, m.label])).toEqual([["2007-11-13T20:01:44Z", "Srv 2019"]]);
    expect((chart.spec as Json).title.subtitle).toBe("1 more event(s) not marked");
    expect(all[0].encoding.y.axis.title).toBe("Count per minute");
    expect(all[0].encoding.x.axis.title).toBe("Time (UTC), 2007-11-13");
    expect(all[0].encoding.x.scale.domain).toEqual([
      Date.parse("2007-11-13T19:59:00Z"),
      Date.parse("2007-11-13T20:03:00Z"),
    ]);
  });
});

describe("event markers", () => {
  it("mark at most 12 events, the earliest, and count the rest", () => {
    const events = Array.from({ length: 15 }, (_, i) => ({
      t: `2007-11-13T20:${String(i).padStart(2, "0")}:30Z`,
      label: `Srv ${2000 + i}`,
    }));
    const lo = Date.parse("2007-11-13T20:00:00Z");
    const { shown, left } = eventsInWindow([...events].reverse(), lo, lo + 15 * 60_000);
    expect(shown.map((e) => e.label)).toEqual(events.slice(0, 12).map((e) => e.label));
    expect(left).toBe(3);
  });
});

describe("every spec", () => {
  it("compiles to Vega with the fixed frame", () => {
    const inputs: ChartInput[] = [
      poolInput(),
      { kind: "growing-tags", clock: "utc", note: null, series: [NONPAGED], top: 5 },
      { kind: "httperr-per-minute", clock: "utc", note: "n", series: [NONPAGED], events: [] },
    ];
    for (const input of inputs) {
      const vg = compile(buildSpec(input).spec).spec as Json;
      expect(vg.width).toBe(640);
      expect(vg.padding).toEqual({ left: 84, right: 36, top: 60, bottom: 100 });
      expect(vg.autosize).toMatchObject({ type: "none" });
    }
  });
});
