// The Web API misbehaving under a real Bolt app in HTTP mode: 429 with Retry-After, 5xx, calls that
// time out after Slack already posted, connections dropped before Slack did. Retries come where
// Slack expects them and never before Retry-After is up; a reply is never posted twice (the reply
// task looks for a post that may have landed before it posts again, and retries a look-up that
// fails rather than guessing).
import { afterEach, describe, expect, it } from "vitest";
import { POST_METADATA_EVENT } from "../../bot/post-once.js";
import { type Harness, startHarness } from "../support/bot-harness.js";
import { CHANNEL, deliverMessage, founding, slackEscape, visibleText } from "./helpers.js";

/** startHarness, with a short Web API timeout (the shared harness uses 5 s). */
function startQuick(requestTimeoutMs: number): Promise<Harness> {
  return startHarness("http", { bot: { requestTimeoutMs } });
}

function paste(h: Harness, channel = CHANNEL) {
  return h.fake.addMessage(channel, { user: "UONCALL", text: slackEscape(founding("httperr1.log")) });
}

/** Bot messages Slack holds in a thread: what people see, whatever the calls were. */
function botMessagesIn(h: Harness, threadTs: string) {
  // Text replies: the chart that may follow one is a file message of its own.
  return h.fake.thread(CHANNEL, threadTs).filter((m) => m.bot_id === h.fake.botId && !m.files);
}

describe("Web API faults", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("429: waits at least Retry-After before the retry, then posts once", async () => {
    h = await startHarness("http");
    h.fake.failNext("chat.postMessage", { status: 429, retryAfter: 1 });
    const m = paste(h);
    await deliverMessage(h, "http", m);
    await h.fake.waitForCalls("chat.postMessage");
    const [limited, retried] = h.fake.attemptsAt("chat.postMessage");
    expect([limited?.status, retried?.status]).toEqual([429, 200]);
    // Not before: the client pauses its queue for Retry-After seconds (1 ms of clock rounding allowed).
    expect((retried?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(1000 - 1);
    expect(botMessagesIn(h, m.ts)).toHaveLength(1);
    // A 429 says "not done": no look-up for a post that may have landed.
    expect(h.fake.attemptsAt("conversations.replies")).toHaveLength(0);
  });

  it("5xx: looks for the post, finds none, retries, posts once", async () => {
    h = await startHarness("http");
    h.fake.failNext("chat.postMessage", { status: 503 }, 2);
    const m = paste(h);
    await deliverMessage(h, "http", m);
    await h.fake.waitForCalls("chat.postMessage");
    expect(h.fake.attemptsAt("chat.postMessage").map((c) => c.status)).toEqual([503, 503, 200]);
    const lookups = h.fake.callsTo("conversations.replies").filter((c) => c.body.include_all_metadata);
    expect(lookups.length).toBeGreaterThanOrEqual(2);
    expect(lookups[0]?.body.ts).toBe(m.ts);
    expect(botMessagesIn(h, m.ts)).toHaveLength(1);
    // Every attempt of one post carries the same key, so any attempt that landed would be found.
    const keys = new Set(
      h.fake.attemptsAt("chat.postMessage").map((c) => JSON.stringify(c.body.metadata?.event_payload)),
    );
    expect(keys.size).toBe(1);
    expect(h.fake.attemptsAt("chat.postMessage")[0]?.body.metadata?.event_type).toBe(POST_METADATA_EVENT);
  });

  it("timeout after Slack posted: not posted again, and the later paste updates that reply", async () => {
    h = await startQuick(300);
    h.fake.failNext("chat.postMessage", { commitThenDelayMs: 1500 });
    const m = paste(h);
    await deliverMessage(h, "http", m);
    await h.fake.waitFor(() => h.logs.some((l) => l.includes("had landed")), 15_000, "the look-up");
    expect(botMessagesIn(h, m.ts)).toHaveLength(1);
    expect(h.fake.attemptsAt("chat.postMessage")).toHaveLength(1);

    // The bot took the found message as its reply: a second paste in the thread updates it in place.
    const second = h.fake.addMessage(CHANNEL, {
      user: "UONCALL",
      thread_ts: m.ts,
      text: founding("poolmon-b.txt"),
    });
    await deliverMessage(h, "http", second);
    const [update] = await h.fake.waitForCalls("chat.update");
    expect(update?.body.ts).toBe(botMessagesIn(h, m.ts)[0]?.ts);
    expect(visibleText(update)).toContain("antivirus-pool-leak");
    expect(botMessagesIn(h, m.ts)).toHaveLength(1);
  });

  it("connection dropped before Slack saw the post: looked for, not found, posted once", async () => {
    h = await startQuick(2000);
    h.fake.failNext("chat.postMessage", { drop: true });
    const m = paste(h);
    await deliverMessage(h, "http", m);
    await h.fake.waitForCalls("chat.postMessage");
    expect(h.fake.attemptsAt("chat.postMessage").map((c) => c.status)).toEqual([0, 200]);
    expect(h.logs.join("\n")).toContain("it did not land");
    expect(botMessagesIn(h, m.ts)).toHaveLength(1);
  });

  it("timeout and the look-up fails too: the look-up is retried, not guessed, and the post is never doubled", async () => {
    h = await startQuick(300);
    h.fake.failNext("chat.postMessage", { commitThenDelayMs: 1500 });
    h.fake.failNext("conversations.replies", { status: 500 }, 6);
    const m = paste(h);
    await deliverMessage(h, "http", m);
    await h.fake.waitFor(
      () => h.logs.some((l) => l.includes("whether it landed is unknown")),
      15_000,
      "the failed look-up",
    );
    // Later attempts look again (they do not post): once a look-up works, the post is found.
    await h.fake.waitFor(() => h.logs.some((l) => l.includes("had landed")), 30_000, "the post found");
    expect(h.fake.attemptsAt("conversations.replies").filter((c) => c.status === 500)).toHaveLength(6);
    expect(h.fake.attemptsAt("chat.postMessage")).toHaveLength(1);
    expect(botMessagesIn(h, m.ts)).toHaveLength(1);
    await h.fake.waitFor(async () => (await h.store.stats()).pendingTasks === 0, 15_000, "the task done");
  });

  it("a reply slower than usual but within the timeout is simply posted once", async () => {
    h = await startQuick(2000);
    h.fake.failNext("chat.postMessage", { delayMs: 200 });
    const m = paste(h);
    await deliverMessage(h, "http", m);
    await h.fake.waitForCalls("chat.postMessage");
    expect(h.fake.attemptsAt("chat.postMessage")).toHaveLength(1);
    expect(h.fake.attemptsAt("conversations.replies")).toHaveLength(0);
    expect(botMessagesIn(h, m.ts)).toHaveLength(1);
  });
});
