// `npm run bench:charts`: rendering time per chart, spec → SVG (Vega-Lite, Vega's headless view) →
// PNG (resvg), on the bundled samples and on long series (a day of HTTPERR minutes, a week of
// pool samples), written to bench/charts-results.md. Medians of many runs after a warm-up: the
// machine may be shared.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ChartInput } from "../charts/series.js";
import { diagnoseTexts, loadKnowledgeBase } from "../kb/index.js";

const here = dirname(fileURLToPath(import.meta.url)); // dist/bench
const root = join(here, "..", "..");

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

function machine(): string {
  const cpu =
    cpus()[0]
      ?.model.replace(/\s+\d+-Core Processor/, "")
      .trim() ?? "unknown CPU";
  return `${cpu}, ${cpus().length} cores, ${Math.round(totalmem() / 1024 ** 3)} GB RAM, Node ${process.version}, ${process.platform}`;
}

function sampleTexts(...folders: string[]) {
  return folders.flatMap((folder) => {
    const dir = join(root, "samples", folder);
    return readdirSync(dir)
      .sort()
      .map((f) => ({ text: readFileSync(join(dir, f), "utf8"), source: f }));
  });
}

const MINUTE = 60_000;
const iso = (t: number) => `${new Date(t).toISOString().slice(0, 19)}Z`;

/** A day of HTTPERR minutes: refusals in bursts, a few 503s. */
function dayOfMinutes(): ChartInput {
  const t0 = Date.UTC(2024, 2, 1);
  const minutes = Array.from({ length: 1440 }, (_, i) => t0 + i * MINUTE);
  return {
    kind: "httperr-per-minute",
    clock: "utc",
    note: null,
    series: [
      {
        name: "Refused connections (N of N_Connections_Refused)",
        unit: "per minute",
        samples: minutes.map((t, i) => ({ t: iso(t), value: i % 180 < 20 ? 30 + (i % 7) : 0 })),
      },
      {
        name: "503 responses",
        unit: "per minute",
        samples: minutes.map((t, i) => ({ t: iso(t), value: i % 97 === 0 ? 5 : 0 })),
      },
    ],
    events: [{ t: iso(t0 + 600 * MINUTE), label: "WAS 5002" }],
  };
}

/** A week of non-paged pool every 10 minutes (a counter CSV), rising toward its limit. */
async function weekOfPool(): Promise<ChartInput> {
  const { poolUsageInput } = await import("../charts/from-diagnosis.js");
  const t0 = Date.UTC(2024, 2, 1);
  const samples = Array.from({ length: 7 * 144 }, (_, i) => ({
    t: iso(t0 + i * 10 * MINUTE),
    value: Math.round((40 + i * 0.06 + 3 * Math.sin(i / 9)) * 10) / 10,
  }));
  const input = poolUsageInput({
    nonpaged: { name: "Non-paged pool in use", unit: "MB", samples },
    paged: null,
    clock: "utc",
    limitMb: 256,
    thresholdMb: 20,
    limitNote: null,
  });
  if (input === null) throw new Error("no pool input");
  return input;
}

async function main(): Promise<void> {
  const importStart = performance.now();
  const { buildSpec } = await import("../charts/specs/index.js");
  const { specToSvg, svgToPng } = await import("../charts/render.js");
  const { chartsFor } = await import("../charts/from-diagnosis.js");
  const importMs = performance.now() - importStart;

  const kb = loadKnowledgeBase();
  const founding = chartsFor(diagnoseTexts(kb, sampleTexts("founding-incident", "events")));
  const leak = chartsFor(diagnoseTexts(kb, sampleTexts("pool-leak-growth")));
  const cases: Array<{ label: string; input: ChartInput }> = [
    ...founding.map((input) => ({ label: `${input.kind} (founding incident, 12 minutes)`, input })),
    ...leak.map((input) => ({ label: `${input.kind} (pool-leak-growth, 2 snapshots)`, input })),
    { label: "httperr-per-minute (a day: 2 × 1,440 minutes)", input: dayOfMinutes() },
    { label: "pool-usage (a week: 1,008 samples)", input: await weekOfPool() },
  ];

  // The first render in a process also compiles Vega's code paths and loads the font metrics.
  const firstStart = performance.now();
  const first = cases[0];
  if (first) await svgToPng(await specToSvg(buildSpec(first.input).spec));
  const firstMs = performance.now() - firstStart;

  const quick = process.argv.includes("--quick");
  const runs = quick ? 5 : 40;
  const rows: string[][] = [];
  const results: Record<string, unknown>[] = [];
  for (const { label, input } of cases) {
    const spec: number[] = [];
    const svg: number[] = [];
    const png: number[] = [];
    const total: number[] = [];
    const cpu: number[] = [];
    let bytes = 0;
    for (let i = 0; i < runs + 3; i++) {
      // CPU time of the whole process (resvg renders on libuv's pool): steadier than wall time on a busy machine.
      const cpu0 = process.cpuUsage();
      const a = performance.now();
      const built = buildSpec(input);
      const b = performance.now();
      const text = await specToSvg(built.spec);
      const c = performance.now();
      const out = await svgToPng(text);
      const d = performance.now();
      const used = process.cpuUsage(cpu0);
      bytes = out.png.byteLength;
      if (i < 3) continue; // warm-up
      spec.push(b - a);
      svg.push(c - b);
      png.push(d - c);
      total.push(d - a);
      cpu.push((used.user + used.system) / 1000);
    }
    const p = (xs: number[], q: number) =>
      percentile(
        [...xs].sort((x, y) => x - y),
        q,
      );
    rows.push([
      label,
      `p50 ${p(total, 0.5).toFixed(0)} ms, p95 ${p(total, 0.95).toFixed(0)} ms`,
      `${p(cpu, 0.5).toFixed(0)} ms`,
      `${p(spec, 0.5).toFixed(2)} / ${p(svg, 0.5).toFixed(0)} / ${p(png, 0.5).toFixed(0)} ms`,
      `${(bytes / 1024).toFixed(0)} KB`,
    ]);
    results.push({
      label,
      runs,
      totalMs: { p50: p(total, 0.5), p95: p(total, 0.95) },
      cpuMs: p(cpu, 0.5),
      specMs: p(spec, 0.5),
      svgMs: p(svg, 0.5),
      pngMs: p(png, 0.5),
      pngBytes: bytes,
    });
  }
  const head = ["Chart", "spec → SVG → PNG, wall", "CPU (p50)", "spec / SVG / PNG (p50)", "PNG"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(" | ")} |`;
  const table = [line(head), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
  const load = loadavg()[0]?.toFixed(2) ?? "?";
  const date = new Date().toISOString();
  const intro = `Run of \`npm run bench:charts\` on ${date.slice(0, 10)}: ${machine()}, load average ${load}. ${runs} runs per chart after 3 warm-up runs, one process. Loading the chart code (Vega, Vega-Lite, resvg): ${importMs.toFixed(0)} ms; the first chart in a process: ${firstMs.toFixed(0)} ms.`;
  const md = `# Chart rendering\n\n${intro}\n\n${table}\n\n\`\`\`json\n${JSON.stringify({ date, machine: machine(), loadAverage: Number(load), importMs, firstMs, charts: results }, null, 2)}\n\`\`\`\n`;
  writeFileSync(join(root, "bench", "charts-results.md"), md);
  process.stdout.write(`${intro}\n\n${table}\n\nwritten to bench/charts-results.md\n`);
}

await main();
