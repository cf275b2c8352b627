// Child process of the benchmark: summarises one file through readInputs and prints what it cost.
// Run as a child so that its peak RSS (all threads) is its own. Usage: child-scan FILE [THREADS]
import { readInputs } from "../ingest/index.js";

const [file, threads] = process.argv.slice(2);
if (!file) {
  console.error("usage: child-scan FILE [THREADS]");
  process.exit(2);
}
const t0 = performance.now();
const [input] = await readInputs([file], { threads: threads ? Number(threads) : undefined });
const ms = performance.now() - t0;
const lines = input?.kind === "httperr" ? input.data.summary.lines : 0;
// maxRSS is in kilobytes, for the whole process (worker threads included).
console.log(JSON.stringify({ ms, lines, maxRssKb: process.resourceUsage().maxRSS }));
