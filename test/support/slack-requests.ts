// Requests as Slack sends them to an HTTP-mode app: signed bodies for events, commands and
// interactions, plus builders for the payloads (shared by the HTTP and Socket Mode tests).
import { createHmac } from "node:crypto";

export function signature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

export interface SignedOptions {
  secret: string;
  contentType?: string;
  /** Seconds since the epoch; default now. */
  timestamp?: number;
  retryNum?: number;
  /** Skip the signature headers entirely. */
  unsigned?: boolean;
  /** Sign this body but send `body` (a tampered request). */
  signedBody?: string;
}

export async function postSigned(url: string, body: string, opts: SignedOptions): Promise<Response> {
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    "Content-Type": opts.contentType ?? "application/json",
  };
  if (!opts.unsigned) {
    headers["X-Slack-Request-Timestamp"] = String(timestamp);
    headers["X-Slack-Signature"] = signature(opts.secret, timestamp, opts.signedBody ?? body);
  }
  if (opts.retryNum !== undefined) {
    headers["X-Slack-Retry-Num"] = String(opts.retryNum);
    headers["X-Slack-Retry-Reason"] = "http_timeout";
  }
  return fetch(url, { method: "POST", headers, body });
}

export const FORM = "application/x-www-form-urlencoded";

let eventCounter = 0;

/** The Events API body around an event. */
export function eventCallback(
  event: Record<string, unknown>,
  opts: { teamId: string; eventId?: string; botUserId?: string },
): Record<string, unknown> {
  eventCounter += 1;
  return {
    token: "legacy-verification-token",
    team_id: opts.teamId,
    api_app_id: "AFAKE",
    event,
    type: "event_callback",
    event_id: opts.eventId ?? `Ev${Date.now()}${eventCounter}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      { enterprise_id: null, team_id: opts.teamId, user_id: opts.botUserId ?? "UTATTLE", is_bot: true },
    ],
  };
}

export function messageEvent(m: {
  channel: string;
  ts: string;
  user?: string;
  text?: string;
  thread_ts?: string;
  files?: unknown[];
  channel_type?: string;
}): Record<string, unknown> {
  return {
    type: "message",
    channel: m.channel,
    user: m.user ?? "UPERSON",
    text: m.text ?? "",
    ts: m.ts,
    event_ts: m.ts,
    channel_type: m.channel_type ?? "channel",
    client_msg_id: `cm-${m.ts}`,
    ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
    ...(m.files ? { files: m.files, subtype: "file_share", upload: true } : {}),
  };
}

export function commandFields(f: {
  text: string;
  teamId: string;
  channel: string;
  user?: string;
  responseUrl: string;
}): Record<string, string> {
  return {
    token: "legacy",
    team_id: f.teamId,
    team_domain: "fake",
    channel_id: f.channel,
    channel_name: "ops",
    user_id: f.user ?? "UPERSON",
    user_name: "person",
    command: "/tattle",
    text: f.text,
    api_app_id: "AFAKE",
    response_url: f.responseUrl,
    trigger_id: "1.2.trigger",
  };
}

export function formBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

export function interactiveBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export function messageShortcut(f: {
  teamId: string;
  channel: string;
  message: Record<string, unknown>;
  user?: string;
  responseUrl: string;
}): Record<string, unknown> {
  return {
    type: "message_action",
    token: "legacy",
    action_ts: String(Date.now() / 1000),
    team: { id: f.teamId, domain: "fake" },
    user: { id: f.user ?? "UPERSON", username: "person", team_id: f.teamId, name: "person" },
    channel: { id: f.channel, name: "ops" },
    is_enterprise_install: false,
    callback_id: "diagnose_message",
    trigger_id: "1.2.trigger",
    response_url: f.responseUrl,
    message_ts: f.message.ts,
    message: { type: "message", ...f.message },
  };
}

export function blockAction(f: {
  teamId: string;
  channel: string;
  actionId: string;
  value: string;
  user?: string;
  responseUrl: string;
  messageTs?: string;
  blockId?: string;
}): Record<string, unknown> {
  return {
    type: "block_actions",
    team: { id: f.teamId, domain: "fake" },
    user: { id: f.user ?? "UPERSON", username: "person", team_id: f.teamId },
    api_app_id: "AFAKE",
    token: "legacy",
    container: {
      type: "message",
      message_ts: f.messageTs ?? "1.1",
      channel_id: f.channel,
      is_ephemeral: !f.messageTs,
    },
    trigger_id: "1.2.trigger",
    channel: { id: f.channel, name: "ops" },
    response_url: f.responseUrl,
    actions: [
      {
        type: "button",
        action_id: f.actionId,
        block_id: f.blockId ?? "b",
        value: f.value,
        text: { type: "plain_text", text: "x" },
        action_ts: String(Date.now() / 1000),
      },
    ],
  };
}
