// The thread is the incident's timeline: one short line per change (taken over, resolved,
// reopened, a note), posted in the incident's thread. People are named, never mentioned. Pure.
import type { RenderedMessage } from "./diagnosis.js";
import { escapeMrkdwn } from "./escape.js";
import { NO_NAMES, type PeopleNames, userRef } from "./incident-actions.js";
import { LIMITS, truncate } from "./limits.js";

/** block_id of a timeline line's one block, so it is never mistaken for a reply to update. */
export const TIMELINE_BLOCK = "incident_timeline";

export type TimelineEvent =
  | { kind: "took-over" | "resolved" | "reopened"; by: string }
  | { kind: "note"; by: string; text: string }
  /** A new paste arrived in a resolved incident's thread. */
  | { kind: "reopened-by-paste"; by: string };

/** The line, in mrkdwn (escaped). */
export function timelineText(e: TimelineEvent, names: PeopleNames = NO_NAMES): string {
  const who = userRef(e.by, names);
  switch (e.kind) {
    case "took-over":
      return `🙋 ${who} took over: owner now, acknowledged.`;
    case "resolved":
      return `✅ ${who} resolved it.`;
    case "reopened":
      return `↩️ ${who} reopened it.`;
    case "note":
      return `📝 ${who} added a note: ${truncate(escapeMrkdwn(e.text.replace(/\s+/g, " ").trim()), 1500)}`;
    case "reopened-by-paste":
      return `↩️ Reopened: ${who} pasted more after it was resolved; the reply above reads it all again.`;
  }
}

export function renderTimeline(e: TimelineEvent, names: PeopleNames = NO_NAMES): RenderedMessage {
  const line = timelineText(e, names);
  return {
    text: truncate(line, LIMITS.fallbackText),
    blocks: [
      {
        type: "context",
        block_id: TIMELINE_BLOCK,
        elements: [{ type: "mrkdwn", text: truncate(line, LIMITS.contextText) }],
      },
    ],
  };
}
