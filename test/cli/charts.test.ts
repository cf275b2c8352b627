// `tattletale diagnose --chart DIR` as a real process: the charts of the founding incident and of
// the pool leak are written, listed, and decode as PNGs of the right size; an unwritable DIR is an
// I/O error (exit 1) with the reason, before anything is printed.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../kb/paths.js";
import { decodePng, inkIn } from "../charts/png.js";
import { CLI_BIN as BIN } from "../support/cli-bin.js";

const sample = (...p: string[]) => join(PACKAGE_ROOT, "samples", ...p);
const work = mkdtempSync(join(tmpdir(), "tattletale-charts-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: PACKAGE_ROOT,
    input: "",
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The paths listed under `Charts:`. */
function listed(text: string): string[] {
  const at = text.indexOf("Charts:\n");
  if (at < 0) return [];
  return text
    .slice(at + "Charts:\n".length)
    .split("\n")
    .filter((l) => l.startsWith("  "))
    .map((l) => l.trim());
}

function expectChart(path: string): void {
  expect(existsSync(path), path).toBe(true);
  if (path.endsWith(".svg")) {
    expect(readFileSync(path, "utf8")).toMatch(/^<svg [^>]*width="760" height="460"/);
    return;
  }
  const img = decodePng(readFileSync(path));
  expect(img.width).toBeLessThanOrEqual(800);
  expect(img.width).toBe(760);
  expect(inkIn(img, 0, 0, img.width, img.height)).toBeGreaterThan(5000);
}

describe("tattletale diagnose --chart DIR", () => {
  it("writes the founding incident's HTTPERR chart into a new folder and lists it after the text", () => {
    const dir = join(work, "founding", "nested");
    const r = run(["diagnose", "--chart", dir, sample("founding-incident"), sample("events")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/http\.sys refused/);
    expect(listed(r.stdout)).toEqual([
      join(dir, "httperr-per-minute.png"),
      join(dir, "httperr-per-minute.svg"),
    ]);
    for (const p of listed(r.stdout)) expectChart(p);
  });

  it("writes the pool leak's pool and tag charts; with --json the paths go to stderr", () => {
    const dir = join(work, "leak");
    const r = run(["diagnose", "--json", "--chart", dir, sample("pool-leak-growth")]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).findings.map((f: { id: string }) => f.id)).toContain("pool-tag-leak");
    expect(listed(r.stdout)).toEqual([]);
    const paths = listed(r.stderr);
    expect(paths).toEqual(
      ["pool-usage.png", "pool-usage.svg", "growing-tags.png", "growing-tags.svg"].map((f) => join(dir, f)),
    );
    for (const p of paths) expectChart(p);
  });

  it("says when the diagnosis has no chart, and writes none", () => {
    const dir = join(work, "healthy");
    const r = run(["diagnose", "--chart", dir, sample("healthy")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/No chart for this diagnosis/);
    expect(existsSync(join(dir, "pool-usage.png"))).toBe(false);
  });

  it("is an I/O error (exit 1) when DIR cannot be a folder, with the reason and nothing on stdout", () => {
    const file = join(work, "a-file");
    writeFileSync(file, "x");
    for (const dir of [file, join(file, "sub")]) {
      const r = run(["diagnose", "--chart", dir, sample("founding-incident")]);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(
        new RegExp(`^tattletale: cannot write charts to ${dir.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: `),
      );
      expect(r.stderr).toMatch(/a file of that name is in the way|part of the path is a file/);
    }
  });

  it("needs a folder name", () => {
    const r = run(["diagnose", "--chart"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--chart/);
  });
});
