// Builds dist/ once per test run, so end-to-end tests run the real compiled CLI and bot even when
// vitest is started directly. Type errors fail `npm test` through `npm run build`, not here.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { PACKAGE_ROOT } from "../../kb/paths.js";

export default function setup(): void {
  const tsc = join(PACKAGE_ROOT, "node_modules", ".bin", "tsc");
  spawnSync(tsc, ["-p", PACKAGE_ROOT], { cwd: PACKAGE_ROOT, stdio: "ignore" });
}
