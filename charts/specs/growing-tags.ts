// The pool tags that grew most across the snapshots, one line per tag: which driver is leaking.
import type { GrowingTagsInput, Series } from "../series.js";
import { HOUR_MS, ms } from "../time.js";
import {
  type BuiltChart,
  layered,
  seriesLayer,
  timesOf,
  xDomain,
  xEncoding,
  yDomain,
  yEncoding,
} from "./common.js";

export interface TagGrowth {
  series: Series;
  /** Last minus first sample, in the series' unit. */
  growth: number;
  /** Growth per hour between the first and last sample, null over no time. */
  perHour: number | null;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

/** Growth of each series from its earliest to its latest sample. */
export function growthOf(series: Series): TagGrowth {
  const sorted = [...series.samples].sort((a, b) => ms(a.t) - ms(b.t));
  const first = sorted[0];
  const last = sorted.at(-1);
  if (!first || !last) return { series, growth: 0, perHour: null };
  const hours = (ms(last.t) - ms(first.t)) / HOUR_MS;
  const growth = last.value - first.value;
  return { series, growth, perHour: hours > 0 ? growth / hours : null };
}

/** The `top` tags that grew most (ties: the larger one first), those that did not grow left out. */
export function topGrowing(series: Series[], top: number): TagGrowth[] {
  return series
    .map(growthOf)
    .filter((g) => g.growth > 0)
    .sort(
      (a, b) =>
        b.growth - a.growth ||
        (b.series.samples.at(-1)?.value ?? 0) - (a.series.samples.at(-1)?.value ?? 0) ||
        a.series.name.localeCompare(b.series.name),
    )
    .slice(0, top);
}

/** Legend text: `Leak (acmefilt.sys)  +122 MB/h`. */
export function legendName(g: TagGrowth): string {
  const unit = g.series.unit;
  return g.perHour === null
    ? `${g.series.name}  +${round1(g.growth)} ${unit}`
    : `${g.series.name}  +${round1(g.perHour)} ${unit}/h`;
}

export function growingTagsSpec(input: GrowingTagsInput): BuiltChart {
  const chosen = topGrowing(input.series, input.top);
  const names = chosen.map(legendName);
  const rows = chosen.flatMap((g, i) =>
    g.series.samples.map((p) => ({ t: p.t, value: p.value, series: names[i] as string })),
  );
  const unit = input.series[0]?.unit ?? "MB";
  const x = xEncoding(xDomain(timesOf(rows), 10 * 60_000), input.clock);
  const y = yEncoding(yDomain(rows.map((r) => r.value)), `Bytes in use (${unit})`);
  const title = chosen.length === 1 ? "Pool tag growing" : `Pool tags growing fastest (top ${chosen.length})`;
  const description =
    chosen.length === 0 ? "No pool tag grew between the snapshots." : `${title}: ${names.join(", ")}.`;
  return {
    kind: "growing-tags",
    name: "growing-tags",
    title,
    description,
    spec: layered(title, input.note, [seriesLayer(rows, names, x, y, "Tag (driver, pool): growth")]),
  };
}
