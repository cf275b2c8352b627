// `npm run bench`: every figure of issue 6 in one run, side by side, written to bench/results.md.
//   1. HTTPERR summary throughput on a 500 MB log vs mawk counting lines per reason vs cat (ceiling)
//   2. peak RSS summarising a 1 GB log (goal < 150 MB)
//   3. diagnose latency of a 40,000-character paste, p50/p99
//   4. lookup latency, p50/p99 (and a 4,000-character query)
//   5. start-up time to ready (KB loaded and indexed), as a child process
//   6. the bot: signed message event → HTTP 200 (ack) and → chat.postMessage (reply) at the fake
//      Slack, 50 events/s for 30 s, with 0, 10,000 and 50,000 incidents stored
//   7. the bot's event-loop delay while it reads one DM of ten 24 MB files
//   8. replicas: one bot process vs three on one PostgreSQL database behind a round-robin balancer,
//      events per second and latency from the signed event to chat.postMessage (bench/replicas.ts)
// `--only=bot` runs 6 and 7 alone and writes bench/results-bot.md (the rest takes long);
// `--only=replicas` runs 8 alone and writes bench/results-replicas.md.
// Medians of several runs: the machine may be shared, so single runs are noisy.
import { execFileSync, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { diagnoseTexts, loadKnowledgeBase, lookup } from "../kb/index.js";
import { type BotLoadFigure, benchBotSizes, benchEventLoop, type EventLoopFigure } from "./bot.js";
import { generateHttperr } from "./generate.js";
import { benchDatabase, benchReplicas, type ReplicaFigure } from "./replicas.js";

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

interface Timed {
  wallMs: number;
  /** user + system CPU of the child (all its threads), null without /usr/bin/time. */
  cpuMs: number | null;
  maxRssKb: number | null;
}

const GNU_TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : null;

/** Runs a command to the end (stdout to /dev/null), timing the whole process from spawn to exit. */
function timeCommand(cmd: string, args: string[]): Timed {
  const out = openSync("/dev/null", "w");
  const [bin, argv] = GNU_TIME ? [GNU_TIME, ["-f", "@@ %U %S %M", cmd, ...args]] : [cmd, args];
  const t0 = performance.now();
  const r = spawnSync(bin, argv, { stdio: ["ignore", out, "pipe"], encoding: "utf8" });
  const wallMs = performance.now() - t0;
  closeSync(out);
  if (r.status !== 0) throw new Error(`${cmd} exited with ${r.status}: ${r.stderr}`);
  const m = /@@ ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr ?? "");
  return {
    wallMs,
    cpuMs: m ? (Number(m[1]) + Number(m[2])) * 1000 : null,
    maxRssKb: m ? Number(m[3]) : null,
  };
}

function childScan(file: string, workers?: number): Timed {
  const args = [join(here, "child-scan.js"), file];
  if (workers) args.push(String(workers));
  return timeCommand(process.execPath, args);
}

/** Peak RSS (KB) of a child summarising the file, as the child itself measures it (all threads). */
function childRss(file: string): number {
  const out = execFileSync(process.execPath, [join(here, "child-scan.js"), file], { encoding: "utf8" });
  return (JSON.parse(out) as { maxRssKb: number }).maxRssKb;
}

const MAWK_PROGRAM = "{ n[$12]++ } END { for (r in n) print r, n[r] }";

interface Contender {
  /** MB/s from the median wall time of the whole process (start-up included). */
  mbs: number;
  /** CPU seconds per GB (all threads): what it costs, whatever else runs on the machine. */
  cpuSecPerGb: number | null;
}

