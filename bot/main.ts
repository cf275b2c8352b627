// `npm start`: validate the configuration, open the incident store (refusing to start when another
// process writes it), start the bot, and stop it gracefully on SIGTERM or SIGINT.
import { LogLevel } from "@slack/bolt";
import { type IncidentStore, StoreLockedError } from "../incidents/index.js";
import { createBot } from "./app.js";
import { ConfigError, loadConfig } from "./config.js";
import { logLevelOf, RedactingLogger } from "./logger.js";
import { openConfiguredStore } from "./open-store.js";
import { guardProcess } from "./process-guards.js";
import { redactSecrets } from "./redact.js";

/** The secret variables' values as set, before validation, for redacting a configuration error. */
function secretEnvValues(env: NodeJS.ProcessEnv): string[] {
  return [env.SLACK_BOT_TOKEN, env.SLACK_APP_TOKEN, env.SLACK_SIGNING_SECRET, env.TATTLETALE_DATABASE_URL]
    .map((v) => v?.trim() ?? "")
    .filter((v) => v.length > 0);
}

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    // The message names variables, never values; redact anyway (by shape, and the raw values of the
    // secret variables, valid or not) in case a value slipped into one.
    const message = err instanceof ConfigError ? err.message : String(err);
    process.stderr.write(`${redactSecrets(message, secretEnvValues(process.env))}\n`);
    process.exit(2);
  }
  const logger = new RedactingLogger(config.secrets, logLevelOf(config.logLevel));
  guardProcess(process, logger);

  let store: IncidentStore | undefined;
  try {
    store = await openConfiguredStore(config, logger);
    const health = await store.health();
    if (!health.ok) logger.error(`incident store: ${health.reason ?? "not healthy"}`);
  } catch (err) {
    if (err instanceof StoreLockedError) {
      // A second bot on the same file would lose the first one's incidents: refuse to start.
      logger.error(`Tattletale cannot start: ${err.message}`);
      process.exit(2);
    }
    if (config.databaseUrl) {
      // Replicas without their shared store would each answer alone: refuse to start.
      logger.error(
        `Tattletale cannot start: the database store could not be opened: ${(err as Error).message}`,
      );
      process.exit(2);
    }
    logger.error("could not open the incident store; answering pastes without recording them:", err);
  }

  const bot = createBot(config, { logger, store, outbox: { leaseMs: config.taskLeaseMs } });

  // SIGTERM: stop taking events, let the running ones and the outbox's tasks finish (what is left
  // stays in the store for the next start), close the store, exit. A second signal, or the
  // deadline, stops at once: everything acknowledged is already in the store.
  let stopping = false;
  const force = (why: string) => {
    logger.warn(`${why}: stopping now; unfinished tasks stay in the store for the next start`);
    process.exit(1);
  };
  const stop = async (signal: string) => {
    if (stopping) return force(`${signal} again`);
    stopping = true;
    logger.info(`${signal}: stopping (taking no more events, finishing what is running)`);
    setTimeout(
      () => force(`still stopping after ${config.stopTimeoutMs} ms`),
      config.stopTimeoutMs + 2000,
    ).unref();
    const { drained } = await bot.stop({ deadlineMs: config.stopTimeoutMs }).catch((err: Error) => {
      logger.warn(`stop: ${err.message}`);
      return { drained: false };
    });
    const pending = await store
      ?.stats()
      .then((s) => s.pendingTasks)
      .catch(() => undefined);
    await store?.close().catch((err: Error) => logger.warn(`store close: ${err.message}`));
    logger.info(
      `stopped${drained ? "" : " (some work was cut short)"}${pending ? `; ${pending} task(s) left for the next start` : ""}`,
    );
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));

  try {
    const { port } = await bot.start();
    logger.info(
      config.mode === "http"
        ? `Tattletale is running in HTTP mode on port ${port}`
        : "Tattletale is running in Socket Mode",
    );
    const pending = await store?.stats().catch(() => undefined);
    if (pending?.pendingTasks)
      logger.info(`${pending.pendingTasks} task(s) left by the last run are being done`);
  } catch (err) {
    const code = (err as { data?: { error?: string } }).data?.error;
    const hint =
      code === "invalid_auth" || code === "not_authed"
        ? " (Slack rejected SLACK_BOT_TOKEN or SLACK_APP_TOKEN: check them)"
        : "";
    logger.error(`could not start${hint}:`, err);
    await store?.close().catch(() => undefined);
    process.exit(1);
  }
  if (logger.getLevel() === LogLevel.DEBUG)
    logger.warn("LOG_LEVEL=debug logs Slack payloads, which hold what people pasted (tokens stay redacted)");
}

void main();
