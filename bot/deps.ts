// What every listener gets besides Bolt's arguments: the core, the store and the services.
import type { Logger } from "@slack/bolt";
import type { IncidentStore } from "../incidents/index.js";
import type { KnowledgeBase } from "../kb/index.js";
import type { Config } from "./config.js";
import type { TtlSet } from "./dedupe.js";
import type { ThreadDiagnoser } from "./services/thread-diagnosis.js";

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
}

/** What Slack users are told of a store problem: never its details (paths), which go to the log. */
export const STORE_PROBLEM = "it cannot be read or saved right now; the bot's log says why";

/** Slack's error code of a failed Web API call (`not_in_channel`…), if it is one. */
export function slackErrorCode(err: unknown): string | undefined {
  const data = (err as { data?: { error?: unknown } } | undefined)?.data;
  return typeof data?.error === "string" ? data.error : undefined;
}
