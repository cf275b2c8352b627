// The injection catalogue (test/support/injection-strings.ts) through every surface that echoes
// what people typed: a paste's reply (HTTPERR URIs and queue names carry user text), file names,
// /tattle lookups and their shared copy, App Home, the handoff, its "Post to channel", and notes
// from the note modal. Nothing from user input may reach Slack as a live mention, broadcast,
// channel or group reference, or link.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NOTE_BLOCK, NOTE_INPUT, NOTE_MODAL } from "../../bot/render/incident-actions.js";
import { type Harness, SIGNING_SECRET, startHarness } from "../support/bot-harness.js";
import { allInjections, asTyped, expectNoPings, INJECTIONS } from "../support/injection-strings.js";
import {
  blockAction,
  commandFields,
  eventCallback,
  FORM,
  formBody,
  interactiveBody,
  messageShortcut,
  postSigned,
} from "../support/slack-requests.js";
import { CHANNEL, deliver, deliverMessage, visibleText } from "./helpers.js";

const PERSON = "UONCALL";
/** What the bot itself may send: the people and channels of Slack's own ids in these payloads. */
const ALLOW = [`<@${PERSON}>`, "<@UPERSON>", `<#${CHANNEL}>`, "<#CRAW>", "<#CTYPED>"];

const FIELDS =
  "#Fields: date time c-ip c-port s-ip s-port cs-version cs-method cs-uri sc-status s-siteid s-reason s-queuename";
const REASONS = ["QueueFull", "BadRequest", "Connection_Abandoned_By_ReqQueue"];

/** HTTPERR lines whose URI and queue name are the catalogue (one field each: no spaces). */
function hostileLog(): string {
  const lines = [FIELDS];
  let n = 0;
  for (const inj of INJECTIONS) {
    const field = inj.text.replace(/\s+/g, "_");
    for (let k = 0; k < 5; k++, n++) {
      const s = String(n % 60).padStart(2, "0");
      const m = String(Math.floor(n / 60) % 60).padStart(2, "0");
      lines.push(
        `2024-03-01 10:${m}:${s} 10.0.0.${n % 7} ${1000 + n} 10.0.0.9 80 HTTP/1.1 GET /p/${field} 503 1 ${REASONS[n % 3]} Pool${field}`,
      );
    }
  }
  return lines.join("\n");
}

async function post(h: Harness, body: string, contentType = FORM): Promise<void> {
  const res = await postSigned(h.eventsUrl, body, { secret: SIGNING_SECRET, contentType });
  expect(res.status).toBe(200);
}

// biome-ignore lint/suspicious/noExplicitAny: Block Kit as recorded
function buttonValue(blocks: any[] | undefined, actionId: string): string | undefined {
  for (const b of blocks ?? [])
    for (const e of b.elements ?? []) if (e.action_id === actionId) return e.value as string;
  return undefined;
}

