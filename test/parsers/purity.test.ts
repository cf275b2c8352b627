// parsers/ is pure: text or bytes in, typed evidence out. No file, compression, thread or stream I/O
// (that is ingest/'s job), and nothing from the layers above it.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../kb/paths.js";

const root = join(PACKAGE_ROOT, "parsers");
const files = (readdirSync(root, { recursive: true }) as string[])
  .filter((f) => f.endsWith(".ts"))
  .map((f) => join(root, f));

/** Every module specifier a file imports or re-exports (static or dynamic). */
function specifiers(source: string): string[] {
  return [...source.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*["']([^"']+)["']/g)].map((m) => m[1] as string);
}

/** Node's I/O modules, and the layers above parsers/. */
function forbidden(specifier: string): boolean {
  return (
    /^(node:)?(fs|fs\/promises|zlib|worker_threads|stream|stream\/promises|child_process|net|http|https)$/.test(
      specifier,
    ) || /(^|\/)(ingest|kb|bot|cli)\//.test(specifier)
  );
}

describe("parsers/", () => {
  it("has modules to check", () => expect(files.length).toBeGreaterThan(20));

  it("imports no Node I/O (fs, zlib, worker_threads, streams) and nothing of ingest, kb, bot or cli", () => {
    const bad = files.flatMap((file) =>
      specifiers(readFileSync(file, "utf8"))
        .filter(forbidden)
        .map((s) => `${relative(PACKAGE_ROOT, file)} imports ${s}`),
    );
    expect(bad).toEqual([]);
  });

  it("the check sees a forbidden import when there is one", () => {
    const found = specifiers(
      'import { createGunzip } from "node:zlib";\nexport * from "../ingest/x.js";\nimport { tokens } from "./text.js";\nawait import("fs");',
    );
    expect(found).toEqual(["node:zlib", "../ingest/x.js", "./text.js", "fs"]);
    expect(found.map(forbidden)).toEqual([true, true, false, true]);
  });
});
