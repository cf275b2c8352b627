#!/usr/bin/env node
// The `tattletale` executable: run the CLI on this process's streams.
import { main } from "./main.js";

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
