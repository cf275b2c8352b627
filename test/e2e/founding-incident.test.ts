// The founding incident, as it happened: three pastes in one thread. Both transports.
import { afterEach, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../support/bot-harness.js";
import { CHANNEL, deliverMessage, FOUNDING_CHAIN, founding, slackEscape } from "./helpers.js";

for (const mode of ["http", "socket"] as const) {
  describe(`founding incident over ${mode}`, () => {
    let h: Harness;
    afterEach(async () => h?.close());

    it("answers each paste in the thread, the third reply naming the whole chain, without flooding", async () => {
      h = await startHarness(mode);
      if (mode === "socket") await h.fake.waitForSocket();
      const first = h.fake.addMessage(CHANNEL, {
        user: "UONCALL",
        text: slackEscape(founding("httperr1.log")),
      });
      await deliverMessage(h, mode, first);
      const [post] = await h.fake.waitForCalls("chat.postMessage", 1);
      expect(post?.body.channel).toBe(CHANNEL);
      expect(post?.body.thread_ts).toBe(first.ts);
      expect(JSON.stringify(post?.body.blocks)).toContain("httperr-connections-refused");

      const second = h.fake.addMessage(CHANNEL, {
        user: "UONCALL",
        thread_ts: first.ts,
        text: `\`\`\`${slackEscape(founding("poolmon-b.txt"))}\`\`\``,
      });
      await deliverMessage(h, mode, second);
      await h.fake.waitForCalls("chat.update", 1);

      const third = h.fake.addMessage(CHANNEL, {
        user: "UONCALL",
        thread_ts: first.ts,
        text: founding("boot.ini"),
      });
      await deliverMessage(h, mode, third);
      const updates = await h.fake.waitForCalls("chat.update", 2);
      const last = updates.at(-1);
      const botReply = h.fake.thread(CHANNEL, first.ts).find((m) => m.bot_id === h.fake.botId);
      expect(last?.body.ts).toBe(botReply?.ts);
      const blocks = JSON.stringify(last?.body.blocks);
      for (const id of FOUNDING_CHAIN) expect(blocks).toContain(id);
      expect(blocks).toContain("128 MB");
      // One reply in the thread, kept up to date.
      expect(h.fake.callsTo("chat.postMessage")).toHaveLength(1);
      // The incident is recorded right after the reply goes out.
      const [incident] = await h.fake.waitFor(async () => {
        const list = await h.store.list();
        return list[0]?.findings.length === FOUNDING_CHAIN.length ? list : undefined;
      });
      expect(incident?.findings.map((f) => f.id).sort()).toEqual([...FOUNDING_CHAIN].sort());
      expect(incident?.diagnoses).toBe(3);
      expect(incident?.permalink).toContain(first.ts.replace(".", ""));
    });
  });

  describe("a thread whose replies are handled before its first message", () => {
    let h: Harness;
    afterEach(async () => h?.close());

    it("reads the first message with its thread when the thread is already an incident", async () => {
      h = await startHarness("http");
      const first = h.fake.addMessage(CHANNEL, {
        user: "UONCALL",
        text: slackEscape(founding("httperr1.log")),
      });
      const second = h.fake.addMessage(CHANNEL, {
        user: "UONCALL",
        thread_ts: first.ts,
        text: slackEscape(founding("poolmon-b.txt")),
      });
      const third = h.fake.addMessage(CHANNEL, {
        user: "UONCALL",
        thread_ts: first.ts,
        text: founding("boot.ini"),
      });
      // The replies' events come first (Slack retried the first message's, or another replica had it).
      for (const m of [second, third]) await deliverMessage(h, "http", m);
      await h.fake.waitFor(async () => (await h.store.list())[0]?.diagnoses === 2, 30_000, "two diagnoses");
      await deliverMessage(h, "http", first);
      const [incident] = await h.fake.waitFor(
        async () => {
          const list = await h.store.list();
          return list[0]?.diagnoses === 3 ? list : undefined;
        },
        30_000,
        "the third diagnosis",
      );
      expect(incident?.findings.map((f) => f.id).sort()).toEqual([...FOUNDING_CHAIN].sort());
    });
  });
}
