// The on-call handoff in Slack, end to end over HTTP against the fake Slack: the incident buttons
// on thread replies (take over, resolve, reopen, add a note through the modal), `/tattle handoff`
// and its buttons, "Post to channel", App Home's own incidents, and agreement with the CLI.
import { afterEach, describe, expect, it } from "vitest";
import { runHandoff } from "../../cli/handoff.js";
import { buildHandoff, Handoff, recordDiagnosis, setStatus, takeOver } from "../../incidents/index.js";
import { diagnosis, finding } from "../incidents/helpers.js";
import { type Harness, SIGNING_SECRET, startHarness } from "../support/bot-harness.js";
import type { StoredMessage } from "../support/fake-slack.js";
import { commandFields, eventCallback, FORM, formBody, postSigned } from "../support/slack-requests.js";
import { type AnyBlock, button, handoffOrder, interact, press, submitNote } from "./handoff-helpers.js";
import { CHANNEL, deliver, deliverMessage, founding, slackEscape, visibleText } from "./helpers.js";

async function paste(h: Harness, text: string, user = "UONCALL", channel = CHANNEL): Promise<StoredMessage> {
  const before = h.fake.callsTo("chat.postMessage").length;
  const m = h.fake.addMessage(channel, { user, text: slackEscape(text) });
  await deliverMessage(h, "http", m, { channel });
  await h.fake.waitForCalls("chat.postMessage", before + 1);
  const id = `${h.fake.teamId}:${channel}:${m.ts}`;
  await h.fake.waitFor(async () => (await h.store.get(id)) !== undefined, 15_000, "the incident on file");
  // Our reply, as Slack stores it (chat.update changes it in place).
  const reply = h.fake.thread(channel, m.ts).find((x) => x.bot_id === h.fake.botId);
  if (!reply) throw new Error("no reply in the thread");
  return reply;
}

function replyNow(h: Harness, reply: StoredMessage, channel = CHANNEL): StoredMessage {
  return h.fake.channelMessages(channel).find((m) => m.ts === reply.ts) as StoredMessage;
}

async function command(h: Harness, text: string, responseId: string, user = "UONCALL") {
  const fields = commandFields({
    text,
    teamId: h.fake.teamId,
    channel: CHANNEL,
    user,
    responseUrl: h.fake.responseUrl(responseId),
  });
  const res = await postSigned(h.eventsUrl, formBody(fields), { secret: SIGNING_SECRET, contentType: FORM });
  expect(res.status).toBe(200);
  return h.fake.waitFor(
    () => h.fake.responses.find((r) => r.id === responseId),
    15_000,
    `response ${responseId}`,
  );
}

const responsesTo = (h: Harness, id: string) => h.fake.responses.filter((r) => r.id === id);

