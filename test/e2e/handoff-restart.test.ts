// The handoff's "done when": the real bot process (node dist/bot/main.js, HTTP mode, the fake
// Slack as its Web API) diagnoses three incidents, one is resolved by its button, one noted
// through the modal; `/tattle handoff` lists them in order; the process is killed with SIGKILL and
// started again on the same file; the handoff is the same; and `tattletale handoff` agrees.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Handoff, type Incident, openStore } from "../../incidents/index.js";
import { PACKAGE_ROOT } from "../../kb/paths.js";
import { SIGNING_SECRET } from "../support/bot-harness.js";
import { CLI_BIN as CLI } from "../support/cli-bin.js";
import { FakeSlack, type StoredMessage } from "../support/fake-slack.js";
import {
  commandFields,
  eventCallback,
  FORM,
  formBody,
  messageEvent,
  postSigned,
} from "../support/slack-requests.js";
import {
  type AnyBlock,
  button,
  handoffOrder,
  interact,
  press,
  stableHandoff,
  submitNote,
} from "./handoff-helpers.js";
import { founding, slackEscape } from "./helpers.js";

const MAIN = join(PACKAGE_ROOT, "dist", "bot", "main.js");
const run = promisify(execFile);

interface BotProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
}

async function startBot(fake: FakeSlack, db: string, cwd: string): Promise<BotProcess> {
  let output = "";
  const child = spawn(process.execPath, [MAIN], {
    cwd,
    env: {
      PATH: process.env.PATH ?? "",
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.url,
      PORT: "0",
      TATTLETALE_DB: db,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d) => {
    output += String(d);
  });
  child.stderr?.on("data", (d) => {
    output += String(d);
  });
  const port = await fake.waitFor(
    () => Number(/HTTP mode on port (\d+)/.exec(output)?.[1] ?? 0),
    20_000,
    "the bot to listen",
  );
  return { child, url: `http://127.0.0.1:${port}/slack/events`, output: () => output };
}

async function kill(p: BotProcess, signal: NodeJS.Signals): Promise<NodeJS.Signals | null> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return p.child.signalCode;
  const exited = new Promise<NodeJS.Signals | null>((r) => p.child.once("exit", (_code, sig) => r(sig)));
  p.child.kill(signal);
  return exited;
}

/** The incidents on file, read the way the CLI reads them (never writing). */
async function onFile(db: string): Promise<Incident[]> {
  const store = await openStore({ path: db, readOnly: true });
  try {
    return await store.list();
  } finally {
    await store.close();
  }
}

