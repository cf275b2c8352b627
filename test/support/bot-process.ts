// The real entry point, `node dist/bot/main.js`, as a child process in HTTP mode against the fake
// Slack: started, signed events sent to it, signals sent, its output and exit collected.
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { PACKAGE_ROOT } from "../../kb/paths.js";
import { SIGNING_SECRET } from "./bot-harness.js";
import type { FakeSlack } from "./fake-slack.js";
import { eventCallback, messageEvent, postSigned } from "./slack-requests.js";

export const MAIN = join(PACKAGE_ROOT, "dist", "bot", "main.js");

export interface BotProcess {
  proc: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** HTTP mode: the port, once it listens. */
  port: number;
  eventsUrl: string;
}

export function spawnBot(env: Record<string, string>, cwd: string): Omit<BotProcess, "port" | "eventsUrl"> {
  let output = "";
  const proc = spawn(process.execPath, [MAIN], {
    cwd,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  proc.stdout?.on("data", (d) => {
    output += String(d);
  });
  proc.stderr?.on("data", (d) => {
    output += String(d);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return { proc, output: () => output, exited };
}

/** Starts the bot in HTTP mode on `db` and waits until it listens. */
export async function startBotProcess(
  fake: FakeSlack,
  db: string,
  cwd: string,
  env: Record<string, string> = {},
): Promise<BotProcess> {
  const child = spawnBot(
    {
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.url,
      PORT: "0",
      TATTLETALE_DB: db,
      ...env,
    },
    cwd,
  );
  let exitedEarly = false;
  void child.exited.then(() => {
    exitedEarly = true;
  });
  const port = await fake
    .waitFor(
      () => {
        if (exitedEarly) throw new Error(`the bot exited before listening:\n${child.output()}`);
        return Number(/HTTP mode on port (\d+)/.exec(child.output())?.[1] ?? 0);
      },
      60_000,
      "the bot to listen",
    )
    .catch((err: Error) => {
      // Never leave a process behind that did not get as far as listening.
      child.proc.kill("SIGKILL");
      throw err;
    });
  return { ...child, port, eventsUrl: `http://127.0.0.1:${port}/slack/events` };
}

/** A person's paste into `channel`, stored in the fake; its signed message event, ready to send. */
export function pasteEvent(fake: FakeSlack, channel: string, text: string, eventId?: string) {
  const m = fake.addMessage(channel, { user: "UONCALL", text });
  const body = JSON.stringify(
    eventCallback(messageEvent({ channel, ts: m.ts, text: m.text, user: "UONCALL" }), {
      teamId: fake.teamId,
      ...(eventId ? { eventId } : {}),
    }),
  );
  return { m, body };
}

/** Sends a signed event; resolves with the HTTP status, or 0 when the connection was refused or cut. */
export function sendEvent(url: string, body: string, retryNum?: number): Promise<number> {
  return postSigned(url, body, {
    secret: SIGNING_SECRET,
    ...(retryNum !== undefined ? { retryNum } : {}),
  }).then(
    (r) => r.status,
    () => 0,
  );
}
