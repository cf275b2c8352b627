// One change to an incident from a button (take over, resolve, reopen): apply it, then show it
// where the button was (the thread reply gets its new status line, the handoff is re-rendered)
// and in the incident's thread: a timeline line, and the reply's buttons brought up to date.
import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { type Incident, IncidentNotFoundError, type IncidentStore } from "../../../incidents/index.js";
import type { BotDeps } from "../../deps.js";
import { parseActionValue, peopleOf, statusLine } from "../../render/incident-actions.js";
import type { Block } from "../../render/limits.js";
import type { TimelineEvent } from "../../render/timeline.js";
import { postTimeline } from "../../services/timeline.js";
import {
  GONE,
  handoffReplacement,
  incidentFor,
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
  /** The line the change leaves in the incident's thread. */
  timeline: Extract<TimelineEvent, { kind: "took-over" | "resolved" | "reopened" }>["kind"];
}

export async function onIncidentChange(args: ButtonArgs, deps: BotDeps, change: IncidentChange) {
  const { action, body, ack, respond, client, context, logger } = args;
  await ack();
  const v = parseActionValue(action.value);
  if (!v) return tellUser(respond, logger, UNREADABLE);
  if (!deps.store) return tellUser(respond, logger, NO_STORE);
  const user = body.user.id;
  const channel = body.channel?.id ?? (body.container.channel_id as string | undefined);
  let after: Incident;
  let changed: boolean;
  try {
    // Only someone who may see the incident may change it (a button's value can be forged).
    const before = await incidentFor(client, deps, v.i, user);
    if (!before) return tellUser(respond, logger, GONE);
    after = await change.apply(deps.store, v.i, user);
    // Every change of status or owner adds to the history; none added means nothing changed.
    changed = before.history.length !== after.history.length;
  } catch (err) {
    if (err instanceof IncidentNotFoundError) return tellUser(respond, logger, GONE);
    logger.error(`could not change incident ${v.i}:`, err);
    return tellUser(respond, logger, "Sorry, I couldn't record that just now. Try again in a moment.");
  }
  if (!changed) return tellUser(respond, logger, change.unchanged);
  const me = { botId: context.botId, botUserId: context.botUserId };

  if (v.w === "handoff") {
    await respond(await handoffReplacement(client, deps, v, user, channel)).catch((err: Error) =>
      logger.warn(`could not refresh the handoff: ${err.message}`),
    );
    // The reply in the incident's thread carries the buttons too: they show the change as well.
    await refreshThreadReply(client, deps, after.id, { me }).catch((err: Error) =>
      logger.warn(`could not update the thread reply: ${err.message}`),
    );
  } else {
    const message = body.message;
    try {
      if (!channel || !message) throw new Error("the button's message did not come with it");
      const seen = message.blocks ? { text: message.text, blocks: message.blocks as Block[] } : undefined;
      await refreshThreadReply(client, deps, v.i, { channel, ts: message.ts }, seen);
    } catch (err) {
      // The change is recorded; if the reply can't show it, the person who pressed still learns of it.
      logger.warn(`could not update the thread reply: ${(err as Error).message}`);
      const names = await deps.people.names(client, peopleOf(after));
      await tellUser(respond, logger, `Recorded. ${statusLine(after, names)}`);
    }
  }
  await postTimeline(client, deps, after, { kind: change.timeline, by: user });
}
