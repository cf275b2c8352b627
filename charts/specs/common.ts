// What every chart shares: a fixed plot area and explicit scale domains (so a data point's pixel
// is computable, and charts look the same for every input), the bundled font, colour-blind-safe
// colours, and the time axis that says which clock its times are on.
import type { TopLevelSpec } from "vega-lite";
import type { Field, PositionDef } from "vega-lite/types_unstable/channeldef.js";
import type { UnitSpec } from "vega-lite/types_unstable/spec/unit.js";
import type { ChartKind, Clock } from "../series.js";
import { DAY_MS, MINUTE_MS, ms } from "../time.js";

/** The font shipped in charts/fonts/ (regular and bold), named exactly as its TTF names itself. */
export const FONT_FAMILY = "DejaVu Sans";

/** The data rectangle, in pixels; axes, titles and legends live in the padding around it. */
export const PLOT = { width: 640, height: 300 } as const;
export const PADDING = { left: 84, right: 36, top: 60, bottom: 100 } as const;
/** 760 × 460 px: under Slack's and the 800 px. */
export const CHART_WIDTH = PLOT.width + PADDING.left + PADDING.right;
export const CHART_HEIGHT = PLOT.height + PADDING.top + PADDING.bottom;

/**
 * Okabe & Ito's palette, which stays distinct under the common colour-vision deficiencies
 * (yellow left out: too pale on white). Series take them in order.
 */
export const SERIES_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"] as const;
/** Reference lines: near-black, told apart by dash, never by hue. */
export const RULE_COLOUR = "#222222";
export const EVENT_COLOUR = "#555555";
export const DASH_THRESHOLD = [8, 4];
export const DASH_PROJECTION = [6, 4];
export const DASH_EVENT = [3, 3];

/** One layer of a chart. */
export type Layer = UnitSpec<Field>;
export type Position = PositionDef<Field>;

export function seriesColour(i: number): string {
  return SERIES_COLOURS[i % SERIES_COLOURS.length] as string;
}

/** What a spec builder hands to the renderer and to the surfaces. */
export interface BuiltChart {
  kind: ChartKind;
  /** File name without extension. */
  name: string;
  title: string;
  /** What the chart shows, in words: alt text, and the file's title in Slack. */
  description: string;
  spec: TopLevelSpec;
}

/** Smallest "round" number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k) at or above `x`. */
export function niceCeil(x: number): number {
  if (!(x > 0)) return 1;
  const step = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) {
    if (m * step >= x - 1e-9 * step) return m * step;
  }
  return 10 * step;
}

/** [0, a round number a little above the largest value]: the y domain, fixed. */
export function yDomain(values: number[]): [number, number] {
  const max = Math.max(0, ...values.filter(Number.isFinite));
  return [0, niceCeil(max * 1.06)];
}

/** [first, last] instant, widened to at least `minSpanMs` around a single time. */
export function xDomain(times: number[], minSpanMs = 2 * MINUTE_MS): [number, number] {
  const lo = Math.min(...times);
  const hi = Math.max(...times);
  if (hi - lo >= minSpanMs) return [lo, hi];
  const mid = (lo + hi) / 2;
  return [mid - minSpanMs / 2, mid + minSpanMs / 2];
}

export function timesOf(samples: Array<{ t: string }>): number[] {
  return samples.map((s) => ms(s.t));
}

/** `Time (UTC), 2007-11-13`: the clock, and the date(s) the hour labels belong to. */
export function timeAxisTitle(clock: Clock, domain: [number, number]): string {
  const day = (t: number) => new Date(t).toISOString().slice(0, 10);
  const [a, b] = [day(domain[0]), day(domain[1])];
  const dates = a === b ? a : `${a} to ${b}`;
  return clock === "utc" ? `Time (UTC), ${dates}` : `Time (server clock as printed, zone unknown), ${dates}`;
}

