import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/scratch/**", "node_modules/**"],
    globalSetup: ["test/support/global-setup.ts", "test/support/pg-global-setup.ts"],
    setupFiles: ["test/support/fast-check-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
