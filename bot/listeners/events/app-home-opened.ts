// The App Home tab: what Tattletale reads, how to use it, the latest incidents the viewer may see
// (visibility.ts: a DM's or a private channel's only to its members).
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import type { Incident } from "../../../incidents/index.js";
import { type BotDeps, STORE_PROBLEM } from "../../deps.js";
import { homeIncidents, homeLists, renderHome } from "../../render/home.js";
import { type PeopleNames, peopleOf } from "../../render/incident-actions.js";

type Args = AllMiddlewareArgs & SlackEventMiddlewareArgs<"app_home_opened">;

export async function onAppHomeOpened({ event, client, logger }: Args, deps: BotDeps): Promise<void> {
  if (event.tab !== "home") return;
  let latest: Incident[] = [];
  let mine: Incident[] = [];
  let names: PeopleNames | undefined;
  let storeProblem: string | undefined;
  // Users see that there is a problem, never its details (they name files): those go to the log.
  if (deps.store) {
    const health = await deps.store.health();
    if (!health.ok) {
      storeProblem = STORE_PROBLEM;
      logger.warn(`App Home: incident store not healthy: ${health.reason ?? "no reason given"}`);
    }
    try {
      const visible = await deps.visibility.visibleTo(client, await deps.store.list(), event.user);
      ({ mine, latest } = homeLists(visible, event.user, deps.now()));
      names = await deps.people.names(client, homeIncidents({ mine, latest }).flatMap(peopleOf));
    } catch (err) {
      storeProblem = STORE_PROBLEM;
      logger.error(`App Home: could not list incidents: ${(err as Error).message}`);
    }
  } else {
    storeProblem = STORE_PROBLEM;
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
