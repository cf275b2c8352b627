// The note modal's submission: the note is appended to the incident, then shown where the button
// was (the handoff re-rendered through its response URL, or the thread reply's status line).
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import type { Incident } from "../../../incidents/index.js";
import type { BotDeps } from "../../deps.js";
import { NOTE_BLOCK, NOTE_INPUT, type NoteModalMeta, parseNoteMeta } from "../../render/incident-actions.js";
import { handoffReplacement, refreshThreadReply } from "../actions/incident-shared.js";

type Args = AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>;

export async function onNoteSubmitted(
  { view, body, ack, client, logger }: Args,
  deps: BotDeps,
): Promise<void> {
  const meta = parseNoteMeta(view.private_metadata);
  const text = view.state.values[NOTE_BLOCK]?.[NOTE_INPUT]?.value ?? "";
  const refuse = (why: string) => ack({ response_action: "errors", errors: { [NOTE_BLOCK]: why } });
  if (!meta)
    return refuse("Sorry, this form lost track of its incident. Close it and press “Add note” again.");
  if (text.trim() === "") return refuse("Write something first.");
  if (!deps.store) return refuse("The incident history is unavailable right now; the note was not kept.");
  // Checked before the modal closes, so a missing incident is said in the form, not lost.
  if (!(await deps.store.get(meta.i))) return refuse("I no longer have that incident on record.");
  await ack();

  let incident: Incident;
  try {
    incident = await deps.store.appendNote(meta.i, { author: body.user.id, text });
  } catch (err) {
    logger.error(`could not keep a note on ${meta.i}:`, err);
    return void (await tellInChannel(
      client,
      meta,
      body.user.id,
      "Sorry, I couldn't keep your note. Try again.",
    ));
  }
  try {
    await showNote(client, deps, meta, incident, body.user.id);
  } catch (err) {
    logger.warn(`note kept, but not shown where it was added: ${(err as Error).message}`);
    await tellInChannel(client, meta, body.user.id, "Your note is kept.");
  }
}

async function showNote(
  client: Args["client"],
  deps: BotDeps,
  meta: NoteModalMeta,
  incident: Incident,
  user: string,
): Promise<void> {
  if (meta.w === "handoff") {
    if (!meta.r || !deps.store) throw new Error("no response URL to refresh the handoff");
    const res = await fetch(meta.r, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(await handoffReplacement(deps.store, meta, user)),
    });
    if (!res.ok) throw new Error(`response URL answered HTTP ${res.status}`);
    return;
  }
  if (!meta.c || !meta.t) throw new Error("the modal does not know the thread reply");
  await refreshThreadReply(client, deps, incident.id, { channel: meta.c, ts: meta.t });
}

/** Only the note's author sees this, in the channel the button was in (if known). */
async function tellInChannel(client: Args["client"], meta: NoteModalMeta, user: string, text: string) {
  if (!meta.c) return;
  await client.chat.postEphemeral({ channel: meta.c, user, text }).catch(() => undefined);
}
