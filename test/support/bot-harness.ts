// Starts the real Bolt app (bot/app.ts) against a fake Slack, in HTTP or Socket Mode, with a
// throw-away incident store, quick Web API retries and a quick outbox back-off (Retry-After is
// always honoured as Slack sends it); collects log lines to check redaction.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LogLevel } from "@slack/bolt";
import { type Bot, type BotOptions, createBot } from "../../bot/app.js";
import { type Config, loadConfig } from "../../bot/config.js";
import { RedactingLogger } from "../../bot/logger.js";
import { type LowdbStore, type OpenStoreOptions, openStore } from "../../incidents/index.js";
import { FakeSlack, type FakeSlackOptions } from "./fake-slack.js";

export const SIGNING_SECRET = "fake-signing-secret-1234567890abcdef";

export interface Harness {
  fake: FakeSlack;
  bot: Bot;
  config: Config;
  store: LowdbStore;
  /** HTTP mode: the events URL (POST /slack/events). */
  eventsUrl: string;
  baseUrl: string;
  logs: string[];
  close(): Promise<void>;
}

/** The outbox back-off of the tests: retries come quickly, and a 429's Retry-After is kept as sent. */
export const QUICK_OUTBOX = { retryBaseMs: 20, retryMaxMs: 200, pollMs: 50, leaseMs: 5000 };

export async function startHarness(
  mode: "http" | "socket",
  opts: {
    env?: Record<string, string>;
    fake?: FakeSlackOptions;
    bot?: BotOptions;
    store?: Partial<OpenStoreOptions>;
  } = {},
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
  const store = await openStore({ path: config.dbPath, ...opts.store });
  const bot = createBot(config, {
    logger,
    store,
    retryConfig: { retries: 4, factor: 1, minTimeout: 10, maxTimeout: 20, randomize: false },
    requestTimeoutMs: 5000,
    clientPingTimeoutMs: 200,
    postLookupPauseMs: 50,
    ...opts.bot,
    outbox: { ...QUICK_OUTBOX, ...opts.bot?.outbox },
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
      await bot.stop({ deadlineMs: 3000 }).catch(() => undefined);
      await store.close().catch(() => undefined);
      await fake.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
