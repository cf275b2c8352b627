// Socket Mode against the fake Slack's WebSocket: envelopes are acked, commands answered through
// the ack, retries deduplicated, and the client reconnects after a `disconnect` or a dropped socket.
import { afterEach, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../support/bot-harness.js";
import { commandFields, eventCallback, messageEvent } from "../support/slack-requests.js";
import { CHANNEL, founding, slackEscape } from "./helpers.js";

describe("Socket Mode", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("opens the connection with the app token and acks every envelope", async () => {
    h = await startHarness("socket");
    await h.fake.waitForSocket();
    const open = h.fake.callsTo("apps.connections.open");
    expect(open[0]?.auth).toBe("app");
    expect(open[0]?.headers.authorization).toBe("Bearer <app>");
    const m = h.fake.addMessage(CHANNEL, { user: "UONCALL", text: slackEscape(founding("httperr1.log")) });
    const body = eventCallback(messageEvent({ channel: CHANNEL, ts: m.ts, text: m.text }), {
      teamId: h.fake.teamId,
      eventId: "Ev-S1",
    });
    const ack = await h.fake.sendEnvelope("events_api", body);
    expect(ack.envelope_id).toMatch(/^env-/);
    await h.fake.waitForCalls("chat.postMessage");
    // Slack redelivers with retry_attempt when it thinks the ack was lost: acked, not answered again.
    const again = await h.fake.sendEnvelope("events_api", body, { retryAttempt: 1 });
    expect(again.envelope_id).not.toBe(ack.envelope_id);
    const cmd = commandFields({
      text: "help",
      teamId: h.fake.teamId,
      channel: CHANNEL,
      responseUrl: h.fake.responseUrl("SM1"),
    });
    await h.fake.sendEnvelope("slash_commands", cmd);
    await h.fake.waitFor(() => h.fake.responses.find((r) => r.id === "SM1"));
    expect(h.fake.callsTo("chat.postMessage")).toHaveLength(1);
  });

  it("reconnects after a disconnect message and after a dropped socket, and keeps answering", async () => {
    h = await startHarness("socket");
    await h.fake.waitForSocket();
    h.fake.sendDisconnect("refresh_requested");
    await h.fake.waitFor(() => h.fake.connections >= 2 && h.fake.openSockets === 1, 20_000, "a reconnect");
    h.fake.dropSockets();
    await h.fake.waitFor(
      () => h.fake.connections >= 3 && h.fake.openSockets === 1,
      20_000,
      "a second reconnect",
    );
    const m = h.fake.addMessage(CHANNEL, { user: "UONCALL", text: slackEscape(founding("httperr1.log")) });
    await h.fake.sendEnvelope(
      "events_api",
      eventCallback(messageEvent({ channel: CHANNEL, ts: m.ts, text: m.text }), { teamId: h.fake.teamId }),
    );
    const [reply] = await h.fake.waitForCalls("chat.postMessage");
    expect(reply?.body.thread_ts).toBe(m.ts);
  });
});
