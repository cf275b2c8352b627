// Shared bits of the end-to-end suites: the founding incident's three pastes, and sending an
// event to the bot in either mode.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PACKAGE_ROOT } from "../../kb/paths.js";
import type { Harness } from "../support/bot-harness.js";
import { SIGNING_SECRET } from "../support/bot-harness.js";
import type { StoredMessage } from "../support/fake-slack.js";
import { eventCallback, messageEvent, postSigned } from "../support/slack-requests.js";

export const CHANNEL = "COPS";

export function founding(name: "httperr1.log" | "poolmon-b.txt" | "boot.ini"): string {
  return readFileSync(join(PACKAGE_ROOT, "samples", "founding-incident", name), "utf8");
}

/** Slack escapes `&`, `<` and `>` in message text; pastes arrive that way. */
export function slackEscape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export const FOUNDING_CHAIN = [
  "httperr-connections-refused",
  "nonpaged-pool-exhaustion",
  "boot-3gb-switch",
  "antivirus-pool-leak",
];

/** Delivers a person's message (already stored in the fake) as a `message` event. */
export async function deliverMessage(
  h: Harness,
  mode: "http" | "socket",
  m: StoredMessage,
  opts: { channel?: string; eventId?: string; retryNum?: number; channelType?: string } = {},
): Promise<void> {
  const body = eventCallback(
    messageEvent({
      channel: opts.channel ?? CHANNEL,
      ts: m.ts,
      user: m.user,
      text: m.text,
      thread_ts: m.thread_ts,
      files: m.files,
      channel_type: opts.channelType,
    }),
    { teamId: h.fake.teamId, eventId: opts.eventId },
  );
  await deliver(h, mode, body, opts.retryNum);
}

export async function deliver(
  h: Harness,
  mode: "http" | "socket",
  body: Record<string, unknown>,
  retryNum?: number,
): Promise<void> {
  if (mode === "http") {
    const res = await postSigned(h.eventsUrl, JSON.stringify(body), { secret: SIGNING_SECRET, retryNum });
    if (res.status !== 200) throw new Error(`event refused: HTTP ${res.status}`);
    return;
  }
  await h.fake.sendEnvelope("events_api", body, { retryAttempt: retryNum });
}

/** Everything a person could read in a recorded post: blocks and fallback text. */
export function visibleText(call: { body: Record<string, unknown> } | undefined): string {
  return JSON.stringify({ text: call?.body.text, blocks: call?.body.blocks });
}
