// Posts a timeline line in an incident's thread (bot/render/timeline.ts), naming people by display
// name. The change it reports is already recorded: a failure here is logged, never thrown.
import type { Logger, webApi } from "@slack/bolt";
import type { Incident } from "../../incidents/index.js";
import { renderTimeline, type TimelineEvent } from "../render/timeline.js";
import type { People } from "./people.js";

export async function postTimeline(
  client: webApi.WebClient,
  deps: { people: People; logger: Logger },
  incident: Pick<Incident, "channel" | "threadTs">,
  event: TimelineEvent,
): Promise<void> {
  try {
    const names = await deps.people.names(client, [event.by]);
    await client.chat.postMessage({
      channel: incident.channel,
      thread_ts: incident.threadTs,
      ...renderTimeline(event, names),
      unfurl_links: false,
      unfurl_media: false,
    });
  } catch (err) {
    deps.logger.warn(`could not post the timeline line in the thread: ${(err as Error).message}`);
  }
}
