// Three bot processes (node dist/bot/main.js, HTTP mode) on one PostgreSQL database, behind a
// round-robin load balancer of the test's own (test/support/round-robin.ts), against the fake
// Slack: Slack's retries of one event reach different replicas and are answered once; pastes into
// one thread at different replicas end in one reply; a replica killed with SIGKILL mid-burst loses
// nothing it acknowledged; the handoff is the same from every replica and from the CLI.

import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Handoff, type IncidentStore, openPgStore } from "../../incidents/index.js";
import { MIGRATIONS } from "../../incidents/postgres/migrations.js";
import { PACKAGE_ROOT } from "../../kb/paths.js";
import { SIGNING_SECRET } from "../support/bot-harness.js";
import { type BotProcess, pasteEvent, sendEvent, startBotProcess } from "../support/bot-process.js";
import { CLI_BIN as CLI } from "../support/cli-bin.js";
import { FakeSlack } from "../support/fake-slack.js";
import { dropSchema, freshSchemaName, testDatabaseUrl } from "../support/pg.js";
import { type RoundRobin, startRoundRobin } from "../support/round-robin.js";
import {
  commandFields,
  eventCallback,
  FORM,
  formBody,
  messageEvent,
  postSigned,
} from "../support/slack-requests.js";
import { type AnyBlock, handoffOrder, stableHandoff } from "./handoff-helpers.js";
import { founding, slackEscape } from "./helpers.js";

const run = promisify(execFile);

let fake: FakeSlack;
let dir: string;
let url: string;
let schema: string;
let store: IncidentStore;
let lb: RoundRobin;
const replicas: BotProcess[] = [];

beforeAll(async () => {
  url = testDatabaseUrl();
  schema = freshSchemaName("replicas");
  fake = await FakeSlack.start();
  dir = await mkdtemp(join(tmpdir(), "tattletale-replicas-"));
  const env = {
    TATTLETALE_DATABASE_URL: url,
    TATTLETALE_DATABASE_SCHEMA: schema,
    // A killed replica's tasks are taken over after this (60 s in production).
    TATTLETALE_TASK_LEASE_MS: "4000",
  };
  // All three at once: their migrations meet, and only one may run them.
  replicas.push(
    ...(await Promise.all(
      [0, 1, 2].map((n) => startBotProcess(fake, join(dir, `unused-${n}.json`), dir, env)),
    )),
  );
  lb = await startRoundRobin(replicas.map((r) => r.port));
  store = await openPgStore({ url, schema, readOnly: true });
}, 120_000);

afterAll(async () => {
  for (const b of replicas) {
    if (b.proc.exitCode === null && b.proc.signalCode === null) {
      b.proc.kill("SIGKILL");
      await b.exited;
    }
  }
  await store?.close();
  await lb?.close();
  await fake?.close();
  if (url && schema) await dropSchema(url, schema);
  await rm(dir, { recursive: true, force: true });
});

const paste = () => slackEscape(founding("httperr1.log"));

/** Our text replies in a thread (what people see); the chart that may follow one is a file message. */
const repliesIn = (channel: string, threadTs: string) =>
  fake.thread(channel, threadTs).filter((m) => m.bot_id === fake.botId && !m.files);
/** Our charts in a thread. */
const chartsIn = (channel: string, threadTs: string) =>
  fake.thread(channel, threadTs).filter((m) => m.bot_id === fake.botId && m.files);

/** Waits until the outbox of every replica is empty: nothing left that could still post. */
async function settled(): Promise<void> {
  await fake.waitFor(async () => (await store.stats()).pendingTasks === 0, 90_000, "every task done");
}

/** Sends an event through the load balancer the way Slack does: again, with X-Slack-Retry-Num, until a 200. */
async function deliver(body: string, firstRetry = 0): Promise<number> {
  for (let retry = firstRetry; retry < firstRetry + 6; retry++) {
    const status = await sendEvent(lb.url, body, retry === 0 ? undefined : retry);
    if (status === 200) return retry;
  }
  throw new Error("an event was never acknowledged");
}