describe("injection catalogue through every surface", () => {
  let h: Harness;
  let rawTs = "";
  beforeAll(async () => {
    h = await startHarness("http");
  });
  afterAll(async () => h?.close());

  it("the check itself catches what it must", () => {
    for (const bad of [
      "<!here>",
      "x <@U1|a> y",
      "<#C1>",
      "<!subteam^S1>",
      "<https://evil.example|x>",
      "<!channel",
    ])
      expect(() => expectNoPings({ text: bad })).toThrow();
    expect(() => expectNoPings({ text: "x", link_names: true })).toThrow();
    expectNoPings(
      { text: "&lt;!here&gt; <https://learn.microsoft.com/x|KB> <@UONCALL>" },
      { allow: ["<@UONCALL>"] },
    );
  });

  it("a paste's reply echoes hostile URIs and queue names escaped, as Slack sends them raw or typed", async () => {
    // Raw: what Slack delivers for mentions and links it made itself. Typed: everything escaped.
    const raw = h.fake.addMessage("CRAW", { user: PERSON, text: hostileLog() });
    rawTs = raw.ts;
    await deliverMessage(h, "http", raw, { channel: "CRAW" });
    const typed = h.fake.addMessage("CTYPED", { user: PERSON, text: asTyped(hostileLog()) });
    await deliverMessage(h, "http", typed, { channel: "CTYPED" });
    await h.fake.waitFor(() => h.fake.visiblePosts("CRAW").length && h.fake.visiblePosts("CTYPED").length);
    for (const channel of ["CRAW", "CTYPED"]) {
      const [reply] = h.fake.visiblePosts(channel);
      const seen = visibleText(reply);
      expect(seen).toContain("httperr-queue-full");
      // It did echo the user's text (so the check below means something), escaped.
      expect(seen).toMatch(/&lt;!channel&gt;|&lt;@U123&gt;/);
      expectNoPings(seen, { allow: ALLOW });
      expectNoPings(reply?.body, { allow: ALLOW });
    }
  });

  it("file names: a text file's name in the reply and a binary file's name in its note", async () => {
    const name = allInjections(" ").slice(0, 180);
    const text = h.fake.addFile({
      name: `${name}.log`,
      mimetype: "text/plain",
      filetype: "text",
      content: hostileLog(),
    });
    const picture = h.fake.addFile({
      name: `${name}.png`,
      mimetype: "image/png",
      filetype: "png",
      content: Buffer.alloc(8),
    });
    const m = h.fake.addMessage(CHANNEL, { user: PERSON, text: "", files: [text, picture] });
    await deliverMessage(h, "http", m);
    const reply = await h.fake.waitFor(() =>
      h.fake.visiblePosts(CHANNEL).find((c) => c.body.thread_ts === m.ts),
    );
    const seen = visibleText(reply);
    expect(seen).toContain("is a picture");
    expect(seen).toContain("&lt;!channel&gt;");
    expectNoPings(seen, { allow: ALLOW });
  });

  it("/tattle QUERY echoes each catalogue entry escaped, and its shared copy too", async () => {
    const queries = [...INJECTIONS.map((i) => i.text), allInjections(" ")];
    for (const [n, text] of queries.entries()) {
      await post(
        h,
        formBody(
          commandFields({
            text,
            teamId: h.fake.teamId,
            channel: CHANNEL,
            responseUrl: h.fake.responseUrl(`Q${n}`),
          }),
        ),
      );
    }
    const answers = await h.fake.waitFor(() => {
      const got = h.fake.responses.filter((r) => r.id.startsWith("Q"));
      return got.length >= queries.length ? got : undefined;
    });
    for (const a of answers) expectNoPings(a.body, { allow: ALLOW });

    // The share button carries the query back; its channel copy names the sharer, and nothing else pings.
    const withButton = answers.find((a) => buttonValue(a.body.blocks as never, "lookup_share"));
    expect(withButton).toBeDefined();
    const before = h.fake.visiblePosts(CHANNEL).length;
    await post(
      h,
      interactiveBody(
        blockAction({
          teamId: h.fake.teamId,
          channel: CHANNEL,
          actionId: "lookup_share",
          value: `${allInjections(" ").slice(0, 400)} connections_refused`,
          responseUrl: h.fake.responseUrl("SHARE"),
        }),
      ),
    );
    await h.fake.waitFor(() => h.fake.visiblePosts(CHANNEL).length > before);
    const shared = h.fake.visiblePosts(CHANNEL).at(-1);
    expectNoPings(shared?.body, { allow: ALLOW });
  });

  it("the message shortcut, readable or not, answers without pings", async () => {
    const unreadable = h.fake.addMessage(CHANNEL, { user: PERSON, text: asTyped(allInjections("\n")) });
    await post(
      h,
      interactiveBody(
        messageShortcut({
          teamId: h.fake.teamId,
          channel: CHANNEL,
          message: { ts: unreadable.ts, user: PERSON, text: unreadable.text },
          responseUrl: h.fake.responseUrl("SC1"),
        }),
      ),
    );
    const answer = await h.fake.waitFor(() => h.fake.responses.find((r) => r.id === "SC1"));
    expectNoPings(answer.body, { allow: ALLOW });

    const dm = h.fake.addMessage("DONCALL", { user: PERSON, text: asTyped(allInjections(" ")) });
    await deliverMessage(h, "http", dm, { channel: "DONCALL", channelType: "im" });
    const [reply] = await h.fake.waitFor(() => {
      const p = h.fake.visiblePosts("DONCALL");
      return p.length ? p : undefined;
    });
    expectNoPings(reply?.body, { allow: ALLOW });
  });

  it("a note from the modal, in the thread reply and the handoff; the handoff posted to the channel", async () => {
    const [reply] = h.fake.visiblePosts("CRAW");
    // biome-ignore lint/suspicious/noExplicitAny: Block Kit as recorded
    const blocks = reply?.body.blocks as any[];
    const noteValue = buttonValue(blocks, "incident_note");
    expect(noteValue).toBeDefined();
    const replyTs = h.fake.channelMessages("CRAW").find((m) => m.bot_id === h.fake.botId)?.ts as string;
    await post(
      h,
      interactiveBody({
        ...blockAction({
          teamId: h.fake.teamId,
          channel: "CRAW",
          actionId: "incident_note",
          value: noteValue as string,
          user: PERSON,
          responseUrl: h.fake.responseUrl("NOTE1"),
          messageTs: replyTs,
        }),
        message: { type: "message", ts: replyTs, thread_ts: rawTs, blocks, text: reply?.body.text },
      }),
    );
    const [open] = await h.fake.waitForCalls("views.open");
    expectNoPings(open?.body.view, { allow: ALLOW });
    const note = allInjections(" ").slice(0, 2500);
    const updatesBefore = h.fake.callsTo("chat.update").length;
    await post(
      h,
      interactiveBody({
        type: "view_submission",
        team: { id: h.fake.teamId, domain: "fake" },
        user: { id: PERSON, username: "oncall", team_id: h.fake.teamId },
        api_app_id: "AFAKE",
        token: "legacy",
        trigger_id: "1.2.trigger",
        view: {
          id: "VNOTE",
          type: "modal",
          callback_id: NOTE_MODAL,
          private_metadata: open?.body.view.private_metadata,
          state: { values: { [NOTE_BLOCK]: { [NOTE_INPUT]: { type: "plain_text_input", value: note } } } },
          hash: "h",
        },
        response_urls: [],
      }),
    );
    const updates = await h.fake.waitFor(() => {
      const u = h.fake.callsTo("chat.update");
      return u.length > updatesBefore ? u : undefined;
    });
    const updated = updates.at(-1);
    expect(visibleText(updated)).toContain("&lt;!channel&gt;");
    expectNoPings(updated?.body, { allow: ALLOW });

    await post(
      h,
      formBody(
        commandFields({
          text: "handoff",
          teamId: h.fake.teamId,
          channel: CHANNEL,
          user: PERSON,
          responseUrl: h.fake.responseUrl("HO1"),
        }),
      ),
    );
    const handoff = await h.fake.waitFor(() => h.fake.responses.find((r) => r.id === "HO1"));
    expect(JSON.stringify(handoff.body)).toContain("&lt;!channel&gt;");
    expectNoPings(handoff.body, { allow: ALLOW });

    const postValue = buttonValue(handoff.body.blocks as never, "handoff_post");
    expect(postValue).toBeDefined();
    const before = h.fake.visiblePosts(CHANNEL).length;
    await post(
      h,
      interactiveBody(
        blockAction({
          teamId: h.fake.teamId,
          channel: CHANNEL,
          actionId: "handoff_post",
          value: postValue as string,
          user: PERSON,
          responseUrl: h.fake.responseUrl("HO2"),
        }),
      ),
    );
    await h.fake.waitFor(() => h.fake.visiblePosts(CHANNEL).length > before);
    expectNoPings(h.fake.visiblePosts(CHANNEL).at(-1)?.body, { allow: ALLOW });
  });

  it("App Home lists the hostile incidents without pings", async () => {
    await deliver(
      h,
      "http",
      eventCallback(
        { type: "app_home_opened", user: PERSON, channel: "DHOME", tab: "home", event_ts: "1" },
        { teamId: h.fake.teamId },
      ),
    );
    const [publish] = await h.fake.waitForCalls("views.publish");
    const view = JSON.stringify(publish?.body.view);
    expect(view).toContain("&lt;!channel&gt;");
    expectNoPings(view, { allow: ALLOW });
  });
});
