// The App Home tab: what Tattletale reads, how to use it, the latest incidents.
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import type { BotDeps } from "../../deps.js";
import { renderHome } from "../../render/home.js";
import type { Incident } from "../../store/index.js";

type Args = AllMiddlewareArgs & SlackEventMiddlewareArgs<"app_home_opened">;

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

function newestFirst(a: Incident, b: Incident): number {
  return b.updatedAt.localeCompare(a.updatedAt);
}

export async function onAppHomeOpened({ event, client, logger }: Args, deps: BotDeps): Promise<void> {
  if (event.tab !== "home") return;
  let latest: Incident[] = [];
  let mine: Incident[] = [];
  let storeProblem: string | undefined;
  if (deps.store) {
    const health = deps.store.health();
    if (!health.ok) storeProblem = health.message ?? "the incident file could not be read";
    try {
      latest = (await deps.store.list({ sinceMs: Date.now() - WEEK_MS })).sort(newestFirst);
      mine = (await deps.store.list({ owner: event.user, status: ["open", "acknowledged"] })).sort(
        newestFirst,
      );
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
