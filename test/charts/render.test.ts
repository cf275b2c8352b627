// The rendered PNG is read back: right size, not blank, and the plotted lines' pixels are where the
// data says (positions computed from the spec's fixed plot area and domains), absent where it says
// nothing is. Text is set in the bundled font, measured with that font's own metrics.
import { readFileSync } from "node:fs";
import { Resvg } from "@resvg/resvg-js";
import { describe, expect, it } from "vitest";
import { chartsFor } from "../../charts/from-diagnosis.js";
import { FONT_FILES, renderBuilt, renderCharts, svgToPng } from "../../charts/render.js";
import type { PoolUsageInput } from "../../charts/series.js";
import {
  CHART_HEIGHT,
  CHART_WIDTH,
  EVENT_COLOUR,
  RULE_COLOUR,
  SERIES_COLOURS,
} from "../../charts/specs/common.js";
import { buildSpec } from "../../charts/specs/index.js";
import { readFontMetrics, textWidth } from "../../charts/text-width.js";
import { diagnoseTexts, loadKnowledgeBase } from "../../kb/index.js";
import { colourNear, decodePng, inkIn, pixelOf, scalesOf } from "./png.js";

const BLUE = SERIES_COLOURS[0];
const ORANGE = SERIES_COLOURS[1];

const pool: PoolUsageInput = {
  kind: "pool-usage",
  clock: "utc",
  note: "Limit measured",
  series: [
    {
      name: "Non-paged pool in use",
      unit: "MB",
      samples: [
        { t: "2024-03-01T09:00:00Z", value: 60 },
        { t: "2024-03-01T10:00:00Z", value: 72 },
        { t: "2024-03-01T11:00:00Z", value: 78 },
      ],
    },
  ],
  rules: [
    { value: 128, label: "Non-paged pool limit 128 MB", dashed: false },
    { value: 108, label: "http.sys refuses connections above 108 MB in use (free < 20 MB)", dashed: true },
  ],
  projection: {
    series: "Non-paged pool in use",
    from: { t: "2024-03-01T11:00:00Z", value: 79 },
    to: { t: "2024-03-01T14:00:00Z", value: 108 },
    level: 108,
    reaches: true,
    label: "At 9 MB/h: http.sys threshold at 2024-03-01 14:00 UTC",
  },
};

