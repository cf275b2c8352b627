// `npm run bench`: every figure of issue 6 in one run, side by side, written to bench/results.md.
//   1. HTTPERR summary throughput on a 500 MB log vs mawk counting lines per reason vs cat (ceiling)
//   2. peak RSS summarising a 1 GB log (goal < 150 MB)
//   3. diagnose latency of a 40,000-character paste, p50/p99
//   4. lookup latency, p50/p99 (and a 4,000-character query)
//   5. start-up time to ready (KB loaded and indexed), as a child process
//   6. the bot: signed message event → chat.postMessage at the fake Slack, 50 events/s for 30 s
// Medians of several runs: the machine may be shared, so single runs are noisy.
import { execFileSync, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { diagnoseTexts, loadKnowledgeBase, lookup } from "../kb/index.js";
import { benchBot } from "./bot.js";
import { generateHttperr } from "./generate.js";

const here = dirname(fileURLToPath(import.meta.url)); // dist/bench
const root = join(here, "..", "..");
const dataDir = join(root, "bench", ".data");
const MB = 1024 * 1024;

function log(msg: string): void {
  process.stderr.write(`${msg}\n`);
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    0.5,
  );

function ensureLog(name: string, bytes: number): string {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, name);
  const ok = existsSync(path) && statSync(path).size >= bytes && statSync(path).size < bytes + 4096;
  if (!ok) {
    log(`generating ${name} (${bytes / MB} MB)…`);
    generateHttperr(path, bytes, { seed: 1 });
  }
  return path;
}

function timeCommand(cmd: string, args: string[], toDevNull = false): number {
  const out = toDevNull ? openSync("/dev/null", "w") : "ignore";
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { stdio: ["ignore", out, "inherit"] });
  const ms = performance.now() - t0;
  if (typeof out === "number") closeSync(out);
  if (r.status !== 0) throw new Error(`${cmd} exited with ${r.status}`);
  return ms;
}

interface ChildScan {
  ms: number;
  lines: number;
  maxRssKb: number;
}

function childScan(file: string, workers?: number): ChildScan {
  const args = [join(here, "child-scan.js"), file];
  if (workers) args.push(String(workers));
  return JSON.parse(execFileSync(process.execPath, args, { encoding: "utf8" })) as ChildScan;
}

const MAWK_PROGRAM = "{ n[$12]++ } END { for (r in n) print r, n[r] }";

function throughput(file: string, runs: number) {
  const size = statSync(file).size;
  timeCommand("cat", [file], true); // warm the page cache: every contender reads from memory
  const mbs = (ms: number) => size / MB / (ms / 1000);
  const ours: number[] = [];
  const single: number[] = [];
  const mawk: number[] = [];
  const cat: number[] = [];
  for (let i = 0; i < runs; i++) {
    ours.push(childScan(file).ms);
    single.push(childScan(file, 1).ms);
    mawk.push(timeCommand("mawk", [MAWK_PROGRAM, file], true));
    cat.push(timeCommand("cat", [file], true));
  }
  return {
    fileMb: size / MB,
    oursMBs: mbs(median(ours)),
    singleThreadMBs: mbs(median(single)),
    mawkMBs: mbs(median(mawk)),
    catMBs: mbs(median(cat)),
  };
}

function latencies(
  fn: () => void,
  opts: { minRuns: number; maxMs: number },
): { p50: number; p99: number; runs: number } {
  const times: number[] = [];
  const start = performance.now();
  for (let i = 0; i < 5; i++) fn(); // warm-up
  while (
    times.length < opts.minRuns ||
    (performance.now() - start < opts.maxMs && times.length < opts.minRuns * 10)
  ) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
    if (performance.now() - start > opts.maxMs && times.length >= 20) break;
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p99: percentile(times, 0.99), runs: times.length };
}

/** A 40,000-character paste (Slack's message limit): boot.ini, poolmon -b, then HTTPERR lines. */
function bigPaste(): string {
  const sample = join(root, "samples", "founding-incident");
  const boot = readFileSync(join(sample, "boot.ini"), "utf8");
  const pool = readFileSync(join(sample, "poolmon-b.txt"), "utf8");
  const httperr = readFileSync(join(sample, "httperr1.log"), "utf8").split(/\r?\n/);
  const header = httperr.filter((l) => l.startsWith("#"));
  const lines = httperr.filter((l) => l.length > 0 && !l.startsWith("#"));
  let text = `${boot}\n${pool}\n${header.join("\n")}\n`;
  for (let i = 0; text.length < 40_000; i++) text += `${lines[i % lines.length]}\n`;
  return text.slice(0, text.lastIndexOf("\n", 40_000) + 1);
}

function startup(runs: number): { p50: number; max: number } {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const out = execFileSync(process.execPath, [join(here, "child-ready.js")], { encoding: "utf8" });
    if (!out.includes("ready")) throw new Error("start-up child did not get ready");
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), max: times[times.length - 1] as number };
}

function machine(): string {
  const cpu = cpus();
  return `${cpu[0]?.model ?? "unknown CPU"}, ${cpu.length} cores, ${(totalmem() / 1024 ** 3).toFixed(0)} GB RAM, Node ${process.version}, ${process.platform}`;
}

