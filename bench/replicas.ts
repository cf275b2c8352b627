// The replicated set-up: N bot processes (dist/bot/main.js, HTTP mode) on one PostgreSQL database,
// behind the round-robin balancer of the tests (test/support/round-robin.ts), against the fake
// Slack. Two loads: signed pastes at a steady rate (latency from the signed event to its
// chat.postMessage, and to the HTTP 200), and a burst sent as fast as 32 connections allow
// (events per second from the first send to the last reply). The database: TATTLETALE_BENCH_DATABASE_URL
// or TATTLETALE_TEST_DATABASE_URL when set, else a throwaway cluster (scripts/pg-test-cluster.sh).
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { FakeSlack } from "../test/support/fake-slack.js";
import { startRoundRobin } from "../test/support/round-robin.js";
import { eventCallback, messageEvent, signature } from "../test/support/slack-requests.js";

const distRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const root = join(distRoot, "..");
const SECRET = "bench-signing-secret";
const PASTE = [
  "2007-11-13 20:01:44 - - - - - - - - - 3_Connections_Refused -",
  "2007-11-13 20:01:49 - - - - - - - - - 4_Connections_Refused -",
  "2007-11-13 20:01:54 - - - - - - - - - 3_Connections_Refused -",
].join("\n");

export interface ReplicaFigure {
  ok: boolean;
  replicas: number;
  /** Steady load: offered rate, signed event → HTTP 200 and → chat.postMessage. */
  rate: number;
  ack: { p50: number; p99: number };
  reply: { p50: number; p99: number };
  /** Burst: events answered per second, first send to last reply. */
  burst: { events: number; perSecond: number; reply: { p50: number; p99: number } };
  errors: number;
  note: string;
}

const pct = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;

function sign(body: string): Record<string, string> {
  const ts = Math.floor(Date.now() / 1000);
  return {
    "content-type": "application/json",
    "x-slack-request-timestamp": String(ts),
    "x-slack-signature": signature(SECRET, ts, body),
  };
}

function post(url: string, body: string): Promise<number> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname,
        method: "POST",
        headers: { ...sign(body), "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", () => resolve(0));
    req.end(body);
  });
}

let counter = 0;
function pasteBody(teamId: string): { ts: string; body: string } {
  counter += 1;
  const ts = `${Math.floor(Date.now() / 1000)}.${String(counter).padStart(6, "0")}`;
  const channel = `C${String(counter % 200).padStart(4, "0")}`;
  const body = JSON.stringify(
    eventCallback(messageEvent({ channel, ts, user: "U1", text: PASTE }), {
      teamId,
      eventId: `EvRep${counter}`,
    }),
  );
  return { ts, body };
}

/** A database for the bench: one given, or a throwaway cluster stopped by the returned function. */
export function benchDatabase(): { url: string; stop: () => void } {
  const given =
    process.env.TATTLETALE_BENCH_DATABASE_URL?.trim() || process.env.TATTLETALE_TEST_DATABASE_URL?.trim();
  if (given) return { url: given, stop: () => undefined };
  const script = join(root, "scripts", "pg-test-cluster.sh");
  const dir = mkdtempSync(join(tmpdir(), "tattletale-bench-pg-"));
  const url = execFileSync("bash", [script, "start", dir], { encoding: "utf8" }).trim();
  return {
    url,
    stop: () => {
      execFileSync("bash", [script, "stop", dir]);
    },
  };
}

