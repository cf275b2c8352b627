// Starting the scan workers, and starting them early: a worker takes about 100 ms to boot (an
// isolate, then the scanner's modules). Started when a big input is found, that boot runs while
// this thread already scans, and the two compete for the cores; the CLI starts them first thing
// when its arguments name a big file, so they boot while it loads the rest of itself.
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";

/** workerData key that tells workers.ts it runs as a scan worker. */
export const WORKER_FLAG = "tattletale-httperr-scan";
/** The worker's young generation (both semi-spaces), MB. */
const WORKER_YOUNG_MB = 2;

/** Threads that scan a big file, this one included, unless told: the cores, at most 2. */
export function defaultThreads(threads?: number): number {
  return Math.max(1, Math.floor(threads ?? Math.min(2, availableParallelism())));
}

/** The compiled workers.ts; under a TypeScript runner, the build in dist/ if there is one. */
export function workerUrl(): URL | null {
  const here = import.meta.url;
  if (here.endsWith(".js")) return new URL("./workers.js", here);
  const built = new URL("../dist/ingest/workers.js", here);
  return existsSync(fileURLToPath(built)) ? built : null;
}

export function startWorker(url: URL): Worker {
  // No inherited flags: a worker refuses --input-type (a parent run with -e) and heap flags.
  // A worker's objects are few and short-lived (its state is in typed arrays), so a small young
  // generation does (V8 would let it grow to tens of MB, against the CLI's 150 MB goal).
  return new Worker(url, {
    workerData: { [WORKER_FLAG]: true },
    execArgv: [],
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB },
  });
}

let early: Worker[] = [];

/** Starts the workers a big file will need; until a pool takes them they keep no process alive. */
export function startWorkersEarly(): void {
  const url = workerUrl();
  if (!url || early.length > 0) return;
  for (let k = 1; k < defaultThreads(); k++) {
    const w = startWorker(url);
    w.unref();
    early.push(w);
  }
}

/** Up to n of the workers started early (ended beyond that). */
export function takeEarlyWorkers(n: number): Worker[] {
  const taken = early.slice(0, n);
  for (const w of early.slice(n)) void w.terminate();
  early = [];
  for (const w of taken) w.ref();
  return taken;
}
