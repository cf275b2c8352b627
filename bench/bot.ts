// The bot figure: signed `message` events into the bot's real HTTP receiver until the reply's
// chat.postMessage reaches a fake Slack Web API, at a fixed rate. The bot runs as `npm start` would
// (dist/bot/main.js, HTTP mode: SLACK_SIGNING_SECRET + PORT, SLACK_API_URL pointing at the fake).
// Uses test/support/fake-slack (from dist/) when it is built, else the small stand-in below, which
// answers every Web API method with ok and records chat.postMessage.
// benchBotUpload: a big HTTPERR upload (served from disk by the fake Slack) is read while pastes keep
// coming in other channels: the bot's peak RSS, and how fast the other pastes are still answered.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { eventCallback, messageEvent, postSigned, signature } from "../test/support/slack-requests.js";

const distRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const SECRET = "bench-signing-secret";
/** The built bot. */
const main = join(distRoot, "bot", "main.js");

/** A paste the bot must answer: the founding incident's HTTPERR lines. */
const PASTE = [
  "2007-11-13 20:01:44 - - - - - - - - - 3_Connections_Refused -",
  "2007-11-13 20:01:49 - - - - - - - - - 4_Connections_Refused -",
  "2007-11-13 20:01:54 - - - - - - - - - 3_Connections_Refused -",
].join("\n");

interface FakeSlack {
  url: string;
  /** thread_ts (the event's ts) → arrival time of its chat.postMessage. */
  replies: Map<string, number>;
  /** Threads whose reply did not mention the refusals (project fake only). */
  offTopic?: string[];
  /** The project fake's addFile (files served from disk), when it is the project fake. */
  addFile?: (f: { name: string; mimetype: string; filetype: string; path: string }) => unknown;
  close(): Promise<void>;
}

