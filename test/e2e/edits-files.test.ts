// Edits, files and the timeline, end to end over HTTP: an edited paste is diagnosed again once and
// its answer replaces the earlier reply; a binary file gets the short note only where an incident
// is under way or the bot is mentioned; changes made from the handoff show in the incident's thread
// (its reply's buttons and a line), and a paste into a resolved thread reopens it and says so.
import { afterEach, describe, expect, it } from "vitest";
import { setStatus } from "../../incidents/index.js";
import { type Harness, startHarness } from "../support/bot-harness.js";
import type { StoredMessage } from "../support/fake-slack.js";
import { eventCallback, messageEvent } from "../support/slack-requests.js";
import { type AnyBlock, button, interact, press } from "./handoff-helpers.js";
import { CHANNEL, deliver, founding, slackEscape } from "./helpers.js";
import {
  botMessages,
  commandAnswer,
  paste,
  replyIn,
  settled,
  timeline,
  waitForLog,
  waitForLogs,
} from "./slack-world.js";

/** A message_changed event for an edit of `m`, as Slack sends it. */
function changed(
  h: Harness,
  channel: string,
  edit: { previous: StoredMessage; message: StoredMessage },
  eventId?: string,
) {
  const ts = h.fake.nextTs();
  return eventCallback(
    {
      type: "message",
      subtype: "message_changed",
      hidden: true,
      channel,
      channel_type: "channel",
      ts,
      event_ts: ts,
      message: { type: "message", ...edit.message },
      previous_message: { type: "message", ...edit.previous },
    },
    { teamId: h.fake.teamId, ...(eventId ? { eventId } : {}) },
  );
}

const postsIn = (h: Harness, channel: string) =>
  h.fake.callsTo("chat.postMessage").filter((c) => c.body.channel === channel);
const updatesIn = (h: Harness, channel: string) =>
  h.fake.callsTo("chat.update").filter((c) => c.body.channel === channel);

describe("an edited paste", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("is diagnosed again once, and its answer replaces the reply, however far up it is", async () => {
    h = await startHarness("http");
    const { message, incidentId } = await paste(h, {
      channel: CHANNEL,
      user: "UANN",
      text: founding("httperr1.log"),
    });
    const reply = replyIn(h, CHANNEL, message.ts) as StoredMessage;
    expect(JSON.stringify(reply.blocks)).not.toContain("antivirus-pool-leak");
    // More of the incident further down the thread (boot.ini), read again with the edit, and chatter
    // that pushes the reply out of view (a new paste would get a new reply).
    h.fake.addMessage(CHANNEL, {
      user: "UBOB",
      text: slackEscape(founding("boot.ini")),
      thread_ts: message.ts,
    });
    for (let i = 0; i < 6; i++)
      h.fake.addMessage(CHANNEL, { user: "UBOB", text: `looking ${i}`, thread_ts: message.ts });

    const edit = h.fake.editMessage(
      CHANNEL,
      message.ts,
      slackEscape(`${founding("httperr1.log")}\n${founding("poolmon-b.txt")}`),
    );
    await deliver(h, "http", changed(h, CHANNEL, edit, "EvEDIT1"));
    await h.fake.waitFor(async () => (await h.store.get(incidentId))?.diagnoses === 2);
    await settled(h);
    const [update] = updatesIn(h, CHANNEL);
    expect(update?.body.ts).toBe(reply.ts);
    expect(JSON.stringify(update?.body.blocks)).toContain("antivirus-pool-leak");
    expect(JSON.stringify(update?.body.blocks)).toContain("boot-3gb-switch");
    expect((await h.store.get(incidentId))?.inputs.map((i) => i.kind).sort()).toEqual([
      "boot-ini",
      "httperr",
      "poolmon",
    ]);
    expect(postsIn(h, CHANNEL)).toHaveLength(1);

    // The same edit again (a retry, or delivered twice): nothing more.
    await deliver(h, "http", changed(h, CHANNEL, edit, "EvEDIT1"), 1);
    await waitForLogs(h, `edited message ${CHANNEL}/${message.ts}: duplicate`, 1);
    await deliver(h, "http", changed(h, CHANNEL, edit, "EvEDIT2"));
    await waitForLogs(h, `edited message ${CHANNEL}/${message.ts}: duplicate`, 2);
    // A change that alters nothing read (a link unfurled) and the bot's own edits: nothing.
    await deliver(
      h,
      "http",
      changed(h, CHANNEL, {
        previous: edit.message,
        message: { ...edit.message, attachments: [{ title: "x" }] },
      }),
    );
    await waitForLog(h, `edited message ${CHANNEL}/${message.ts}: skipped (nothing read changed)`);
    const ours = { ...reply, text: "x" };
    await deliver(h, "http", changed(h, CHANNEL, { previous: reply, message: ours }));
    await waitForLog(h, `edited message ${CHANNEL}/${reply.ts}: skipped (our own)`);
    expect(updatesIn(h, CHANNEL)).toHaveLength(1);
    expect(postsIn(h, CHANNEL)).toHaveLength(1);
    expect((await h.store.get(incidentId))?.diagnoses).toBe(2);
  });

  it("in a channel with nothing on file yet, an edit that makes a paste readable is answered", async () => {
    h = await startHarness("http");
    const m = h.fake.addMessage(CHANNEL, { user: "UANN", text: "one moment, pasting the log" });
    const edit = h.fake.editMessage(CHANNEL, m.ts, slackEscape(founding("httperr1.log")));
    await deliver(h, "http", changed(h, CHANNEL, edit));
    const id = `${h.fake.teamId}:${CHANNEL}:${m.ts}`;
    await h.fake.waitFor(async () => (await h.store.get(id)) !== undefined);
    await settled(h);
    expect(postsIn(h, CHANNEL)).toHaveLength(1);
  });
});

