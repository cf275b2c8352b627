// The handoff a given reader may see: the incidents on file, narrowed to a team's channels when it
// is a team's handoff, then to what the reader may see (visibility.ts): a person for a private copy,
// every member of a channel for a copy posted there. Built by buildHandoff, like the CLI's, with
// the names of the people it mentions looked up (a posted handoff names people, never pings them).
import type { webApi } from "@slack/bolt";
import { buildHandoff, channelsOfTeam, type Handoff, type IncidentStore } from "../../incidents/index.js";
import type { PeopleNames } from "../render/incident-actions.js";
import type { People } from "./people.js";
import type { Visibility } from "./visibility.js";

export interface HandoffViewDeps {
  store: IncidentStore;
  people: People;
  visibility: Visibility;
}

export interface HandoffAudience {
  sinceMs: number;
  /** The team whose handoff it is: only its channels' incidents. */
  team?: string;
  /** The person reading a private copy: only what they may see. */
  viewer?: string;
  /** The conversation a copy is posted to: only what all its members may see. */
  postIn?: string;
  /** More people to name (who shared it). */
  alsoName?: string[];
}

export async function handoffView(
  deps: HandoffViewDeps,
  client: webApi.WebClient,
  a: HandoffAudience,
): Promise<{ handoff: Handoff; names: PeopleNames }> {
  const nowMs = deps.store.now?.() ?? Date.now();
  let incidents = await deps.store.list();
  if (a.team !== undefined) {
    const channels = new Set(channelsOfTeam(await deps.store.getSettings(), a.team));
    incidents = incidents.filter((i) => channels.has(i.channel));
  }
  if (a.viewer !== undefined) incidents = await deps.visibility.visibleTo(client, incidents, a.viewer);
  if (a.postIn !== undefined) incidents = await deps.visibility.postableIn(client, incidents, a.postIn);
  const handoff = buildHandoff(incidents, { sinceMs: a.sinceMs, nowMs });
  const ids = [...handoff.active, ...handoff.resolved].flatMap((i) => [
    i.owner,
    i.reportedBy,
    i.resolvedBy,
    ...i.notes.map((n) => n.author),
  ]);
  const names = await deps.people.names(client, [...ids, ...(a.alsoName ?? [])]);
  return { handoff, names };
}
