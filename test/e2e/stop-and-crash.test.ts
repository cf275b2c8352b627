// The real process (node dist/bot/main.js) stopped every way it can be: kill -9 right after Slack
// got its acknowledgements, SIGTERM in the middle of a burst, a second SIGTERM, a stop that runs
// out of time, a second process started on the same file, and a store it cannot write. Whatever
// was acknowledged ends with its incident and exactly one reply, at the latest after the next start.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore } from "../../incidents/index.js";
import { type BotProcess, pasteEvent, sendEvent, startBotProcess } from "../support/bot-process.js";
import { FakeSlack } from "../support/fake-slack.js";
import { founding, slackEscape } from "./helpers.js";

let fake: FakeSlack;
let dir: string;
let db: string;
const running: BotProcess[] = [];

beforeEach(async () => {
  fake = await FakeSlack.start();
  dir = await mkdtemp(join(tmpdir(), "tattletale-stop-"));
  db = join(dir, "incidents.json");
});

afterEach(async () => {
  for (const b of running.splice(0)) {
    if (b.proc.exitCode === null && b.proc.signalCode === null) {
      b.proc.kill("SIGKILL");
      await b.exited;
    }
  }
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

async function start(env: Record<string, string> = {}): Promise<BotProcess> {
  const b = await startBotProcess(fake, db, dir, { TATTLETALE_STOP_TIMEOUT_MS: "5000", ...env });
  running.push(b);
  return b;
}

const paste = () => slackEscape(founding("httperr1.log"));

/** Bot messages in each thread (what people see), whatever the calls were. */
function repliesIn(channel: string, threadTs: string) {
  return fake.thread(channel, threadTs).filter((x) => x.bot_id === fake.botId);
}

/** After a restart with the API back: every acknowledged paste has its incident and exactly one reply. */
async function expectEachAnsweredOnce(acked: Array<{ channel: string; ts: string }>) {
  await fake.waitFor(
    () => acked.every((a) => repliesIn(a.channel, a.ts).length >= 1),
    90_000,
    `replies to ${acked.length} pastes`,
  );
  for (const a of acked) expect(repliesIn(a.channel, a.ts), `${a.channel}/${a.ts}`).toHaveLength(1);
  const store = await openStore({ path: db, readOnly: true });
  const ids = new Set((await store.list()).map((i) => i.id));
  for (const a of acked)
    expect(ids.has(`${fake.teamId}:${a.channel}:${a.ts}`), `incident of ${a.ts}`).toBe(true);
  await store.close();
}

describe("a stopped bot loses nothing it acknowledged", () => {
  it("kill -9 right after the acknowledgements: the next start finds every paste and answers each once", async () => {
    // Slack's Web API is down: nothing can be answered before the kill.
    fake.outage(503);
    const bot = await start();
    const acked: Array<{ channel: string; ts: string }> = [];
    await Promise.all(
      Array.from({ length: 20 }, async (_, n) => {
        const channel = `CKILL${n % 4}`;
        const { m, body } = pasteEvent(fake, channel, paste());
        expect(await sendEvent(bot.eventsUrl, body)).toBe(200);
        acked.push({ channel, ts: m.ts });
      }),
    );
    bot.proc.kill("SIGKILL");
    expect((await bot.exited).signal).toBe("SIGKILL");
    expect(fake.visiblePosts().filter((c) => c.method === "chat.postMessage")).toEqual([]);

    fake.restore();
    const next = await start();
    // Its lock was left behind by a dead process: taken over, and said.
    await fake.waitFor(() => next.output().includes("taking over"), 30_000, "the lock taken over");
    expect(next.output()).toContain(`from process ${bot.proc.pid}`);
    await expectEachAnsweredOnce(acked);
  });

  it("SIGTERM mid-burst: refuses new events, exits, and what it acknowledged is answered after the next start", async () => {
    // Posting hangs: the running replies cannot finish, the stop has to leave them for the next start.
    fake.outage("hang", ["chat.postMessage"]);
    const bot = await start();
    const sent: Array<{ channel: string; ts: string; body: string; status: number }> = [];
    const send = async (n: number) => {
      const channel = `CTERM${n % 3}`;
      const { m, body } = pasteEvent(fake, channel, paste());
      sent.push({ channel, ts: m.ts, body, status: await sendEvent(bot.eventsUrl, body) });
    };
    // Ten acknowledged, then the stop, with twenty more arriving during it.
    await Promise.all(Array.from({ length: 10 }, (_, n) => send(n)));
    bot.proc.kill("SIGTERM");
    await Promise.all(Array.from({ length: 20 }, (_, n) => send(10 + n)));
    const exit = await bot.exited;
    expect(exit.code).toBe(0);
    expect(bot.output()).toContain("SIGTERM: stopping");
    // Acknowledged (200), or refused: 503 on an open connection, a refused connection (0) once closed.
    expect(sent.every((s) => [200, 503, 0].includes(s.status))).toBe(true);
    const acked = sent.filter((s) => s.status === 200);
    const refused = sent.filter((s) => s.status !== 200);
    expect(acked.length).toBeGreaterThan(0);

    fake.restore();
    const next = await start();
    // Slack retries what was not acknowledged; the new process takes those too.
    for (const r of refused) expect(await sendEvent(next.eventsUrl, r.body, 1)).toBe(200);
    await expectEachAnsweredOnce(sent);
  });

  it("a second SIGTERM stops at once; the next start finishes the reply", async () => {
    fake.outage("hang", ["chat.postMessage", "conversations.replies"]);
    const bot = await start({ TATTLETALE_STOP_TIMEOUT_MS: "120000" });
    const { m, body } = pasteEvent(fake, "CTWICE", paste());
    expect(await sendEvent(bot.eventsUrl, body)).toBe(200);
    await fake.waitFor(() => fake.hanging > 0, 30_000, "a reply hanging");
    bot.proc.kill("SIGTERM");
    await fake.waitFor(() => bot.output().includes("SIGTERM: stopping"), 30_000, "the stop to begin");
    bot.proc.kill("SIGTERM");
    const exit = await bot.exited;
    expect(exit.code).toBe(1);
    expect(bot.output()).toContain("SIGTERM again: stopping now");

    fake.restore();
    await start();
    await expectEachAnsweredOnce([{ channel: "CTWICE", ts: m.ts }]);
  });

  it("a stop that runs out of time ends anyway, and says work was cut short", async () => {
    fake.outage("hang", ["chat.postMessage", "conversations.replies"]);
    const bot = await start({ TATTLETALE_STOP_TIMEOUT_MS: "800" });
    const { m, body } = pasteEvent(fake, "CLATE", paste());
    expect(await sendEvent(bot.eventsUrl, body)).toBe(200);
    await fake.waitFor(() => fake.hanging > 0, 30_000, "a reply hanging");
    bot.proc.kill("SIGTERM");
    const exit = await bot.exited;
    expect(exit.code).toBe(0);
    expect(bot.output(), bot.output()).toMatch(/cut short\); 1 task\(s\) left for the next start/);

    fake.restore();
    const next = await start();
    await fake.waitFor(() => next.output().includes("left by the last run"), 30_000, "the leftover noticed");
    await expectEachAnsweredOnce([{ channel: "CLATE", ts: m.ts }]);
  });
});

describe("one writer per file", () => {
  it("a second process on the same file refuses to start (exit 2), naming the file and the holder", async () => {
    const first = await start();
    const { spawnBot } = await import("../support/bot-process.js");
    const second = spawnBot(
      {
        SLACK_BOT_TOKEN: fake.botToken,
        SLACK_SIGNING_SECRET: "another-secret",
        SLACK_API_URL: fake.url,
        PORT: "0",
        TATTLETALE_DB: db,
      },
      dir,
    );
    const exit = await second.exited;
    expect(exit.code).toBe(2);
    expect(second.output()).toContain(db);
    expect(second.output()).toContain(`process ${first.proc.pid}`);
    expect(second.output()).not.toContain("another-secret");
    // The first one never noticed.
    const { m, body } = pasteEvent(fake, "CFIRST", paste());
    expect(await sendEvent(first.eventsUrl, body)).toBe(200);
    await expectEachAnsweredOnce([{ channel: "CFIRST", ts: m.ts }]);
  });

  it("a store it cannot write: /healthz fails without naming it, the log says why, and replies say the incident was not saved", async () => {
    // /proc takes no new folders, not even from root.
    const unwritable = "/proc/tattletale-test/incidents.json";
    const bot = await startBotProcess(fake, unwritable, dir);
    running.push(bot);
    const health = await fetch(`http://127.0.0.1:${bot.port}/healthz`);
    expect(health.status).toBe(503);
    const answer = await health.json();
    expect(answer).toEqual({ ok: false, mode: "http" });
    expect(JSON.stringify(answer)).not.toContain("proc");
    expect(bot.output()).toContain(unwritable);
    const { m, body } = pasteEvent(fake, "CUNSAVED", paste());
    expect(await sendEvent(bot.eventsUrl, body)).toBe(200);
    await fake.waitFor(() => repliesIn("CUNSAVED", m.ts).length === 1, 30_000, "the reply");
    const reply = JSON.stringify(repliesIn("CUNSAVED", m.ts)[0]?.blocks);
    expect(reply).toContain("could not save this incident");
    expect(reply).toContain("httperr-connections-refused");
    expect(reply).not.toContain(unwritable);
  });
});