/** The x encoding every layer uses: field `t`, the fixed domain, times shown on the UTC scale. */
export function xEncoding(domain: [number, number], clock: Clock): Position {
  const span = domain[1] - domain[0];
  return {
    field: "t",
    type: "temporal",
    // A `utc` scale prints the instants as given: UTC ones as UTC, server-clock ones as printed.
    scale: { type: "utc", domain, nice: false },
    axis: {
      title: timeAxisTitle(clock, domain),
      format: span > DAY_MS ? "%m-%d %H:%M" : "%H:%M",
      labelOverlap: true,
      tickCount: 8,
    },
  };
}

export function yEncoding(domain: [number, number], title: string): Position {
  return {
    field: "value",
    type: "quantitative",
    scale: { domain, nice: false, zero: true },
    axis: { title, format: ",~r", tickCount: 6 },
  };
}

/** A chart: its layers in the shared frame (size, padding, fonts, white background, title and note). */
export function layered(title: string, note: string | null, layers: Layer[]): TopLevelSpec {
  return {
    layer: layers,
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    width: PLOT.width,
    height: PLOT.height,
    // No automatic sizing: the data rectangle is exactly PLOT, offset by PADDING.
    autosize: { type: "none", contains: "content" },
    padding: { ...PADDING },
    background: "white",
    title: note === null ? { text: title } : { text: title, subtitle: note },
    config: {
      font: FONT_FAMILY,
      title: {
        anchor: "start",
        fontSize: 15,
        fontWeight: "bold",
        subtitleFontSize: 11,
        subtitleColor: "#333333",
        offset: 10,
      },
      axis: {
        labelFontSize: 11,
        titleFontSize: 12,
        titleFontWeight: "bold",
        labelColor: "#222222",
        titleColor: "#222222",
        gridColor: "#e4e4e4",
        domainColor: "#888888",
        tickColor: "#888888",
      },
      legend: {
        orient: "bottom",
        direction: "horizontal",
        labelFontSize: 11,
        labelLimit: 320,
        titleFontSize: 11,
        symbolStrokeWidth: 3,
        symbolType: "stroke",
        offset: 12,
      },
      view: { stroke: "#bbbbbb" },
    },
  };
}

/** Series with more samples than this are drawn without a dot at each sample. */
export const MAX_DOTTED_SAMPLES = 90;

/** The series lines: one colour each, from the palette, in the order given. */
export function seriesLayer(
  rows: Array<{ t: string; value: number; series: string }>,
  names: string[],
  x: Position,
  y: Position,
  legendTitle: string | null,
): Layer {
  const perSeries = new Map<string, number>();
  for (const r of rows) perSeries.set(r.series, (perSeries.get(r.series) ?? 0) + 1);
  const dotted = Math.max(0, ...perSeries.values()) <= MAX_DOTTED_SAMPLES;
  return {
    data: { values: rows },
    // A dot per sample while there are few (two snapshots read as two dots); a long series is a line.
    mark: { type: "line", strokeWidth: 2.5, ...(dotted ? { point: { size: 36, filled: true } } : {}) },
    encoding: {
      x,
      y,
      color: {
        field: "series",
        type: "nominal",
        scale: { domain: names, range: names.map((_, i) => seriesColour(i)) },
        legend: { title: legendTitle, columns: Math.min(names.length, 2) },
        sort: names,
      },
    },
  };
}

/** Horizontal reference lines with their labels at the left end (above, or below when `below`). */
export function ruleLayers(
  rules: Array<{ value: number; label: string; dashed: boolean; below: boolean }>,
  y: Position,
): Layer[] {
  return rules.flatMap((r) => [
    {
      data: { values: [{ value: r.value }] },
      mark: {
        type: "rule",
        color: RULE_COLOUR,
        strokeWidth: 2,
        ...(r.dashed ? { strokeDash: DASH_THRESHOLD } : {}),
      },
      encoding: { y },
    },
    {
      data: { values: [{ value: r.value, label: r.label }] },
      mark: {
        type: "text",
        align: "left",
        baseline: r.below ? "top" : "bottom",
        dx: 0,
        dy: r.below ? 4 : -4,
        fontSize: 11,
        color: RULE_COLOUR,
      },
      encoding: { y, x: { value: 6 }, text: { field: "label" } },
    },
  ]);
}
