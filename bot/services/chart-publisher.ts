// The chart of a reply, as its own outbox task queued once the text reply is posted: rendered in
// the parse worker, uploaded into the thread, and the thread's earlier chart deleted, so a thread
// shows one chart, the latest diagnosis's. The chart is extra: a failed render or upload is logged
// and dropped, never retried into the way of the next reply, and never touches the text reply.
import type { Logger, webApi } from "@slack/bolt";
import { z } from "zod";
import type { ChartInput } from "../../charts/series.js";
import type { IncidentStore } from "../../incidents/index.js";
import type { RunningTask } from "../outbox.js";
import { type ChartFile, deleteChart, replaceChart } from "./chart-upload.js";
import type { ParseWorkers } from "./parse-worker.js";
import { renderChartFile } from "./reply-chart.js";
import { type BotIdentity, isOurs, type SlackMessage } from "./thread.js";

export const CHART_TASK = "chart";

/** A chart input as a task holds it (plain series, built by charts/from-diagnosis.ts). */
export const ChartInputField = z.custom<ChartInput>(
  (v) => typeof v === "object" && v !== null && typeof (v as { kind?: unknown }).kind === "string",
  "a chart input",
);

export const ChartPayload = z.object({
  channel: z.string().min(1),
  threadTs: z.string().min(1),
  key: z.string().min(1),
  chart: ChartInputField,
  /** Charts of ours already in the thread when it was read: deleted once the new one is up. */
  previous: z.array(z.string()).default([]),
  /** A chart overtaken by a newer diagnosis of the thread is not uploaded. */
  incidentId: z.string().optional(),
  diagnoses: z.number().int().optional(),
});
export type ChartPayload = z.infer<typeof ChartPayload>;

/** Our charts in a thread: the PNG files of our own messages. */
export function chartsInThread(thread: SlackMessage[], me: BotIdentity): string[] {
  return thread
    .filter((m) => isOurs(m, me))
    .flatMap((m) => m.files ?? [])
    .filter((f) => /\.png$/i.test(f.name ?? ""))
    .map((f) => f.id);
}

export class ChartPublisher {
  /** The chart each thread shows, as uploaded by this process (newer than any thread read). */
  private readonly shown = new Map<string, string>();

  constructor(
    private readonly deps: {
      logger: Logger;
      store?: IncidentStore;
      workers?: ParseWorkers;
      uploadTimeoutMs?: number;
    },
  ) {}

  async run(client: webApi.WebClient, t: RunningTask, p: ChartPayload): Promise<void> {
    const { logger, store, workers } = this.deps;
    if (p.incidentId !== undefined && p.diagnoses !== undefined && store) {
      const current = await store.get(p.incidentId).catch(() => undefined);
      if (current && current.diagnoses > p.diagnoses) return;
    }
    let chart: ChartFile;
    try {
      chart = workers?.available ? await workers.renderChart(p.chart) : await renderChartFile(p.chart);
    } catch (error) {
      logger.warn(`chart ${t.task.id} not rendered: ${(error as Error).message}`);
      return;
    }
    const remembered = this.shown.get(p.key);
    const previous = [...new Set([...(remembered ? [remembered] : []), ...p.previous])];
    const opts = this.deps.uploadTimeoutMs ? { timeoutMs: this.deps.uploadTimeoutMs } : {};
    const target = { channel: p.channel, threadTs: p.threadTs };
    const result = await replaceChart(client, target, previous[0] ?? null, chart, opts);
    if (!result.ok) {
      logger.warn(`chart ${chart.filename} not uploaded to ${p.channel}/${p.threadTs}: ${result.error}`);
      return;
    }
    this.shown.set(p.key, result.fileId);
    for (const id of previous.slice(1)) {
      if (id === result.fileId) continue;
      const deleted = await deleteChart(client, id, opts);
      if (!deleted.ok) logger.warn(`earlier chart ${id} not deleted: ${deleted.error}`);
    }
  }
}
