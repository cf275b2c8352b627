// The on-call handoff as Markdown, for a ticket or an email (`tattletale handoff --format md`).
import { formatAge, formatUtc, type Handoff, type HandoffItem } from "../incidents/index.js";

/**
 * User text on one line, with the characters that start emphasis, code, links, tables or HTML
 * escaped, so a note renders as written in a ticket.
 */
function md(text: string): string {
  return text
    .replace(/\s+/g, " ")
    .trim()
    .replace(/[\\`*_[\]<>|~]/g, (c) => `\\${c}`);
}

/** Notes shown per incident; the rest are counted. */
const NOTES_SHOWN = 5;

function activeLines(item: HandoffItem, index: number): string[] {
  const head = [
    `**${item.severity === "none" ? "NO FINDINGS" : item.severity.toUpperCase()}**`,
    `${item.status} ${formatAge(item.ageMs)}`,
    `#${md(item.channel)}`,
    `owner: ${item.owner ? `@${md(item.owner)}` : "nobody"}`,
  ];
  if (item.permalink) head.push(`[thread](${item.permalink.replace(/[()\s]/g, encodeURIComponent)})`);
  const lines = [
    `${index + 1}. ${head.join(" · ")}`,
    `   ${item.headline ? md(item.headline) : "_Nothing recognised in the paste._"}`,
  ];
  const hidden = item.notes.length - NOTES_SHOWN;
  if (hidden > 0) lines.push(`   - _${hidden} earlier note${hidden === 1 ? "" : "s"}_`);
  for (const note of item.notes.slice(Math.max(0, hidden))) {
    lines.push(`   - ${formatUtc(note.at).slice(11)} @${md(note.author)}: ${md(note.text)}`);
  }
  return lines;
}

function resolvedLine(item: HandoffItem, nowMs: number): string {
  const when = item.resolvedAt ? `${formatAge(Math.max(0, nowMs - Date.parse(item.resolvedAt)))} ago` : "";
  const by = item.resolvedBy ? ` by @${md(item.resolvedBy)}` : "";
  const headline = item.headline ? md(item.headline) : "nothing recognised";
  return `- resolved ${when}${by} · #${md(item.channel)} · ${headline}`;
}

export function renderHandoffMarkdown(h: Handoff): string {
  const nowMs = Date.parse(h.generatedAt);
  const window = `${formatUtc(h.since)} (${formatAge(nowMs - Date.parse(h.since))} ago)`;
  const older =
    h.olderActive > 0
      ? [
          "",
          `${h.olderActive} older open incident${h.olderActive === 1 ? " has" : "s have"} had no activity in this window; a wider window shows ${h.olderActive === 1 ? "it" : "them"}.`,
        ]
      : [];
  if (h.active.length === 0 && h.resolved.length === 0) {
    return [`No incidents since ${window}.`, ...older, ""].join("\n");
  }
  const out = [
    "# On-call handoff",
    "",
    `Since ${window}, generated ${formatUtc(h.generatedAt)}: ${h.counts.open} open, ${h.counts.acknowledged} acknowledged, ${h.counts.resolved} resolved.`,
  ];
  if (h.active.length > 0) {
    out.push("", "## Open", "");
    h.active.forEach((item, i) => {
      out.push(...activeLines(item, i));
    });
  }
  if (h.resolved.length > 0) {
    out.push("", "## Resolved", "");
    for (const item of h.resolved) out.push(resolvedLine(item, nowMs));
  }
  out.push(...older, "");
  return out.join("\n");
}