function mawkVersion(): string | null {
  const r = spawnSync("mawk", ["-W", "version"], { encoding: "utf8" });
  return r.status === 0 || r.stdout ? (r.stdout.split("\n")[0] ?? "mawk").trim() : null;
}

async function main(): Promise<void> {
  const quick = process.argv.includes("--quick");
  const mawk = mawkVersion();
  if (!mawk) {
    log("mawk is missing: run `npm run bench:deps` (installs Debian's mawk) and try again");
    process.exit(1);
  }
  const runs = quick ? 1 : 3;
  const file500 = ensureLog("httperr-500mb.log", 500 * MB);
  log("throughput on 500 MB…");
  const tp = throughput(file500, runs);

  const file1g = ensureLog("httperr-1gb.log", 1024 * MB);
  log("peak RSS on 1 GB…");
  timeCommand("cat", [file1g], true);
  const rss = Math.max(...Array.from({ length: runs }, () => childScan(file1g).maxRssKb)) / 1024;

  log("diagnose and lookup latency…");
  const kb = loadKnowledgeBase();
  const paste = bigPaste();
  const diag = latencies(() => diagnoseTexts(kb, [{ text: paste, source: "paste" }]), {
    minRuns: 200,
    maxMs: 20_000,
  });
  const queries = [
    "connections_refused",
    "conection refused",
    "tag Tmfs",
    "minbytespersec",
    "503 QueueFull",
    "3GB non-paged pool",
    "event 2019",
    "Timer_ConnectionIdle",
  ];
  let q = 0;
  const look = latencies(() => lookup(kb, queries[q++ % queries.length] as string), {
    minRuns: 2000,
    maxMs: 10_000,
  });
  const longQuery =
    "why does http.sys refuse connections when the non-paged pool runs low on a server booted with 3GB "
      .repeat(50)
      .slice(0, 4000);
  const lookLong = latencies(() => lookup(kb, longQuery), { minRuns: 200, maxMs: 10_000 });

  log("start-up…");
  const start = startup(quick ? 3 : 10);

  log("bot…");
  const bot = await benchBot({ rate: 50, seconds: quick ? 5 : 30 });

  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  const fmt = (n: number, d = 0) => n.toFixed(d);
  const rows: [string, string, string][] = [
    [
      "HTTPERR summary, 2 threads (500 MB)",
      `${fmt(tp.oursMBs)} MB/s`,
      `${ratio(tp.oursMBs, tp.mawkMBs)} mawk, ${ratio(tp.oursMBs, tp.catMBs)} cat`,
    ],
    [
      "HTTPERR summary, 1 thread (500 MB)",
      `${fmt(tp.singleThreadMBs)} MB/s`,
      `${ratio(tp.singleThreadMBs, tp.mawkMBs)} mawk`,
    ],
    ["mawk, lines per reason (500 MB)", `${fmt(tp.mawkMBs)} MB/s`, mawk],
    ["cat > /dev/null (500 MB)", `${fmt(tp.catMBs)} MB/s`, "ceiling (page cache)"],
    ["Peak RSS, summary of 1 GB", `${fmt(rss)} MB`, "goal < 150 MB"],
    [
      "Diagnose, 40,000-char paste",
      `p50 ${fmt(diag.p50, 1)} ms, p99 ${fmt(diag.p99, 1)} ms`,
      `${diag.runs} runs`,
    ],
    [
      "Lookup",
      `p50 ${fmt(look.p50, 2)} ms, p99 ${fmt(look.p99, 2)} ms`,
      `${look.runs} runs, ${queries.length} queries`,
    ],
    [
      "Lookup, 4,000-char query",
      `p50 ${fmt(lookLong.p50, 2)} ms, p99 ${fmt(lookLong.p99, 2)} ms`,
      `${lookLong.runs} runs`,
    ],
    [
      "Start-up to ready (KB loaded, indexed)",
      `p50 ${fmt(start.p50)} ms, max ${fmt(start.max)} ms`,
      "child process",
    ],
    [
      "Bot: event → chat.postMessage (50/s, 30 s)",
      bot.ok ? `p50 ${fmt(bot.p50, 1)} ms, p99 ${fmt(bot.p99, 1)} ms` : "not measured",
      bot.note,
    ],
  ];
  const table = [
    "| Figure | Result | Compared with |",
    "| --- | --- | --- |",
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
  const results = {
    date: new Date().toISOString(),
    machine: machine(),
    throughput: tp,
    peakRssMb: rss,
    diagnoseMs: diag,
    lookupMs: look,
    lookupLongMs: lookLong,
    startupMs: start,
    bot,
  };
  const md = `# Benchmark results\n\nRun of \`npm run bench\` on ${results.date.slice(0, 10)}: ${results.machine}.\n\n${table}\n\n\`\`\`json\n${JSON.stringify(results, null, 2)}\n\`\`\`\n`;
  writeFileSync(join(root, "bench", "results.md"), md);
  process.stdout.write(`${machine()}\n\n${table}\n\nwritten to bench/results.md\n`);
}

await main();
