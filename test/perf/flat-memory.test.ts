// Flat memory: a log several times larger than the child's whole old-generation heap is summarised
// through readInputs without running out, at low cardinality (a few thousand clients and URIs) and at
// high cardinality (every line a new client and URI: the sketches must not grow with them). Runs the
// compiled module (dist/, built by the global setup).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { generateHttperr } from "../../bench/generate.js";
import { PACKAGE_ROOT } from "../../kb/paths.js";

const HEAP_MB = 24;
const LOG_BYTES = 150 * 1024 * 1024;
const HIGH_LOG_BYTES = 120 * 1024 * 1024;
const sources = join(PACKAGE_ROOT, "dist", "ingest", "files.js");

const dir = mkdtempSync(join(tmpdir(), "tattle-flat-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface ChildOut {
  lines: number;
  skipped: number;
  records: number;
  refusalLines: number;
  distinctClients: { estimate: number; relativeError: number };
  heapLimit: number;
}

function summariseInChild(path: string, threads: number) {
  const script = `
    const { readInputs } = await import(${JSON.stringify(pathToFileURL(sources).href)});
    const [input] = await readInputs([${JSON.stringify(path)}], { threads: ${threads} });
    const s = input.data.summary;
    console.log(JSON.stringify({ lines: s.lines, skipped: s.skipped, records: input.data.records.length,
      refusalLines: s.byReason.Connections_Refused ?? 0, distinctClients: s.distinctClients,
      heapLimit: (await import("node:v8")).getHeapStatistics().heap_size_limit }));`;
  return spawnSync(
    process.execPath,
    [`--max-old-space-size=${HEAP_MB}`, "--max-semi-space-size=1", "--input-type=module", "-e", script],
    {
      encoding: "utf8",
    },
  );
}

describe("flat memory", () => {
  it(`summarises a ${LOG_BYTES >> 20} MB log in a child with a ${HEAP_MB} MB heap`, () => {
    expect(existsSync(sources)).toBe(true);
    const path = join(dir, "httperr-big.log");
    generateHttperr(path, LOG_BYTES, { seed: 3 });
    expect(statSync(path).size).toBeGreaterThan(5 * HEAP_MB * 1024 * 1024);
    for (const threads of [1, 2]) {
      const child = summariseInChild(path, threads);
      expect(child.stderr).toBe("");
      expect(child.status).toBe(0);
      const out = JSON.parse(child.stdout) as ChildOut;
      expect(out.heapLimit).toBeLessThan(LOG_BYTES / 4);
      expect(out.lines).toBeGreaterThan(1_000_000);
      expect(out.skipped).toBe(0);
      expect(out.records).toBe(0);
      expect(out.distinctClients.relativeError).toBe(0);
    }
    // Writes 150 MB and scans it twice: minutes, not seconds, on a busy two-core machine.
  }, 300_000);

  it(`summarises a ${HIGH_LOG_BYTES >> 20} MB log of a million distinct clients in the same heap`, () => {
    const path = join(dir, "httperr-public.log");
    generateHttperr(path, HIGH_LOG_BYTES, { seed: 4, cardinality: "high" });
    expect(statSync(path).size).toBeGreaterThan(4 * HEAP_MB * 1024 * 1024);
    for (const threads of [1, 2]) {
      const child = summariseInChild(path, threads);
      expect(child.stderr).toBe("");
      expect(child.status).toBe(0);
      const out = JSON.parse(child.stdout) as ChildOut;
      expect(out.heapLimit).toBeLessThan(HIGH_LOG_BYTES / 4);
      expect(out.skipped).toBe(0);
      // Every line but the refusals (whose client is `-`) has a client never seen before.
      const distinct = out.lines - out.refusalLines;
      expect(distinct).toBeGreaterThan(900_000);
      const { estimate, relativeError } = out.distinctClients;
      expect(relativeError).toBeGreaterThan(0);
      expect(Math.abs(estimate - distinct)).toBeLessThanOrEqual(relativeError * estimate);
    }
    // Writes 120 MB and scans it twice.
  }, 300_000);
});
