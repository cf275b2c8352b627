// `tattletale kb validate` runs from an installed package: what ships (dist, kb with its examples,
// samples, package.json) copied without the test tree, run as a real process from another folder.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../kb/paths.js";
import { CLI_BIN_PATH } from "../support/cli-bin.js";

const root = mkdtempSync(join(tmpdir(), "tt-installed-"));
const pkg = join(root, "node_modules", "tattletale");
for (const part of ["package.json", "dist", "kb", "samples"]) {
  cpSync(join(PACKAGE_ROOT, part), join(pkg, part), { recursive: true, preserveTimestamps: true });
}
// The package's own dependencies, as npm would have installed them beside it.
symlinkSync(join(PACKAGE_ROOT, "node_modules"), join(pkg, "node_modules"), "dir");

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("an installed package", () => {
  it("has no test tree", () => {
    expect(existsSync(join(pkg, "test"))).toBe(false);
  });

  it("validates its knowledge base, examples included", () => {
    const r = spawnSync(process.execPath, [join(pkg, CLI_BIN_PATH), "kb", "validate"], {
      cwd: root,
      encoding: "utf8",
    });
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^Knowledge base OK: \d+ entries, every example behaves\.$/m);
    expect(r.status).toBe(0);
  });
});
