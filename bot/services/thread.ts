// The messages of a Slack thread, oldest first, and what counts as a person's paste in it.
import type { webApi } from "@slack/bolt";
import { TIMELINE_BLOCK } from "../render/timeline.js";
import type { SlackFile } from "./files.js";

/** The fields of a message that matter here (events, conversations.replies, shortcut payloads). */
export interface SlackMessage {
  ts: string;
  thread_ts?: string;
  user?: string;
  bot_id?: string;
  subtype?: string;
  text?: string;
  files?: SlackFile[];
  /** Integrations often put an alert's words in attachments. */
  attachments?: Array<{ pretext?: string; title?: string; text?: string; fallback?: string }>;
  blocks?: Array<{ block_id?: string }>;
}

/** Most messages read from one thread; an incident thread longer than this is read from its start. */
export const MAX_THREAD_MESSAGES = 1000;

/** Slack timestamps (`1700000000.000100`) compared exactly, without floating point. */
export function compareTs(a: string, b: string): number {
  const [as = "0", au = "0"] = a.split(".");
  const [bs = "0", bu = "0"] = b.split(".");
  return Number(as) - Number(bs) || Number(au.padEnd(6, "0")) - Number(bu.padEnd(6, "0"));
}

export function tsToMs(ts: string): number {
  const n = Number(ts);
  return Number.isFinite(n) ? Math.round(n * 1000) : 0;
}

export async function fetchThread(
  client: webApi.WebClient,
  channel: string,
  threadTs: string,
): Promise<SlackMessage[]> {
  const out: SlackMessage[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.conversations.replies({ channel, ts: threadTs, limit: 200, cursor });
    out.push(...((page.messages ?? []) as SlackMessage[]));
    cursor = page.response_metadata?.next_cursor || undefined;
  } while (cursor && out.length < MAX_THREAD_MESSAGES);
  return out.sort((a, b) => compareTs(a.ts, b.ts));
}

export interface BotIdentity {
  botId?: string;
  botUserId?: string;
}

export function isOurs(m: SlackMessage, me: BotIdentity): boolean {
  return (
    (m.bot_id !== undefined && m.bot_id === me.botId) || (m.user !== undefined && m.user === me.botUserId)
  );
}

/** A person's message worth reading: not a bot's, not a join/leave/edit notice. */
export function isHumanPaste(m: SlackMessage): boolean {
  if (m.bot_id || m.subtype === "bot_message") return false;
  return m.subtype === undefined || m.subtype === "file_share" || m.subtype === "thread_broadcast";
}

/** An integration's message (a monitoring alert): a bot's, not ours. */
export function isIntegrationMessage(m: SlackMessage, me: BotIdentity): boolean {
  return typeof m.bot_id === "string" && !isOurs(m, me);
}

/** Worth reading: a person's paste, or an alert of an integration the channel allows (by bot id). */
export function isReadable(m: SlackMessage, allowBots: readonly string[] = []): boolean {
  if (isHumanPaste(m)) return true;
  return (
    typeof m.bot_id === "string" &&
    allowBots.includes(m.bot_id) &&
    (m.subtype === undefined || m.subtype === "bot_message" || m.subtype === "file_share")
  );
}

/** What a message says: its text, and for an integration's alert its attachments' words too. */
export function messageText(m: SlackMessage): string {
  if (!m.bot_id || !m.attachments?.length) return m.text ?? "";
  const parts = [m.text ?? ""];
  for (const a of m.attachments) parts.push(a.pretext ?? "", a.title ?? "", a.text ?? a.fallback ?? "");
  return parts.filter((p) => p.trim() !== "").join("\n");
}

/** A timeline line of ours (not a reply to update). */
export function isTimelineLine(m: SlackMessage): boolean {
  return m.blocks?.[0]?.block_id === TIMELINE_BLOCK;
}
