// `npm start` for real: the compiled entry point as a child process in HTTP mode, pointed at the
// fake Slack with SLACK_API_URL. One signed message event, one reply; its retry, none.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../kb/paths.js";
import { SIGNING_SECRET } from "../support/bot-harness.js";
import { FakeSlack } from "../support/fake-slack.js";
import { eventCallback, messageEvent, postSigned } from "../support/slack-requests.js";
import { CHANNEL, founding, slackEscape } from "./helpers.js";

const MAIN = join(PACKAGE_ROOT, "dist", "bot", "main.js");

describe("npm start (node dist/bot/main.js) in HTTP mode", () => {
  let fake: FakeSlack;
  let child: ChildProcess;
  let dir: string;
  let output = "";
  let port = 0;

  beforeAll(async () => {
    fake = await FakeSlack.start();
    dir = await mkdtemp(join(tmpdir(), "tattletale-main-"));
    child = spawn(process.execPath, [MAIN], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? "",
        SLACK_BOT_TOKEN: fake.botToken,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: fake.url,
        PORT: "0",
        TATTLETALE_DB: join(dir, "incidents.json"),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (d) => {
      output += String(d);
    });
    child.stderr?.on("data", (d) => {
      output += String(d);
    });
    port = await fake.waitFor(
      () => Number(/HTTP mode on port (\d+)/.exec(output)?.[1] ?? 0),
      20_000,
      "the bot to listen",
    );
  });

  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    }
    await fake?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("answers a signed message event with one chat.postMessage in its thread; a retry adds none", async () => {
    const m = fake.addMessage(CHANNEL, { user: "UONCALL", text: slackEscape(founding("httperr1.log")) });
    const body = JSON.stringify(
      eventCallback(messageEvent({ channel: CHANNEL, ts: m.ts, text: m.text }), {
        teamId: fake.teamId,
        eventId: "Ev-MAIN-1",
      }),
    );
    const url = `http://127.0.0.1:${port}/slack/events`;
    expect((await postSigned(url, body, { secret: SIGNING_SECRET })).status).toBe(200);
    const [post] = await fake.waitForCalls("chat.postMessage");
    expect(post?.body.channel).toBe(CHANNEL);
    expect(post?.body.thread_ts).toBe(m.ts);
    expect(JSON.stringify(post?.body.blocks)).toContain("httperr-connections-refused");

    expect((await postSigned(url, body, { secret: SIGNING_SECRET, retryNum: 1 })).status).toBe(200);
    // A second, different paste shows the process has handled what came before it.
    const other = fake.addMessage("COTHER", { user: "UONCALL", text: slackEscape(founding("httperr1.log")) });
    const otherBody = JSON.stringify(
      eventCallback(messageEvent({ channel: "COTHER", ts: other.ts, text: other.text }), {
        teamId: fake.teamId,
      }),
    );
    await postSigned(url, otherBody, { secret: SIGNING_SECRET });
    await fake.waitFor(() => fake.visiblePosts("COTHER").length === 1);
    expect(fake.visiblePosts(CHANNEL)).toHaveLength(1);
    expect(output).not.toContain(fake.botToken);
    expect(output).not.toContain(SIGNING_SECRET);

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
  });

  it("stops cleanly on SIGTERM", async () => {
    child.kill("SIGTERM");
    const [code] = (await new Promise((r) => child.once("exit", (...a) => r(a)))) as [number | null];
    expect(code).toBe(0);
  });
});

describe("npm start with a bad configuration", () => {
  it("names the missing token, prints no secret, and exits 2", () => {
    const secret = "xoxp-user-token-should-never-print-1234";
    const r = spawnSync(process.execPath, [MAIN], {
      env: {
        PATH: process.env.PATH ?? "",
        SLACK_APP_TOKEN: secret,
        SLACK_SIGNING_SECRET: "s3cr3t-value-xyz",
      },
      encoding: "utf8",
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("SLACK_BOT_TOKEN is missing");
    expect(r.stderr).toContain("SLACK_APP_TOKEN must be an app-level token");
    expect(r.stderr).not.toContain(secret);
    expect(r.stderr).not.toContain("s3cr3t-value-xyz");
  });
});
