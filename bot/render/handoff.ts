// `/tattle handoff` in Block Kit: open incidents first (as buildHandoff orders them) with their
// buttons, resolved ones after in a line each, and "Post to channel". Pure.
import { z } from "zod";
import { formatAge, formatUtc, type Handoff, type HandoffItem } from "../../incidents/index.js";
import type { RenderedMessage } from "./diagnosis.js";
import { escapeMrkdwn, mrkdwnLink } from "./escape.js";
import { channelRef, incidentButtons, noteLine, userRef } from "./incident-actions.js";
import { type Block, context, fitBlocks, header, LIMITS, mrkdwnSection, truncate } from "./limits.js";

export const HANDOFF_POST = "handoff_post";
/** block_id of an open incident's section (then its id); its buttons follow in the next block. */
export const HANDOFF_ITEM_PREFIX = "handoff:";
export const HANDOFF_RESOLVED_PREFIX = "handoff_resolved:";

/** What "Post to channel" carries: the window's start, so the shared copy covers the same span. */
export const HandoffPostValue = z.object({ s: z.number() });
export type HandoffPostValue = z.infer<typeof HandoffPostValue>;

export function parsePostValue(value: string | undefined): HandoffPostValue | null {
  try {
    const parsed = HandoffPostValue.safeParse(JSON.parse(value ?? ""));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export interface HandoffRenderOptions {
  /** Who reads it (the ephemeral copy): "Take over" is hidden on what they already own. */
  viewer?: string;
  /** The copy posted to a channel: names who shared it and has no "Post to channel" button. */
  sharedBy?: string;
  /** A warning shown under the summary (plain text, escaped here), e.g. the incident file's health. */
  notice?: string;
}

const SEVERITY: Record<HandoffItem["severity"], string> = {
  critical: "🔴 *Critical*",
  warning: "🟠 *Warning*",
  info: "🔵 *Info*",
  none: "⚪ *No findings*",
};
/** Notes shown per open incident (the latest); earlier ones are counted. */
const NOTES_SHOWN = 3;
const MAX_RESOLVED = 10;
/** Header, summary, notice, divider, the three "more" notices and the Post button. */
const FIXED_BLOCKS = 8;

function headlineOf(item: HandoffItem, max: number): string {
  return item.headline ? truncate(escapeMrkdwn(item.headline), max) : "_Nothing recognised in the paste._";
}

function threadLink(item: HandoffItem): string {
  return item.permalink ? ` · ${mrkdwnLink(item.permalink, "thread")}` : "";
}

function activeText(item: HandoffItem): string {
  const owner = item.owner
    ? `owner ${userRef(item.owner)}`
    : `_no owner_ (reported by ${userRef(item.reportedBy)})`;
  const lines = [
    `${SEVERITY[item.severity]} · ${item.status} for ${formatAge(item.ageMs)} · ${channelRef(item.channel)} · ${owner}${threadLink(item)}`,
    headlineOf(item, 700),
  ];
  const hidden = item.notes.length - NOTES_SHOWN;
  if (hidden > 0) lines.push(`_${hidden} earlier ${hidden === 1 ? "note" : "notes"}_`);
  for (const note of item.notes.slice(Math.max(0, hidden))) lines.push(`📝 ${noteLine(note, 450)}`);
  return lines.join("\n");
}

function resolvedText(item: HandoffItem, nowMs: number): string {
  const ago = item.resolvedAt ? ` ${formatAge(Math.max(0, nowMs - Date.parse(item.resolvedAt)))} ago` : "";
  const by = item.resolvedBy ? ` by ${userRef(item.resolvedBy)}` : "";
  const notes = item.notes.length ? ` · ${item.notes.length} 📝` : "";
  return `✅ resolved${ago}${by} · ${channelRef(item.channel)} · ${headlineOf(item, 300)}${notes}${threadLink(item)}`;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** How many open and resolved incidents fit in Slack's 50 blocks (open ones take two each). */
export function handoffBudget(h: Handoff): { active: number; resolved: number } {
  const room = LIMITS.blocks - FIXED_BLOCKS;
  const resolvedWanted = Math.min(h.resolved.length, MAX_RESOLVED);
  const active = Math.min(h.active.length, Math.floor((room - Math.min(resolvedWanted, 3)) / 2));
  return { active, resolved: Math.min(resolvedWanted, room - 2 * active) };
}

export function renderHandoff(h: Handoff, opts: HandoffRenderOptions = {}): RenderedMessage {
  const nowMs = Date.parse(h.generatedAt);
  const sinceMs = Date.parse(h.since);
  const window = `${formatUtc(h.since)} (${formatAge(nowMs - sinceMs)} ago)`;
  const counts = `${h.counts.open} open · ${h.counts.acknowledged} acknowledged · ${h.counts.resolved} resolved`;
  const blocks: Block[] = [header("🔁 On-call handoff")];
  blocks.push(
    context([`Since ${window} · ${counts}${opts.sharedBy ? ` · shared by ${userRef(opts.sharedBy)}` : ""}`]),
  );

  if (opts.notice) blocks.push(context([escapeMrkdwn(opts.notice)]));
  const fit = handoffBudget(h);
  if (h.active.length === 0 && h.resolved.length === 0)
    blocks.push(mrkdwnSection(`Nothing to hand over: no incidents since ${window}.`, "handoff_empty"));
  const where = { w: "handoff" as const, s: sinceMs, ...(opts.sharedBy ? { p: opts.sharedBy } : {}) };
  for (const item of h.active.slice(0, fit.active)) {
    blocks.push(mrkdwnSection(activeText(item), truncate(`${HANDOFF_ITEM_PREFIX}${item.id}`, 255)));
    blocks.push({ type: "actions", elements: incidentButtons(item, where, opts.viewer) });
  }
  const moreActive = h.active.length - fit.active;
  if (moreActive > 0)
    blocks.push(
      context([
        `…and ${plural(moreActive, "more open incident", "more open incidents")} (the least severe, then the newest): a shorter window, or \`tattletale handoff\`, lists them all.`,
      ]),
    );
  if (h.resolved.length > 0) {
    blocks.push({ type: "divider" });
    for (const item of h.resolved.slice(0, fit.resolved))
      blocks.push({
        ...context([resolvedText(item, nowMs)]),
        block_id: truncate(`${HANDOFF_RESOLVED_PREFIX}${item.id}`, 255),
      });
    const moreResolved = h.resolved.length - fit.resolved;
    if (moreResolved > 0)
      blocks.push(
        context([`…and ${plural(moreResolved, "more resolved incident", "more resolved incidents")}.`]),
      );
  }
  if (h.olderActive > 0)
    blocks.push(
      context([
        `${plural(h.olderActive, "older open incident has", "older open incidents have")} had no activity in this window; \`/tattle handoff 7d\` shows more.`,
      ]),
    );
  if (!opts.sharedBy)
    blocks.push({
      type: "actions",
      block_id: "handoff_footer",
      elements: [
        {
          type: "button",
          action_id: HANDOFF_POST,
          text: { type: "plain_text", text: "📣 Post to channel", emoji: true },
          value: JSON.stringify({ s: sinceMs } satisfies HandoffPostValue),
        },
      ],
    });
  const text = truncate(`On-call handoff since ${formatUtc(h.since)}: ${counts}`, LIMITS.fallbackText);
  return { text, blocks: fitBlocks(blocks) };
}
