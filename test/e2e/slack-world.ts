// Shared by the suites of issue 15 (visibility, settings, the timeline, edits and files): people
// typing a slash command, pasting where they are (with the channel_type Slack sends), submitting a
// modal, and reading back what the bot left in a thread.
import { expect } from "vitest";
import { type Harness, SIGNING_SECRET } from "../support/bot-harness.js";
import type { FakeSlack, StoredMessage } from "../support/fake-slack.js";
import {
  commandFields,
  eventCallback,
  FORM,
  formBody,
  messageEvent,
  postSigned,
} from "../support/slack-requests.js";
import { type AnyBlock, viewSubmission } from "./handoff-helpers.js";
import { deliver, slackEscape } from "./helpers.js";

/** `/tattle TEXT` typed by `user` in `channel`; resolves with the first answer to its response URL. */
export async function command(
  h: Harness,
  f: { text: string; responseId: string; user: string; channel: string; triggerId?: string },
) {
  // The channel a command is typed in exists in the workspace.
  h.fake.knowConversation(f.channel);
  const fields = {
    ...commandFields({
      text: f.text,
      teamId: h.fake.teamId,
      channel: f.channel,
      user: f.user,
      responseUrl: h.fake.responseUrl(f.responseId),
    }),
    trigger_id: f.triggerId ?? `trigger-${f.responseId}`,
  };
  const res = await postSigned(h.eventsUrl, formBody(fields), { secret: SIGNING_SECRET, contentType: FORM });
  expect(res.status).toBe(200);
}

/** The answers sent to one response URL. */
export const responsesTo = (h: Harness, id: string) => h.fake.responses.filter((r) => r.id === id);

/** `/tattle TEXT`, then its first answer. */
export async function commandAnswer(
  h: Harness,
  f: { text: string; responseId: string; user: string; channel: string },
) {
  await command(h, f);
  return h.fake.waitFor(() => responsesTo(h, f.responseId)[0], 15_000, `response ${f.responseId}`);
}

/** Slack's channel_type for a message event in a conversation of this kind. */
export function channelTypeOf(fake: FakeSlack, channel: string): string {
  return { public: "channel", private: "group", im: "im", mpim: "mpim" }[fake.kindOf(channel)];
}

/** A person's paste, stored and delivered as Slack would; resolves once its incident is on file. */
export async function paste(
  h: Harness,
  f: { channel: string; user: string; text: string; threadTs?: string },
): Promise<{ message: StoredMessage; incidentId: string }> {
  const message = h.fake.addMessage(f.channel, {
    user: f.user,
    text: slackEscape(f.text),
    ...(f.threadTs ? { thread_ts: f.threadTs } : {}),
  });
  await deliver(
    h,
    "http",
    eventCallback(
      messageEvent({
        channel: f.channel,
        ts: message.ts,
        user: f.user,
        text: message.text,
        thread_ts: f.threadTs,
        channel_type: channelTypeOf(h.fake, f.channel),
      }),
      { teamId: h.fake.teamId },
    ),
  );
  const incidentId = `${h.fake.teamId}:${f.channel}:${f.threadTs ?? message.ts}`;
  await h.fake.waitFor(async () => (await h.store.get(incidentId)) !== undefined, 15_000, "the incident");
  await settled(h);
  return { message, incidentId };
}

/**
 * Waits until the outbox holds no task: the pastes delivered so far are diagnosed and their replies
 * (and charts) posted. A delivered paste is stored before Slack's acknowledgement, so it counts.
 */
export async function settled(h: Harness): Promise<void> {
  await h.fake.waitFor(async () => (await h.store.stats()).pendingTasks === 0, 15_000, "the outbox to drain");
}

/** Waits for the bot to have logged a line holding `text` at least `times` times. */
export function waitForLogs(h: Harness, text: string, times: number): Promise<string[]> {
  return h.fake.waitFor(
    () => {
      const found = h.logs.filter((l) => l.includes(text));
      return found.length >= times ? found : undefined;
    },
    15_000,
    `${times} log lines with "${text}"`,
  );
}

/** The bot's messages in a channel, as Slack stores them now. */
export function botMessages(h: Harness, channel: string): StoredMessage[] {
  return h.fake.channelMessages(channel).filter((m) => m.bot_id === h.fake.botId);
}

/** The bot's diagnosis reply in a thread (the one with the incident buttons). */
export function replyIn(h: Harness, channel: string, threadTs: string): StoredMessage | undefined {
  return h.fake
    .thread(channel, threadTs)
    .filter((m) => m.bot_id === h.fake.botId)
    .find((m) => (m.blocks ?? []).some((b: AnyBlock) => b.block_id === "incident_actions"));
}

/** The timeline lines the bot posted in a thread, oldest first. */
export function timeline(h: Harness, channel: string, threadTs?: string): StoredMessage[] {
  return botMessages(h, channel).filter(
    (m) => m.blocks?.[0]?.block_id === "incident_timeline" && (!threadTs || m.thread_ts === threadTs),
  );
}

/** A modal submitted as Slack sends it: the view opened, with these input values. */
export function submitView(fake: FakeSlack, view: AnyBlock, user: string, values: Record<string, unknown>) {
  const state = Object.fromEntries(Object.entries(values).map(([block, v]) => [block, { value: v }]));
  return viewSubmission(fake, view, user, "VSETTINGS", state);
}

/** Waits for the bot to log a line holding `text` (how it says it handled, or skipped, an event). */
export function waitForLog(h: Harness, text: string): Promise<string> {
  return h.fake.waitFor(() => h.logs.find((l) => l.includes(text)), 15_000, `a log line with "${text}"`);
}