describe("incident buttons on thread replies", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("resolve and reopen from the reply update it in place, keeping the diagnosis", async () => {
    h = await startHarness("http");
    const reply = await paste(h, founding("httperr1.log"));
    const blocks = reply.blocks as AnyBlock[];
    expect(visibleText({ body: reply as never })).toContain("no owner yet");
    expect(button(blocks, "incident_take_over").value).toContain('"w":"thread"');
    const diagnosisBlocks = blocks.filter((b) => !String(b.block_id).startsWith("incident_"));

    await interact(
      h.eventsUrl,
      press({
        fake: h.fake,
        channel: CHANNEL,
        button: button(blocks, "incident_resolve"),
        user: "URES",
        responseId: "R1",
        message: reply,
      }),
    );
    const [update] = await h.fake.waitForCalls("chat.update");
    expect(update?.body.ts).toBe(reply.ts);
    const updated = update?.body.blocks as AnyBlock[];
    expect(updated.filter((b) => !String(b.block_id).startsWith("incident_"))).toEqual(diagnosisBlocks);
    expect(JSON.stringify(updated)).toContain("Resolved* · by <@URES>");
    expect(update?.body.text).toBe(reply.text);
    const [incident] = await h.store.list();
    expect(incident?.status).toBe("resolved");
    expect(responsesTo(h, "R1")).toEqual([]);

    await interact(
      h.eventsUrl,
      press({
        fake: h.fake,
        channel: CHANNEL,
        button: button(updated, "incident_reopen"),
        user: "URES",
        responseId: "R2",
        message: replyNow(h, reply),
      }),
    );
    const [, reopened] = await h.fake.waitForCalls("chat.update", 2);
    expect(JSON.stringify(reopened?.body.blocks)).toContain("Open*");
    expect((await h.store.list())[0]?.status).toBe("open");
  });

  it("take over makes the presser owner; pressing again says so privately", async () => {
    h = await startHarness("http");
    const reply = await paste(h, founding("httperr1.log"));
    const take = button(reply.blocks, "incident_take_over");
    await interact(
      h.eventsUrl,
      press({ fake: h.fake, channel: CHANNEL, button: take, user: "UANN", responseId: "T1", message: reply }),
    );
    const [update] = await h.fake.waitForCalls("chat.update");
    expect(JSON.stringify(update?.body.blocks)).toContain("Acknowledged* · owner <@UANN>");
    expect((await h.store.list())[0]).toMatchObject({ owner: "UANN", status: "acknowledged" });

    await interact(
      h.eventsUrl,
      press({
        fake: h.fake,
        channel: CHANNEL,
        button: take,
        user: "UANN",
        responseId: "T2",
        message: replyNow(h, reply),
      }),
    );
    const again = await h.fake.waitFor(() => responsesTo(h, "T2")[0]);
    expect(again.body).toMatchObject({ response_type: "ephemeral", replace_original: false });
    expect(String(again.body.text)).toContain("already own");
  });

  it("a later paste in a resolved thread reopens it and the new reply says so", async () => {
    h = await startHarness("http");
    const reply = await paste(h, founding("httperr1.log"));
    const id = (await h.store.list())[0]?.id as string;
    await setStatus(h.store, id, "resolved", "URES");
    const more = h.fake.addMessage(CHANNEL, {
      user: "UONCALL",
      thread_ts: reply.thread_ts,
      text: slackEscape(founding("poolmon-b.txt")),
    });
    await deliverMessage(h, "http", more);
    const [update] = await h.fake.waitForCalls("chat.update");
    expect(JSON.stringify(update?.body.blocks)).toContain("Open*");
    expect(JSON.stringify(update?.body.blocks)).toContain("incident_resolve");
    await h.fake.waitFor(async () => (await h.store.get(id))?.status === "open");
  });

  it("adds a note through the modal: views.open with the trigger, errors in the form, the note escaped in the reply", async () => {
    h = await startHarness("http");
    const reply = await paste(h, founding("httperr1.log"));
    await interact(
      h.eventsUrl,
      press({
        fake: h.fake,
        channel: CHANNEL,
        button: button(reply.blocks, "incident_note"),
        user: "UBOB",
        responseId: "N1",
        message: reply,
        triggerId: "trig-note-1",
      }),
    );
    const [open] = await h.fake.waitForCalls("views.open");
    expect(open?.body.trigger_id).toBe("trig-note-1");
    const view = open?.body.view;
    expect(view.callback_id).toBe("incident_note_modal");
    expect(JSON.stringify(view.blocks)).toContain("http.sys");

    const empty = await interact(h.eventsUrl, submitNote(h.fake, view, "UBOB", "   "));
    expect(await empty.json()).toMatchObject({
      response_action: "errors",
      errors: { note: "Write something first." },
    });

    const note = "AV vendor <!channel> ticket 4411 & <@U123> paged";
    const ok = await interact(h.eventsUrl, submitNote(h.fake, view, "UBOB", note));
    expect(await ok.text()).toBe("");
    const [update] = await h.fake.waitForCalls("chat.update");
    expect(update?.body.ts).toBe(reply.ts);
    const json = JSON.stringify(update?.body.blocks);
    expect(json).toContain("1 note, latest <@UBOB>");
    expect(json).toContain("AV vendor &lt;!channel&gt; ticket 4411 &amp; &lt;@U123&gt; paged");
    expect(json).toContain("httperr-connections-refused");
    const [incident] = await h.store.list();
    expect(incident?.notes).toMatchObject([{ author: "UBOB", text: note }]);
  });

  it("never brings back a superseded reply: the change is recorded and told privately", async () => {
    h = await startHarness("http");
    const stored = await paste(h, founding("httperr1.log"));
    // What the person saw when they pressed, before the stub replaced it.
    const reply = structuredClone(stored);
    // A later diagnosis replaced this reply by a stub (what renderSuperseded posts).
    stored.blocks = [{ type: "context", elements: [{ type: "mrkdwn", text: "↓ Superseded" }] }];
    await interact(
      h.eventsUrl,
      press({
        fake: h.fake,
        channel: CHANNEL,
        button: button(reply.blocks, "incident_resolve"),
        user: "URES",
        responseId: "S1",
        message: reply,
      }),
    );
    const told = await h.fake.waitFor(() => responsesTo(h, "S1")[0]);
    expect(String(told.body.text)).toContain("Recorded. ✅ *Resolved* · by <@URES>");
    expect(h.fake.callsTo("chat.update")).toEqual([]);
    expect((await h.store.list())[0]?.status).toBe("resolved");
  });

  it("says so privately when the incident is gone", async () => {
    h = await startHarness("http");
    const reply = await paste(h, founding("httperr1.log"));
    const forged = {
      ...button(reply.blocks, "incident_resolve"),
      value: JSON.stringify({ i: "T0FAKE:CX:1.2", w: "thread" }),
    };
    await interact(
      h.eventsUrl,
      press({
        fake: h.fake,
        channel: CHANNEL,
        button: forged,
        user: "URES",
        responseId: "G1",
        message: reply,
      }),
    );
    const gone = await h.fake.waitFor(() => responsesTo(h, "G1")[0]);
    expect(String(gone.body.text)).toContain("no longer have that incident");
    expect(h.fake.callsTo("chat.update")).toEqual([]);
  });
});

