// `tattletale diagnose --chart DIR`: the diagnosis's charts as PNG and SVG files in DIR.
// The folder is made (and found writable) before the inputs are read, so a typo fails at once;
// the chart code (Vega, resvg) loads only when charts are asked for.
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { InputError } from "../ingest/index.js";
import type { Diagnosis } from "../kb/index.js";

const REASONS: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "permission denied",
  EEXIST: "a file of that name is in the way",
  ENOTDIR: "part of the path is a file, not a folder",
  EROFS: "the file system is read-only",
  ENOSPC: "no space left on the device",
  EISDIR: "a folder is in the way",
};

function cannotWrite(dir: string, error: unknown): InputError {
  const code = (error as NodeJS.ErrnoException).code ?? "";
  const reason = REASONS[code] ?? (error as Error).message;
  return new InputError(dir, `cannot write charts to ${dir}: ${reason}`);
}

export interface ChartDir {
  /** Renders the charts the diagnosis calls for into the folder; returns the lines to print. */
  write(d: Diagnosis): Promise<string>;
}

/** Makes DIR (with its parents) and checks a file can be written there; throws InputError if not. */
export async function openChartDir(dir: string): Promise<ChartDir> {
  const probe = join(dir, ".tattletale-write-test");
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(probe, "");
    await rm(probe, { force: true });
  } catch (error) {
    throw cannotWrite(dir, error);
  }
  return {
    async write(d) {
      const { chartsFor, renderCharts } = await import("../charts/index.js");
      const charts = await renderCharts(chartsFor(d));
      if (charts.length === 0) {
        return "No chart for this diagnosis: charts need HTTPERR lines over two minutes or more, two poolmon snapshots with their times, or a pool counter series (typeperf, relog, Get-Counter).\n";
      }
      const paths: string[] = [];
      try {
        for (const c of charts) {
          for (const [ext, body] of [
            ["png", c.png],
            ["svg", c.svg],
          ] as const) {
            const path = join(dir, `${c.name}.${ext}`);
            await writeFile(path, body);
            paths.push(path);
          }
        }
      } catch (error) {
        throw cannotWrite(dir, error);
      }
      return `Charts:\n${paths.map((p) => `  ${p}\n`).join("")}`;
    },
  };
}
