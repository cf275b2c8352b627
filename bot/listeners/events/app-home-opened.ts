// The App Home tab: what Tattletale reads, how to use it, the latest incidents.
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import type { Incident } from "../../../incidents/index.js";
import type { BotDeps } from "../../deps.js";
import { homeLists, renderHome } from "../../render/home.js";

type Args = AllMiddlewareArgs & SlackEventMiddlewareArgs<"app_home_opened">;

export async function onAppHomeOpened({ event, client, logger }: Args, deps: BotDeps): Promise<void> {
  if (event.tab !== "home") return;
  let latest: Incident[] = [];
  let mine: Incident[] = [];
  let storeProblem: string | undefined;
  if (deps.store) {
    const health = deps.store.health();
    if (!health.ok) storeProblem = health.message ?? "the incident file could not be read";
    try {
      ({ mine, latest } = homeLists(await deps.store.list(), event.user, Date.now()));
    } catch (err) {
      storeProblem = (err as Error).message;
    }
  } else {
    storeProblem = "the incident file could not be opened";
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