async function sql(url: string, text: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

export async function benchReplicas(opts: {
  replicas: number;
  url: string;
  rate: number;
  seconds: number;
  burst: number;
}): Promise<ReplicaFigure> {
  const schema = `bench_${randomBytes(4).toString("hex")}`;
  const fake = await FakeSlack.start();
  const sentAt = new Map<string, number>();
  const replyAt = new Map<string, number>();
  const push = fake.calls.push.bind(fake.calls);
  fake.calls.push = (...items) => {
    for (const c of items) {
      const thread = String(c.body.thread_ts ?? "");
      if (c.method === "chat.postMessage" && thread && !replyAt.has(thread))
        replyAt.set(thread, performance.now());
    }
    return push(...items);
  };
  const dir = mkdtempSync(join(tmpdir(), "tattletale-bench-rep-"));
  const children: ChildProcess[] = [];
  const outputs: string[] = [];
  try {
    await sql(opts.url, `CREATE SCHEMA ${schema}`);
    for (let n = 0; n < opts.replicas; n++) {
      const child = spawn(process.execPath, [join(distRoot, "bot", "main.js")], {
        cwd: dir,
        env: {
          PATH: process.env.PATH ?? "",
          SLACK_BOT_TOKEN: fake.botToken,
          SLACK_SIGNING_SECRET: SECRET,
          SLACK_API_URL: fake.url,
          PORT: "0",
          TATTLETALE_DATABASE_URL: opts.url,
          TATTLETALE_DATABASE_SCHEMA: schema,
        },
        stdio: ["ignore", "ignore", "pipe"],
      });
      outputs.push("");
      child.stderr?.on("data", (c: Buffer) => {
        outputs[n] = ((outputs[n] ?? "") + c.toString()).slice(-4000);
      });
      children.push(child);
    }
    const ports = await fake.waitFor(
      () => {
        const found = outputs.map((o) => Number(/HTTP mode on port (\d+)/.exec(o)?.[1] ?? 0));
        return found.every((p) => p > 0) ? found : undefined;
      },
      120_000,
      "the replicas to listen",
    );
    const lb = await startRoundRobin(ports);
    let errors = 0;
    const waitReplies = async (keys: string[], ms: number) => {
      const until = performance.now() + ms;
      while (performance.now() < until && !keys.every((k) => replyAt.has(k)))
        await new Promise((r) => setTimeout(r, 20));
    };

    // Steady: two seconds of warm-up, then `seconds` measured.
    const acks: number[] = [];
    const measured: string[] = [];
    const pending: Promise<void>[] = [];
    const warm = opts.rate * 2;
    const total = warm + opts.rate * opts.seconds;
    const start = performance.now();
    for (let i = 0; i < total; i++) {
      const wait = start + (i * 1000) / opts.rate - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const { ts, body } = pasteBody(fake.teamId);
      const at = performance.now();
      if (i >= warm) {
        sentAt.set(ts, at);
        measured.push(ts);
      }
      pending.push(
        post(lb.url, body).then((status) => {
          if (status !== 200) errors++;
          else if (i >= warm) acks.push(performance.now() - at);
        }),
      );
    }
    await Promise.all(pending);
    await waitReplies(measured, 60_000);
    const lat = measured.flatMap((ts) => {
      const got = replyAt.get(ts);
      if (got === undefined) {
        errors++;
        return [];
      }
      return [got - (sentAt.get(ts) as number)];
    });

    // Burst: as fast as 32 connections take it.
    const burst = Array.from({ length: opts.burst }, () => pasteBody(fake.teamId));
    const burstStart = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < burst.length) {
          const item = burst[next++] as { ts: string; body: string };
          sentAt.set(item.ts, performance.now());
          if ((await post(lb.url, item.body)) !== 200) errors++;
        }
      }),
    );
    await waitReplies(
      burst.map((b) => b.ts),
      120_000,
    );
    const burstLat = burst.flatMap((b) => {
      const got = replyAt.get(b.ts);
      if (got === undefined) {
        errors++;
        return [];
      }
      return [got - (sentAt.get(b.ts) as number)];
    });
    const lastReply = Math.max(...burst.map((b) => replyAt.get(b.ts) ?? 0));
    await lb.close();
    lat.sort((a, b) => a - b);
    acks.sort((a, b) => a - b);
    burstLat.sort((a, b) => a - b);
    return {
      ok: lat.length > 0 && burstLat.length > 0,
      replicas: opts.replicas,
      rate: opts.rate,
      ack: { p50: pct(acks, 0.5), p99: pct(acks, 0.99) },
      reply: { p50: pct(lat, 0.5), p99: pct(lat, 0.99) },
      burst: {
        events: burstLat.length,
        perSecond: burstLat.length / ((lastReply - burstStart) / 1000),
        reply: { p50: pct(burstLat, 0.5), p99: pct(burstLat, 0.99) },
      },
      errors,
      note: `${measured.length} events at ${opts.rate}/s after 2 s of warm-up, then a burst of ${opts.burst} over 32 connections; ${errors} errors; ${opts.replicas} bot process(es) on one PostgreSQL database behind a round-robin balancer, test/support/fake-slack`,
    };
  } finally {
    for (const c of children) {
      c.kill("SIGKILL");
      if (c.exitCode === null && c.signalCode === null) await new Promise((r) => c.once("exit", r));
    }
    await fake.close();
    await sql(opts.url, `DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}
