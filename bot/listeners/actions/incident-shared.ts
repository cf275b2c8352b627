// What the incident buttons and the note modal share: loading the handoff, and showing the result
// where the button was (the thread reply updated in place, or the handoff re-rendered).
import type { Logger, RespondArguments, RespondFn, webApi } from "@slack/bolt";
import {
  buildHandoff,
  type Handoff,
  type Incident,
  IncidentNotFoundError,
  type IncidentStore,
} from "../../../incidents/index.js";
import type { BotDeps } from "../../deps.js";
import { renderHandoff } from "../../render/handoff.js";
import {
  type IncidentActionValue,
  type IncidentState,
  isDiagnosisReply,
  replaceIncidentBlocks,
  statusLine,
  threadIncidentBlocks,
} from "../../render/incident-actions.js";
import type { Block } from "../../render/limits.js";
import { fetchThread } from "../../services/thread.js";

const HOUR_MS = 60 * 60 * 1000;

export const NO_STORE = "The incident history is unavailable right now, so I couldn't change that.";
export const GONE = "I no longer have that incident on record (it may have been pruned).";
export const UNREADABLE = "Sorry, I couldn't read that button.";

/** The handoff from `sinceMs` to now, from the same builder as `tattletale handoff`. */
export async function loadHandoff(store: IncidentStore, sinceMs: number): Promise<Handoff> {
  const nowMs = store.now?.() ?? Date.now();
  return buildHandoff(await store.list(), { sinceMs, nowMs });
}

/** An ephemeral line to whoever pressed the button, next to (not over) the message. */
export function tellUser(respond: RespondFn, logger: Logger, text: string): Promise<void> {
  return respond({ response_type: "ephemeral", replace_original: false, text })
    .then(() => undefined)
    .catch((err: Error) => logger.warn(`could not answer privately: ${err.message}`));
}

/** The handoff the button sat in, re-rendered for the same window, as a replacement for it. */
export async function handoffReplacement(
  store: IncidentStore,
  v: Pick<IncidentActionValue, "s" | "p">,
  viewer: string,
): Promise<RespondArguments> {
  const h = await loadHandoff(store, v.s ?? (store.now?.() ?? Date.now()) - 12 * HOUR_MS);
  const rendered = renderHandoff(h, v.p ? { sharedBy: v.p } : { viewer });
  return { replace_original: true, response_type: v.p ? "in_channel" : "ephemeral", ...rendered };
}

/** A thread reply's message with its status line and buttons brought up to date; nothing else changes. */
export async function updateThreadReply(
  client: webApi.WebClient,
  where: { channel: string; ts: string; text?: string; blocks: Block[] },
  incident: IncidentState,
): Promise<void> {
  await client.chat.update({
    channel: where.channel,
    ts: where.ts,
    text: where.text ?? statusLine(incident),
    blocks: replaceIncidentBlocks(where.blocks, threadIncidentBlocks(incident)),
  });
}

/** Our reply `ts` in the incident's thread, as Slack has it now. */
async function findThreadReply(
  client: webApi.WebClient,
  incident: Pick<Incident, "channel" | "threadTs">,
  ts: string,
): Promise<{ text?: string; blocks: Block[] } | undefined> {
  const thread = await fetchThread(client, incident.channel, incident.threadTs);
  const m = thread.find((x) => x.ts === ts) as { text?: string; blocks?: Block[] } | undefined;
  return m?.blocks ? { text: m.text, blocks: m.blocks } : undefined;
}

/**
 * Shows the incident as it is now on our reply `where.ts`, without ever losing its diagnosis: done
 * while no paste of the thread is being answered, on the reply as Slack has it then (`seen`, what
 * the button's payload carried, when it cannot be read), and not at all on a superseded reply.
 * Resolves with the incident shown; throws when the reply could not be updated.
 */
export async function refreshThreadReply(
  client: webApi.WebClient,
  deps: BotDeps,
  id: string,
  where: { channel: string; ts: string },
  seen?: { text?: string; blocks: Block[] },
): Promise<Incident> {
  const store = deps.store;
  if (!store) throw new Error("no incident store");
  return deps.diagnoser.inThread(id, async () => {
    const incident = await store.get(id);
    if (!incident) throw new IncidentNotFoundError(id);
    const current =
      (await findThreadReply(client, incident, where.ts).catch((err: Error) => {
        deps.logger.debug(`could not read the thread, using the button's copy of the reply: ${err.message}`);
        return undefined;
      })) ?? seen;
    if (!current || !isDiagnosisReply(current.blocks)) throw new Error("the reply is gone or was superseded");
    await updateThreadReply(client, { ...where, ...current }, incident);
    return incident;
  });
}
