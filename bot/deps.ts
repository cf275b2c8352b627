// What every listener gets besides Bolt's arguments: the core, the store and the services.
import type { Logger } from "@slack/bolt";
import {
  type ChannelSettings,
  channelSettings,
  emptySettings,
  type IncidentStore,
} from "../incidents/index.js";
import type { KnowledgeBase } from "../kb/index.js";
import type { Config } from "./config.js";
import type { TtlSet } from "./dedupe.js";
import type { People } from "./services/people.js";
import type { ThreadDiagnoser } from "./services/thread-diagnosis.js";
import type { Visibility } from "./services/visibility.js";

export interface BotDeps {
  config: Config;
  kb: KnowledgeBase;
  /** Absent when the incident file could not be opened: the bot still answers pastes. */
  store?: IncidentStore;
  logger: Logger;
  diagnoser: ThreadDiagnoser;
  /** Event ids already handled while the store could not record them (Slack retries). */
  seen: TtlSet;
  /** One paragraph on what Tattletale reads. */
  readable: string;
  /** Display names (users.info, cached): the bot names people, it never mentions them. */
  people: People;
  /** Who may see which incident (conversations.info and .members, cached). */
  visibility: Visibility;
  /** The clock (epoch ms). */
  now: () => number;
}

/** What Slack users are told of a store problem: never its details (paths), which go to the log. */
export const STORE_PROBLEM = "it cannot be read or saved right now; the bot's log says why";

/** Slack's error code of a failed Web API call (`not_in_channel`…), if it is one. */
export function slackErrorCode(err: unknown): string | undefined {
  const data = (err as { data?: { error?: unknown } } | undefined)?.data;
  return typeof data?.error === "string" ? data.error : undefined;
}

/** A channel's settings (the defaults, today's behaviour, when none are set or the store is away). */
export async function channelSettingsOf(
  deps: Pick<BotDeps, "store" | "logger">,
  channel: string,
): Promise<ChannelSettings> {
  if (!deps.store) return channelSettings(emptySettings(), channel);
  try {
    return channelSettings(await deps.store.getSettings(), channel);
  } catch (err) {
    deps.logger.warn(`could not read the channel's settings, using the defaults: ${(err as Error).message}`);
    return channelSettings(emptySettings(), channel);
  }
}
