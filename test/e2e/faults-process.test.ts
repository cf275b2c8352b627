// The real entry point (node dist/bot/main.js) as a child process, against the fake Slack: it
// survives a malformed envelope that makes a library reject a promise nobody awaits, and a dropped
// connection, and still answers; it prints no secret at debug level; and bad configuration or a
// rejected token stops it with a clear message that does not contain the secret.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../kb/paths.js";
import { SIGNING_SECRET } from "../support/bot-harness.js";
import { FakeSlack } from "../support/fake-slack.js";
import { eventCallback, messageEvent } from "../support/slack-requests.js";
import { CHANNEL, founding, slackEscape } from "./helpers.js";

const MAIN = join(PACKAGE_ROOT, "dist", "bot", "main.js");
const VERIFICATION_TOKEN = "legacy-verification-token";

interface Child {
  proc: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function run(env: Record<string, string>, cwd: string): Child {
  let output = "";
  const proc = spawn(process.execPath, [MAIN], {
    cwd,
    env: { PATH: process.env.PATH ?? "", TATTLETALE_DB: join(cwd, "incidents.json"), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  proc.stdout?.on("data", (d) => {
    output += String(d);
  });
  proc.stderr?.on("data", (d) => {
    output += String(d);
  });
  const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
  return { proc, output: () => output, exited };
}

function expectNoSecrets(output: string, secrets: string[]): void {
  for (const s of secrets) expect(output).not.toContain(s);
}

describe("npm start in Socket Mode under faults", () => {
  let fake: FakeSlack;
  let dir: string;
  let child: Child;

  beforeAll(async () => {
    fake = await FakeSlack.start({ pingIntervalMs: 1000 });
    dir = await mkdtemp(join(tmpdir(), "tattletale-proc-"));
    child = run(
      {
        SLACK_BOT_TOKEN: fake.botToken,
        SLACK_APP_TOKEN: fake.appToken,
        SLACK_API_URL: fake.url,
        LOG_LEVEL: "debug",
      },
      dir,
    );
    await fake.waitFor(() => /running in Socket Mode/.test(child.output()), 20_000, "the bot to connect");
    await fake.waitForSocket();
  });

  afterAll(async () => {
    if (child.proc.exitCode === null) {
      child.proc.kill("SIGTERM");
      await child.exited;
    }
    await fake?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function pasteAndWait(channel: string): Promise<void> {
    const m = fake.addMessage(channel, { user: "UONCALL", text: slackEscape(founding("httperr1.log")) });
    await fake.sendEnvelope(
      "events_api",
      eventCallback(messageEvent({ channel, ts: m.ts, text: m.text }), { teamId: fake.teamId }),
    );
    await fake.waitFor(() => fake.visiblePosts(channel).length === 1, 20_000, `the answer in ${channel}`);
  }

  it("logs an unhandled rejection, carries on, and answers the next paste", async () => {
    await pasteAndWait(CHANNEL);
    // An events_api envelope without a payload: the Socket Mode client's async message handler
    // throws on it, and nobody awaits that promise.
    fake.sendRaw(JSON.stringify({ envelope_id: "env-bad", type: "events_api", payload: null }));
    await fake.waitFor(
      () => child.output().includes("unhandled rejection (carrying on)"),
      10_000,
      "the log line",
    );
    expect(child.proc.exitCode).toBeNull();
    await pasteAndWait("CAFTER1");
  });

  it("reconnects after a dropped connection and a `disconnect`, answering each time", async () => {
    let before = fake.connections;
    fake.dropSockets();
    await fake.waitFor(() => fake.connections > before && fake.openSockets >= 1, 30_000, "a reconnect");
    await pasteAndWait("CAFTER2");
    before = fake.connections;
    fake.sendDisconnect("refresh_requested");
    await fake.waitFor(() => fake.connections > before && fake.openSockets >= 1, 30_000, "a reconnect");
    await pasteAndWait("CAFTER3");
    expect(child.proc.exitCode).toBeNull();
  });

  it("printed no token, no verification token and no connection ticket, even at debug level", () => {
    const out = child.output();
    expect(out).toContain("DEBUG");
    expectNoSecrets(out, [fake.botToken, fake.appToken, VERIFICATION_TOKEN]);
    expect(out).not.toMatch(/ticket=\d/);
  });
});

describe("npm start refuses to start without printing secrets", () => {
  let fake: FakeSlack;
  let dir: string;
  beforeAll(async () => {
    fake = await FakeSlack.start();
    dir = await mkdtemp(join(tmpdir(), "tattletale-proc-"));
  });
  afterAll(async () => {
    await fake?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("HTTP mode, a bot token Slack rejects: exits 1 with a hint, no token or secret printed", async () => {
    const token = "xoxb-1111-2222-rejectedTOKENvalue";
    const c = run(
      {
        SLACK_BOT_TOKEN: token,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: fake.url,
        PORT: "0",
        LOG_LEVEL: "debug",
      },
      dir,
    );
    expect(await c.exited).toBe(1);
    expect(c.output()).toContain("Slack rejected SLACK_BOT_TOKEN or SLACK_APP_TOKEN");
    expectNoSecrets(c.output(), [token, "rejectedTOKENvalue", SIGNING_SECRET]);
  });

  it("Socket Mode, an app token Slack rejects: exits 1, no token printed", async () => {
    const appToken = "xapp-1-A111-222-rejectedAPPvalue";
    const c = run(
      {
        SLACK_BOT_TOKEN: fake.botToken,
        SLACK_APP_TOKEN: appToken,
        SLACK_API_URL: fake.url,
        LOG_LEVEL: "debug",
      },
      dir,
    );
    expect(await c.exited).toBe(1);
    expect(c.output()).toContain("could not start");
    expectNoSecrets(c.output(), [appToken, "rejectedAPPvalue", fake.botToken]);
  });

  it("a token inside SLACK_API_URL is refused by name, and not printed", async () => {
    const c = run(
      {
        SLACK_BOT_TOKEN: fake.botToken,
        SLACK_APP_TOKEN: fake.appToken,
        SLACK_API_URL: `http://bot:${fake.botToken}@127.0.0.1:1/api/`,
      },
      dir,
    );
    expect(await c.exited).toBe(2);
    expect(c.output()).toContain("SLACK_API_URL must not carry credentials");
    expectNoSecrets(c.output(), [fake.botToken, fake.appToken]);
  });

  it("invalid values are named and never echoed, odd-shaped secrets included", async () => {
    const c = run(
      {
        SLACK_BOT_TOKEN: "not-a-token-but-secret-9f8e7d",
        SLACK_SIGNING_SECRET: "sig-9f8e7d6c5b4a",
        PORT: "sig-9f8e7d6c5b4a",
      },
      dir,
    );
    expect(await c.exited).toBe(2);
    expect(c.output()).toContain("SLACK_BOT_TOKEN must be a bot token");
    expect(c.output()).toContain("PORT must be a TCP port");
    expectNoSecrets(c.output(), ["not-a-token-but-secret-9f8e7d", "sig-9f8e7d6c5b4a"]);
  });
});
