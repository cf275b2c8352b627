// One change to an incident from a button (take over, resolve, reopen): apply it, then show it
// where the button was: the thread reply gets its new status line, the handoff is re-rendered.
import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { type Incident, IncidentNotFoundError, type IncidentStore } from "../../../incidents/index.js";
import type { BotDeps } from "../../deps.js";
import { parseActionValue, statusLine } from "../../render/incident-actions.js";
import type { Block } from "../../render/limits.js";
import {
  GONE,
  handoffReplacement,
  NO_STORE,
  refreshThreadReply,
  tellUser,
  UNREADABLE,
} from "./incident-shared.js";

export type ButtonArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;

export interface IncidentChange {
  /** Applies the change; resolves with the incident after it. */
  apply(store: IncidentStore, id: string, user: string): Promise<Incident>;
  /** Said privately when the change changed nothing (already the owner, already resolved). */
  unchanged: string;
}

export async function onIncidentChange(args: ButtonArgs, deps: BotDeps, change: IncidentChange) {
  const { action, body, ack, respond, client, logger } = args;
  await ack();
  const v = parseActionValue(action.value);
  if (!v) return tellUser(respond, logger, UNREADABLE);
  if (!deps.store) return tellUser(respond, logger, NO_STORE);
  const user = body.user.id;
  let before: Incident | undefined;
  let after: Incident;
  try {
    before = await deps.store.get(v.i);
    after = await change.apply(deps.store, v.i, user);
  } catch (err) {
    if (err instanceof IncidentNotFoundError) return tellUser(respond, logger, GONE);
    logger.error(`could not change incident ${v.i}:`, err);
    return tellUser(respond, logger, "Sorry, I couldn't record that just now. Try again in a moment.");
  }
  // Every change of status or owner adds to the history; none added means nothing changed.
  if (before && before.history.length === after.history.length)
    await tellUser(respond, logger, change.unchanged);

  if (v.w === "handoff") {
    await respond(await handoffReplacement(deps.store, v, user)).catch((err: Error) =>
      logger.warn(`could not refresh the handoff: ${err.message}`),
    );
    return;
  }
  const channel = body.channel?.id ?? (body.container.channel_id as string | undefined);
  const message = body.message;
  try {
    if (!channel || !message) throw new Error("the button's message did not come with it");
    const seen = message.blocks ? { text: message.text, blocks: message.blocks as Block[] } : undefined;
    await refreshThreadReply(client, deps, v.i, { channel, ts: message.ts }, seen);
  } catch (err) {
    // The change is recorded; if the reply can't show it, the person who pressed still learns of it.
    logger.warn(`could not update the thread reply: ${(err as Error).message}`);
    await tellUser(respond, logger, `Recorded. ${statusLine(after)}`);
  }
}
