// `npm run bench`: every figure in one run, side by side, written to bench/results.md.
//   1. `tattletale diagnose --json` on a 1 GB HTTPERR log, the whole CLI process from start to exit
//      on two cores, at low cardinality (a few thousand clients and URIs) and at high cardinality
//      (every line a new client and URI): speed and peak RSS, beside mawk counting lines per reason
//      and cat (the page-cache ceiling) on the same file; and the summary alone on one thread
//   2. diagnose latency of a 40,000-character paste, p50/p99
//   3. lookup latency, p50/p99 (and a 4,000-character query)
//   4. start-up time to ready (KB loaded and indexed), as a child process
//   5. the bot: signed message event → HTTP 200 (ack) and → chat.postMessage (reply) at the fake
//      Slack, 50 events/s for 30 s, with 0, 10,000 and 50,000 incidents stored
//   6. the bot's event-loop delay while it reads one DM of ten 24 MB files
//   7. the bot reading a 500 MB high-cardinality upload while pastes arrive in other channels
//   8. replicas: one bot process vs three on one PostgreSQL database behind a round-robin balancer,
//      events per second and latency from the signed event to chat.postMessage (bench/replicas.ts)
// `--only=bot` runs 5 to 7 alone and writes bench/results-bot.md; `--only=scan` runs 1 alone and
// writes bench/results-scan.md; `--only=replicas` runs 8 alone and writes bench/results-replicas.md
// (the whole run takes long).
// Medians of several runs: the machine may be shared, so single runs are noisy.
import { execFileSync, spawnSync } from "node:child_process";
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { diagnoseTexts, loadKnowledgeBase, lookup } from "../kb/index.js";
import {
  type BotLoadFigure,
  benchBotSizes,
  benchBotUpload,
  benchEventLoop,
  type EventLoopFigure,
  type UploadFigure,
} from "./bot.js";
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

type Cardinality = "low" | "high";

function ensureLog(name: string, bytes: number, cardinality: Cardinality): string {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, name);
  const ok = existsSync(path) && statSync(path).size >= bytes && statSync(path).size < bytes + 4096;
  if (!ok) {
    log(`generating ${name} (${bytes / MB} MB, ${cardinality} cardinality)…`);
    generateHttperr(path, bytes, { seed: 1, cardinality });
  }
  return path;
}

/** The first `bytes` of a log, cut after a line end (a smaller file of the same kind, made fast). */
function ensureHead(name: string, from: string, bytes: number): string {
  const path = join(dataDir, name);
  if (existsSync(path) && statSync(path).size <= bytes && statSync(path).size > bytes - 64 * 1024)
    return path;
  log(`cutting ${name} from ${from}…`);
  const src = openSync(from, "r");
  const out = openSync(path, "w");
  const buf = Buffer.allocUnsafe(4 * MB);
  let done = 0;
  while (done < bytes) {
    const n = readSync(src, buf, 0, Math.min(buf.length, bytes - done), done);
    if (n === 0) break;
    const last = done + n >= bytes ? buf.subarray(0, n).lastIndexOf(10) + 1 : n;
    writeSync(out, buf, 0, last);
    done += n;
  }
  closeSync(src);
  closeSync(out);
  return path;
}

