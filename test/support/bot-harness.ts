// Starts the real Bolt app (bot/app.ts) against a fake Slack, in HTTP or Socket Mode, with a
// throw-away incident store and quick Web API retries; collects log lines to check redaction.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LogLevel } from "@slack/bolt";
import { type Bot, createBot } from "../../bot/app.js";
import { type Config, loadConfig } from "../../bot/config.js";
import { RedactingLogger } from "../../bot/logger.js";
import { type IncidentStore, openStore } from "../../incidents/index.js";
import { FakeSlack, type FakeSlackOptions } from "./fake-slack.js";

export const SIGNING_SECRET = "fake-signing-secret-1234567890abcdef";

export interface Harness {
  fake: FakeSlack;
  bot: Bot;
  config: Config;
  store: IncidentStore;
  /** HTTP mode: the events URL (POST /slack/events). */
  eventsUrl: string;
  baseUrl: string;
  logs: string[];
  close(): Promise<void>;
}

export async function startHarness(
  mode: "http" | "socket",
  opts: { env?: Record<string, string>; fake?: FakeSlackOptions } = {},
): Promise<Harness> {
  const fake = await FakeSlack.start(opts.fake);
  const dir = await mkdtemp(join(tmpdir(), "tattletale-bot-"));
  const env: Record<string, string> = {
    SLACK_BOT_TOKEN: fake.botToken,
    SLACK_API_URL: fake.url,
    TATTLETALE_DB: join(dir, "incidents.json"),
    PORT: "0",
    ...(mode === "socket" ? { SLACK_APP_TOKEN: fake.appToken } : { SLACK_SIGNING_SECRET: SIGNING_SECRET }),
    ...opts.env,
  };
  const config = loadConfig(env, dir);
  const logs: string[] = [];
  const logger = new RedactingLogger(config.secrets, LogLevel.DEBUG, (line) => logs.push(line));
  const store = await openStore({ path: config.dbPath });
  const bot = createBot(config, {
    logger,
    store,
    retryConfig: { retries: 4, factor: 1, minTimeout: 10, maxTimeout: 20, randomize: false },
    requestTimeoutMs: 5000,
    clientPingTimeoutMs: 200,
  });
  const { port } = await bot.start();
  const baseUrl = port ? `http://127.0.0.1:${port}` : "";
  return {
    fake,
    bot,
    config,
    store,
    baseUrl,
    eventsUrl: `${baseUrl}/slack/events`,
    logs,
    async close() {
      await bot.stop().catch(() => undefined);
      await store.close().catch(() => undefined);
      await fake.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
