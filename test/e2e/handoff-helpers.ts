// Shared by the handoff end-to-end suites: pressing the buttons Slack would show (block_actions
// with the message they sit in), submitting the note modal (view_submission), and reading a
// recorded handoff.
import { SIGNING_SECRET } from "../support/bot-harness.js";
import type { FakeSlack, StoredMessage } from "../support/fake-slack.js";
import { FORM, interactiveBody, postSigned } from "../support/slack-requests.js";

// biome-ignore lint/suspicious/noExplicitAny: Block Kit as sent
export type AnyBlock = any;

/** POSTs a signed interaction to the bot; resolves with the HTTP answer (an ack, maybe with a body). */
export async function interact(url: string, payload: unknown): Promise<Response> {
  const res = await postSigned(url, interactiveBody(payload), { secret: SIGNING_SECRET, contentType: FORM });
  if (res.status !== 200) throw new Error(`interaction refused: HTTP ${res.status}`);
  return res;
}

export function button(blocks: AnyBlock[] | undefined, actionId: string, near?: string): AnyBlock {
  let rows = (blocks ?? []).filter((b: AnyBlock) => b.type === "actions");
  if (near) {
    const at = (blocks ?? []).findIndex((b: AnyBlock) => b.block_id === near);
    rows = at >= 0 ? [(blocks ?? [])[at + 1]] : [];
  }
  for (const row of rows) {
    const found = row?.elements?.find((e: AnyBlock) => e.action_id === actionId);
    if (found) return found;
  }
  throw new Error(`no ${actionId} button${near ? ` after ${near}` : ""}`);
}

/** A button pressed on a message: a bot message in a channel, or (no `message`) an ephemeral one. */
export function press(f: {
  fake: FakeSlack;
  channel: string;
  button: AnyBlock;
  user: string;
  responseId: string;
  message?: StoredMessage;
  triggerId?: string;
}): Record<string, unknown> {
  return {
    type: "block_actions",
    team: { id: f.fake.teamId, domain: "fake" },
    user: { id: f.user, username: f.user.toLowerCase(), team_id: f.fake.teamId },
    api_app_id: "AFAKE",
    token: "legacy",
    container: {
      type: "message",
      message_ts: f.message?.ts ?? "1.1",
      channel_id: f.channel,
      is_ephemeral: !f.message,
    },
    trigger_id: f.triggerId ?? `trigger-${f.responseId}`,
    channel: { id: f.channel, name: "ops" },
    response_url: f.fake.responseUrl(f.responseId),
    ...(f.message
      ? { message: { type: "message", ts: f.message.ts, text: f.message.text, blocks: f.message.blocks } }
      : {}),
    actions: [
      {
        type: "button",
        action_id: f.button.action_id,
        block_id: "b",
        value: f.button.value,
        text: f.button.text,
        action_ts: String(Date.now() / 1000),
      },
    ],
  };
}

/** A modal `id` submitted as Slack sends it: the view opened, with this state's values. */
export function viewSubmission(fake: FakeSlack, view: AnyBlock, user: string, id: string, values: unknown) {
  return {
    type: "view_submission",
    team: { id: fake.teamId, domain: "fake" },
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: fake.teamId },
    api_app_id: "AFAKE",
    token: "legacy",
    trigger_id: "trigger-submit",
    view: {
      ...view,
      id,
      team_id: fake.teamId,
      app_id: "AFAKE",
      bot_id: fake.botId,
      hash: "h",
      root_view_id: id,
      previous_view_id: null,
      clear_on_close: false,
      notify_on_close: false,
      state: { values },
    },
  };
}

/** The note modal submitted with `text`, as Slack sends it: the view opened, plus its state. */
export function submitNote(fake: FakeSlack, view: AnyBlock, user: string, text: string) {
  return viewSubmission(fake, view, user, "VNOTE", {
    note: { note_text: { type: "plain_text_input", value: text } },
  });
}

/** The incident ids a handoff lists, in its order (open ones, then resolved ones). */
export function handoffOrder(blocks: AnyBlock[] | undefined): string[] {
  return (blocks ?? [])
    .map((b: AnyBlock) => String(b.block_id ?? ""))
    .filter((id: string) => id.startsWith("handoff:") || id.startsWith("handoff_resolved:"))
    .map((id: string) => id.slice(id.indexOf(":") + 1));
}

/** A handoff's blocks with what moves with the clock (ages, the window's start) masked. */
export function stableHandoff(blocks: AnyBlock[] | undefined): string {
  return JSON.stringify(blocks)
    .replace(/\d{4}-\d\d-\d\d \d\d:\d\d UTC/g, "<time>")
    .replace(/(under a minute|\d+[dhm]( \d+[hm])?)( ago)/g, "<age>$3")
    .replace(/ for (under a minute|\d+[dhm]( \d+[hm])?)/g, " for <age>")
    .replace(/"s\\":\d+/g, '"s\\":<since>');
}
