// The bot (node dist/bot/main.js, HTTP mode) on PostgreSQL reached through a relay the test cuts:
// it waits for a database that is not there yet at start; while the database is gone, /healthz
// says 503 and a paste is not acknowledged (Slack will send it again) rather than acknowledged and
// held in memory; when the database is back, it is healthy again and Slack's retry is answered once.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type IncidentStore, openPgStore } from "../../incidents/index.js";
import { SIGNING_SECRET } from "../support/bot-harness.js";
import { pasteEvent, sendEvent, spawnBot } from "../support/bot-process.js";
import { FakeSlack } from "../support/fake-slack.js";
import { dropSchema, freshSchemaName, testDatabaseUrl } from "../support/pg.js";
import { startTcpCut, type TcpCut, viaRelay } from "../support/tcp-cut.js";
import { founding, slackEscape } from "./helpers.js";

let fake: FakeSlack;
let dir: string;
let relay: TcpCut;
let schema: string;
let store: IncidentStore;
let bot: ReturnType<typeof spawnBot>;
let base: string;

beforeAll(async () => {
  fake = await FakeSlack.start();
  dir = await mkdtemp(join(tmpdir(), "tattletale-pg-outage-"));
  schema = freshSchemaName("outage");
  const real = new URL(testDatabaseUrl());
  relay = await startTcpCut({ host: real.hostname, port: Number(real.port) });
  store = await openPgStore({ url: testDatabaseUrl(), schema });
});

afterAll(async () => {
  if (bot && bot.proc.exitCode === null && bot.proc.signalCode === null) {
    bot.proc.kill("SIGKILL");
    await bot.exited;
  }
  await store?.close();
  await relay?.close();
  await fake?.close();
  if (schema) await dropSchema(testDatabaseUrl(), schema);
  await rm(dir, { recursive: true, force: true });
});

const repliesIn = (channel: string, ts: string) =>
  // Text replies: the chart that may follow one is a file message of its own.
  fake.thread(channel, ts).filter((m) => m.bot_id === fake.botId && !m.files);

describe("the bot on PostgreSQL when the database goes away", () => {
  it("waits for the database at start, and listens once it is there", async () => {
    relay.cut();
    bot = spawnBot(
      {
        SLACK_BOT_TOKEN: fake.botToken,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: fake.url,
        PORT: "0",
        TATTLETALE_DATABASE_URL: viaRelay(testDatabaseUrl(), relay).replace(
          "postgres@",
          "postgres:s3cret-pw@",
        ),
        TATTLETALE_DATABASE_SCHEMA: schema,
      },
      dir,
    );
    await fake.waitFor(() => /database cannot be reached/.test(bot.output()), 30_000, "the wait logged");
    expect(bot.output()).not.toMatch(/HTTP mode on port/);
    relay.restore();
    const port = await fake.waitFor(
      () => Number(/HTTP mode on port (\d+)/.exec(bot.output())?.[1] ?? 0),
      60_000,
      "the bot to listen",
    );
    base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    // The database password never reaches the log.
    expect(bot.output()).not.toContain("s3cret-pw");
  });

  it("503 on /healthz and no acknowledgement while it is gone; Slack's retry answered once after", async () => {
    const channel = "COUTAGE";
    const { m, body } = pasteEvent(fake, channel, slackEscape(founding("httperr1.log")), "EvOutage1");

    relay.cut();
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ ok: false, mode: "http" });
    const refused = await sendEvent(`${base}/slack/events`, body);
    expect(refused).not.toBe(200);
    // On a busy machine Bolt may have answered 404 after its 3 s before the store gave up: either way
    // Slack had no acknowledgement, and the bot says why once the store does give up.
    await fake.waitFor(
      () => bot.output().includes("not acknowledged, Slack will send it again"),
      30_000,
      "the refusal logged",
    );

    relay.restore();
    await fake.waitFor(async () => (await fetch(`${base}/healthz`)).status === 200, 30_000, "healthy again");
    expect(await sendEvent(`${base}/slack/events`, body, 1)).toBe(200);
    await fake.waitFor(() => repliesIn(channel, m.ts).length > 0, 60_000, "the reply");
    await fake.waitFor(async () => (await store.stats()).pendingTasks === 0, 60_000, "every task done");
    expect(repliesIn(channel, m.ts)).toHaveLength(1);
    expect(await store.get(`${fake.teamId}:${channel}:${m.ts}`)).toBeDefined();
    // A second retry (Slack's one after five minutes) is a repeat.
    expect(await sendEvent(`${base}/slack/events`, body, 2)).toBe(200);
    expect(await store.stats()).toMatchObject({ pendingTasks: 0 });
    expect(bot.output()).not.toContain("s3cret-pw");
  });
});
