// Pool in use over the samples, the limit and the http.sys threshold as lines, and the dashed
// projection of the trend to the threshold (PAL's "line climbing toward the limit").
import type { PoolUsageInput } from "../series.js";
import { ms } from "../time.js";
import {
  type BuiltChart,
  DASH_EVENT,
  DASH_PROJECTION,
  type Layer,
  layered,
  PLOT,
  ruleLayers,
  seriesColour,
  seriesLayer,
  timesOf,
  xDomain,
  xEncoding,
  yDomain,
  yEncoding,
} from "./common.js";

/** Room after the crossing, so its marker and label sit inside the plot. */
const AFTER_CROSSING = 0.06;

export function poolUsageSpec(input: PoolUsageInput): BuiltChart {
  const names = input.series.map((s) => s.name);
  const rows = input.series.flatMap((s) =>
    s.samples.map((p) => ({ t: p.t, value: p.value, series: s.name })),
  );
  const p = input.projection;
  const times = [...timesOf(rows), ...(p ? [ms(p.to.t)] : [])];
  let [x0, x1] = xDomain(times, 10 * 60_000);
  if (p) x1 += (x1 - x0) * AFTER_CROSSING;
  const x = xEncoding([x0, x1], input.clock);
  const y = yEncoding(
    yDomain([...rows.map((r) => r.value), ...input.rules.map((r) => r.value), ...(p ? [p.to.value] : [])]),
    `Pool in use (${input.series[0]?.unit ?? "MB"})`,
  );
  // The highest line's label sits above it, the others below theirs: the limit and the threshold
  // line are only 20 MB apart, a few pixels on a big pool.
  const sorted = [...input.rules].sort((a, b) => b.value - a.value);
  const rules = sorted.map((r, i) => ({ ...r, below: i > 0 }));
  const layers: Layer[] = [seriesLayer(rows, names, x, y, null), ...ruleLayers(rules, y)];
  if (p) {
    const from = { t: p.from.t, value: p.from.value };
    const to = { t: p.to.t, value: p.to.value };
    const colour = seriesColour(Math.max(0, names.indexOf(p.series)));
    layers.push({
      data: { values: [from, to] },
      mark: { type: "line", color: colour, strokeWidth: 2, strokeDash: DASH_PROJECTION },
      encoding: { x, y },
    });
    if (p.reaches) {
      layers.push(
        {
          data: { values: [{ ...to }] },
          mark: { type: "rule", color: colour, strokeWidth: 1.5, strokeDash: DASH_EVENT },
          encoding: { x },
        },
        {
          data: { values: [{ ...to }] },
          mark: { type: "point", color: colour, filled: true, size: 70 },
          encoding: { x, y },
        },
      );
    }
    layers.push({
      data: { values: [{ t: p.to.t, label: p.label }] },
      mark: {
        type: "text",
        align: "right",
        baseline: "bottom",
        dx: -6,
        dy: -6,
        fontSize: 11,
        color: "#222222",
      },
      encoding: { x, y: { value: PLOT.height }, text: { field: "label" } },
    });
  }
  const title = input.series.length > 1 ? "Pool in use" : `${names[0]}`;
  const last = input.series[0]?.samples.at(-1);
  const description = [
    `${title}: ${input.series.map((s) => `${s.name} ${s.samples.length} sample(s)`).join(", ")}`,
    last ? `, last ${last.value} ${input.series[0]?.unit}` : "",
    input.rules.length > 0 ? `; lines: ${input.rules.map((r) => r.label).join("; ")}` : "",
    p ? `; ${p.label}` : "",
    ".",
  ].join("");
  return {
    kind: "pool-usage",
    name: "pool-usage",
    title,
    description,
    spec: layered(title, input.note, layers),
  };
}
