// The chart that goes with a diagnosis reply: the most telling of those the diagnosis calls for
// (HTTPERR per minute, else pool in use, else the growing tags), rendered to PNG. The chart code
// loads on first use, so the bot starts as fast as before.
import type { Logger } from "@slack/bolt";
import type { Diagnosis } from "../../kb/index.js";
import type { ChartFile } from "./chart-upload.js";

/** Null when the diagnosis has no time series, or when rendering fails (logged): the reply goes on. */
export async function replyChart(d: Diagnosis, logger?: Logger): Promise<ChartFile | null> {
  try {
    const { chartsFor, renderCharts } = await import("../../charts/index.js");
    const first = chartsFor(d)[0];
    if (first === undefined) return null;
    const [chart] = await renderCharts([first]);
    if (chart === undefined) return null;
    return { png: chart.png, filename: `${chart.name}.png`, title: chart.title, altText: chart.description };
  } catch (error) {
    logger?.warn(`chart not rendered: ${(error as Error).message}`);
    return null;
  }
}