describe("three replicas on one PostgreSQL database", () => {
  it("migrated once, although the three started together", async () => {
    const versions = await run(
      "node",
      [
        "-e",
        `const pg=require("pg");const c=new pg.Client(process.argv[1]);c.connect().then(()=>c.query("SELECT version FROM ${schema}.migrations ORDER BY version")).then(r=>{console.log(JSON.stringify(r.rows));return c.end()})`,
        url,
      ],
      { cwd: PACKAGE_ROOT },
    );
    expect(JSON.parse(versions.stdout)).toEqual(MIGRATIONS.map((m) => ({ version: m.version })));
    for (const r of replicas) expect(r.output()).not.toMatch(/migration \d+ .* failed/);
  });

  it("a burst of pastes, each with Slack's retries landing on other replicas, gets one reply per paste", async () => {
    const pastes = Array.from({ length: 24 }, (_, n) => {
      const channel = `CBURST${n % 6}`;
      const { m, body } = pasteEvent(fake, channel, paste(), `EvBurst${n}`);
      return { channel, ts: m.ts, body };
    });
    // Each paste delivered, and twice more as retries (same event id), all at once: the three copies
    // go to consecutive replicas of the round robin.
    const statuses = await Promise.all(
      pastes.flatMap((p) => [
        sendEvent(lb.url, p.body),
        sendEvent(lb.url, p.body, 1),
        sendEvent(lb.url, p.body, 2),
      ]),
    );
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(lb.sent.every((n) => n > 0)).toBe(true);
    await fake.waitFor(
      () => pastes.every((p) => repliesIn(p.channel, p.ts).length >= 1),
      90_000,
      "a reply to every paste",
    );
    await settled();
    for (const p of pastes) {
      expect(repliesIn(p.channel, p.ts), `${p.channel}/${p.ts}`).toHaveLength(1);
      expect(chartsIn(p.channel, p.ts).length, `charts in ${p.ts}`).toBeLessThanOrEqual(1);
    }
    const posts = fake.visiblePosts().filter((c) => c.method === "chat.postMessage");
    const threads = new Set(posts.map((c) => `${c.body.channel}/${c.body.thread_ts}`));
    for (const p of pastes) expect(threads.has(`${p.channel}/${p.ts}`)).toBe(true);
    // Every replica took part in the work, not one alone.
    for (const r of replicas) expect(r.output()).toContain("HTTP mode on port");
  });

  it("pastes into one thread arriving at different replicas end in one consolidated reply", async () => {
    const channel = "CTHREAD";
    const parent = fake.addMessage(channel, { user: "UONCALL", text: paste() });
    const inThread = (name: "poolmon-b.txt" | "boot.ini") => {
      const m = fake.addMessage(channel, {
        user: "UONCALL",
        text: slackEscape(founding(name)),
        thread_ts: parent.ts,
      });
      return JSON.stringify(
        eventCallback(
          messageEvent({ channel, ts: m.ts, text: m.text, user: "UONCALL", thread_ts: parent.ts }),
          { teamId: fake.teamId },
        ),
      );
    };
    const parentBody = JSON.stringify(
      eventCallback(messageEvent({ channel, ts: parent.ts, text: parent.text, user: "UONCALL" }), {
        teamId: fake.teamId,
      }),
    );
    const bodies = [parentBody, inThread("poolmon-b.txt"), inThread("boot.ini")];
    // Each straight to a different replica, all at once.
    const statuses = await Promise.all(bodies.map((b, n) => sendEvent(replicas[n]?.eventsUrl ?? "", b)));
    expect(statuses).toEqual([200, 200, 200]);
    const id = `${fake.teamId}:${channel}:${parent.ts}`;
    await fake.waitFor(
      async () => (await store.get(id))?.diagnoses === 3 && repliesIn(channel, parent.ts).length > 0,
      90_000,
      "three diagnoses of the thread",
    );
    await settled();
    const incident = await store.get(id);
    expect(incident?.findings.map((f) => f.id)).toEqual(
      expect.arrayContaining(["httperr-connections-refused", "boot-3gb-switch", "antivirus-pool-leak"]),
    );
    // One full diagnosis in the thread (any other reply of ours is a one-line "superseded" pointer),
    // and it is the one made of all three pastes.
    const full = repliesIn(channel, parent.ts).filter((m) => !(m.text ?? "").startsWith("↓ Superseded"));
    expect(full).toHaveLength(1);
    expect(chartsIn(channel, parent.ts).length).toBeLessThanOrEqual(1);
    expect(JSON.stringify(full[0]?.blocks)).toContain("3GB");
    expect(incident?.replyTs).toBe(full[0]?.ts);
  });

  it("kill -9 of one replica mid-burst: every acknowledged paste has its incident and one reply", async () => {
    const victim = replicas[1] as BotProcess;
    const pastes = Array.from({ length: 30 }, (_, n) => {
      const channel = `CKILL${n % 5}`;
      const { m, body } = pasteEvent(fake, channel, paste(), `EvKill${n}`);
      return { channel, ts: m.ts, body };
    });
    const first = pastes.slice(0, 15);
    const rest = pastes.slice(15);
    await Promise.all(first.map((p) => deliver(p.body)));
    victim.proc.kill("SIGKILL");
    expect((await victim.exited).signal).toBe("SIGKILL");
    // Slack keeps sending; whatever hit the dead replica is retried, and the others take it.
    await Promise.all(rest.map((p) => deliver(p.body)));
    await fake.waitFor(
      () => pastes.every((p) => repliesIn(p.channel, p.ts).length >= 1),
      90_000,
      "a reply to every acknowledged paste",
    );
    await settled();
    for (const p of pastes) expect(repliesIn(p.channel, p.ts), `${p.channel}/${p.ts}`).toHaveLength(1);
    const ids = new Set((await store.list()).map((i) => i.id));
    for (const p of pastes) expect(ids.has(`${fake.teamId}:${p.channel}:${p.ts}`), p.ts).toBe(true);
    // The survivors are healthy and still answer.
    for (const r of [replicas[0], replicas[2]] as BotProcess[]) {
      const health = await fetch(`http://127.0.0.1:${r.port}/healthz`);
      expect(health.status).toBe(200);
    }
  });

  it("the handoff is the same from every replica and from the CLI", async () => {
    const alive = replicas.filter((r) => r.proc.exitCode === null && r.proc.signalCode === null);
    expect(alive.length).toBeGreaterThanOrEqual(2);
    const answers: AnyBlock[][] = [];
    for (const [n, r] of alive.entries()) {
      const responseId = `HANDOFF${n}`;
      const res = await postSigned(
        r.eventsUrl,
        formBody(
          commandFields({
            text: "handoff 2d",
            teamId: fake.teamId,
            channel: "COPS",
            user: "UONCALL",
            responseUrl: fake.responseUrl(responseId),
          }),
        ),
        { secret: SIGNING_SECRET, contentType: FORM },
      );
      expect(res.status).toBe(200);
      const answer = await fake.waitFor(
        () => fake.responses.find((x) => x.id === responseId),
        15_000,
        `handoff from replica ${n}`,
      );
      answers.push(answer.body.blocks as AnyBlock[]);
    }
    for (const a of answers.slice(1)) expect(stableHandoff(a)).toEqual(stableHandoff(answers[0]));
    const { stdout } = await run(process.execPath, [CLI, "handoff", "--db", url, "--json", "--since", "2d"], {
      env: { PATH: process.env.PATH ?? "", TATTLETALE_DATABASE_SCHEMA: schema },
    });
    const cli = Handoff.parse(JSON.parse(stdout));
    const shown = handoffOrder(answers[0]);
    expect(shown.length).toBeGreaterThan(0);
    // Slack's answer may stop before the end of a long list (block limits); what it shows is the CLI's start.
    expect([...cli.active, ...cli.resolved].map((i) => i.id).slice(0, shown.length)).toEqual(shown);
    expect(cli.active.length + cli.resolved.length).toBe((await store.list()).length);
  });
});
