// HTTP mode's front door: only requests signed with the signing secret, less than five minutes
// old, get in. Everything else is refused with 401 and does nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, SIGNING_SECRET, startHarness } from "../support/bot-harness.js";
import { eventCallback, messageEvent, postSigned } from "../support/slack-requests.js";
import { CHANNEL, founding, slackEscape } from "./helpers.js";

describe("HTTP mode request signing", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness("http");
  });
  afterAll(async () => h?.close());

  const body = () => {
    const m = h.fake.addMessage(CHANNEL, { user: "UONCALL", text: slackEscape(founding("httperr1.log")) });
    return JSON.stringify(
      eventCallback(messageEvent({ channel: CHANNEL, ts: m.ts, text: m.text }), { teamId: h.fake.teamId }),
    );
  };

  it.each([
    ["unsigned", { unsigned: true }],
    ["stale (six minutes old)", { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 }],
    ["signed with another secret", { secret: "not-the-signing-secret" }],
  ])("refuses a %s request with 401 and posts nothing", async (_name, opts) => {
    const res = await postSigned(h.eventsUrl, body(), { secret: SIGNING_SECRET, ...opts });
    expect(res.status).toBe(401);
  });

  it("refuses a tampered body with 401", async () => {
    const original = body();
    const tampered = original.replace("Connections_Refused", "Connections_Refusex");
    const res = await postSigned(h.eventsUrl, tampered, { secret: SIGNING_SECRET, signedBody: original });
    expect(res.status).toBe(401);
  });

  it("then a good request goes through, and only it was answered", async () => {
    const res = await postSigned(h.eventsUrl, body(), { secret: SIGNING_SECRET });
    expect(res.status).toBe(200);
    await h.fake.waitForCalls("chat.postMessage", 1);
    // Give the refused ones every chance to have done something: they did not.
    const probe = await postSigned(h.eventsUrl, body(), { secret: SIGNING_SECRET });
    expect(probe.status).toBe(200);
    await h.fake.waitForCalls("chat.postMessage", 2);
    expect(h.fake.callsTo("chat.postMessage")).toHaveLength(2);
  });

  it("answers Slack's url_verification challenge and serves GET /healthz", async () => {
    const challenge = JSON.stringify({ token: "x", challenge: "c-123", type: "url_verification" });
    const res = await postSigned(h.eventsUrl, challenge, { secret: SIGNING_SECRET });
    expect(await res.text()).toContain("c-123");
    const health = await fetch(`${h.baseUrl}/healthz`);
    expect(health.status).toBe(200);
    // ok and the mode, nothing else (no store details, no paths: those go to the log).
    expect(await health.json()).toEqual({ ok: true, mode: "http" });
  });
});
