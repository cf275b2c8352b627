// The bot figure: signed `message` events into the bot's real HTTP receiver until the reply's
// chat.postMessage reaches a fake Slack Web API, at a fixed rate. The bot runs as `npm start` would
// (dist/bot/main.js, HTTP mode: SLACK_SIGNING_SECRET + PORT, SLACK_API_URL pointing at the fake).
// Uses test/support/fake-slack (from dist/) when it is built, else the small stand-in below, which
// answers every Web API method with ok and records chat.postMessage.
// benchBotUpload: a big HTTPERR upload (served from disk by the fake Slack) is read while pastes keep
// coming in other channels: the bot's peak RSS, and how fast the other pastes are still answered.
import { type ChildProcess, spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export interface BotFigure {
  ok: boolean;
  p50: number;
  p99: number;
  events: number;
  replies: number;
  errors: number;
  note: string;
}

const distRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const SECRET = "bench-signing-secret";

/** A paste the bot must answer: the founding incident's HTTPERR lines. */
const PASTE = [
  "2007-11-13 20:01:44 - - - - - - - - - 3_Connections_Refused -",
  "2007-11-13 20:01:49 - - - - - - - - - 4_Connections_Refused -",
  "2007-11-13 20:01:54 - - - - - - - - - 3_Connections_Refused -",
].join("\n");

interface FakeSlack {
  url: string;
  /** The project fake's addFile (files served from disk), when it is the project fake. */
  addFile?: (f: { name: string; mimetype: string; filetype: string; path: string }) => unknown;
  /** thread_ts (the event's ts) → arrival time of its chat.postMessage. */
  replies: Map<string, number>;
  /** Threads whose reply did not mention the refusals (project fake only). */
  offTopic?: string[];
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

function sign(body: string): Record<string, string> {
  const ts = String(Math.floor(Date.now() / 1000));
  const sig = createHmac("sha256", SECRET).update(`v0:${ts}:${body}`).digest("hex");
  return {
    "content-type": "application/json",
    "x-slack-request-timestamp": ts,
    "x-slack-signature": `v0=${sig}`,
  };
}

const notRun = (note: string): BotFigure => ({
  ok: false,
  p50: Number.NaN,
  p99: Number.NaN,
  events: 0,
  replies: 0,
  errors: 0,
  note,
});

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

export async function benchBot(opts: { rate: number; seconds: number }): Promise<BotFigure> {
  const main = join(distRoot, "bot", "main.js");
  if (!existsSync(main)) return notRun("not run: the bot (dist/bot/main.js) is not built yet");
  const project = await projectFakeSlack();
  const slack = project?.slack ?? (await standInSlack());
  const which = project ? "test/support/fake-slack" : "stand-in Web API";
  const port = await freePort();
  const dbDir = mkdtempSync(join(tmpdir(), "tattle-bench-bot-"));
  const child = spawn(process.execPath, [main], {
    env: {
      ...process.env,
      SLACK_APP_TOKEN: "",
      SLACK_BOT_TOKEN: project?.botToken ?? "xoxb-bench",
      SLACK_SIGNING_SECRET: SECRET,
      PORT: String(port),
      SLACK_API_URL: slack.url,
      TATTLETALE_DB: join(dbDir, "db.json"),
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (c: Buffer) => {
    stderr = (stderr + c.toString()).slice(-2000);
  });
  try {
    if (!(await waitHealthy(port, child, 15_000))) {
      return notRun(
        `not run: the bot did not answer /healthz (${stderr.trim().split("\n").at(-1) ?? "no output"})`,
      );
    }
    const total = opts.rate * opts.seconds;
    const sent = new Map<string, number>();
    let errors = 0;
    const pending: Promise<void>[] = [];
    const t0 = performance.now();
    for (let i = 0; i < total; i++) {
      const due = t0 + (i * 1000) / opts.rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const ts = `${Math.floor(Date.now() / 1000)}.${String(i).padStart(6, "0")}`;
      const body = JSON.stringify({
        token: "bench",
        team_id: "T1",
        api_app_id: "A1",
        type: "event_callback",
        event_id: `EvBench${i}`,
        event_time: Math.floor(Date.now() / 1000),
        event: {
          type: "message",
          channel: "C1",
          channel_type: "channel",
          user: "U1",
          text: PASTE,
          ts,
          event_ts: ts,
        },
      });
      sent.set(ts, performance.now());
      pending.push(
        post(port, "/slack/events", body, sign(body)).then(
          (status) => {
            if (status !== 200) errors++;
          },
          () => {
            errors++;
          },
        ),
      );
    }
    await Promise.all(pending);
    const grace = performance.now() + 10_000;
    while (slack.replies.size < sent.size && performance.now() < grace)
      await new Promise((r) => setTimeout(r, 50));
    const lat: number[] = [];
    for (const [ts, at] of sent) {
      const got = slack.replies.get(ts);
      if (got === undefined) errors++;
      else lat.push(got - at);
    }
    errors += slack.offTopic?.length ?? 0;
    lat.sort((a, b) => a - b);
    const pct = (q: number) =>
      lat[Math.min(lat.length - 1, Math.max(0, Math.ceil(q * lat.length) - 1))] ?? Number.NaN;
    return {
      ok: lat.length > 0,
      p50: pct(0.5),
      p99: pct(0.99),
      events: sent.size,
      replies: lat.length,
      errors,
      note: `${sent.size} events at ${opts.rate}/s, ${errors} errors (bot as a child process, ${which})`,
    };
  } finally {
    child.kill();
    await slack.close();
    rmSync(dbDir, { recursive: true, force: true });
  }
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
  const main = join(distRoot, "bot", "main.js");
  if (!existsSync(main)) return fail("not run: the bot (dist/bot/main.js) is not built yet");
  const project = await projectFakeSlack();
  const addFile = project?.slack.addFile;
  if (!project || !addFile) return fail("not run: test/support/fake-slack is not built (it serves the file)");
  const slack = project.slack;
  const port = await freePort();
  const dbDir = mkdtempSync(join(tmpdir(), "tattle-bench-upload-"));
  const child = spawn(process.execPath, [main], {
    env: {
      ...process.env,
      SLACK_APP_TOKEN: "",
      SLACK_BOT_TOKEN: project.botToken,
      SLACK_SIGNING_SECRET: SECRET,
      PORT: String(port),
      SLACK_API_URL: slack.url,
      TATTLETALE_DB: join(dbDir, "db.json"),
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (c: Buffer) => {
    stderr = (stderr + c.toString()).slice(-2000);
  });
  let seq = 0;
  const event = (channel: string, ts: string, extra: Record<string, unknown>) => {
    const body = JSON.stringify({
      token: "bench",
      team_id: "T1",
      api_app_id: "A1",
      type: "event_callback",
      event_id: `EvUpload${seq++}`,
      event_time: Math.floor(Date.now() / 1000),
      event: { type: "message", channel, channel_type: "channel", user: "U1", ts, event_ts: ts, ...extra },
    });
    return post(port, "/slack/events", body, sign(body));
  };
  try {
    if (!(await waitHealthy(port, child, 15_000))) {
      return fail(
        `not run: the bot did not answer /healthz (${stderr.trim().split("\n").at(-1) ?? "no output"})`,
      );
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
    const status = await event("CUPLOAD", uploadTs, {
      text: "",
      files: [file],
      subtype: "file_share",
      upload: true,
    });
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
        event(`C${1 + (i % 4)}`, ts, { text: PASTE }).then(
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