async function standInSlack(): Promise<FakeSlack> {
  const replies = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString();
    });
    req.on("end", () => {
      const method = (req.url ?? "").replace(/^\/api\//, "").split("?")[0] ?? "";
      let args: Record<string, unknown> = {};
      try {
        args = body.startsWith("{") ? JSON.parse(body) : Object.fromEntries(new URLSearchParams(body));
      } catch {
        args = {};
      }
      if (method === "chat.postMessage") {
        const thread = String(args.thread_ts ?? "");
        if (thread && !replies.has(thread)) replies.set(thread, performance.now());
      }
      const extra =
        method === "auth.test" ? { user_id: "UBOT", bot_id: "BBOT", team_id: "T1", user: "tattletale" } : {};
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: true, ts: `${Date.now() / 1000}`, channel: args.channel, ...extra }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/`,
    replies,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function post(port: number, path: string, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path,
        method: "POST",
        headers: { ...headers, "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

async function waitHealthy(port: number, child: ChildProcess, ms: number): Promise<boolean> {
  const until = performance.now() + ms;
  while (performance.now() < until && child.exitCode === null) {
    const ok = await new Promise<boolean>((resolve) => {
      const req = request({ host: "127.0.0.1", port, path: "/healthz" }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.on("error", () => resolve(false));
      req.end();
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** The bot as a child process in HTTP mode against `slackUrl`, its store in `dbDir`; lastLine() of its stderr. */
function startBot(port: number, slackUrl: string, botToken: string, dbDir: string) {
  const child = spawn(process.execPath, [main], {
    env: {
      ...process.env,
      SLACK_APP_TOKEN: "",
      SLACK_BOT_TOKEN: botToken,
      SLACK_SIGNING_SECRET: SECRET,
      PORT: String(port),
      SLACK_API_URL: slackUrl,
      TATTLETALE_DB: join(dbDir, "db.json"),
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (c: Buffer) => {
    stderr = (stderr + c.toString()).slice(-2000);
  });
  return { child, lastLine: () => stderr.trim().split("\n").at(-1) ?? "no output" };
}

function sign(body: string): Record<string, string> {
  const ts = Math.floor(Date.now() / 1000);
  return {
    "content-type": "application/json",
    "x-slack-request-timestamp": String(ts),
    "x-slack-signature": signature(SECRET, ts, body),
  };
}

interface RecordedCallLike {
  method: string;
  body: Record<string, unknown>;
}

/** test/support/fake-slack (built into dist/), with chat.postMessage arrivals timed as they land. */
async function projectFakeSlack(): Promise<{ slack: FakeSlack; botToken: string } | null> {
  const path = join(distRoot, "test", "support", "fake-slack.js");
  if (!existsSync(path)) return null;
  const mod = (await import(path)) as {
    FakeSlack: {
      start(): Promise<{ url: string; botToken: string; calls: RecordedCallLike[]; close(): Promise<void> }>;
    };
  };
  const fake = (await mod.FakeSlack.start()) as Awaited<ReturnType<typeof mod.FakeSlack.start>> & {
    addFile(f: { name: string; mimetype: string; filetype: string; path: string }): unknown;
  };
  const replies = new Map<string, number>();
  const offTopic: string[] = [];
  const push = fake.calls.push.bind(fake.calls);
  fake.calls.push = (...items: RecordedCallLike[]) => {
    for (const c of items) {
      const thread = String(c.body.thread_ts ?? "");
      if (c.method === "chat.postMessage" && thread && !replies.has(thread))
        replies.set(thread, performance.now());
    }
    return push(...items);
  };
  return {
    slack: { url: fake.url, replies, offTopic, addFile: (f) => fake.addFile(f), close: () => fake.close() },
    botToken: fake.botToken,
  };
}

/**
 * A store holding `n` incidents, as the bot leaves it after a compaction (a snapshot, an empty
 * journal): the weight the embedded store must carry while it answers.
 */
export function writeStoreWith(path: string, n: number): void {
  const incidents: Record<string, unknown> = {};
  const at = new Date().toISOString();
  for (let k = 0; k < n; k++) {
    const channel = `C${String(k % 200).padStart(4, "0")}`;
    const threadTs = `${1600000000 + k}.000100`;
    const id = `T1:${channel}:${threadTs}`;
    incidents[id] = {
      id,
      workspace: "T1",
      channel,
      threadTs,
      permalink: `https://example.slack.com/archives/${channel}/p${threadTs.replace(".", "")}`,
      reportedBy: "U1",
      contributors: ["U1"],
      createdAt: at,
      updatedAt: at,
      diagnosedAt: at,
      diagnoses: 1,
      inputs: [{ source: "message 1", kind: "httperr", records: 60, bytes: 8038 }],
      headline: `http.sys refused 420 connections because free non-paged pool is 19 MB (incident ${k})`,
      severity: "critical",
      findings: [
        {
          id: "httperr-connections-refused",
          title: "http.sys refused connections",
          severity: "critical",
          confidence: 0.9,
          numbers: { refused: 420 },
        },
        {
          id: "nonpaged-pool-exhaustion",
          title: "Non-paged pool nearly exhausted",
          severity: "critical",
          confidence: 0.9,
          numbers: { free_mb: 19, limit_mb: 128 },
        },
      ],
      chains: [["httperr-connections-refused", "nonpaged-pool-exhaustion"]],
      status: k % 3 === 0 ? "resolved" : "open",
      owner: null,
      notes: [{ author: "U2", text: "rebooted web03, watching", at }],
      feedback: [],
      history: [],
    };
  }
  writeFileSync(path, JSON.stringify({ version: 3, seq: 0, incidents, claims: {}, tasks: {} }));
}

export interface BotLoadFigure {
  ok: boolean;
  /** Incidents in the store when the load started. */
  incidents: number;
  /** Signed event sent → HTTP 200 received. */
  ack: { p50: number; p99: number };
  /** Signed event sent → its chat.postMessage at the fake Slack. */
  reply: { p50: number; p99: number };
  events: number;
  replies: number;
  errors: number;
  /** Process start → /healthz answering, with that store. */
  startMs: number;
  note: string;
  /** Every measured latency, for runs merged into one figure. */
  samples: { ack: number[]; reply: number[] };
}

const pct = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;

