// Socket Mode's graceful stop: the connection to Slack is closed (no new envelopes), the paste being
// answered stays in the store, and a new bot on the same store answers it once.
import { afterEach, describe, expect, it } from "vitest";
import { createBot } from "../../bot/app.js";
import { type Harness, QUICK_OUTBOX, startHarness } from "../support/bot-harness.js";
import { CHANNEL, deliverMessage, founding, slackEscape } from "./helpers.js";

let h: Harness;
afterEach(async () => h?.close());

describe("Socket Mode stop", () => {
  it("disconnects, leaves the unfinished reply in the store, and the next bot posts it once", async () => {
    h = await startHarness("socket", { bot: { requestTimeoutMs: 300 } });
    await h.fake.waitForSocket();
    h.fake.outage("hang", ["chat.postMessage", "conversations.replies"]);
    const m = h.fake.addMessage(CHANNEL, { user: "UONCALL", text: slackEscape(founding("httperr1.log")) });
    await deliverMessage(h, "socket", m);
    await h.fake.waitFor(() => h.fake.hanging > 0, 30_000, "the reply hanging");

    // The attempt under way ends (it times out and is rescheduled); no new one starts.
    await h.bot.stop({ deadlineMs: 5000 });
    await h.fake.waitFor(() => h.fake.openSockets === 0, 30_000, "the socket closed");
    expect((await h.store.stats()).pendingTasks).toBe(1);
    await expect(h.fake.sendEnvelope("events_api", {})).rejects.toThrow(/no Socket Mode client/);

    h.fake.restore();
    const next = createBot(h.config, { store: h.store, outbox: QUICK_OUTBOX, postLookupPauseMs: 50 });
    await next.start();
    try {
      await h.fake.waitFor(async () => (await h.store.stats()).pendingTasks === 0, 60_000, "the task done");
      expect(h.fake.thread(CHANNEL, m.ts).filter((x) => x.bot_id === h.fake.botId)).toHaveLength(1);
    } finally {
      await next.stop({ deadlineMs: 3000 });
    }
  });
});
