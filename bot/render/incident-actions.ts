// The incident controls shared by thread replies and the handoff: take over, resolve (or reopen),
// add a note, and the status line that says where an incident stands. Pure: Block Kit in, out.
import type { types } from "@slack/bolt";
import { z } from "zod";
import type { Incident, IncidentStatus, Note } from "../../incidents/index.js";
import { FEEDBACK_BLOCK_ID } from "./diagnosis.js";
import { escapeMrkdwn } from "./escape.js";
import { type Block, context, fitBlocks, LIMITS, mrkdwnSection, truncate } from "./limits.js";

export const INCIDENT_TAKE_OVER = "incident_take_over";
export const INCIDENT_RESOLVE = "incident_resolve";
export const INCIDENT_REOPEN = "incident_reopen";
export const INCIDENT_NOTE = "incident_note";
export const INCIDENT_ACTION_IDS = [INCIDENT_TAKE_OVER, INCIDENT_RESOLVE, INCIDENT_REOPEN, INCIDENT_NOTE];

/** block_id of the status line and of the buttons on a thread reply (replaced after each action). */
export const INCIDENT_STATUS_BLOCK = "incident_status";
export const INCIDENT_ACTIONS_BLOCK = "incident_actions";

/**
 * What an incident button carries. `w` is where the button sits, so the handler knows what to
 * refresh afterwards: a thread reply (chat.update) or a handoff (re-rendered for the same window
 * `s`, epoch ms; `p`, who shared it, when it is the copy posted to a channel).
 */
export const IncidentActionValue = z.object({
  i: z.string().min(1),
  w: z.enum(["thread", "handoff"]),
  s: z.number().optional(),
  p: z.string().optional(),
});
export type IncidentActionValue = z.infer<typeof IncidentActionValue>;

export function encodeActionValue(v: IncidentActionValue): string {
  return JSON.stringify(v);
}