describe("incident buttons in Socket Mode", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("resolves from the reply and refuses an empty note in the modal's ack", async () => {
    h = await startHarness("socket");
    await h.fake.waitForSocket();
    const m = h.fake.addMessage(CHANNEL, { user: "UONCALL", text: slackEscape(founding("httperr1.log")) });
    await deliverMessage(h, "socket", m);
    await h.fake.waitForCalls("chat.postMessage");
    await h.fake.waitFor(async () => (await h.store.list()).length === 1);
    const reply = structuredClone(h.fake.thread(CHANNEL, m.ts).find((x) => x.bot_id === h.fake.botId));
    const common = { fake: h.fake, channel: CHANNEL, user: "URES", message: reply };
    await h.fake.sendEnvelope(
      "interactive",
      press({ ...common, button: button(reply?.blocks, "incident_resolve"), responseId: "K1" }),
    );
    const [update] = await h.fake.waitForCalls("chat.update");
    expect(JSON.stringify(update?.body.blocks)).toContain("Resolved* · by <@URES>");

    await h.fake.sendEnvelope(
      "interactive",
      press({ ...common, button: button(reply?.blocks, "incident_note"), responseId: "K2" }),
    );
    const [open] = await h.fake.waitForCalls("views.open");
    const refused = await h.fake.sendEnvelope("interactive", submitNote(h.fake, open?.body.view, "URES", ""));
    expect(refused.payload).toMatchObject({
      response_action: "errors",
      errors: { note: "Write something first." },
    });
    const ok = await h.fake.sendEnvelope("interactive", submitNote(h.fake, open?.body.view, "URES", "done"));
    expect(ok.payload ?? {}).toEqual({});
    await h.fake.waitFor(async () => (await h.store.list())[0]?.notes.length === 1);
  });
});

