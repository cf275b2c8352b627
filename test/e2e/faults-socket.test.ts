// Socket Mode when the connection misbehaves: an envelope cut off mid-frame, a connection that dies
// with the ack, Slack's `disconnect`, and apps.connections.open failing while reconnecting. The
// client reconnects, the redelivered envelope is handled once, nothing is posted twice, and no
// promise is left rejected (vitest fails a run on an unhandled rejection).
import { afterEach, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../support/bot-harness.js";
import { eventCallback, messageEvent } from "../support/slack-requests.js";
import { CHANNEL, founding, slackEscape } from "./helpers.js";

function pasteEvent(h: Harness, eventId: string) {
  const m = h.fake.addMessage(CHANNEL, { user: "UONCALL", text: slackEscape(founding("httperr1.log")) });
  const body = eventCallback(messageEvent({ channel: CHANNEL, ts: m.ts, text: m.text }), {
    teamId: h.fake.teamId,
    eventId,
  });
  return { m, body };
}

/** Waits for a fresh connection after the one that was cut. */
async function reconnected(h: Harness, connections: number): Promise<void> {
  await h.fake.waitFor(
    () => h.fake.connections > connections && h.fake.openSockets >= 1,
    20_000,
    "the client to reconnect",
  );
}

/**
 * Lets anything still in flight finish: a fresh paste in another channel is answered only after
 * the bot has read everything sent before it (one connection, in order).
 */
async function settle(h: Harness): Promise<void> {
  const probe = h.fake.addMessage("CPROBE", { user: "UONCALL", text: slackEscape(founding("httperr1.log")) });
  const n = h.fake.visiblePosts("CPROBE").length;
  await h.fake.sendEnvelope(
    "events_api",
    eventCallback(messageEvent({ channel: "CPROBE", ts: probe.ts, text: probe.text }), {
      teamId: h.fake.teamId,
    }),
  );
  await h.fake.waitFor(() => h.fake.visiblePosts("CPROBE").length > n, 15_000, "the probe's answer");
}

describe("Socket Mode faults", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("an envelope cut off mid-frame is redelivered after the reconnect and answered once", async () => {
    h = await startHarness("socket");
    await h.fake.waitForSocket();
    const { m, body } = pasteEvent(h, "Ev-CUT-1");
    const before = h.fake.connections;
    await expect(h.fake.sendEnvelope("events_api", body, { cut: "mid-frame" })).rejects.toThrow(/not acked/);
    await reconnected(h, before);
    const [ack] = await h.fake.redeliverUnacked();
    expect(ack?.envelope_id).toBeDefined();
    const [reply] = await h.fake.waitForCalls("chat.postMessage");
    expect(reply?.body.thread_ts).toBe(m.ts);
    // A second redelivery (Slack retries up to three times) adds nothing.
    await h.fake.sendEnvelope("events_api", body, { retryAttempt: 2 });
    await settle(h);
    expect(h.fake.visiblePosts(CHANNEL)).toHaveLength(1);
  });

  it("an envelope whose ack died with the connection is redelivered, acked, and not answered twice", async () => {
    h = await startHarness("socket");
    await h.fake.waitForSocket();
    const { m, body } = pasteEvent(h, "Ev-ACK-1");
    const before = h.fake.connections;
    await expect(h.fake.sendEnvelope("events_api", body, { cut: "on-ack" })).rejects.toThrow(/not acked/);
    await reconnected(h, before);
    await h.fake.waitFor(() => h.fake.unacked.size === 1, 5000, "the lost ack");
    const acks = await h.fake.redeliverUnacked();
    expect(acks).toHaveLength(1);
    const [reply] = await h.fake.waitForCalls("chat.postMessage");
    expect(reply?.body.thread_ts).toBe(m.ts);
    await settle(h);
    expect(h.fake.visiblePosts(CHANNEL)).toHaveLength(1);
    expect(h.logs.join("\n")).toContain(`ignoring a repeat of message ${CHANNEL}/${m.ts}`);
  });

  it("a `disconnect` right after an envelope: reconnects, the envelope is handled once", async () => {
    h = await startHarness("socket");
    await h.fake.waitForSocket();
    const { m, body } = pasteEvent(h, "Ev-DISC-1");
    const before = h.fake.connections;
    // Its ack may or may not make it before the connection closes.
    void h.fake.sendEnvelope("events_api", body, { timeoutMs: 30_000 }).catch(() => undefined);
    h.fake.sendDisconnect("warning");
    await reconnected(h, before);
    // Whatever the old connection did with it, Slack sends unacked envelopes again, and retries.
    await h.fake.redeliverUnacked();
    await h.fake.sendEnvelope("events_api", body, { retryAttempt: 1 });
    const [reply] = await h.fake.waitForCalls("chat.postMessage");
    expect(reply?.body.thread_ts).toBe(m.ts);
    await settle(h);
    expect(h.fake.visiblePosts(CHANNEL)).toHaveLength(1);
  });

  it("reconnects when Slack's apps.connections.open fails for a while, then answers", async () => {
    h = await startHarness("socket");
    await h.fake.waitForSocket();
    h.fake.failNext("apps.connections.open", { status: 500 }, 8);
    const before = h.fake.connections;
    h.fake.dropSockets();
    await reconnected(h, before);
    const { m, body } = pasteEvent(h, "Ev-OPEN-1");
    await h.fake.sendEnvelope("events_api", body);
    const [reply] = await h.fake.waitForCalls("chat.postMessage");
    expect(reply?.body.thread_ts).toBe(m.ts);
  });
});