/** The bot as `npm start` runs it, on a store of `incidents`, sent `rate` signed pastes a second. */
export async function benchBot(opts: {
  rate: number;
  seconds: number;
  incidents?: number;
}): Promise<BotLoadFigure> {
  const stored = opts.incidents ?? 0;
  const empty = { p50: Number.NaN, p99: Number.NaN };
  const notRun = (note: string): BotLoadFigure => ({
    ok: false,
    incidents: stored,
    ack: empty,
    reply: empty,
    events: 0,
    replies: 0,
    errors: 0,
    startMs: Number.NaN,
    note,
    samples: { ack: [], reply: [] },
  });
  if (!existsSync(main)) return notRun("not run: the bot (dist/bot/main.js) is not built yet");
  const project = await projectFakeSlack();
  const slack = project?.slack ?? (await standInSlack());
  const which = project ? "test/support/fake-slack" : "stand-in Web API";
  const port = await freePort();
  const dbDir = mkdtempSync(join(tmpdir(), "tattle-bench-bot-"));
  if (stored > 0) writeStoreWith(join(dbDir, "db.json"), stored);
  const t0 = performance.now();
  const { child, lastLine } = startBot(port, slack.url, project?.botToken ?? "xoxb-bench", dbDir);
  try {
    if (!(await waitHealthy(port, child, 120_000))) {
      return notRun(`not run: the bot did not answer /healthz (${lastLine()})`);
    }
    const startMs = performance.now() - t0;
    // Two seconds at the rate first, not measured: the JIT warms up, as it would in a day's work.
    const warmUp = opts.rate * 2;
    const total = opts.rate * opts.seconds + warmUp;
    const sent = new Map<string, number>();
    const acks: number[] = [];
    let errors = 0;
    const pending: Promise<void>[] = [];
    const start = performance.now();
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / opts.rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const ts = `${Math.floor(Date.now() / 1000)}.${String(i).padStart(6, "0")}`;
      const channel = `C${String(i % 200).padStart(4, "0")}`;
      const body = JSON.stringify(
        eventCallback(messageEvent({ channel, ts, user: "U1", text: PASTE }), {
          teamId: "T1",
          eventId: `EvBench${i}`,
        }),
      );
      const at = performance.now();
      const measured = i >= warmUp;
      if (measured) sent.set(ts, at);
      pending.push(
        post(port, "/slack/events", body, sign(body)).then(
          (status) => {
            if (status !== 200) errors++;
            else if (measured) acks.push(performance.now() - at);
          },
          () => {
            errors++;
          },
        ),
      );
    }
    await Promise.all(pending);
    const grace = performance.now() + 30_000;
    const answered = () => [...sent.keys()].every((ts) => slack.replies.has(ts));
    while (!answered() && performance.now() < grace) await new Promise((r) => setTimeout(r, 50));
    const lat: number[] = [];
    for (const [ts, at] of sent) {
      const got = slack.replies.get(ts);
      if (got === undefined) errors++;
      else lat.push(got - at);
    }
    lat.sort((a, b) => a - b);
    acks.sort((a, b) => a - b);
    return {
      ok: lat.length > 0,
      incidents: stored,
      ack: { p50: pct(acks, 0.5), p99: pct(acks, 0.99) },
      reply: { p50: pct(lat, 0.5), p99: pct(lat, 0.99) },
      events: sent.size,
      replies: lat.length,
      errors,
      startMs,
      note: `${sent.size} events at ${opts.rate}/s after 2 s of warm-up, ${errors} errors, ${stored.toLocaleString("en")} incidents stored (bot as a child process, ${which})`,
      samples: { ack: acks, reply: lat },
    };
  } finally {
    child.kill();
    await new Promise((r) => child.once("exit", r));
    await slack.close();
    rmSync(dbDir, { recursive: true, force: true });
  }
}

export interface EventLoopFigure {
  ok: boolean;
  p50: number;
  p99: number;
  max: number;
  /** Until the message's reply was posted. */
  seconds: number;
  note: string;
}

/**
 * The event loop's delay (perf_hooks histogram) while the bot reads one DM holding ten 24 MB text
 * files, in this process with the project's harness (the bot and the fake Slack on loopback).
 */
