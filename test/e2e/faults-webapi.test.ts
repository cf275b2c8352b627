// The Web API misbehaving under a real Bolt app in HTTP mode: 429 with Retry-After, 5xx, calls that
// time out after Slack already posted, connections dropped before Slack did. Retries come where
// Slack expects them and never after Retry-After is up; a reply is never posted twice (post-once.ts
// looks for a post that may have landed before the client retries it).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LogLevel } from "@slack/bolt";
import { afterEach, describe, expect, it } from "vitest";
import { type Bot, createBot } from "../../bot/app.js";
import { loadConfig } from "../../bot/config.js";
import { RedactingLogger } from "../../bot/logger.js";
import { POST_METADATA_EVENT } from "../../bot/post-once.js";
import { type Harness, SIGNING_SECRET, startHarness } from "../support/bot-harness.js";
import { FakeSlack } from "../support/fake-slack.js";
import { CHANNEL, deliverMessage, founding, slackEscape, visibleText } from "./helpers.js";

/** startHarness, with a short Web API timeout (the shared harness uses 5 s). */
async function startQuick(requestTimeoutMs: number): Promise<Harness> {
  const fake = await FakeSlack.start();
  const dir = await mkdtemp(join(tmpdir(), "tattletale-faults-"));
  const config = loadConfig(
    {
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_API_URL: fake.url,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      TATTLETALE_DB: join(dir, "incidents.json"),
      PORT: "0",
    },
    dir,
  );
  const logs: string[] = [];
  const logger = new RedactingLogger(config.secrets, LogLevel.DEBUG, (line) => logs.push(line));
  const bot: Bot = createBot(config, {
    logger,
    retryConfig: { retries: 3, factor: 1, minTimeout: 10, maxTimeout: 20, randomize: false },
    requestTimeoutMs,
    postLookupPauseMs: 50,
  });
  const { port } = await bot.start();
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    fake,
    bot,
    config,
    // No incident store: these tests are about posting.
    store: undefined as never,
    baseUrl,
    eventsUrl: `${baseUrl}/slack/events`,
    logs,
    async close() {
      await bot.stop().catch(() => undefined);
      await fake.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function paste(h: Harness, channel = CHANNEL) {
  return h.fake.addMessage(channel, { user: "UONCALL", text: slackEscape(founding("httperr1.log")) });
}

/** Bot messages Slack holds in a thread: what people see, whatever the calls were. */
function botMessagesIn(h: Harness, threadTs: string) {
  return h.fake.thread(CHANNEL, threadTs).filter((m) => m.bot_id === h.fake.botId);
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

  it("timeout and the look-up fails too: prefers no second post, and says so in the log", async () => {
    h = await startQuick(300);
    h.fake.failNext("chat.postMessage", { commitThenDelayMs: 1500 });
    h.fake.failNext("conversations.replies", { status: 500 }, 20);
    const m = paste(h);
    await deliverMessage(h, "http", m);
    await h.fake.waitFor(
      () => h.logs.some((l) => l.includes("whether it landed is unknown")),
      15_000,
      "the failed look-up",
    );
    await h.fake.waitFor(
      () => h.logs.some((l) => l.includes("could not answer message")),
      15_000,
      "the give-up",
    );
    expect(h.fake.attemptsAt("chat.postMessage")).toHaveLength(1);
    expect(botMessagesIn(h, m.ts)).toHaveLength(1);
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