describe("/tattle handoff", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  /** Four incidents written straight to the bot's store, the way the bot records them. */
  async function seed(harness: Harness) {
    const d = (id: string, sev: "critical" | "warning" | "info", headline: string) =>
      diagnosis([finding(id, sev)], headline);
    const at = (channel: string, ts: string, dd: ReturnType<typeof d>, user = "UREPORT") =>
      recordDiagnosis(harness.store, {
        workspace: harness.fake.teamId,
        channel,
        threadTs: ts,
        permalink: null,
        user,
        inputs: [],
        diagnosis: dd,
      });
    const warn = await at(
      "CWEB",
      "1700000001.000001",
      d("pool-tag-leak", "warning", "Pool tag <!here> grows"),
    );
    const crit = await at(
      "COPS",
      "1700000002.000002",
      d("httperr-queue-full", "critical", "Queue full & <@U123>"),
    );
    const info = await at("COPS", "1700000003.000003", d("httperr-n-a", "info", "Odd N/A lines"), "UONCALL");
    const done = await at(
      "CWEB",
      "1700000004.000004",
      d("httperr-connections-refused", "critical", "Refused"),
    );
    await setStatus(harness.store, done.id, "resolved", "URES");
    await takeOver(harness.store, crit.id, "UONCALL");
    await harness.store.appendNote(warn.id, { author: "UBOB", text: "rebooted <!channel> & waited" });
    return { warn, crit, info, done };
  }

  it("lists open incidents by severity, resolved after, escaped, with buttons; the CLI agrees", async () => {
    h = await startHarness("http");
    const { warn, crit, info, done } = await seed(h);
    const answer = await command(h, "handoff", "H1");
    expect(answer.body.response_type).toBe("ephemeral");
    const blocks = answer.body.blocks as AnyBlock[];
    expect(handoffOrder(blocks)).toEqual([crit.id, warn.id, info.id, done.id]);
    const json = JSON.stringify(blocks);
    expect(json).toContain("Queue full &amp; &lt;@U123&gt;");
    expect(json).toContain("Pool tag &lt;!here&gt; grows");
    expect(json).toContain("rebooted &lt;!channel&gt; &amp; waited");
    expect(json).toContain("<#COPS>");
    expect(json).toContain("owner <@UONCALL>");
    // The asker owns the critical one: resolve and note, no take over.
    expect(() => button(blocks, "incident_take_over", `handoff:${crit.id}`)).toThrow();
    expect(button(blocks, "incident_take_over", `handoff:${warn.id}`)).toBeDefined();
    expect(button(blocks, "handoff_post")).toBeDefined();

    let out = "";
    const io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true }, env: {} };
    expect(await runHandoff(["--db", h.config.dbPath, "--format", "json"], io)).toBe(0);
    const cli = Handoff.parse(JSON.parse(out));
    expect([...cli.active, ...cli.resolved].map((i) => i.id)).toEqual(handoffOrder(blocks));
    expect(cli.counts).toEqual({ open: 2, acknowledged: 1, resolved: 1 });
  });

  it("`/tattle handoff 2d` takes a window; nonsense is explained, escaped", async () => {
    h = await startHarness("http", {});
    await seed(h);
    const bad = await command(h, "handoff <!channel>", "W1");
    expect(String(bad.body.text)).toContain("cannot read");
    expect(String(bad.body.text)).toContain("&lt;!channel&gt;");
    const wide = await command(h, "handoff 2d", "W2");
    expect(handoffOrder(wide.body.blocks as AnyBlock[])).toHaveLength(4);
  });

  it("take over, resolve and note from the handoff re-render it for the same window", async () => {
    h = await startHarness("http");
    const { warn, info } = await seed(h);
    const first = await command(h, "handoff", "B1");
    const blocks = first.body.blocks as AnyBlock[];
    const take = button(blocks, "incident_take_over", `handoff:${warn.id}`);
    await interact(
      h.eventsUrl,
      press({ fake: h.fake, channel: CHANNEL, button: take, user: "UONCALL", responseId: "B1" }),
    );
    const refreshed = await h.fake.waitFor(() => responsesTo(h, "B1")[1]);
    expect(refreshed.body).toMatchObject({ replace_original: true, response_type: "ephemeral" });
    const after = refreshed.body.blocks as AnyBlock[];
    expect(JSON.stringify(after)).toContain("owner <@UONCALL>");
    expect(() => button(after, "incident_take_over", `handoff:${warn.id}`)).toThrow();
    expect((await h.store.get(warn.id))?.owner).toBe("UONCALL");

    await interact(
      h.eventsUrl,
      press({
        fake: h.fake,
        channel: CHANNEL,
        button: button(after, "incident_resolve", `handoff:${info.id}`),
        user: "UONCALL",
        responseId: "B1",
      }),
    );
    const third = await h.fake.waitFor(() => responsesTo(h, "B1")[2]);
    const order = handoffOrder(third.body.blocks as AnyBlock[]);
    expect(order.at(-2)).toBe(info.id);
    expect((await h.store.get(info.id))?.status).toBe("resolved");

    await interact(
      h.eventsUrl,
      press({
        fake: h.fake,
        channel: CHANNEL,
        button: button(third.body.blocks as AnyBlock[], "incident_note", `handoff:${warn.id}`),
        user: "UONCALL",
        responseId: "B1",
      }),
    );
    const [open] = await h.fake.waitForCalls("views.open");
    expect(JSON.parse(open?.body.view.private_metadata).r).toBe(h.fake.responseUrl("B1"));
    await interact(h.eventsUrl, submitNote(h.fake, open?.body.view, "UONCALL", "handing over to <@UNIGHT>"));
    const fourth = await h.fake.waitFor(() => responsesTo(h, "B1")[3]);
    expect(fourth.body.replace_original).toBe(true);
    expect(JSON.stringify(fourth.body.blocks)).toContain("handing over to &lt;@UNIGHT&gt;");
  });

  it("Post to channel shares it for the next person; the private copy becomes a confirmation", async () => {
    h = await startHarness("http");
    const { crit } = await seed(h);
    const first = await command(h, "handoff", "P1");
    const post = button(first.body.blocks as AnyBlock[], "handoff_post");
    await interact(
      h.eventsUrl,
      press({ fake: h.fake, channel: CHANNEL, button: post, user: "UONCALL", responseId: "P1" }),
    );
    const [shared] = await h.fake.waitForCalls("chat.postMessage");
    expect(shared?.body.channel).toBe(CHANNEL);
    const blocks = shared?.body.blocks as AnyBlock[];
    expect(handoffOrder(blocks)).toEqual(handoffOrder(first.body.blocks as AnyBlock[]));
    expect(JSON.stringify(blocks)).toContain("shared by <@UONCALL>");
    expect(JSON.stringify(blocks)).not.toContain("handoff_post");
    const confirm = await h.fake.waitFor(() => responsesTo(h, "P1")[1]);
    expect(confirm.body).toMatchObject({ replace_original: true });
    expect(String(confirm.body.text)).toContain(`<#${CHANNEL}>`);

    // The next person takes over from the shared copy, which is re-rendered in the channel.
    const sharedMessage = h.fake
      .channelMessages(CHANNEL)
      .filter((m) => m.bot_id === h.fake.botId)
      .at(-1);
    await interact(
      h.eventsUrl,
      press({
        fake: h.fake,
        channel: CHANNEL,
        button: button(blocks, "incident_take_over", `handoff:${crit.id}`),
        user: "UNIGHT",
        responseId: "P2",
        message: sharedMessage,
      }),
    );
    const redone = await h.fake.waitFor(() => responsesTo(h, "P2")[0]);
    expect(redone.body).toMatchObject({ replace_original: true, response_type: "in_channel" });
    expect(JSON.stringify(redone.body.blocks)).toContain("owner <@UNIGHT>");
    expect(JSON.stringify(redone.body.blocks)).toContain("shared by <@UONCALL>");
  });

  it("falls back to the response URL when the bot is not in the channel", async () => {
    h = await startHarness("http");
    await seed(h);
    h.fake.notInChannel.add(CHANNEL);
    const first = await command(h, "handoff", "Q1");
    await interact(
      h.eventsUrl,
      press({
        fake: h.fake,
        channel: CHANNEL,
        button: button(first.body.blocks as AnyBlock[], "handoff_post"),
        user: "UONCALL",
        responseId: "Q1",
      }),
    );
    const inChannel = await h.fake.waitFor(() =>
      responsesTo(h, "Q1").find((r) => r.body.response_type === "in_channel"),
    );
    expect(handoffOrder(inChannel.body.blocks as AnyBlock[])).toHaveLength(4);
  });
});