export async function benchEventLoop(): Promise<EventLoopFigure> {
  const harnessPath = join(distRoot, "test", "support", "bot-harness.js");
  const none = (note: string): EventLoopFigure => ({
    ok: false,
    p50: Number.NaN,
    p99: Number.NaN,
    max: Number.NaN,
    seconds: 0,
    note,
  });
  if (!existsSync(harnessPath)) return none("not run: dist/test/support is not built");
  const { startHarness, SIGNING_SECRET } = (await import(
    harnessPath
  )) as typeof import("../test/support/bot-harness.js");
  const dir = mkdtempSync(join(tmpdir(), "tattle-bench-loop-"));
  const big = join(dir, "events.txt");
  const event = (n: number) =>
    `Event[${n}]:\n  Log Name: System\n  Source: Srv\n  Date: 2007-11-13T20:${String(n % 60).padStart(2, "0")}:00.000\n  Event ID: 2019\n  Level: Error\n  Computer: WEB03\n  Description: \nThe server was unable to allocate from the system nonpaged pool because the pool was empty.\n\n`;
  const chunk = Array.from({ length: 2000 }, (_, n) => event(n)).join("");
  writeFileSync(big, chunk.repeat(Math.ceil((24 * 1024 * 1024) / chunk.length)).slice(0, 24 * 1024 * 1024));
  const h = await startHarness("http");
  try {
    const files = Array.from({ length: 10 }, (_, n) =>
      h.fake.addFile({ name: `system-${n}.txt`, mimetype: "text/plain", filetype: "text", path: big }),
    );
    const m = h.fake.addMessage("DBENCH", { user: "U1", text: "the logs", files });
    const body = eventCallback(
      messageEvent({ channel: "DBENCH", ts: m.ts, user: "U1", text: m.text, files, channel_type: "im" }),
      { teamId: h.fake.teamId },
    );
    const histogram = monitorEventLoopDelay({ resolution: 10 });
    histogram.enable();
    const t0 = performance.now();
    await postSigned(h.eventsUrl, JSON.stringify(body), { secret: SIGNING_SECRET });
    await h.fake.waitFor(() => h.fake.visiblePosts("DBENCH").length > 0, 600_000, "the reply");
    histogram.disable();
    const ms = (n: number) => n / 1e6;
    return {
      ok: true,
      p50: ms(histogram.percentile(50)),
      p99: ms(histogram.percentile(99)),
      max: ms(histogram.max),
      seconds: (performance.now() - t0) / 1000,
      note: "one DM, ten 24 MB text files (Event Log text), default budgets: two read, parsed in a worker thread",
    };
  } finally {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * benchBot for each store size, `rounds` times, the sizes interleaved (so that other work on the
 * machine weighs on each alike), each size's runs merged into one figure.
 */
export async function benchBotSizes(opts: {
  rate: number;
  seconds: number;
  rounds: number;
  sizes: number[];
  log?: (line: string) => void;
}): Promise<BotLoadFigure[]> {
  const runs = new Map<number, BotLoadFigure[]>();
  for (let round = 0; round < opts.rounds; round++)
    for (const incidents of opts.sizes) {
      opts.log?.(
        `bot at ${opts.rate} events/s, ${incidents} incidents stored (round ${round + 1} of ${opts.rounds})…`,
      );
      const f = await benchBot({ rate: opts.rate, seconds: opts.seconds, incidents });
      runs.set(incidents, [...(runs.get(incidents) ?? []), f]);
    }
  return opts.sizes.map((incidents) => {
    const all = runs.get(incidents) ?? [];
    const ack = all.flatMap((f) => f.samples.ack).sort((a, b) => a - b);
    const reply = all.flatMap((f) => f.samples.reply).sort((a, b) => a - b);
    const events = all.reduce((n, f) => n + f.events, 0);
    const errors = all.reduce((n, f) => n + f.errors, 0);
    const starts = all.map((f) => f.startMs).sort((a, b) => a - b);
    return {
      ok: all.every((f) => f.ok),
      incidents,
      ack: { p50: pct(ack, 0.5), p99: pct(ack, 0.99) },
      reply: { p50: pct(reply, 0.5), p99: pct(reply, 0.99) },
      events,
      replies: reply.length,
      errors,
      startMs: pct(starts, 0.5),
      note: `${events} events at ${opts.rate}/s in ${all.length} runs of ${opts.seconds} s (after 2 s of warm-up each, sizes interleaved), ${errors} errors; bot as a child process, test/support/fake-slack`,
      samples: { ack, reply },
    };
  });
}

export interface UploadFigure {
  ok: boolean;
  /** Upload event to its reply. */
  uploadSeconds: number;
  fileMb: number;
  /** The bot process's peak RSS (VmHWM) from start to the upload's reply. */
  peakRssMb: number;
  /** Pastes in other channels while the upload was read: event → reply. */
  p50: number;
  p99: number;
  events: number;
  errors: number;
  note: string;
}

/** The bot's peak resident set (kB → MB) so far, from /proc (Linux). */
function peakRss(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/**
 * A big HTTPERR upload (`path`) shared in one channel while pastes arrive in four others at `rate`
 * per second: the upload must be summarised in flat memory, and the other channels still answered.
 */
export async function benchBotUpload(opts: { path: string; rate: number }): Promise<UploadFigure> {
  const fileMb = statSync(opts.path).size / (1024 * 1024);
  const fail = (note: string): UploadFigure => ({
    ok: false,
    uploadSeconds: Number.NaN,
    fileMb,
    peakRssMb: Number.NaN,
    p50: Number.NaN,
    p99: Number.NaN,
    events: 0,
    errors: 0,
    note,
  });
  if (!existsSync(main)) return fail("not run: the bot (dist/bot/main.js) is not built yet");
  const project = await projectFakeSlack();
  const addFile = project?.slack.addFile;
  if (!project || !addFile) return fail("not run: test/support/fake-slack is not built (it serves the file)");
  const slack = project.slack;
  const port = await freePort();
  const dbDir = mkdtempSync(join(tmpdir(), "tattle-bench-upload-"));
  const { child, lastLine } = startBot(port, slack.url, project.botToken, dbDir);
  let seq = 0;
  const event = (message: Parameters<typeof messageEvent>[0]) => {
    const body = JSON.stringify(
      eventCallback(messageEvent({ user: "U1", ...message }), { teamId: "T1", eventId: `EvUpload${seq++}` }),
    );
    return post(port, "/slack/events", body, sign(body));
  };
  try {
    if (!(await waitHealthy(port, child, 15_000))) {
      return fail(`not run: the bot did not answer /healthz (${lastLine()})`);
    }
    const file = addFile({
      name: "httperr-public.log",
      mimetype: "text/plain",
      filetype: "text",
      path: opts.path,
    });
    const uploadTs = `${Math.floor(Date.now() / 1000)}.900000`;
    const t0 = performance.now();
    let errors = 0;
    const status = await event({ channel: "CUPLOAD", ts: uploadTs, files: [file] });
    if (status !== 200) errors++;
    const sent = new Map<string, number>();
    const pending: Promise<void>[] = [];
    const deadline = t0 + 600_000;
    for (let i = 0; !slack.replies.has(uploadTs) && performance.now() < deadline; i++) {
      const due = t0 + (i * 1000) / opts.rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const ts = `${Math.floor(Date.now() / 1000)}.${String(i).padStart(6, "0")}`;
      sent.set(ts, performance.now());
      pending.push(
        event({ channel: `C${1 + (i % 4)}`, ts, text: PASTE }).then(
          (code) => {
            if (code !== 200) errors++;
          },
          () => {
            errors++;
          },
        ),
      );
    }
    const uploadAt = slack.replies.get(uploadTs);
    const rss = peakRss(child.pid);
    await Promise.all(pending);
    const grace = performance.now() + 10_000;
    while ([...sent.keys()].some((ts) => !slack.replies.has(ts)) && performance.now() < grace)
      await new Promise((r) => setTimeout(r, 50));
    const lat: number[] = [];
    for (const [ts, at] of sent) {
      const got = slack.replies.get(ts);
      if (got === undefined) errors++;
      else lat.push(got - at);
    }
    lat.sort((a, b) => a - b);
    const pct = (q: number) =>
      lat[Math.min(lat.length - 1, Math.max(0, Math.ceil(q * lat.length) - 1))] ?? Number.NaN;
    return {
      ok: uploadAt !== undefined && lat.length > 0,
      uploadSeconds: uploadAt === undefined ? Number.NaN : (uploadAt - t0) / 1000,
      fileMb,
      peakRssMb: rss,
      p50: pct(0.5),
      p99: pct(0.99),
      events: sent.size,
      errors,
      note: `${sent.size} pastes at ${opts.rate}/s in 4 other channels during the upload, ${errors} errors`,
    };
  } finally {
    child.kill();
    await slack.close();
    rmSync(dbDir, { recursive: true, force: true });
  }
}