describe("a file the bot cannot read", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  const evtx = (name = "System.evtx") =>
    h.fake.addFile({
      name,
      mimetype: "application/octet-stream",
      filetype: "binary",
      content: Buffer.alloc(64, 1),
    });

  async function upload(channel: string, files: unknown[], threadTs?: string, text = "") {
    const m = h.fake.addMessage(channel, {
      user: "UANN",
      text,
      files: files as StoredMessage["files"],
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
    await deliver(
      h,
      "http",
      eventCallback(
        messageEvent({
          channel,
          ts: m.ts,
          user: "UANN",
          text,
          files,
          ...(threadTs ? { thread_ts: threadTs } : {}),
        }),
        { teamId: h.fake.teamId },
      ),
    );
    return m;
  }

  it("gets nothing in a channel, top level or in a thread that is not an incident", async () => {
    h = await startHarness("http");
    const top = await upload(CHANNEL, [evtx()]);
    h.fake.addMessage(CHANNEL, { user: "UBOB", text: "what is this?", thread_ts: top.ts });
    const inThread = await upload(CHANNEL, [evtx("Application.evtx")], top.ts);
    await waitForLog(h, `paste ${CHANNEL}/${top.ts}: ignored`);
    await waitForLog(h, `paste ${CHANNEL}/${inThread.ts}: ignored`);
    await settled(h);
    expect(botMessages(h, CHANNEL)).toEqual([]);
  });

  it("gets the short note in an incident's thread, named so that it cannot pass for something else", async () => {
    h = await startHarness("http");
    const { message, incidentId } = await paste(h, {
      channel: CHANNEL,
      user: "UANN",
      text: founding("httperr1.log"),
    });
    const name = "<!here>\u202Egpj.evtx";
    await upload(CHANNEL, [evtx(name)], message.ts);
    const note = await h.fake.waitFor(() => postsIn(h, CHANNEL)[1]);
    expect(note.body.thread_ts).toBe(message.ts);
    const json = JSON.stringify(note.body);
    expect(json).toContain("I can't read that file here");
    expect(json).toContain("&lt;!here&gt;[U+202E]gpj.evtx");
    expect(json).toContain("Event Log");
    expect(json).not.toContain("\u202E");
    expect(json).not.toContain("<!here>");
    // The diagnosis is left as it was: no update, no second diagnosis.
    expect(updatesIn(h, CHANNEL)).toEqual([]);
    expect((await h.store.get(incidentId))?.diagnoses).toBe(1);
  });

  it("gets the note when the message mentions the bot", async () => {
    h = await startHarness("http");
    const file = evtx();
    const m = h.fake.addMessage(CHANNEL, { user: "UANN", text: `<@${h.fake.botUserId}>`, files: [file] });
    await deliver(
      h,
      "http",
      eventCallback(
        {
          type: "app_mention",
          channel: CHANNEL,
          user: "UANN",
          text: m.text,
          ts: m.ts,
          event_ts: m.ts,
          files: [file],
        },
        { teamId: h.fake.teamId },
      ),
    );
    const [answer] = await h.fake.waitFor(() =>
      postsIn(h, CHANNEL).length ? postsIn(h, CHANNEL) : undefined,
    );
    expect(answer?.body.thread_ts).toBe(m.ts);
    expect(JSON.stringify(answer?.body)).toContain("System.evtx");
  });
});

describe("the thread tells the story", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("a change made from the handoff updates the reply's buttons and leaves a line in the thread", async () => {
    h = await startHarness("http");
    const { message, incidentId } = await paste(h, {
      channel: CHANNEL,
      user: "UANN",
      text: founding("httperr1.log"),
    });
    const handoff = await commandAnswer(h, {
      text: "handoff",
      responseId: "H1",
      user: "UBOB",
      channel: CHANNEL,
    });
    await interact(
      h.eventsUrl,
      press({
        fake: h.fake,
        channel: CHANNEL,
        button: button(handoff.body.blocks as AnyBlock[], "incident_take_over", `handoff:${incidentId}`),
        user: "UBOB",
        responseId: "H1",
      }),
    );
    const [update] = await h.fake.waitForCalls("chat.update");
    expect(update?.body.ts).toBe(replyIn(h, CHANNEL, message.ts)?.ts);
    expect(JSON.stringify(update?.body.blocks)).toContain("Acknowledged* · owner bob");
    const [line] = await h.fake.waitFor(() =>
      timeline(h, CHANNEL).length ? timeline(h, CHANNEL) : undefined,
    );
    expect(line?.thread_ts).toBe(message.ts);
    expect(line?.text).toBe("🙋 bob took over: owner now, acknowledged.");

    // Resolved from the handoff too, then a new paste in the thread reopens it and says so.
    const again = await commandAnswer(h, {
      text: "handoff",
      responseId: "H2",
      user: "UBOB",
      channel: CHANNEL,
    });
    await interact(
      h.eventsUrl,
      press({
        fake: h.fake,
        channel: CHANNEL,
        button: button(again.body.blocks as AnyBlock[], "incident_resolve", `handoff:${incidentId}`),
        user: "UBOB",
        responseId: "H2",
      }),
    );
    await h.fake.waitFor(() => timeline(h, CHANNEL).length === 2);
    expect((await h.store.get(incidentId))?.status).toBe("resolved");
    await paste(h, { channel: CHANNEL, user: "UCY", text: founding("poolmon-b.txt"), threadTs: message.ts });
    await h.fake.waitFor(() => timeline(h, CHANNEL).length === 3);
    expect(timeline(h, CHANNEL).map((m) => m.text)).toEqual([
      "🙋 bob took over: owner now, acknowledged.",
      "✅ bob resolved it.",
      "↩️ Reopened: cy pasted more after it was resolved; the reply above reads it all again.",
    ]);
    expect((await h.store.get(incidentId))?.status).toBe("open");
    // The reply is still the one updated (timeline lines are never taken for it).
    expect(
      postsIn(h, CHANNEL).filter((c) => JSON.stringify(c.body.blocks).includes("incident_actions")),
    ).toHaveLength(1);
  });

  it("a note leaves its line in the thread, escaped", async () => {
    h = await startHarness("http");
    const { message, incidentId } = await paste(h, {
      channel: CHANNEL,
      user: "UANN",
      text: founding("httperr1.log"),
    });
    await setStatus(h.store, incidentId, "acknowledged", "UANN");
    const reply = replyIn(h, CHANNEL, message.ts);
    await interact(
      h.eventsUrl,
      press({
        fake: h.fake,
        channel: CHANNEL,
        button: button(reply?.blocks, "incident_note"),
        user: "UANN",
        responseId: "N1",
        message: reply,
      }),
    );
    const [open] = await h.fake.waitForCalls("views.open");
    const { submitNote } = await import("./handoff-helpers.js");
    await interact(
      h.eventsUrl,
      submitNote(h.fake, open?.body.view, "UANN", "*vendor* `ticket` <!here> 4411"),
    );
    const [line] = await h.fake.waitFor(() =>
      timeline(h, CHANNEL).length ? timeline(h, CHANNEL) : undefined,
    );
    expect(line?.text).toBe("📝 ann added a note: `*vendor*` ˋticketˋ &lt;!here&gt; 4411");
  });
});
