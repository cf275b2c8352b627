// The App Home tab: what Tattletale reads, how to use it, the latest incidents.
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import type { Incident } from "../../../incidents/index.js";
import { type BotDeps, STORE_PROBLEM } from "../../deps.js";
import { homeLists, renderHome } from "../../render/home.js";

type Args = AllMiddlewareArgs & SlackEventMiddlewareArgs<"app_home_opened">;

export async function onAppHomeOpened({ event, client, logger }: Args, deps: BotDeps): Promise<void> {
  if (event.tab !== "home") return;
  let latest: Incident[] = [];
  let mine: Incident[] = [];
  let storeProblem: string | undefined;
  // Users see that there is a problem, never its details (they name files): those go to the log.
  if (deps.store) {
    const health = await deps.store.health();
    if (!health.ok) {
      storeProblem = STORE_PROBLEM;
      logger.warn(`App Home: incident store not healthy: ${health.reason ?? "no reason given"}`);
    }
    try {
      ({ mine, latest } = homeLists(await deps.store.list(), event.user, Date.now()));
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
      view: renderHome({ readable: deps.readable, latest, mine, storeProblem }),
    });
  } catch (err) {
    logger.error("could not publish App Home:", err);
  }
}