describe("App Home", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("lists my open incidents: owned by me, or reported by me and unowned", async () => {
    h = await startHarness("http");
    const mine = await paste(h, founding("httperr1.log"), "UME");
    const taken = await paste(h, founding("poolmon-b.txt"), "UME", "CWEB");
    await paste(h, founding("httperr1.log"), "UOTHER", "CDB");
    const takenId = `${h.fake.teamId}:CWEB:${taken.thread_ts}`;
    await takeOver(h.store, takenId, "UOTHER");
    await deliver(
      h,
      "http",
      eventCallback(
        { type: "app_home_opened", user: "UME", channel: "DHOME", tab: "home", event_ts: "1" },
        { teamId: h.fake.teamId },
      ),
    );
    const [publish] = await h.fake.waitForCalls("views.publish");
    const blocks = publish?.body.view.blocks as AnyBlock[];
    const start = blocks.findIndex((b) => JSON.stringify(b).includes("Your open incidents"));
    const end = blocks.findIndex((b) => JSON.stringify(b).includes("Latest incidents"));
    const section = JSON.stringify(blocks.slice(start, end));
    expect(section).toContain(`<#${CHANNEL}>`);
    expect(section).not.toContain("<#CWEB>");
    expect(section).not.toContain("<#CDB>");
    const latest = JSON.stringify(blocks.slice(end));
    for (const c of [CHANNEL, "CWEB", "CDB"]) expect(latest).toContain(`<#${c}>`);
    expect(latest).toContain("owner <@UOTHER>");
    expect(mine.thread_ts).toBeDefined();
  });
});

describe("handoff agreement", () => {
  it("the Slack handoff and buildHandoff on the same file list the same incidents in the same order", async () => {
    const h = await startHarness("http");
    try {
      const sevs = ["info", "critical", "warning", "critical", "info", "warning"] as const;
      for (const [n, sev] of sevs.entries())
        await recordDiagnosis(h.store, {
          workspace: h.fake.teamId,
          channel: `C${n}`,
          threadTs: `17000000${n}0.000001`,
          permalink: null,
          user: "UREPORT",
          inputs: [],
          diagnosis: diagnosis([finding(`f-${n}`, sev)], `headline ${n}`),
        });
      const answer = await command(h, "handoff", "A1");
      const expected = buildHandoff(await h.store.list(), {
        sinceMs: Date.now() - 12 * 3_600_000,
        nowMs: Date.now(),
      });
      expect(handoffOrder(answer.body.blocks as AnyBlock[])).toEqual(expected.active.map((i) => i.id));
      expect(expected.active.map((i) => i.severity)).toEqual([
        "critical",
        "critical",
        "warning",
        "warning",
        "info",
        "info",
      ]);
    } finally {
      await h.close();
    }
  });
});