export function parseActionValue(value: string | undefined): IncidentActionValue | null {
  try {
    const parsed = IncidentActionValue.safeParse(JSON.parse(value ?? ""));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** `<@U123>` for a Slack user id; anything else (a CLI name, a migrated value) escaped as text. */
export function userRef(id: string): string {
  return /^[UW][A-Z0-9]+$/.test(id) ? `<@${id}>` : escapeMrkdwn(id);
}

/** `<#C123>` so Slack shows the channel's name; a DM is not named (it would mean nothing to others). */
export function channelRef(id: string): string {
  if (/^D[A-Z0-9]+$/.test(id)) return "a direct message";
  return /^[CG][A-Z0-9]+$/.test(id) ? `<#${id}>` : escapeMrkdwn(id);
}

/** A note on one line, escaped and cut: `<@U1> 14:05 UTC: text`. */
export function noteLine(note: Note, max = 300): string {
  const text = truncate(escapeMrkdwn(note.text.replace(/\s+/g, " ").trim()), max);
  return `${userRef(note.author)} ${note.at.slice(11, 16)} UTC: ${text}`;
}

/** The part of an incident the controls depend on. */
export type IncidentState = Pick<Incident, "id" | "status" | "owner" | "notes" | "history">;

function resolvedBy(s: IncidentState): { by: string; at: string } | undefined {
  const last = s.history.findLast((h) => h.status === "resolved");
  return last ? { by: last.by, at: last.at } : undefined;
}

const STATUS_LABEL: Record<IncidentStatus, string> = {
  open: "🟢 *Open*",
  acknowledged: "🟡 *Acknowledged*",
  resolved: "✅ *Resolved*",
};

/** "🟡 Acknowledged · owner @ann · 2 notes, latest: …" */
export function statusLine(s: IncidentState): string {
  const parts = [STATUS_LABEL[s.status]];
  if (s.status === "resolved") {
    const r = resolvedBy(s);
    if (r) parts.push(`by ${userRef(r.by)} at ${r.at.slice(11, 16)} UTC`);
  } else {
    parts.push(s.owner ? `owner ${userRef(s.owner)}` : "no owner yet");
  }
  const latest = s.notes.at(-1);
  if (latest)
    parts.push(
      `${s.notes.length} ${s.notes.length === 1 ? "note" : "notes"}, latest ${noteLine(latest, 500)}`,
    );
  return truncate(parts.join(" · "), LIMITS.contextText);
}

function button(actionId: string, label: string, value: string, style?: "primary" | "danger") {
  return {
    type: "button" as const,
    action_id: actionId,
    text: { type: "plain_text" as const, text: label, emoji: true },
    value,
    ...(style ? { style } : {}),
  };
}

/**
 * The buttons for one incident. `viewer`, when known (an ephemeral handoff), hides "Take over"
 * from the person who already owns it; a shared message shows it to everyone.
 */
export function incidentButtons(
  s: Pick<IncidentState, "id" | "status" | "owner">,
  where: Omit<IncidentActionValue, "i">,
  viewer?: string,
) {
  const value = encodeActionValue({ i: s.id, ...where });
  const out = [];
  if (s.status !== "resolved" && !(viewer !== undefined && s.owner === viewer))
    out.push(button(INCIDENT_TAKE_OVER, "🙋 Take over", value));
  out.push(
    s.status === "resolved"
      ? button(INCIDENT_REOPEN, "↩️ Reopen", value)
      : button(INCIDENT_RESOLVE, "✅ Resolve", value, "primary"),
  );
  out.push(button(INCIDENT_NOTE, "📝 Add note", value));
  return out;
}

/** The status line and buttons a thread reply carries for its incident. */
export function threadIncidentBlocks(s: IncidentState): Block[] {
  return [
    { ...context([statusLine(s)]), block_id: INCIDENT_STATUS_BLOCK },
    { type: "actions", block_id: INCIDENT_ACTIONS_BLOCK, elements: incidentButtons(s, { w: "thread" }) },
  ];
}

/**
 * A thread reply's blocks with its incident blocks replaced by `incident` (in the same place, or
 * before the feedback question when it had none). Every other block is kept as it was.
 */
export function replaceIncidentBlocks(blocks: Block[], incident: Block[]): Block[] {
  const ours = (b: Block) => b.block_id === INCIDENT_STATUS_BLOCK || b.block_id === INCIDENT_ACTIONS_BLOCK;
  let at = blocks.findIndex(ours);
  const rest = blocks.filter((b) => !ours(b));
  if (at < 0) {
    const question = rest.findIndex(
      (b) => b.type === "context" && JSON.stringify(b.elements).includes("Was this right?"),
    );
    at = question >= 0 ? question : rest.length;
  }
  return [...rest.slice(0, at), ...incident, ...rest.slice(at)];
}

/** A diagnosis reply (not a "superseded" stub): it has the incident buttons or the feedback question. */
export function isDiagnosisReply(blocks: Block[]): boolean {
  return blocks.some((b) => b.block_id === INCIDENT_ACTIONS_BLOCK || b.block_id === FEEDBACK_BLOCK_ID);
}

/** The state a thread is in once a new paste is recorded (recordDiagnosis reopens a resolved one). */
export function stateAfterPaste(current: IncidentState | undefined, id: string): IncidentState {
  if (!current) return { id, status: "open", owner: null, notes: [], history: [] };
  return current.status === "resolved" ? { ...current, status: "open" } : current;
}

export const NOTE_MODAL = "incident_note_modal";
export const NOTE_BLOCK = "note";
export const NOTE_INPUT = "note_text";

/**
 * What the note modal remembers (private_metadata, at most 3,000 characters): the button's value,
 * plus where to show the result: the handoff's response URL `r`, or the thread reply `c`/`t`.
 */
export const NoteModalMeta = IncidentActionValue.extend({
  r: z.string().optional(),
  c: z.string().optional(),
  t: z.string().optional(),
});
export type NoteModalMeta = z.infer<typeof NoteModalMeta>;

export function parseNoteMeta(text: string | undefined): NoteModalMeta | null {
  try {
    const parsed = NoteModalMeta.safeParse(JSON.parse(text ?? ""));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The "Add note" modal: the incident as a reminder (escaped), its latest notes, a text box. */
export function renderNoteModal(
  incident: Pick<Incident, "channel" | "headline" | "notes" | "status" | "owner">,
  meta: NoteModalMeta,
  maxLength: number,
): types.ModalView {
  const headline = incident.headline
    ? truncate(escapeMrkdwn(incident.headline), 1500)
    : "_Nothing recognised in the paste._";
  const blocks: Block[] = [
    mrkdwnSection(`${channelRef(incident.channel)} · ${incident.status}\n${headline}`, "note_incident"),
  ];
  const latest = incident.notes.slice(-3);
  if (latest.length > 0) blocks.push(context(latest.map((n) => `📝 ${noteLine(n, 600)}`)));
  blocks.push({
    type: "input",
    block_id: NOTE_BLOCK,
    label: { type: "plain_text", text: "Note" },
    hint: {
      type: "plain_text",
      text: "What you found or did. Everyone who reads the handoff or the thread sees it.",
    },
    element: {
      type: "plain_text_input",
      action_id: NOTE_INPUT,
      multiline: true,
      min_length: 1,
      max_length: maxLength,
      placeholder: { type: "plain_text", text: "e.g. AV vendor ticket 4411 opened; filter driver updated" },
    },
  });
  const metadata = JSON.stringify(meta);
  return {
    type: "modal",
    callback_id: NOTE_MODAL,
    title: { type: "plain_text", text: "Add a note" },
    submit: { type: "plain_text", text: "Add note" },
    close: { type: "plain_text", text: "Cancel" },
    // A response URL too long to fit is dropped: the note is kept, only the refresh is lost.
    private_metadata: metadata.length <= 3000 ? metadata : JSON.stringify({ ...meta, r: undefined }),
    blocks: fitBlocks(blocks),
  };
}
