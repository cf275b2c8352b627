// `npm start`: validate the configuration, open the incident store, start the bot.
import { LogLevel } from "@slack/bolt";
import { type IncidentStore, openStore } from "../incidents/index.js";
import { createBot } from "./app.js";
import { ConfigError, loadConfig } from "./config.js";
import { logLevelOf, RedactingLogger } from "./logger.js";
import { guardProcess } from "./process-guards.js";
import { redactSecrets } from "./redact.js";

/** The secret variables' values as set, before validation, for redacting a configuration error. */
function secretEnvValues(env: NodeJS.ProcessEnv): string[] {
  return [env.SLACK_BOT_TOKEN, env.SLACK_APP_TOKEN, env.SLACK_SIGNING_SECRET]
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
    store = await openStore({
      path: config.dbPath,
      retentionDays: config.retentionDays,
      keepRawText: config.keepRawText,
    });
    const health = store.health();
    if (!health.ok) logger.warn(`incident store: ${health.message ?? "not healthy"}`);
  } catch (err) {
    logger.error("could not open the incident store; answering pastes without recording them:", err);
  }

  const bot = createBot(config, { logger, store });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: stopping`);
    await bot.stop().catch((err) => logger.warn("stop:", err));
    await store?.close().catch((err) => logger.warn("store close:", err));
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
  } catch (err) {
    const code = (err as { data?: { error?: string } }).data?.error;
    const hint =
      code === "invalid_auth" || code === "not_authed"
        ? " (Slack rejected SLACK_BOT_TOKEN or SLACK_APP_TOKEN: check them)"
        : "";
    logger.error(`could not start${hint}:`, err);
    process.exit(1);
  }
  if (logger.getLevel() === LogLevel.DEBUG)
    logger.warn("LOG_LEVEL=debug logs Slack payloads, which hold what people pasted (tokens stay redacted)");
}

void main();
