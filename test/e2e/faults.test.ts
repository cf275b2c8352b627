// Slack misbehaving: rate limits with Retry-After, server errors, slow answers, a thread it will not
// show. The bot retries where Slack expects it, never double-posts, and keeps going.
import { afterEach, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../support/bot-harness.js";
import { CHANNEL, deliverMessage, founding, slackEscape } from "./helpers.js";

describe("Slack faults", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("waits out a 429 with Retry-After, then posts exactly once", async () => {
    h = await startHarness("http");
    h.fake.failNext("chat.postMessage", { status: 429, retryAfter: 1 });
    const m = h.fake.addMessage(CHANNEL, { user: "UONCALL", text: slackEscape(founding("httperr1.log")) });
    await deliverMessage(h, "http", m);
    await h.fake.waitForCalls("chat.postMessage");
    const attempts = h.fake.calls.filter((c) => c.method === "chat.postMessage");
    expect(attempts.map((c) => c.status)).toEqual([429, 200]);
    expect(h.fake.visiblePosts(CHANNEL)).toHaveLength(1);
  });

  it("retries 500s and slow answers, and survives a thread it cannot read", async () => {
    h = await startHarness("http");
    h.fake.failNext("chat.postMessage", { status: 500 }, 2);
    h.fake.failNext("chat.getPermalink", { delayMs: 300 });
    const first = h.fake.addMessage(CHANNEL, {
      user: "UONCALL",
      text: slackEscape(founding("httperr1.log")),
    });
    await deliverMessage(h, "http", first);
    await h.fake.waitForCalls("chat.postMessage");
    expect(h.fake.calls.filter((c) => c.method === "chat.postMessage").map((c) => c.status)).toEqual([
      500, 500, 200,
    ]);

    h.fake.failNext("conversations.replies", { error: "ratelimited" }, 1);
    const second = h.fake.addMessage(CHANNEL, {
      user: "UONCALL",
      thread_ts: first.ts,
      text: founding("poolmon-b.txt"),
    });
    await deliverMessage(h, "http", second);
    // Without the thread it still answers the paste, and still never floods: it finds its reply from memory.
    const [update] = await h.fake.waitForCalls("chat.update");
    expect(JSON.stringify(update?.body.blocks)).toContain("antivirus-pool-leak");
    expect(h.fake.callsTo("chat.postMessage")).toHaveLength(1);
  });

  it("never sends the bot token to a host Slack did not give, and logs no token", async () => {
    h = await startHarness("http");
    const m = h.fake.addMessage(CHANNEL, {
      user: "UONCALL",
      files: [
        {
          id: "FEVIL",
          name: "evil.log",
          mimetype: "text/plain",
          url_private_download: "https://evil.example.com/steal",
        },
      ],
    });
    await deliverMessage(h, "http", m, { channelType: "im", channel: "DONCALL" });
    const [reply] = await h.fake.waitForCalls("chat.postMessage");
    expect(JSON.stringify(reply?.body.blocks)).toContain("refused to send the bot token");
    const all = h.logs.join("\n");
    expect(all).not.toContain(h.fake.botToken);
    expect(all).not.toContain(h.config.signingSecret);
  });
});
