// The worker threads that scan byte ranges of big HTTPERR files (see ranges.ts), and their entry
// point: this module, loaded in a worker, answers range jobs. It imports nothing heavy, so that
// workers start light.
import { isMainThread, parentPort, type Worker, workerData } from "node:worker_threads";
import { InputError } from "./input-error.js";
import { CHUNK_BYTES, type RangeJob, type RangeResult, scanRange } from "./ranges.js";
import { startWorker, takeEarlyWorkers, WORKER_FLAG } from "./worker-start.js";

type FromWorker =
  | { type: "progress"; bytes: number }
  | { type: "done"; result: RangeResult }
  | { type: "error"; message: string; path: string };

export class Pool {
  private readonly idle: Worker[] = [];
  private readonly all: Worker[] = [];
  private readonly waiting: ((w: Worker) => void)[] = [];

  /** Starts every worker at once: their start-up runs while the caller sniffs files and cuts ranges. */
  constructor(
    url: URL,
    readonly size: number,
  ) {
    const early = takeEarlyWorkers(size);
    for (let k = 0; k < size; k++) {
      const w = early[k] ?? startWorker(url);
      this.all.push(w);
      this.idle.push(w);
    }
  }

  private async take(): Promise<Worker> {
    return this.idle.pop() ?? new Promise((resolve) => this.waiting.push(resolve));
  }

  private give(w: Worker): void {
    const next = this.waiting.shift();
    if (next) next(w);
    else this.idle.push(w);
  }

  async run(job: RangeJob, onBytes: (n: number) => void): Promise<RangeResult> {
    const w = await this.take();
    try {
      return await new Promise<RangeResult>((resolve, reject) => {
        const onMessage = (m: FromWorker) => {
          if (m.type === "progress") return onBytes(m.bytes);
          w.off("message", onMessage);
          w.off("error", onError);
          if (m.type === "done") resolve(m.result);
          else reject(new InputError(m.path, m.message));
        };
        const onError = (err: Error) => {
          w.off("message", onMessage);
          reject(err);
        };
        w.on("message", onMessage);
        w.once("error", onError);
        w.postMessage(job);
      });
    } finally {
      this.give(w);
    }
  }

  /** Ends one idle worker now (its memory goes back): for when no range will be left for it. */
  release(): void {
    const w = this.idle.pop();
    if (w) void w.terminate();
  }

  async close(): Promise<void> {
    await Promise.all(this.all.map((w) => w.terminate()));
  }
}

if (!isMainThread && parentPort && (workerData as Record<string, unknown> | null)?.[WORKER_FLAG]) {
  const port = parentPort;
  port.on("message", (job: RangeJob) => {
    let pending = 0;
    scanRange(job, (n) => {
      pending += n;
      if (pending >= 16 * CHUNK_BYTES) {
        port.postMessage({ type: "progress", bytes: pending });
        pending = 0;
      }
    }).then(
      (result) => {
        if (pending > 0) port.postMessage({ type: "progress", bytes: pending });
        port.postMessage({ type: "done", result });
      },
      (err: unknown) => {
        const path = err instanceof InputError ? err.path : job.path;
        port.postMessage({ type: "error", path, message: err instanceof Error ? err.message : String(err) });
      },
    );
  });
}