/** Logs of earlier versions of this benchmark, removed: disk is not free. */
function dropOldData(): void {
  for (const old of ["httperr-500mb.log", "httperr-1gb.log"]) rmSync(join(dataDir, old), { force: true });
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

/** On a machine with more than two cores, the runs are pinned to two (`taskset`), as the goal says. */
const PIN = cpus().length > 2 && existsSync("/usr/bin/taskset") ? ["/usr/bin/taskset", "-c", "0,1"] : [];

function pinned(cmd: string, args: string[]): Timed {
  return PIN.length > 0
    ? timeCommand(PIN[0] as string, [...PIN.slice(1), cmd, ...args])
    : timeCommand(cmd, args);
}

/** The summary alone (no CLI, no KB), on `threads` threads. */
function childScan(file: string, threads?: number): Timed {
  const args = [join(here, "child-scan.js"), file];
  if (threads) args.push(String(threads));
  return pinned(process.execPath, args);
}

/** What a user runs: the CLI, from process start to exit. */
function cliDiagnose(file: string): Timed {
  return pinned(process.execPath, [join(here, "..", "bin", "tattletale.js"), "diagnose", "--json", file]);
}

const MAWK_PROGRAM = "{ n[$12]++ } END { for (r in n) print r, n[r] }";

interface Contender {
  /** MB/s from the median wall time of the whole process (start-up included). */
  mbs: number;
  /** CPU seconds per GB (all threads): what it costs, whatever else runs on the machine. */
  cpuSecPerGb: number | null;
  /** The highest peak RSS of its runs (whole process, every thread), MB. */
  peakRssMb: number | null;
}

function throughput(file: string, runs: number) {
  const size = statSync(file).size;
  timeCommand("cat", [file]); // warm the page cache: every contender reads from memory
  const contenders: Record<string, () => Timed> = {
    cli: () => cliDiagnose(file),
    singleThread: () => childScan(file, 1),
    mawk: () => pinned("mawk", [MAWK_PROGRAM, file]),
    cat: () => timeCommand("cat", [file]),
  };
  const times: Record<string, Timed[]> = { cli: [], singleThread: [], mawk: [], cat: [] };
  // Interleaved, so that a burst of load elsewhere hits every contender alike.
  for (let i = 0; i < runs; i++)
    for (const [name, run] of Object.entries(contenders)) times[name]?.push(run());
  const summarise = (ts: Timed[]): Contender => {
    const cpu = ts.map((t) => t.cpuMs).filter((c): c is number => c !== null);
    const rss = ts.map((t) => t.maxRssKb).filter((r): r is number => r !== null);
    return {
      mbs: size / MB / (median(ts.map((t) => t.wallMs)) / 1000),
      cpuSecPerGb: cpu.length > 0 ? median(cpu) / 1000 / (size / 1024 ** 3) : null,
      peakRssMb: rss.length > 0 ? Math.max(...rss) / 1024 : null,
    };
  };
  return {
    fileMb: size / MB,
    cli: summarise(times.cli ?? []),
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

/** The CPU model as /proc/cpuinfo names it (os.cpus() may shorten it), else os.cpus()'s. */
function cpuModel(): string {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"));
    if (m?.[1]) return m[1].trim();
  } catch {
    // not Linux
  }
  return cpus()[0]?.model ?? "unknown CPU";
}

function machine(): string {
  return `${cpuModel()}, ${cpus().length} cores, ${(totalmem() / 1024 ** 3).toFixed(0)} GB RAM, Node ${process.version}, ${process.platform}`;
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

const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
const fixed = (n: number, d = 0) => n.toFixed(d);
const cpuText = (c: { cpuSecPerGb: number | null }) =>
  c.cpuSecPerGb === null ? "" : ` (${c.cpuSecPerGb.toFixed(2)} CPU-s/GB)`;
const rssText = (c: Contender) => (c.peakRssMb === null ? "" : `, peak RSS ${fixed(c.peakRssMb)} MB`);

/** The rows of one 1 GB log: the CLI end to end, the summary on one thread, mawk and cat. */
function scanRows(name: string, tp: ReturnType<typeof throughput>, mawk: string): [string, string, string][] {
  return [
    [
      `Diagnose --json, 1 GB ${name} log (CLI, 2 cores)`,
      `${fixed(tp.cli.mbs)} MB/s${cpuText(tp.cli)}${rssText(tp.cli)}`,
      `${ratio(tp.cli.mbs, tp.mawk.mbs)} mawk, ${ratio(tp.cli.mbs, tp.cat.mbs)} cat (goal ≥ 1.5× mawk, < 150 MB)`,
    ],
    [
      `HTTPERR summary alone, 1 thread (1 GB ${name})`,
      `${fixed(tp.singleThread.mbs)} MB/s${cpuText(tp.singleThread)}`,
      `${ratio(tp.singleThread.mbs, tp.mawk.mbs)} mawk`,
    ],
    [`mawk, lines per reason (1 GB ${name})`, `${fixed(tp.mawk.mbs)} MB/s${cpuText(tp.mawk)}`, mawk],
    [`cat > /dev/null (1 GB ${name})`, `${fixed(tp.cat.mbs)} MB/s${cpuText(tp.cat)}`, "ceiling (page cache)"],
  ];
}

function uploadRow(upload: UploadFigure): [string, string, string] {
  return [
    `Bot: ${fixed(upload.fileMb)} MB high-cardinality upload`,
    upload.ok
      ? `read in ${fixed(upload.uploadSeconds, 1)} s, peak RSS ${fixed(upload.peakRssMb)} MB; other channels p50 ${fixed(upload.p50)} ms, p99 ${fixed(upload.p99)} ms`
      : "not measured",
    `${upload.note} (goal < 300 MB, p99 < 3 s)`,
  ];
}

/** The high-cardinality upload's file: the first 500 MB of the 1 GB high-cardinality log. */
function uploadLog(): string {
  const highFile = ensureLog("httperr-high-1gb.log", 1024 * MB, "high");
  return ensureHead("httperr-high-500mb.log", highFile, 500 * MB);
}

/** Writes one part's results beside the whole run's, and prints its table. */
function writePart(
  file: string,
  title: string,
  command: string,
  rows: [string, string, string][],
  json: unknown,
): void {
  const table = mdTable(["Figure", "Result", "Compared with"], rows);
  const load = `Load average (1 min) ${(loadavg()[0] ?? 0).toFixed(2)} at the end.`;
  const md = `# ${title}\n\nRun of \`${command}\` on ${new Date().toISOString().slice(0, 10)}: ${machine()}. ${load}\n\n${table}\n\n\`\`\`json\n${JSON.stringify(json, null, 2)}\n\`\`\`\n`;
  writeFileSync(join(root, "bench", file), md);
  process.stdout.write(`${machine()}\n${load}\n\n${table}\n\nwritten to bench/${file}\n`);
}

/** One replica against three on one database, in one run. */
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
  const name = (f: ReplicaFigure) => (f.replicas === 1 ? "1 replica" : `${f.replicas} replicas`);
  return figures.flatMap((f): [string, string, string][] => [
    [
      `${name(f)} on PostgreSQL, 50 events/s: event → chat.postMessage`,
      f.ok
        ? `p50 ${ms(f.reply.p50)} ms, p99 ${ms(f.reply.p99)} ms (ack p50 ${ms(f.ack.p50)} ms, p99 ${ms(f.ack.p99)} ms)`
        : "not measured",
      f.note,
    ],
    [
      `${name(f)} on PostgreSQL, burst`,
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
    writePart(
      "results-replicas.md",
      "Benchmark results: replicas",
      "npm run bench -- --only=replicas",
      replicaRows(figures),
      figures,
    );
    return;
  }
  if (process.argv.includes("--only=bot")) {
    const bot = await botFigures(quick);
    log("bot reading a 500 MB high-cardinality upload…");
    const upload = await benchBotUpload({ path: uploadLog(), rate: 10 });
    const json = { loads: bot.loads.map(({ samples: _samples, ...f }) => f), loop: bot.loop, upload };
    writePart(
      "results-bot.md",
      "Benchmark results: the bot",
      "npm run bench -- --only=bot",
      [...botRows(bot), uploadRow(upload)],
      json,
    );
    return;
  }
  const mawk = mawkVersion();
  if (!mawk) {
    log("mawk is missing: run `npm run bench:deps` (installs Debian's mawk) and try again");
    process.exit(1);
  }
  const runs = quick ? 1 : 3;
  dropOldData();
  const lowFile = ensureLog("httperr-low-1gb.log", 1024 * MB, "low");
  const highFile = ensureLog("httperr-high-1gb.log", 1024 * MB, "high");
  if (process.argv.includes("--only=scan")) {
    const loadBefore = loadavg()[0] ?? 0;
    log("low cardinality, 1 GB: diagnose --json, one-thread summary, mawk, cat…");
    const low = throughput(lowFile, runs);
    log("high cardinality, 1 GB: the same…");
    const high = throughput(highFile, runs);
    const json = {
      loadAverageBefore: loadBefore,
      pinnedToTwoCores: PIN.length > 0,
      lowCardinality: low,
      highCardinality: high,
    };
    writePart(
      "results-scan.md",
      "Benchmark results: HTTPERR logs, end to end",
      "npm run bench -- --only=scan",
      [...scanRows("low-cardinality", low, mawk), ...scanRows("high-cardinality", high, mawk)],
      json,
    );
    return;
  }
  const uploadFile = uploadLog();
  // Other work on the machine shows in the 2-thread figure first: say how busy it was.
  const loadBefore = loadavg()[0] ?? 0;
  log("low cardinality, 1 GB: diagnose --json, one-thread summary, mawk, cat…");
  const low = throughput(lowFile, runs);
  log("high cardinality, 1 GB: the same…");
  const high = throughput(highFile, runs);
  const loadAfter = loadavg()[0] ?? 0;

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
  log("bot reading a 500 MB high-cardinality upload…");
  const upload = await benchBotUpload({ path: uploadFile, rate: 10 });
  const replicated = await replicaFigures(quick);

  const fmt = (n: number, d = 0) => n.toFixed(d);
  const rows: [string, string, string][] = [
    ...scanRows("low-cardinality", low, mawk),
    ...scanRows("high-cardinality", high, mawk),
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
    uploadRow(upload),
    ...replicaRows(replicated),
  ];
  const table = mdTable(["Figure", "Result", "Compared with"], rows);
  const results = {
    date: new Date().toISOString(),
    machine: machine(),
    loadAverage: { beforeThroughput: loadBefore, afterThroughput: loadAfter },
    pinnedToTwoCores: PIN.length > 0,
    lowCardinality: low,
    highCardinality: high,
    diagnoseMs: diag,
    lookupMs: look,
    lookupLongMs: lookLong,
    startupMs: start,
    bot: { loads: bot.loads.map(({ samples: _samples, ...f }) => f), loop: bot.loop },
    upload,
    replicas: replicated,
  };
  const busy = `Load average (1 min) ${loadBefore.toFixed(2)} before the throughput runs, ${loadAfter.toFixed(2)} after.`;
  const md = `# Benchmark results\n\nRun of \`npm run bench\` on ${results.date.slice(0, 10)}: ${results.machine}. ${busy}\n\n${table}\n\n\`\`\`json\n${JSON.stringify(results, null, 2)}\n\`\`\`\n`;
  writeFileSync(join(root, "bench", "results.md"), md);
  process.stdout.write(`${machine()}\n${busy}\n\n${table}\n\nwritten to bench/results.md\n`);
}

await main();
