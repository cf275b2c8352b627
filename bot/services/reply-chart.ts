// The chart that goes with a diagnosis reply: the most telling of those the diagnosis calls for
// (HTTPERR per minute, else pool in use, else the growing tags). Choosing it is cheap and pure, and
// its input (plain series) travels in the reply task; rendering it to PNG takes a few hundred ms of
// CPU, so the bot does it in its parse worker, and the chart code loads on first use only.
import type { Logger } from "@slack/bolt";
import { chartsFor } from "../../charts/from-diagnosis.js";
import type { ChartInput } from "../../charts/series.js";
import type { Diagnosis } from "../../kb/index.js";
import type { ChartFile } from "./chart-upload.js";

/** The one chart a reply carries, or null when the diagnosis has no time series. */
export function replyChartInput(d: Diagnosis): ChartInput | null {
  return chartsFor(d)[0] ?? null;
}

/** Renders a chart input to the PNG file a reply carries (on this thread: workers call it). */
export async function renderChartFile(input: ChartInput): Promise<ChartFile> {
  const { renderCharts } = await import("../../charts/render.js");
  const [chart] = await renderCharts([input]);
  if (chart === undefined) throw new Error("the chart rendered to nothing");
  return { png: chart.png, filename: `${chart.name}.png`, title: chart.title, altText: chart.description };
}

/** Null when the diagnosis has no time series, or when rendering fails (logged): the reply goes on. */
export async function replyChart(d: Diagnosis, logger?: Logger): Promise<ChartFile | null> {
  const input = replyChartInput(d);
  if (input === null) return null;
  try {
    return await renderChartFile(input);
  } catch (error) {
    logger?.warn(`chart not rendered: ${(error as Error).message}`);
    return null;
  }
}
