// `npm run test:unit`: the fast tests alone, for the edit-test loop. Left out: the end-to-end suites
// (the real Bolt app, real CLI processes: test/e2e/, *.process.test.ts and the suites listed below
// that start processes), the performance checks (test/perf/: 150 MB logs, worker threads) and the
// long property tests. The files share their workers' module cache (isolate: false), which cuts the
// time spent importing the knowledge base again for every file by two thirds; `npm test` runs every
// file isolated, so a test that leans on another file's state still fails there.
import { defineConfig, mergeConfig } from "vitest/config";
import base from "./vitest.config.js";

export default mergeConfig(
  base,
  defineConfig({
    test: {
      isolate: false,
      exclude: [
        "test/e2e/**",
        "test/perf/**",
        "**/*.process.test.ts",
        "test/cli/cli.test.ts",
        "test/store/concurrency.test.ts",
        "test/store/handoff-cli.test.ts",
        "test/props/parsers.test.ts",
        "test/props/linear.test.ts",
        "test/props/cli.test.ts",
      ],
    },
  }),
);