describe("the pool chart as a PNG", async () => {
  const built = buildSpec(pool);
  const chart = await renderBuilt(built);
  const img = decodePng(chart.png);
  const s = scalesOf(built);

  it("is the chart's size, at most 800 px wide", () => {
    expect([img.width, img.height]).toEqual([CHART_WIDTH, CHART_HEIGHT]);
    expect([chart.width, chart.height]).toEqual([CHART_WIDTH, CHART_HEIGHT]);
    expect(img.width).toBeLessThanOrEqual(800);
  });

  it("has its line at each sample and between them", () => {
    const samples = pool.series[0]?.samples ?? [];
    for (const p of samples) {
      const { x, y } = pixelOf(s, p.t, p.value);
      expect(colourNear(img, x, y, BLUE), `sample ${p.t} at (${x}, ${y})`).toBe(true);
    }
    // Half-way between the first two samples: (09:30, 66).
    const mid = pixelOf(s, "2024-03-01T09:30:00Z", 66);
    expect(colourNear(img, mid.x, mid.y, BLUE)).toBe(true);
  });

  it("has no line where the data has none", () => {
    // At 09:30 the line is at 66 MB: 30 MB higher or lower there is only grid and white.
    for (const value of [36, 96]) {
      const far = pixelOf(s, "2024-03-01T09:30:00Z", value);
      expect(colourNear(img, far.x, far.y, BLUE, 4), `nothing at ${value} MB`).toBe(false);
    }
    // Nor anywhere in the upper left quarter of the plot (nothing there is blue).
    const corner = pixelOf(s, "2024-03-01T09:45:00Z", 120);
    expect(colourNear(img, corner.x, corner.y, BLUE, 12)).toBe(false);
  });

  it("draws the limit and threshold rules at their values, and the projection to the crossing", () => {
    for (const value of [128, 108]) {
      const { x, y } = pixelOf(s, "2024-03-01T12:30:00Z", value);
      // Solid or dashed (8 on, 4 off): within 6 px along the line there is ink of the rule's colour.
      expect(colourNear(img, x, y, RULE_COLOUR, 6, 40), `rule at ${value} MB`).toBe(true);
      expect(colourNear(img, x, y - 8, RULE_COLOUR, 2, 40), `nothing 8 px above ${value} MB`).toBe(false);
    }
    const end = pixelOf(s, "2024-03-01T14:00:00Z", 108);
    expect(colourNear(img, end.x, end.y, BLUE)).toBe(true);
    // Half-way along the projection, (12:30, 93.5), allowing for a dash gap.
    const half = pixelOf(s, "2024-03-01T12:30:00Z", 93.5);
    expect(colourNear(img, half.x, half.y, BLUE, 6)).toBe(true);
  });

  it("has its title and labels set in ink (the bundled font loaded)", () => {
    expect(inkIn(img, 0, 0, CHART_WIDTH, s.top - 4)).toBeGreaterThan(400);
    expect(inkIn(img, 0, s.top + s.height + 2, CHART_WIDTH, CHART_HEIGHT)).toBeGreaterThan(400);
  });

  it("leaves the input and its spec as they were (Vega tags the data it is given)", () => {
    expect(JSON.stringify(buildSpec(pool).spec)).toBe(JSON.stringify(built.spec));
    const objects = [pool.projection?.from, pool.projection?.to, ...(pool.series[0]?.samples ?? [])];
    for (const o of objects) expect(Object.getOwnPropertySymbols(o)).toEqual([]);
    // biome-ignore lint/suspicious/noExplicitAny: reading back Vega-Lite JSON
    for (const layer of (built.spec as any).layer) {
      for (const v of layer.data.values) expect(Object.getOwnPropertySymbols(v)).toEqual([]);
    }
  });

  it("names only the bundled font in the SVG, and renders the same bytes every time", async () => {
    const families = new Set([...chart.svg.matchAll(/font-family="([^"]*)"/g)].map((m) => m[1]));
    expect([...families]).toEqual(["DejaVu Sans"]);
    const again = await svgToPng(chart.svg);
    expect(again.png.equals(chart.png)).toBe(true);
  });
});

describe("the founding incident's HTTPERR chart as a PNG", async () => {
  const names = ["httperr1.log", "poolmon-b.txt", "boot.ini"];
  const texts = names.map((n) => ({
    text: readFileSync(new URL(`../../samples/founding-incident/${n}`, import.meta.url), "utf8"),
    source: n,
  }));
  texts.push({
    text: readFileSync(new URL("../../samples/events/srv-2019.txt", import.meta.url), "utf8"),
    source: "srv-2019.txt",
  });
  const d = diagnoseTexts(loadKnowledgeBase(), texts);
  const [input] = chartsFor(d);
  if (input?.kind !== "httperr-per-minute") throw new Error("expected the HTTPERR chart");
  const built = buildSpec(input);
  const [chart] = await renderCharts([input]);
  if (!chart) throw new Error("rendered nothing");
  const img = decodePng(chart.png);
  const s = scalesOf(built);

  it("has the refusals line at every minute's count", () => {
    const refused = input.series[0];
    expect(refused?.samples.length).toBe(10);
    for (const p of refused?.samples ?? []) {
      const { x, y } = pixelOf(s, p.t, p.value);
      expect(colourNear(img, x, y, BLUE), `${p.t}: ${p.value}`).toBe(true);
    }
  });

  it("has the 503 line at its one 503 and along zero after it", () => {
    const one = pixelOf(s, "2007-11-13T19:59:00Z", 1);
    expect(colourNear(img, one.x, one.y, ORANGE)).toBe(true);
    const zero = pixelOf(s, "2007-11-13T20:05:00Z", 0);
    expect(colourNear(img, zero.x, zero.y, ORANGE)).toBe(true);
  });

  it("has nothing in the middle of the plot, where no count is", () => {
    const empty = pixelOf(s, "2007-11-13T20:05:30Z", 20);
    expect(colourNear(img, empty.x, empty.y, BLUE, 10)).toBe(false);
    expect(colourNear(img, empty.x, empty.y, ORANGE, 10)).toBe(false);
  });

  it("marks the Srv 2019 event at 20:01:44", () => {
    const { x, y } = pixelOf(s, "2007-11-13T20:01:44Z", 25);
    expect(colourNear(img, x, y, EVENT_COLOUR, 4, 40)).toBe(true);
    const before = pixelOf(s, "2007-11-13T20:01:14Z", 25);
    expect(colourNear(img, before.x, before.y, EVENT_COLOUR, 4, 40)).toBe(false);
  });
});

describe("text widths from the bundled font", () => {
  const regular = readFontMetrics(readFileSync(FONT_FILES[0] as string));

  it("reads DejaVu Sans's metrics: 2048 units per em, digits 1303 units wide", () => {
    expect(regular.unitsPerEm).toBe(2048);
    for (const d of "0123456789") expect(regular.advance(d.codePointAt(0) ?? 0)).toBe(1303);
    expect(regular.advance("i".codePointAt(0) ?? 0)).toBeLessThan(regular.advance("m".codePointAt(0) ?? 0));
  });

  it("agrees with the width resvg sets the same text at", () => {
    const text = "http.sys refuses connections above 108 MB";
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="2000" height="200"><text x="10" y="100" font-family="DejaVu Sans" font-size="40">${text}</text></svg>`;
    const bbox = new Resvg(svg, { font: { fontFiles: FONT_FILES, loadSystemFonts: false } }).getBBox();
    const ours = textWidth(regular, text, 40);
    // The ink box leaves out the side bearings of the first and last glyph: a few pixels.
    expect(Math.abs((bbox?.width ?? 0) - ours)).toBeLessThan(12);
  });
});
