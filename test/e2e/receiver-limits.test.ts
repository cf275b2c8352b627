// HTTP mode's front door under abuse (bot/http-guard.ts, real sockets on loopback): unsigned bodies
// refused before they are read, slow and oversized bodies cut, signed bodies that are not JSON
// objects answered 400 (never an unhandled rejection), idle connections closed, and a cap on how
// many are open. The guard's counters say what it read and what it still holds.
import { connect, type Socket } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Harness, SIGNING_SECRET, startHarness } from "../support/bot-harness.js";
import { FORM, postSigned, signature } from "../support/slack-requests.js";
import { CHANNEL, deliverMessage, founding, slackEscape } from "./helpers.js";

interface RawReply {
  status: number | null;
  closed: Promise<void>;
  socket: Socket;
}

/** A request written by hand: headers now, then the body a chunk every `everyMs` until the server hangs up. */
function trickle(
  port: number,
  headers: Record<string, string>,
  opts: { chunk?: number; everyMs?: number; total?: number } = {},
): RawReply {
  const socket = connect(port, "127.0.0.1");
  const reply: RawReply = { status: null, socket, closed: Promise.resolve() };
  let head = "";
  socket.on("data", (d) => {
    head += String(d);
    const m = /^HTTP\/1\.1 (\d{3})/.exec(head);
    if (m) reply.status = Number(m[1]);
  });
  socket.on("error", () => undefined);
  const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}`);
  socket.write(`POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\n${lines.join("\r\n")}\r\n\r\n`);
  let sent = 0;
  const total = opts.total ?? Number.POSITIVE_INFINITY;
  const timer = setInterval(() => {
    if (socket.destroyed || sent >= total) return;
    const n = Math.min(opts.chunk ?? 1024, total - sent);
    sent += n;
    socket.write("x".repeat(n));
  }, opts.everyMs ?? 50);
  reply.closed = new Promise((resolve) =>
    socket.on("close", () => {
      clearInterval(timer);
      resolve();
    }),
  );
  return reply;
}

const now = () => Math.floor(Date.now() / 1000);

describe("HTTP receiver limits", () => {
  let h: Harness;
  let port: number;
  let rejections: unknown[];
  const onRejection = (reason: unknown) => rejections.push(reason);
  beforeEach(() => {
    rejections = [];
    process.on("unhandledRejection", onRejection);
  });
  afterEach(async () => {
    process.off("unhandledRejection", onRejection);
    await h?.close();
  });

  async function start(env: Record<string, string> = {}) {
    h = await startHarness("http", {
      env,
      bot: { http: { bodyTimeoutMs: 500, idleTimeoutMs: 1000, headersTimeoutMs: 1000 } },
    });
    port = Number(new URL(h.baseUrl).port);
    return h;
  }

  it("200 sockets trickling unsigned 3.9 MB bodies: 401 before any body is read, closed, nothing held", async () => {
    await start();
    const guard = h.bot.guard;
    if (!guard) throw new Error("no guard in HTTP mode");
    const replies = Array.from({ length: 200 }, () =>
      trickle(port, {
        "Content-Type": "application/json",
        "Content-Length": String(Math.round(3.9 * 1024 * 1024)),
      }),
    );
    await Promise.all(replies.map((r) => r.closed));
    expect(replies.map((r) => r.status)).toEqual(Array(200).fill(401));
    expect(guard.counts[401]).toBe(200);
    expect(guard.counts.read).toBe(0);
    expect(guard.bufferedBytes).toBe(0);
    // And the door still opens for Slack.
    const m = h.fake.addMessage(CHANNEL, { user: "UONCALL", text: slackEscape(founding("httperr1.log")) });
    await deliverMessage(h, "http", m);
    await h.fake.waitForCalls("chat.postMessage");
  });

  it("forged signatures trickling a body: cut at the body time limit, and what they sent let go", async () => {
    await start();
    const guard = h.bot.guard;
    if (!guard) throw new Error("no guard in HTTP mode");
    const ts = now();
    const replies = Array.from({ length: 20 }, () =>
      trickle(port, {
        "Content-Type": "application/json",
        "Content-Length": String(500_000),
        "X-Slack-Request-Timestamp": String(ts),
        "X-Slack-Signature": `v0=${"ab".repeat(32)}`,
      }),
    );
    await h.fake.waitFor(() => guard.bufferedBytes > 0, 10_000, "bodies being read");
    await Promise.all(replies.map((r) => r.closed));
    expect(new Set(replies.map((r) => r.status))).toEqual(new Set([408]));
    expect(guard.bufferedBytes).toBe(0);
    expect(guard.counts.read).toBe(0);
  });

  it("a signed body over the limit: 413, before reading it when its length says so, else as it passes the limit", async () => {
    await start();
    const big = `{"type":"event_callback","pad":"${"x".repeat(1024 * 1024 + 10)}"}`;
    const declared = await postSigned(h.eventsUrl, big, { secret: SIGNING_SECRET });
    expect(declared.status).toBe(413);
    // Chunked (no Content-Length): cut once more than the limit has arrived.
    const ts = now();
    const res = await fetch(h.eventsUrl, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": String(ts),
        "X-Slack-Signature": signature(SIGNING_SECRET, ts, big),
      },
      body: new ReadableStream({
        start(c) {
          for (let i = 0; i < big.length; i += 65536)
            c.enqueue(new TextEncoder().encode(big.slice(i, i + 65536)));
          c.close();
        },
      }),
      duplex: "half",
    } as RequestInit).catch(() => null);
    if (res) expect(res.status).toBe(413);
    expect(h.bot.guard?.counts[413]).toBe(2);
    expect(h.bot.guard?.bufferedBytes).toBe(0);
  });

  it("signed bodies that are not a JSON object or a readable form: 400, and never an unhandled rejection", async () => {
    await start();
    const bodies: Array<[string, string]> = [
      ["null", "application/json"],
      ["[]", "application/json"],
      ['"a string"', "application/json"],
      ["42", "application/json"],
      ['{"type": "event_callback", ', "application/json"],
      ["", "application/json"],
      ["payload=null", FORM],
      ["payload=%7Bnot%20json", FORM],
      ["payload=%5B1%2C2%5D", FORM],
      ["payload=a&payload=b", FORM],
    ];
    for (const [body, contentType] of bodies) {
      const res = await postSigned(h.eventsUrl, body, { secret: SIGNING_SECRET, contentType });
      expect(res.status, `${contentType} ${JSON.stringify(body)}`).toBe(400);
    }
    expect(h.bot.guard?.counts[400]).toBe(bodies.length);
    // Still answering, and nothing went unhandled meanwhile.
    const m = h.fake.addMessage(CHANNEL, { user: "UONCALL", text: slackEscape(founding("httperr1.log")) });
    await deliverMessage(h, "http", m);
    await h.fake.waitForCalls("chat.postMessage");
    expect(rejections).toEqual([]);
    expect(h.logs.join("\n")).toContain("refused a signed request whose body is not a JSON object");
  });

  it("holds no more connections than TATTLETALE_MAX_CONNECTIONS, and closes idle ones", async () => {
    await start({ TATTLETALE_MAX_CONNECTIONS: "5" });
    let dropped = 0;
    h.bot.server?.on("drop", () => {
      dropped++;
    });
    const sockets = Array.from({ length: 12 }, () => {
      const s = connect(port, "127.0.0.1");
      s.on("error", () => undefined);
      // Whichever of Node's timers closes an idle one first may send a 408 before closing it: read
      // that, or the socket (paused, its data unread) never sees the close.
      s.resume();
      return s;
    });
    // Every one of them ends without sending a byte: those over the cap at once, the others once idle.
    await h.fake.waitFor(
      () => sockets.every((s) => s.destroyed),
      30_000,
      () => {
        const open = sockets.filter((s) => !s.destroyed);
        const states = open.map((s) => `${s.readyState}, ${s.bytesRead} bytes read`);
        return `every connection closed (${open.length} still open: ${states.join("; ")}; ${dropped} dropped)`;
      },
    );
    expect(dropped).toBe(7);
  });
});
