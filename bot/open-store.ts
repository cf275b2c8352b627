// Opens the store the configuration names: PostgreSQL when TATTLETALE_DATABASE_URL is set (shared by
// replicas; a database still starting or out of reach is waited for, with a back-off, since a
// replica that cannot store a paste must not take events), else the lowdb file.
import type { Logger } from "@slack/bolt";
import {
  type IncidentStore,
  isConnectionError,
  openPgStore,
  openStore,
  StoreUnavailableError,
} from "../incidents/index.js";
import type { Config } from "./config.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function openConfiguredStore(config: Config, logger: Logger): Promise<IncidentStore> {
  const notice = (message: string) => logger.warn(`incident store: ${message}`);
  if (!config.databaseUrl)
    return openStore({
      path: config.dbPath,
      retentionDays: config.retentionDays,
      keepRawText: config.keepRawText,
      notice,
    });
  let delayMs = 1000;
  for (;;) {
    try {
      return await openPgStore({
        url: config.databaseUrl,
        schema: config.databaseSchema,
        retentionDays: config.retentionDays,
        keepRawText: config.keepRawText,
        notice,
      });
    } catch (err) {
      if (!(err instanceof StoreUnavailableError) && !isConnectionError(err)) throw err;
      logger.warn(
        `the database cannot be reached (${(err as Error).message}); trying again in ${delayMs / 1000} s`,
      );
      await sleep(delayMs);
      delayMs = Math.min(delayMs * 2, 30_000);
    }
  }
}
