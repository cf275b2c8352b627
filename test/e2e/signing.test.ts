// HTTP mode's front door, beyond the message event of http-signing.test.ts: slash commands,
// interactivity and the message shortcut, timestamps from the future, malformed signature headers,
// a body re-signed under a new timestamp by someone without the secret. Each is refused with 401,
// and nothing at all happens: no Web API call, no response URL used, no incident recorded.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, SIGNING_SECRET, startHarness } from "../support/bot-harness.js";
import {
  blockAction,
  commandFields,
  eventCallback,
  FORM,
  formBody,
  interactiveBody,
  messageEvent,
  messageShortcut,
  signature,
} from "../support/slack-requests.js";
import { CHANNEL, founding, slackEscape } from "./helpers.js";

const now = () => Math.floor(Date.now() / 1000);

async function send(h: Harness, body: string, contentType: string, headers: Record<string, string>) {
  return fetch(h.eventsUrl, { method: "POST", headers: { "Content-Type": contentType, ...headers }, body });
}

function signed(body: string, ts = now(), secret = SIGNING_SECRET): Record<string, string> {
  return { "X-Slack-Request-Timestamp": String(ts), "X-Slack-Signature": signature(secret, ts, body) };
}

describe("HTTP request signing, every kind of request", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness("http");
  });
  afterAll(async () => h?.close());

  const kinds = () => {
    const m = h.fake.addMessage(CHANNEL, { user: "UONCALL", text: slackEscape(founding("httperr1.log")) });
    return {
      event: {
        type: "application/json",
        body: JSON.stringify(
          eventCallback(messageEvent({ channel: CHANNEL, ts: m.ts, text: m.text }), {
            teamId: h.fake.teamId,
          }),
        ),
      },
      command: {
        type: FORM,
        body: formBody(
          commandFields({
            text: "connections_refused",
            teamId: h.fake.teamId,
            channel: CHANNEL,
            responseUrl: h.fake.responseUrl("BAD"),
          }),
        ),
      },
      action: {
        type: FORM,
        body: interactiveBody(
          blockAction({
            teamId: h.fake.teamId,
            channel: CHANNEL,
            actionId: "lookup_share",
            value: "connections_refused",
            responseUrl: h.fake.responseUrl("BAD"),
          }),
        ),
      },
      shortcut: {
        type: FORM,
        body: interactiveBody(
          messageShortcut({
            teamId: h.fake.teamId,
            channel: CHANNEL,
            message: { ts: m.ts, user: "UONCALL", text: m.text },
            responseUrl: h.fake.responseUrl("BAD"),
          }),
        ),
      },
    };
  };

  const forgeries: Array<[string, (body: string) => Record<string, string>, (body: string) => string]> = [
    ["unsigned", () => ({}), (b) => b],
    ["signed six minutes ago", (b) => signed(b, now() - 6 * 60), (b) => b],
    ["signed six minutes in the future", (b) => signed(b, now() + 6 * 60), (b) => b],
    ["signed with another secret", (b) => signed(b, now(), "not-the-secret"), (b) => b],
    [
      "tampered after signing",
      (b) => signed(b),
      (b) => b.replace(/connections_refused|Connections_Refused/, "help"),
    ],
    [
      "re-stamped: an old signature under a fresh timestamp",
      (b) => ({
        "X-Slack-Request-Timestamp": String(now()),
        "X-Slack-Signature": signature(SIGNING_SECRET, now() - 600, b),
      }),
      (b) => b,
    ],
    [
      "a v1 signature",
      (b) => ({
        ...signed(b),
        "X-Slack-Signature": signed(b)["X-Slack-Signature"]?.replace("v0=", "v1=") ?? "",
      }),
      (b) => b,
    ],
    [
      "a truncated signature",
      (b) => ({ ...signed(b), "X-Slack-Signature": signed(b)["X-Slack-Signature"]?.slice(0, 20) ?? "" }),
      (b) => b,
    ],
    [
      "a timestamp that is not a number",
      (b) => ({ ...signed(b), "X-Slack-Request-Timestamp": "soon" }),
      (b) => b,
    ],
    [
      "the signature without its timestamp",
      (b) => ({ "X-Slack-Signature": signed(b)["X-Slack-Signature"] ?? "" }),
      (b) => b,
    ],
  ];

  for (const [name, headersFor, mutate] of forgeries) {
    it(`refuses ${name} with 401, for events, commands, actions and shortcuts`, async () => {
      for (const [kind, req] of Object.entries(kinds())) {
        const res = await send(h, mutate(req.body), req.type, headersFor(req.body));
        expect(res.status, `${kind}: ${name}`).toBe(401);
      }
    });
  }

  it("after all of that nothing had happened; a correctly signed request still works", async () => {
    expect(h.fake.calls.filter((c) => c.method !== "auth.test")).toEqual([]);
    expect(h.fake.responses).toEqual([]);
    expect(await h.store.list()).toEqual([]);
    const { command } = kinds();
    const good = command.body.replace(/BAD/, "GOOD");
    const res = await send(h, good, FORM, signed(good));
    expect(res.status).toBe(200);
    await h.fake.waitFor(() => h.fake.responses.find((r) => r.id === "GOOD"));
  });
});
