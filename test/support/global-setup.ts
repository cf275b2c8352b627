// Builds dist/ once per test run, with the project's own build script (`npm run build`: tsc, then
// the KB snapshot), so end-to-end tests run the real compiled CLI and bot, also when vitest is
// started directly. This is the run's only compile. dist/ is emptied first and a failed build
// (a type error) fails the run: tests never run against a stale or partial dist/.
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { delimiter, join } from "node:path";
import { PACKAGE_ROOT } from "../../kb/paths.js";

/** Runs the `build` script of the package at `root` into an empty dist/; throws with its output if it fails. */
export function buildFresh(root: string): void {
  const { scripts } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
    scripts: { build: string };
  };
  rmSync(join(root, "dist"), { recursive: true, force: true });
  // What npm does with a script: a shell, with the package's binaries on the PATH.
  const build = spawnSync(scripts.build, {
    shell: true,
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, PATH: `${join(root, "node_modules", ".bin")}${delimiter}${process.env.PATH}` },
  });
  if (build.status !== 0) {
    const how =
      build.error?.message ?? (build.signal ? `killed by ${build.signal}` : `exit code ${build.status}`);
    throw new Error(
      `the build failed (${how}): ${scripts.build}\n${build.stdout ?? ""}${build.stderr ?? ""}`,
    );
  }
}

export default function setup(): void {
  buildFresh(PACKAGE_ROOT);
}