function throughput(file: string, runs: number) {
  const size = statSync(file).size;
  timeCommand("cat", [file]); // warm the page cache: every contender reads from memory
  const contenders: Record<string, () => Timed> = {
    ours: () => childScan(file),
    singleThread: () => childScan(file, 1),
    mawk: () => timeCommand("mawk", [MAWK_PROGRAM, file]),
    cat: () => timeCommand("cat", [file]),
  };
  const times: Record<string, Timed[]> = { ours: [], singleThread: [], mawk: [], cat: [] };
  // Interleaved, so that a burst of load elsewhere hits every contender alike.
  for (let i = 0; i < runs; i++)
    for (const [name, run] of Object.entries(contenders)) times[name]?.push(run());
  const summarise = (ts: Timed[]): Contender => {
    const cpu = ts.map((t) => t.cpuMs).filter((c): c is number => c !== null);
    return {
      mbs: size / MB / (median(ts.map((t) => t.wallMs)) / 1000),
      cpuSecPerGb: cpu.length > 0 ? median(cpu) / 1000 / (size / 1024 ** 3) : null,
    };
  };
  return {
    fileMb: size / MB,
    ours: summarise(times.ours ?? []),
    singleThread: summarise(times.singleThread ?? []),
    mawk: summarise(times.mawk ?? []),
    cat: summarise(times.cat ?? []),
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

/** A Markdown table with padded columns (as the formatter writes them). */
function mdTable(head: string[], rows: string[][]): string {
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((x, c) => x.padEnd(widths[c] ?? 0)).join(" | ")} |`;
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

function machine(): string {
  const cpu = cpus();
  return `${cpu[0]?.model ?? "unknown CPU"}, ${cpu.length} cores, ${(totalmem() / 1024 ** 3).toFixed(0)} GB RAM, Node ${process.version}, ${process.platform}`;
}

function mawkVersion(): string | null {
  const r = spawnSync("mawk", ["-W", "version"], { encoding: "utf8" });
  return r.status === 0 || r.stdout ? (r.stdout.split("\n")[0] ?? "mawk").trim() : null;
}

/** The bot's figures: ack and reply latency with 0, 10,000 and 50,000 incidents, and the event loop. */
async function botFigures(quick: boolean): Promise<{ loads: BotLoadFigure[]; loop: EventLoopFigure }> {
  const loads = await benchBotSizes({
    rate: 50,
    seconds: quick ? 5 : 10,
    rounds: quick ? 1 : 3,
    sizes: [0, 10_000, 50_000],
    log,
  });
  log("bot event loop while a DM of ten 24 MB files is read…");
  const loop = await benchEventLoop();
  return { loads, loop };
}

function botRows(b: { loads: BotLoadFigure[]; loop: EventLoopFigure }): [string, string, string][] {
  const ms = (n: number) => (n < 10 ? n.toFixed(1) : n.toFixed(0));
  return [
    ...b.loads.map((f): [string, string, string] => [
      `Bot at 50 events/s, ${f.incidents.toLocaleString("en")} incidents stored`,
      f.ok
        ? `ack p50 ${ms(f.ack.p50)} ms, p99 ${ms(f.ack.p99)} ms; reply p50 ${ms(f.reply.p50)} ms, p99 ${ms(f.reply.p99)} ms`
        : "not measured",
      `${f.note}; started in ${ms(f.startMs)} ms (median)`,
    ]),
    [
      "Bot event loop, DM of ten 24 MB files",
      b.loop.ok
        ? `delay p50 ${ms(b.loop.p50)} ms, p99 ${ms(b.loop.p99)} ms, max ${ms(b.loop.max)} ms`
        : "not measured",
      `${b.loop.note}; answered in ${b.loop.seconds.toFixed(0)} s`,
    ],
  ];
}

/** One replica against three on one database, in one run (each set-up twice, interleaved). */
async function replicaFigures(quick: boolean): Promise<ReplicaFigure[]> {
  const db = benchDatabase();
  try {
    const figures: ReplicaFigure[] = [];
    for (const replicas of [1, 3]) {
      log(`replicas: ${replicas} bot process(es) on one PostgreSQL database…`);
      figures.push(
        await benchReplicas({
          replicas,
          url: db.url,
          rate: 50,
          seconds: quick ? 5 : 20,
          burst: quick ? 200 : 1000,
        }),
      );
    }
    return figures;
  } finally {
    db.stop();
  }
}

function replicaRows(figures: ReplicaFigure[]): [string, string, string][] {
  const ms = (n: number) => (n < 10 ? n.toFixed(1) : n.toFixed(0));
  return figures.flatMap((f): [string, string, string][] => [
    [
      `${f.replicas === 1 ? "1 replica" : `${f.replicas} replicas`} on PostgreSQL, 50 events/s: event → chat.postMessage`,
      f.ok
        ? `p50 ${ms(f.reply.p50)} ms, p99 ${ms(f.reply.p99)} ms (ack p50 ${ms(f.ack.p50)} ms, p99 ${ms(f.ack.p99)} ms)`
        : "not measured",
      f.note,
    ],
    [
      `${f.replicas === 1 ? "1 replica" : `${f.replicas} replicas`} on PostgreSQL, burst`,
      f.ok
        ? `${f.burst.perSecond.toFixed(0)} events/s; reply p50 ${ms(f.burst.reply.p50)} ms, p99 ${ms(f.burst.reply.p99)} ms`
        : "not measured",
      `${f.burst.events} events answered, first send to last reply`,
    ],
  ]);
}

async function main(): Promise<void> {
  const quick = process.argv.includes("--quick");
  if (process.argv.includes("--only=replicas")) {
    const figures = await replicaFigures(quick);
    const table = mdTable(["Figure", "Result", "Compared with"], replicaRows(figures));
    const load = `Load average (1 min) ${(loadavg()[0] ?? 0).toFixed(2)} at the end.`;
    const md = `# Benchmark results: replicas\n\nRun of \`npm run bench -- --only=replicas\` on ${new Date().toISOString().slice(0, 10)}: ${machine()}. ${load}\n\n${table}\n\n\`\`\`json\n${JSON.stringify(figures, null, 2)}\n\`\`\`\n`;
    writeFileSync(join(root, "bench", "results-replicas.md"), md);
    process.stdout.write(`${machine()}\n${load}\n\n${table}\n\nwritten to bench/results-replicas.md\n`);
    return;
  }
  if (process.argv.includes("--only=bot")) {
    const bot = await botFigures(quick);
    const table = mdTable(["Figure", "Result", "Compared with"], botRows(bot));
    const load = `Load average (1 min) ${(loadavg()[0] ?? 0).toFixed(2)} at the end.`;
    const json = { loads: bot.loads.map(({ samples: _samples, ...f }) => f), loop: bot.loop };
    const md = `# Benchmark results: the bot\n\nRun of \`npm run bench -- --only=bot\` on ${new Date().toISOString().slice(0, 10)}: ${machine()}. ${load}\n\n${table}\n\n\`\`\`json\n${JSON.stringify(json, null, 2)}\n\`\`\`\n`;
    writeFileSync(join(root, "bench", "results-bot.md"), md);
    process.stdout.write(`${machine()}\n${load}\n\n${table}\n\nwritten to bench/results-bot.md\n`);
    return;
  }
  const mawk = mawkVersion();
  if (!mawk) {
    log("mawk is missing: run `npm run bench:deps` (installs Debian's mawk) and try again");
    process.exit(1);
  }
  const runs = quick ? 1 : 3;
  // Other work on the machine shows in the 2-thread figure first: say how busy it was.
  const loadBefore = loadavg()[0] ?? 0;
  const file500 = ensureLog("httperr-500mb.log", 500 * MB);
  log("throughput on 500 MB…");
  const tp = throughput(file500, runs);
  const loadAfter = loadavg()[0] ?? 0;

  const file1g = ensureLog("httperr-1gb.log", 1024 * MB);
  log("peak RSS on 1 GB…");
  timeCommand("cat", [file1g]);
  const rss = Math.max(...Array.from({ length: runs }, () => childRss(file1g))) / 1024;

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

  const bot = await botFigures(quick);
  const replicated = await replicaFigures(quick);

  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  const fmt = (n: number, d = 0) => n.toFixed(d);
  const cpu = (c: { cpuSecPerGb: number | null }) =>
    c.cpuSecPerGb === null ? "" : ` (${c.cpuSecPerGb.toFixed(2)} CPU-s/GB)`;
  const rows: [string, string, string][] = [
    [
      "HTTPERR summary, 2 threads (500 MB)",
      `${fmt(tp.ours.mbs)} MB/s${cpu(tp.ours)}`,
      `${ratio(tp.ours.mbs, tp.mawk.mbs)} mawk, ${ratio(tp.ours.mbs, tp.cat.mbs)} cat`,
    ],
    [
      "HTTPERR summary, 1 thread (500 MB)",
      `${fmt(tp.singleThread.mbs)} MB/s${cpu(tp.singleThread)}`,
      `${ratio(tp.singleThread.mbs, tp.mawk.mbs)} mawk`,
    ],
    ["mawk, lines per reason (500 MB)", `${fmt(tp.mawk.mbs)} MB/s${cpu(tp.mawk)}`, mawk],
    ["cat > /dev/null (500 MB)", `${fmt(tp.cat.mbs)} MB/s${cpu(tp.cat)}`, "ceiling (page cache)"],
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
    ...botRows(bot),
    ...replicaRows(replicated),
  ];
  const table = mdTable(["Figure", "Result", "Compared with"], rows);
  const results = {
    date: new Date().toISOString(),
    machine: machine(),
    loadAverage: { beforeThroughput: loadBefore, afterThroughput: loadAfter },
    throughput: tp,
    peakRssMb: rss,
    diagnoseMs: diag,
    lookupMs: look,
    lookupLongMs: lookLong,
    startupMs: start,
    bot: { loads: bot.loads.map(({ samples: _samples, ...f }) => f), loop: bot.loop },
    replicas: replicated,
  };
  const busy = `Load average (1 min) ${loadBefore.toFixed(2)} before the throughput runs, ${loadAfter.toFixed(2)} after.`;
  const md = `# Benchmark results\n\nRun of \`npm run bench\` on ${results.date.slice(0, 10)}: ${results.machine}. ${busy}\n\n${table}\n\n\`\`\`json\n${JSON.stringify(results, null, 2)}\n\`\`\`\n`;
  writeFileSync(join(root, "bench", "results.md"), md);
  process.stdout.write(`${machine()}\n${busy}\n\n${table}\n\nwritten to bench/results.md\n`);
}

await main();
