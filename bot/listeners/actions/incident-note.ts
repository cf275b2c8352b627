// "Add note": opens the note modal (views.open with the button's trigger_id). The submission is
// handled in views/note-modal.ts; the modal remembers where to show the note afterwards.

import { MAX_NOTE_LENGTH } from "../../../incidents/index.js";
import type { BotDeps } from "../../deps.js";
import { type NoteModalMeta, parseActionValue, renderNoteModal } from "../../render/incident-actions.js";
import type { ButtonArgs } from "./incident-change.js";
import { GONE, NO_STORE, tellUser, UNREADABLE } from "./incident-shared.js";

export async function onAddNote(
  { action, body, ack, respond, client, logger }: ButtonArgs,
  deps: BotDeps,
): Promise<void> {
  await ack();
  const v = parseActionValue(action.value);
  if (!v) return tellUser(respond, logger, UNREADABLE);
  if (!deps.store) return tellUser(respond, logger, NO_STORE);
  const incident = await deps.store.get(v.i);
  if (!incident) return tellUser(respond, logger, GONE);
  const channel = body.channel?.id ?? (body.container.channel_id as string | undefined);
  const meta: NoteModalMeta =
    v.w === "handoff"
      ? { ...v, r: body.response_url, ...(channel ? { c: channel } : {}) }
      : { ...v, ...(channel && body.message ? { c: channel, t: body.message.ts } : {}) };
  try {
    await client.views.open({
      trigger_id: body.trigger_id,
      view: renderNoteModal(incident, meta, MAX_NOTE_LENGTH),
    });
  } catch (err) {
    // trigger_id lives 3 seconds; a slow moment costs the modal, so say so.
    logger.warn(`could not open the note modal: ${(err as Error).message}`);
    await tellUser(respond, logger, "Sorry, I couldn't open the note form in time. Press “Add note” again.");
  }
}
