// The run's one build must fail the run when it fails (a type error), and never leave a stale dist/.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildFresh } from "../support/global-setup.js";

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "tattletale-build-"));
  mkdirSync(join(root, "dist"));
  writeFileSync(join(root, "dist", "stale.js"), "// from an older build\n");
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function withBuild(script: string): void {
  writeFileSync(join(root, "package.json"), JSON.stringify({ scripts: { build: script } }));
}

describe("the test run's build", () => {
  it("throws with the compiler's output when the build fails", () => {
    withBuild("echo \"x.ts(1,14): error TS2322: Type 'string' is not assignable\" && exit 2");
    expect(() => buildFresh(root)).toThrow(/the build failed \(exit code 2\)[\s\S]*error TS2322/);
    expect(existsSync(join(root, "dist", "stale.js"))).toBe(false);
  });

  it("builds into an empty dist/, so nothing of an older build is left to test", () => {
    withBuild("mkdir -p dist && echo built > dist/fresh.js");
    buildFresh(root);
    expect(existsSync(join(root, "dist", "fresh.js"))).toBe(true);
    expect(existsSync(join(root, "dist", "stale.js"))).toBe(false);
  });

  it("finds the package's own binaries, as npm run does", () => {
    mkdirSync(join(root, "node_modules", ".bin"), { recursive: true });
    const tool = join(root, "node_modules", ".bin", "make-dist");
    writeFileSync(tool, "#!/bin/sh\nmkdir -p dist && echo by-tool > dist/tool.js\n", { mode: 0o755 });
    withBuild("make-dist");
    buildFresh(root);
    expect(existsSync(join(root, "dist", "tool.js"))).toBe(true);
  });
});
