// The App Home tab: what Tattletale reads, how to use it, the latest incidents the viewer may see
// (visibility.ts: a DM's or a private channel's only to its members).
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import type { Incident } from "../../../incidents/index.js";
import type { BotDeps } from "../../deps.js";
import { homeIncidents, homeLists, renderHome } from "../../render/home.js";
import { type PeopleNames, peopleOf } from "../../render/incident-actions.js";

type Args = AllMiddlewareArgs & SlackEventMiddlewareArgs<"app_home_opened">;

export async function onAppHomeOpened({ event, client, logger }: Args, deps: BotDeps): Promise<void> {
  if (event.tab !== "home") return;
  let latest: Incident[] = [];
  let mine: Incident[] = [];
  let names: PeopleNames | undefined;
  let storeProblem: string | undefined;
  if (deps.store) {
    const health = deps.store.health();
    if (!health.ok) storeProblem = health.message ?? "the incident file could not be read";
    try {
      const visible = await deps.visibility.visibleTo(client, await deps.store.list(), event.user);
      ({ mine, latest } = homeLists(visible, event.user, deps.now()));
      names = await deps.people.names(client, homeIncidents({ mine, latest }).flatMap(peopleOf));
    } catch (err) {
      storeProblem = (err as Error).message;
    }
  } else {
    storeProblem = "the incident file could not be opened";
  }
  try {
    await client.views.publish({
      user_id: event.user,
      view: renderHome({ readable: deps.readable, latest, mine, storeProblem, names }),
    });
  } catch (err) {
    logger.error("could not publish App Home:", err);
  }
}
