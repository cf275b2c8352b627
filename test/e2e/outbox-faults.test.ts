// The outbox against a misbehaving Web API (the faults of the first round, alone, repeated and
// combined): the incident is recorded when the paste is acknowledged, before any reply; the reply is
// posted exactly once once the API answers again, Retry-After honoured, the look-up for a post that
// may have landed retried rather than guessed. Time is the fake's: the API is down until the test
// says otherwise, and every wait is for a condition.
import { afterEach, describe, expect, it } from "vitest";
import { incidentId } from "../../incidents/index.js";
import { type Harness, startHarness } from "../support/bot-harness.js";
import { eventCallback } from "../support/slack-requests.js";
import { deliver, deliverMessage, founding, slackEscape, visibleText } from "./helpers.js";

let h: Harness;
afterEach(async () => h?.close());

function paste(channel = "COUT") {
  return h.fake.addMessage(channel, { user: "UONCALL", text: slackEscape(founding("httperr1.log")) });
}

function repliesIn(channel: string, threadTs: string) {
  // Text replies: the chart that may follow one is a file message of its own.
  return h.fake.thread(channel, threadTs).filter((m) => m.bot_id === h.fake.botId && !m.files);
}

const idOf = (channel: string, ts: string) => incidentId({ workspace: "T0FAKE", channel, threadTs: ts });

async function allDone() {
  await h.fake.waitFor(async () => (await h.store.stats()).pendingTasks === 0, 60_000, "every task done");
}