describe("handoff across a SIGKILL of the bot process", () => {
  let fake: FakeSlack;
  let dir: string;
  let db: string;
  let bot: BotProcess | undefined;

  beforeAll(async () => {
    fake = await FakeSlack.start();
    dir = await mkdtemp(join(tmpdir(), "tattletale-handoff-"));
    db = join(dir, "incidents.json");
  });

  afterAll(async () => {
    if (bot) await kill(bot, "SIGTERM");
    await fake?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** A person pastes in a new thread; resolves with our reply once the incident is on file. */
  async function paste(channel: string, text: string, user: string): Promise<StoredMessage> {
    if (!bot) throw new Error("no bot");
    const before = fake.callsTo("chat.postMessage").length;
    const m = fake.addMessage(channel, { user, text: slackEscape(text) });
    const body = eventCallback(messageEvent({ channel, ts: m.ts, user, text: m.text }), {
      teamId: fake.teamId,
    });
    expect((await postSigned(bot.url, JSON.stringify(body), { secret: SIGNING_SECRET })).status).toBe(200);
    await fake.waitForCalls("chat.postMessage", before + 1);
    const id = `${fake.teamId}:${channel}:${m.ts}`;
    await fake.waitFor(
      async () => (await onFile(db)).some((i) => i.id === id),
      15_000,
      `incident ${id} on file`,
    );
    const reply = fake.thread(channel, m.ts).find((x) => x.bot_id === fake.botId);
    if (!reply) throw new Error("no reply");
    return reply;
  }

  async function handoff(responseId: string) {
    if (!bot) throw new Error("no bot");
    const fields = commandFields({
      text: "handoff",
      teamId: fake.teamId,
      channel: "COPS",
      user: "UNIGHT",
      responseUrl: fake.responseUrl(responseId),
    });
    const res = await postSigned(bot.url, formBody(fields), { secret: SIGNING_SECRET, contentType: FORM });
    expect(res.status).toBe(200);
    return fake.waitFor(
      () => fake.responses.find((r) => r.id === responseId),
      15_000,
      `the handoff ${responseId}`,
    );
  }

  it("diagnoses, resolves by button, notes by modal, lists, survives SIGKILL, and agrees with the CLI", async () => {
    bot = await startBot(fake, db, dir);
    const refused = await paste("COPS", founding("httperr1.log"), "UDAY");
    const queue = await paste(
      "CWEB",
      readFileSync(join(PACKAGE_ROOT, "samples", "queue-full", "httperr.log"), "utf8"),
      "UDAY",
    );
    const pool = await paste("CDB", founding("poolmon-b.txt"), "UEVE");
    const ids = [refused, queue, pool].map(
      (r, n) => `${fake.teamId}:${["COPS", "CWEB", "CDB"][n]}:${r.thread_ts}`,
    );
    const [refusedId, queueId, poolId] = ids as [string, string, string];
    expect((await onFile(db)).map((i) => i.severity).sort()).toEqual(["critical", "critical", "warning"]);

    // Resolve the queue-full incident from its thread reply.
    await interact(
      bot.url,
      press({
        fake,
        channel: "CWEB",
        button: button(queue.blocks, "incident_resolve"),
        user: "UDAY",
        responseId: "R1",
        message: queue,
      }),
    );
    const [resolvedReply] = await fake.waitForCalls("chat.update");
    expect(resolvedReply?.body.ts).toBe(queue.ts);
    expect(JSON.stringify(resolvedReply?.body.blocks)).toContain("httperr-queue-full");
    expect(JSON.stringify(resolvedReply?.body.blocks)).toContain("Resolved* · by day");

    // A note on the pool incident through the modal.
    await interact(
      bot.url,
      press({
        fake,
        channel: "CDB",
        button: button(pool.blocks, "incident_note"),
        user: "UEVE",
        responseId: "N1",
        message: pool,
        triggerId: "trig-pool",
      }),
    );
    const [open] = await fake.waitForCalls("views.open");
    expect(open?.body.trigger_id).toBe("trig-pool");
    const note = "McAfee filter driver updated <!here> & rebooted";
    await interact(bot.url, submitNote(fake, open?.body.view, "UEVE", note));
    const [, notedReply] = await fake.waitForCalls("chat.update", 2);
    expect(notedReply?.body.ts).toBe(pool.ts);
    expect(JSON.stringify(notedReply?.body.blocks)).toContain(
      "McAfee filter driver updated &lt;!here&gt; &amp; rebooted",
    );
    const noted = (await onFile(db)).find((i) => i.id === poolId);
    expect(noted?.notes).toMatchObject([{ author: "UEVE", text: note }]);

    // The handoff: open ones by severity (critical before warning), the resolved one after.
    const first = await handoff("H1");
    const blocks = first.body.blocks as AnyBlock[];
    expect(handoffOrder(blocks)).toEqual([refusedId, poolId, queueId]);
    const seen = JSON.stringify(blocks);
    expect(seen).toContain("McAfee filter driver updated &lt;!here&gt; &amp; rebooted");
    expect(seen).toMatch(/resolved (under a minute|\d+m) ago by day/);
    expect(seen).not.toContain("<!here>");
    expect(button(blocks, "incident_take_over", `handoff:${refusedId}`)).toBeDefined();

    // SIGKILL: no chance to close anything. The same file, a new process.
    expect(await kill(bot, "SIGKILL")).toBe("SIGKILL");
    bot = await startBot(fake, db, dir);
    const second = await handoff("H2");
    expect(handoffOrder(second.body.blocks as AnyBlock[])).toEqual([refusedId, poolId, queueId]);
    expect(stableHandoff(second.body.blocks as AnyBlock[])).toBe(stableHandoff(blocks));

    // `tattletale handoff` on the same file: same incidents, same order, same notes.
    const { stdout } = await run(process.execPath, [CLI, "handoff", "--format", "json"], {
      env: { PATH: process.env.PATH ?? "", TATTLETALE_DB: db },
    });
    const cli = Handoff.parse(JSON.parse(stdout));
    expect([...cli.active, ...cli.resolved].map((i) => i.id)).toEqual([refusedId, poolId, queueId]);
    expect(cli.counts).toEqual({ open: 2, acknowledged: 0, resolved: 1 });
    expect(cli.active[1]?.notes.map((n) => n.text)).toEqual([note]);
    expect(cli.resolved[0]?.resolvedBy).toBe("UDAY");
    const md = (
      await run(process.execPath, [CLI, "handoff"], {
        env: { PATH: process.env.PATH ?? "", TATTLETALE_DB: db },
      })
    ).stdout;
    expect(md.indexOf("#COPS")).toBeLessThan(md.indexOf("#CDB"));
    expect(md.indexOf("#CDB")).toBeLessThan(md.indexOf("#CWEB"));
  });
});
