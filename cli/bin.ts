#!/usr/bin/env node
// The `tattletale` executable: run the CLI on this process's streams.
import { statSync } from "node:fs";
import { PARALLEL_THRESHOLD_BYTES } from "../ingest/caps.js";
import { startWorkersEarly } from "../ingest/worker-start.js";

/** Whether `diagnose` was given a file big enough to be scanned by several threads. */
function diagnosesBigFile(args: string[]): boolean {
  const big = (path: string) => {
    try {
      const st = statSync(path);
      return st.isFile() && st.size >= PARALLEL_THRESHOLD_BYTES;
    } catch {
      return false; // said properly once the arguments are read
    }
  };
  return args[0] === "diagnose" && args.slice(1).some((a) => !a.startsWith("-") && big(a));
}

// Before the rest of the CLI loads: its scan workers boot meanwhile (see worker-start.ts).
if (diagnosesBigFile(process.argv.slice(2))) startWorkersEarly();
const { main } = await import("./main.js");

// `tattletale diagnose … | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
})
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    process.stderr.write(`tattletale: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  });
