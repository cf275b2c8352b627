// What the incident buttons and the note modal share: the handoff as its reader may see it, and
// showing a change where the button was (the thread reply updated in place, or the handoff
// re-rendered) and in the incident's thread (the reply's buttons, a timeline line).
import type { Logger, RespondArguments, RespondFn, webApi } from "@slack/bolt";
import { type Incident, IncidentNotFoundError } from "../../../incidents/index.js";
import type { BotDeps } from "../../deps.js";
import { renderHandoff } from "../../render/handoff.js";
import {
  type IncidentActionValue,
  type IncidentState,
  isDiagnosisReply,
  type PeopleNames,
  peopleOf,
  replaceIncidentBlocks,
  statusLine,
  threadIncidentBlocks,
} from "../../render/incident-actions.js";
import type { Block } from "../../render/limits.js";
import { handoffView } from "../../services/handoff-view.js";
import { type BotIdentity, fetchThread, isOurs, type SlackMessage } from "../../services/thread.js";

const HOUR_MS = 60 * 60 * 1000;

export const NO_STORE = "The incident history is unavailable right now, so I couldn't change that.";
export const GONE = "I no longer have that incident on record (it may have been pruned).";
export const UNREADABLE = "Sorry, I couldn't read that button.";

/** An ephemeral line to whoever pressed the button, next to (not over) the message. */
export function tellUser(respond: RespondFn, logger: Logger, text: string): Promise<void> {
  return respond({ response_type: "ephemeral", replace_original: false, text })
    .then(() => undefined)
    .catch((err: Error) => logger.warn(`could not answer privately: ${err.message}`));
}

/**
 * The incident `user` asked about, when they may see it (visibility.ts); undefined otherwise, the
 * same as a pruned one, so a forged button learns nothing about other people's incidents.
 */
export async function incidentFor(
  client: webApi.WebClient,
  deps: BotDeps,
  id: string,
  user: string,
): Promise<Incident | undefined> {
  const incident = await deps.store?.get(id);
  if (!incident) return undefined;
  return (await deps.visibility.mayView(client, incident, user)) ? incident : undefined;
}

/**
 * The handoff the button sat in, re-rendered for the same window and team, as a replacement for
 * it: the private copy as `viewer` may see it, a copy posted in `channel` as all its members may.
 */
export async function handoffReplacement(
  client: webApi.WebClient,
  deps: BotDeps,
  v: Pick<IncidentActionValue, "s" | "p" | "t">,
  viewer: string,
  channel: string | undefined,
): Promise<RespondArguments> {
  const store = deps.store;
  if (!store) throw new Error("no incident store");
  const sinceMs = v.s ?? deps.now() - 12 * HOUR_MS;
  const team = v.t !== undefined ? { team: v.t } : {};
  if (v.p !== undefined) {
    const { handoff, names } = await handoffView({ ...deps, store }, client, {
      sinceMs,
      ...team,
      postIn: channel ?? "",
      alsoName: [v.p],
    });
    const rendered = renderHandoff(handoff, { sharedBy: v.p, names, ...team });
    return { replace_original: true, response_type: "in_channel", ...rendered };
  }
  const { handoff, names } = await handoffView({ ...deps, store }, client, { sinceMs, ...team, viewer });
  const rendered = renderHandoff(handoff, { viewer, names, ...team });
  return { replace_original: true, response_type: "ephemeral", ...rendered };
}

/** A thread reply's message with its status line and buttons brought up to date; nothing else changes. */
export async function updateThreadReply(
  client: webApi.WebClient,
  where: { channel: string; ts: string; text?: string; blocks: Block[] },
  incident: IncidentState,
  names: PeopleNames,
): Promise<void> {
  await client.chat.update({
    channel: where.channel,
    ts: where.ts,
    text: where.text ?? statusLine(incident, names),
    blocks: replaceIncidentBlocks(where.blocks, threadIncidentBlocks(incident, names)),
  });
}

type Reply = { ts: string; text?: string; blocks: Block[] };

/** Our reply `ts` in the incident's thread as Slack has it now, or (no `ts`) our latest diagnosis reply. */
async function findThreadReply(
  client: webApi.WebClient,
  incident: Pick<Incident, "channel" | "threadTs">,
  pick: { ts: string } | { me: BotIdentity },
): Promise<Reply | undefined> {
  const thread = (await fetchThread(client, incident.channel, incident.threadTs)) as Array<
    SlackMessage & { blocks?: Block[] }
  >;
  const m =
    "ts" in pick
      ? thread.find((x) => x.ts === pick.ts)
      : thread.filter((x) => isOurs(x, pick.me) && x.blocks && isDiagnosisReply(x.blocks)).at(-1);
  return m?.blocks ? { ts: m.ts, text: m.text, blocks: m.blocks } : undefined;
}

/**
 * Shows the incident as it is now on our reply, without ever losing its diagnosis: done while no
 * paste of the thread is being answered, on the reply as Slack has it then (`seen`, what the
 * button's payload carried, when it cannot be read), and not at all on a superseded reply. `where`
 * names the reply (`ts`), or asks for the thread's latest diagnosis reply (`me`, from a handoff).
 * Resolves with the incident shown; throws when the reply could not be updated.
 */
export async function refreshThreadReply(
  client: webApi.WebClient,
  deps: BotDeps,
  id: string,
  where: { channel: string; ts: string } | { me: BotIdentity },
  seen?: { text?: string; blocks: Block[] },
): Promise<Incident> {
  const store = deps.store;
  if (!store) throw new Error("no incident store");
  return deps.diagnoser.inThread(id, async () => {
    const incident = await store.get(id);
    if (!incident) throw new IncidentNotFoundError(id);
    const found = await findThreadReply(client, incident, "ts" in where ? { ts: where.ts } : where).catch(
      (err: Error) => {
        deps.logger.debug(`could not read the thread, using the button's copy of the reply: ${err.message}`);
        return undefined;
      },
    );
    const current = found ?? ("ts" in where && seen ? { ts: where.ts, ...seen } : undefined);
    if (!current || !isDiagnosisReply(current.blocks)) throw new Error("the reply is gone or was superseded");
    const names = await deps.people.names(client, peopleOf(incident));
    await updateThreadReply(client, { ...current, channel: incident.channel }, incident, names);
    return incident;
  });
}