describe("the outbox under Web API faults", () => {
  it("six 429s in a row: the incident is there before any reply, each Retry-After is waited out, one post", async () => {
    h = await startHarness("http");
    h.fake.failNext("chat.postMessage", { status: 429, retryAfter: 1 }, 6);
    const m = paste();
    await deliverMessage(h, "http", m, { channel: "COUT" });
    await h.fake.waitFor(
      () => h.fake.attemptsAt("chat.postMessage").length >= 1,
      15_000,
      "the first attempt",
    );
    // Recorded when it was accepted: the reply has not been posted yet.
    expect(await h.store.get(idOf("COUT", m.ts))).toMatchObject({ diagnoses: 1 });
    expect(repliesIn("COUT", m.ts)).toHaveLength(0);
    await h.fake.waitFor(() => repliesIn("COUT", m.ts).length === 1, 60_000, "the reply");
    const attempts = h.fake.attemptsAt("chat.postMessage");
    expect(attempts.map((c) => c.status)).toEqual([429, 429, 429, 429, 429, 429, 200]);
    // No attempt before Retry-After was up (1 ms of clock rounding allowed), and none doubled by the
    // client's own retries: the outbox is the only one retrying.
    for (let i = 1; i < attempts.length; i++)
      expect((attempts[i]?.at ?? 0) - (attempts[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(999);
    // A 429 says nothing was posted: no look-up for it.
    expect(h.fake.attemptsAt("conversations.replies")).toHaveLength(0);
    await allDone();
  });

  it("resets on the post (after Slack took it) and on the look-ups: found in the end, never posted twice", async () => {
    h = await startHarness("http");
    h.fake.failNext("chat.postMessage", { commitThenDrop: true });
    h.fake.failNext("conversations.replies", { drop: true }, 3);
    const m = paste();
    await deliverMessage(h, "http", m, { channel: "COUT" });
    await h.fake.waitFor(() => h.logs.some((l) => l.includes("had landed")), 60_000, "the post found");
    expect(h.fake.attemptsAt("conversations.replies").filter((c) => c.status === 0)).toHaveLength(3);
    expect(h.fake.attemptsAt("chat.postMessage")).toHaveLength(1);
    expect(repliesIn("COUT", m.ts)).toHaveLength(1);
    await allDone();
  });

  it("two resets before Slack saw the post: looked for, not there, posted once", async () => {
    h = await startHarness("http");
    h.fake.failNext("chat.postMessage", { drop: true }, 2);
    const m = paste();
    await deliverMessage(h, "http", m, { channel: "COUT" });
    await h.fake.waitFor(() => repliesIn("COUT", m.ts).length === 1, 60_000, "the reply");
    expect(h.fake.attemptsAt("chat.postMessage").map((c) => c.status)).toEqual([0, 0, 200]);
    expect(h.fake.callsTo("conversations.replies").length).toBeGreaterThanOrEqual(2);
    await allDone();
    expect(repliesIn("COUT", m.ts)).toHaveLength(1);
  });

  it("a run of 5xx: retried with back-off, posted once", async () => {
    h = await startHarness("http");
    h.fake.failNext("chat.postMessage", { status: 503 }, 3);
    h.fake.failNext("chat.postMessage", { status: 500 }, 2);
    const m = paste();
    await deliverMessage(h, "http", m, { channel: "COUT" });
    await h.fake.waitFor(() => repliesIn("COUT", m.ts).length === 1, 60_000, "the reply");
    expect(h.fake.attemptsAt("chat.postMessage").map((c) => c.status)).toEqual([
      503, 503, 503, 500, 500, 200,
    ]);
    await allDone();
    expect(repliesIn("COUT", m.ts)).toHaveLength(1);
  });

  it("the API hangs: acknowledged and recorded at once, answered once it comes back", async () => {
    h = await startHarness("http", { bot: { requestTimeoutMs: 300 } });
    h.fake.outage("hang");
    const m = paste();
    // Neither Slack's acknowledgement nor the incident waits for Slack's API.
    await deliverMessage(h, "http", m, { channel: "COUT" });
    await h.fake.waitFor(() => h.store.get(idOf("COUT", m.ts)), 30_000, "the incident");
    expect((await h.store.get(idOf("COUT", m.ts)))?.permalink).toBe(
      `https://fake.slack.com/archives/COUT/p${m.ts.replace(".", "")}`,
    );
    // The post hangs and times out; since it may have landed, the next attempts look for it first,
    // and those look-ups hang too: nothing is posted blindly meanwhile.
    await h.fake.waitFor(
      () => h.fake.attemptsAt("conversations.replies").length >= 4,
      60_000,
      "look-ups while down",
    );
    expect(h.fake.attemptsAt("chat.postMessage")).toHaveLength(1);
    expect(repliesIn("COUT", m.ts)).toHaveLength(0);
    h.fake.restore();
    await h.fake.waitFor(() => repliesIn("COUT", m.ts).length === 1, 60_000, "the reply");
    await allDone();
    expect(repliesIn("COUT", m.ts)).toHaveLength(1);
    expect(visibleText({ body: repliesIn("COUT", m.ts)[0] as Record<string, unknown> })).toContain(
      "httperr-connections-refused",
    );
  });

  it("a burst during an outage of resets and 503s: every paste recorded, each answered once when it ends", async () => {
    h = await startHarness("http", { bot: { requestTimeoutMs: 500 } });
    h.fake.outage("reset", ["chat.postMessage", "conversations.replies"]);
    const pastes = Array.from({ length: 12 }, (_, n) => ({ channel: `CB${n % 3}`, m: paste(`CB${n % 3}`) }));
    await Promise.all(pastes.map((p) => deliverMessage(h, "http", p.m, { channel: p.channel })));
    await h.fake.waitFor(
      async () => (await h.store.list()).length === 12,
      60_000,
      "every incident, while down",
    );
    await h.fake.waitFor(
      () => h.fake.attemptsAt("chat.postMessage").length >= 12,
      60_000,
      "every reply tried",
    );
    h.fake.outage(503, ["chat.postMessage"]);
    h.fake.failNext("conversations.replies", { status: 429, retryAfter: 1 }, 2);
    await h.fake.waitFor(
      () => h.fake.attemptsAt("chat.postMessage").filter((c) => c.status === 503).length >= 6,
      60_000,
      "503s",
    );
    h.fake.restore();
    await allDone();
    for (const p of pastes) expect(repliesIn(p.channel, p.m.ts), p.m.ts).toHaveLength(1);
    // Charts are extra: at most one per thread, whatever the outage did to their uploads.
    for (const p of pastes) expect(h.fake.sharedFiles(p.channel, p.m.ts).length).toBeLessThanOrEqual(1);
  });

  it("a store that stops writing: /healthz fails, App Home names no file, the reply says the incident was not saved; then it recovers", async () => {
    let failing = false;
    h = await startHarness("http", {
      store: {
        writeFault: () =>
          failing ? Object.assign(new Error("EIO: i/o error, write"), { code: "EIO" }) : undefined,
      },
    });
    const path = h.config.dbPath;
    failing = true;
    const m = paste();
    await deliverMessage(h, "http", m, { channel: "COUT" });
    await h.fake.waitFor(() => repliesIn("COUT", m.ts).length === 1, 60_000, "the reply");
    const reply = JSON.stringify(repliesIn("COUT", m.ts)[0]?.blocks);
    expect(reply).toContain("could not save this incident");
    expect(reply).toContain("httperr-connections-refused");
    expect(await h.store.get(idOf("COUT", m.ts))).toBeUndefined();

    const health = await fetch(`${h.baseUrl}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ ok: false, mode: "http" });
    expect(h.logs.join("\n")).toContain("health check failing");
    expect(h.logs.join("\n")).toContain(path);

    await deliver(
      h,
      "http",
      eventCallback(
        { type: "app_home_opened", user: "UHOME", tab: "home", channel: "DHOME" },
        { teamId: h.fake.teamId },
      ),
    );
    const [home] = await h.fake.waitForCalls("views.publish");
    expect(JSON.stringify(home?.body.view)).toContain("cannot be read or saved right now");
    expect(JSON.stringify(home?.body.view)).not.toContain(path);

    failing = false;
    const again = paste();
    await deliverMessage(h, "http", again, { channel: "COUT" });
    await h.fake.waitFor(() => repliesIn("COUT", again.ts).length === 1, 60_000, "the next reply");
    expect(JSON.stringify(repliesIn("COUT", again.ts)[0]?.blocks)).not.toContain("could not save");
    expect(await h.store.get(idOf("COUT", again.ts))).toBeDefined();
    expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);
  });
});
