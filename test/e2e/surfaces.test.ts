// Every surface end to end over HTTP (signed requests) against the fake Slack: files, the message
// shortcut, the slash command and its share button, feedback, App Home, DMs, mentions, retries,
// injection and oversized input.
import { afterEach, describe, expect, it } from "vitest";
import { type Harness, SIGNING_SECRET, startHarness } from "../support/bot-harness.js";
import { ISSUE_REASON_PHRASES } from "../support/reason-phrases.js";
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
import { CHANNEL, deliver, deliverMessage, founding, slackEscape, visibleText } from "./helpers.js";

const INJECTIONS = [
  "<!channel>",
  "<!here>",
  "<!everyone>",
  "<@U123>",
  "<#C999|general>",
  "<!subteam^S1|@oncall>",
];

/** No `<` in what was posted opens anything but a link we built (`<https://…|…>`) or a channel ref. */
function expectNoPings(json: string): void {
  const opens = json.match(/<(?!https:\/\/)[^>]{0,40}/g) ?? [];
  expect(opens.filter((o) => !/^<#C[A-Z0-9]+$/.test(o))).toEqual([]);
  for (const raw of ["<!channel", "<!here", "<!everyone", "<@U", "<!subteam"])
    expect(json).not.toContain(raw);
}

async function post(h: Harness, body: string, contentType = FORM): Promise<Response> {
  const res = await postSigned(h.eventsUrl, body, { secret: SIGNING_SECRET, contentType });
  expect(res.status).toBe(200);
  return res;
}

describe("surfaces over HTTP", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("reads an uploaded HTTPERR file with the bot token and answers in its thread", async () => {
    h = await startHarness("http");
    const file = h.fake.addFile({
      name: "httperr1.log",
      mimetype: "text/plain",
      filetype: "text",
      content: founding("httperr1.log"),
    });
    const m = h.fake.addMessage(CHANNEL, { user: "UONCALL", text: "", files: [file] });
    await deliverMessage(h, "http", m);
    const [reply] = await h.fake.waitForCalls("chat.postMessage");
    expect(reply?.body.thread_ts).toBe(m.ts);
    expect(visibleText(reply)).toContain("httperr-connections-refused");
    expect(visibleText(reply)).toContain("file httperr1.log");
    expect(h.fake.downloads).toEqual([{ fileId: file.id, auth: "bot" }]);
  });

  it("reads a UTF-16 file from a partial event file object via files.info, and declines binaries politely", async () => {
    h = await startHarness("http");
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(founding("poolmon-b.txt"), "utf16le"),
    ]);
    const text = h.fake.addFile({
      name: "poolmon.txt",
      mimetype: "text/plain",
      filetype: "text",
      content: utf16,
    });
    const evtx = h.fake.addFile({
      name: "System.evtx",
      mimetype: "application/octet-stream",
      filetype: "binary",
      content: Buffer.alloc(64, 1),
    });
    const m = h.fake.addMessage(CHANNEL, {
      user: "UONCALL",
      files: [{ id: text.id, file_access: "check_file_info" }, evtx],
    });
    await deliverMessage(h, "http", m);
    const [reply] = await h.fake.waitForCalls("chat.postMessage");
    const seen = visibleText(reply);
    expect(seen).toContain("antivirus-pool-leak");
    expect(seen).toContain("System.evtx is a binary Event Log file");
    expect(h.fake.callsTo("files.info")).toHaveLength(1);
    expect(h.fake.downloads.map((d) => d.fileId)).toEqual([text.id]);
  });

  it("caps a file over TATTLETALE_MAX_FILE_BYTES, says so, and still reads its start", async () => {
    h = await startHarness("http", { env: { TATTLETALE_MAX_FILE_BYTES: String(4096) } });
    const big = founding("httperr1.log").repeat(20);
    const file = h.fake.addFile({ name: "big.log", mimetype: "text/plain", filetype: "text", content: big });
    await deliverMessage(h, "http", h.fake.addMessage(CHANNEL, { user: "UONCALL", files: [file] }));
    const [reply] = await h.fake.waitForCalls("chat.postMessage");
    expect(visibleText(reply)).toContain("I read its first");
    expect(visibleText(reply)).toContain("httperr-connections-refused");
  });

  it("ignores chatter in channels but answers a DM with what it reads", async () => {
    h = await startHarness("http");
    await deliverMessage(
      h,
      "http",
      h.fake.addMessage(CHANNEL, { user: "UONCALL", text: "anyone seen the site down?" }),
    );
    const dm = h.fake.addMessage("DPERSON", { user: "UONCALL", text: "hello there" });
    await deliverMessage(h, "http", dm, { channel: "DPERSON", channelType: "im" });
    const [reply] = await h.fake.waitForCalls("chat.postMessage");
    expect(reply?.body.channel).toBe("DPERSON");
    expect(visibleText(reply)).toContain("Nothing I can read here");
    expect(visibleText(reply)).toContain("poolmon");
    // What was seen instead, precisely.
    expect(visibleText(reply)).toContain(
      'Your message: 11 bytes of text (1 line) with no line Tattletale recognises, starting \\"hello there\\".',
    );
    expect(h.fake.visiblePosts(CHANNEL)).toEqual([]);
  });

  it("answers a mention once although Slack sends it as app_mention and as message", async () => {
    h = await startHarness("http");
    const text = `<@${h.fake.botUserId}> ${slackEscape(founding("httperr1.log"))}`;
    const m = h.fake.addMessage(CHANNEL, { user: "UONCALL", text });
    await deliverMessage(h, "http", m);
    await deliver(
      h,
      "http",
      eventCallback(
        { type: "app_mention", channel: CHANNEL, user: "UONCALL", text, ts: m.ts, event_ts: m.ts },
        { teamId: h.fake.teamId },
      ),
    );
    await h.fake.waitForCalls("chat.postMessage");
    await deliver(
      h,
      "http",
      eventCallback(
        {
          type: "app_mention",
          channel: CHANNEL,
          user: "UONCALL",
          text: "<@UTATTLE> and?",
          ts: h.fake.nextTs(),
          event_ts: "1",
        },
        { teamId: h.fake.teamId },
      ),
    );
    await h.fake.waitForCalls("chat.postMessage", 2);
    expect(h.fake.callsTo("chat.postMessage")).toHaveLength(2);
  });

  it("posts one reply for an event Slack retries (X-Slack-Retry-Num, same event_id)", async () => {
    h = await startHarness("http");
    const m = h.fake.addMessage(CHANNEL, { user: "UONCALL", text: slackEscape(founding("httperr1.log")) });
    await deliverMessage(h, "http", m, { eventId: "Ev-RETRIED" });
    await h.fake.waitForCalls("chat.postMessage");
    await deliverMessage(h, "http", m, { eventId: "Ev-RETRIED", retryNum: 1 });
    await deliverMessage(h, "http", m, { eventId: "Ev-RETRIED", retryNum: 2 });
    // A different event id for the same message (a redelivery) is caught by the message key.
    await deliverMessage(h, "http", m, { eventId: "Ev-OTHER" });
    // A later paste proves the bot is still answering, and that nothing else was queued.
    await deliverMessage(
      h,
      "http",
      h.fake.addMessage("COTHER", { user: "UONCALL", text: slackEscape(founding("httperr1.log")) }),
      { channel: "COTHER" },
    );
    await h.fake.waitFor(() => h.fake.visiblePosts("COTHER").length === 1);
    expect(h.fake.visiblePosts(CHANNEL)).toHaveLength(1);
    // Keyed once per message (its channel and ts), whatever the event id.
    expect(h.logs.filter((l) => l.includes(`ignoring a repeat of message ${CHANNEL}/${m.ts}`))).toHaveLength(
      3,
    );
  });

  it("diagnoses a message from the shortcut into its thread, and tells only the user when unreadable", async () => {
    h = await startHarness("http");
    const parent = h.fake.addMessage(CHANNEL, { user: "UOTHER", text: "site is down" });
    const inThread = h.fake.addMessage(CHANNEL, {
      user: "UOTHER",
      thread_ts: parent.ts,
      text: slackEscape(founding("httperr1.log")),
    });
    const payload = messageShortcut({
      teamId: h.fake.teamId,
      channel: CHANNEL,
      message: { ...inThread },
      responseUrl: h.fake.responseUrl("S1"),
    });
    await post(h, interactiveBody(payload));
    const [reply] = await h.fake.waitForCalls("chat.postMessage");
    expect(reply?.body.thread_ts).toBe(parent.ts);
    expect(visibleText(reply)).toContain("httperr-connections-refused");

    const lone = h.fake.addMessage(CHANNEL, { user: "UOTHER", text: "lunch?" });
    const chatter = messageShortcut({
      teamId: h.fake.teamId,
      channel: CHANNEL,
      message: { ...lone },
      responseUrl: h.fake.responseUrl("S2"),
    });
    await post(h, interactiveBody(chatter));
    const answer = await h.fake.waitFor(() => h.fake.responses.find((r) => r.id === "S2"));
    expect(answer.body.response_type).toBe("ephemeral");
    expect(JSON.stringify(answer.body)).toContain("Nothing I can read here");
    expect(h.fake.callsTo("chat.postMessage")).toHaveLength(1);
  });

  it("answers /tattle QUERY privately and shares it in the channel from the button", async () => {
    h = await startHarness("http");
    const fields = commandFields({
      text: "conection refused",
      teamId: h.fake.teamId,
      channel: CHANNEL,
      responseUrl: h.fake.responseUrl("C1"),
    });
    const res = await post(h, formBody(fields));
    expect(await res.text()).toBe("");
    const answer = await h.fake.waitFor(() => h.fake.responses.find((r) => r.id === "C1"));
    expect(answer.body.response_type).toBe("ephemeral");
    const blocks = JSON.stringify(answer.body.blocks);
    expect(blocks).toContain("httperr-connections-refused");
    expect(blocks).toContain("lookup_share");

    const share = blockAction({
      teamId: h.fake.teamId,
      channel: CHANNEL,
      actionId: "lookup_share",
      value: "conection refused",
      responseUrl: h.fake.responseUrl("C1"),
    });
    await post(h, interactiveBody(share));
    const [shared] = await h.fake.waitForCalls("chat.postMessage");
    expect(shared?.body.channel).toBe(CHANNEL);
    expect(visibleText(shared)).toContain("httperr-connections-refused");
    expect(visibleText(shared)).not.toContain("lookup_share");
    await h.fake.waitFor(() => h.fake.responses.find((r) => r.body.delete_original === true));
  });

  it("answers /tattle help and /tattle handoff privately", async () => {
    h = await startHarness("http");
    for (const [text, id] of [
      ["help", "H1"],
      ["handoff", "H2"],
      ["", "H3"],
    ] as const)
      await post(
        h,
        formBody(
          commandFields({
            text,
            teamId: h.fake.teamId,
            channel: CHANNEL,
            responseUrl: h.fake.responseUrl(id),
          }),
        ),
      );
    const [help, handoff, empty] = await Promise.all(
      ["H1", "H2", "H3"].map((id) => h.fake.waitFor(() => h.fake.responses.find((r) => r.id === id))),
    );
    expect(JSON.stringify(help?.body)).toContain("/tattle QUERY");
    expect(JSON.stringify(handoff?.body)).toContain("On-call handoff");
    expect(JSON.stringify(empty?.body)).toContain("/tattle QUERY");
  });

  it("records feedback from the buttons on the reply", async () => {
    h = await startHarness("http");
    const m = h.fake.addMessage(CHANNEL, { user: "UONCALL", text: slackEscape(founding("httperr1.log")) });
    await deliverMessage(h, "http", m);
    const [reply] = await h.fake.waitForCalls("chat.postMessage");
    await h.fake.waitFor(async () => (await h.store.list()).length === 1);
    // biome-ignore lint/suspicious/noExplicitAny: Block Kit as sent
    const actions = ((reply?.body.blocks ?? []) as any[]).find((b) => b.block_id === "tattletale_feedback");
    const wrong = actions.elements.find((e: { action_id: string }) => e.action_id === "feedback_wrong");
    await post(
      h,
      interactiveBody(
        blockAction({
          teamId: h.fake.teamId,
          channel: CHANNEL,
          actionId: "feedback_wrong",
          value: wrong.value,
          user: "UREVIEW",
          responseUrl: h.fake.responseUrl("F1"),
          messageTs: "x",
        }),
      ),
    );
    const thanks = await h.fake.waitFor(() => h.fake.responses.find((r) => r.id === "F1"));
    expect(String(thanks.body.text)).toContain("recorded");
    const [incident] = await h.store.list();
    expect(incident?.feedback).toMatchObject([
      { user: "UREVIEW", answer: "wrong", findingId: "httperr-connections-refused" },
    ]);
  });

  it("publishes App Home with what it reads and the latest incidents", async () => {
    h = await startHarness("http");
    await deliverMessage(
      h,
      "http",
      h.fake.addMessage(CHANNEL, { user: "UONCALL", text: slackEscape(founding("httperr1.log")) }),
    );
    await h.fake.waitFor(async () => (await h.store.list()).length === 1);
    await deliver(
      h,
      "http",
      eventCallback(
        { type: "app_home_opened", user: "UONCALL", channel: "DHOME", tab: "home", event_ts: "1" },
        { teamId: h.fake.teamId },
      ),
    );
    const [publish] = await h.fake.waitForCalls("views.publish");
    expect(publish?.body.user_id).toBe("UONCALL");
    const view = JSON.stringify(publish?.body.view);
    expect(view).toContain("What I read");
    expect(view).toContain("http.sys refused");
  });

  it("neutralises mentions and broadcasts in everything it echoes", async () => {
    h = await startHarness("http");
    const lines = INJECTIONS.map(
      (inj, i) =>
        `2024-03-01 10:00:0${i} 10.0.0.${i} 1000 10.0.0.1 80 HTTP/1.1 GET /${inj} 503 1 QueueFull ${inj}`,
    );
    const text = [
      "#Fields: date time c-ip c-port s-ip s-port cs-version cs-method cs-uri sc-status s-siteid s-reason s-queuename",
      ...lines,
    ].join("\n");
    const binary = h.fake.addFile({
      name: "<!channel> <@U123>.png",
      mimetype: "image/png",
      filetype: "png",
      content: Buffer.alloc(8),
    });
    const m = h.fake.addMessage(CHANNEL, { user: "UONCALL", text, files: [binary] });
    await deliverMessage(h, "http", m);
    const [reply] = await h.fake.waitForCalls("chat.postMessage");
    const seen = visibleText(reply);
    expect(seen).toContain("httperr-queue-full");
    expect(seen).toContain("&lt;!channel&gt;");
    expectNoPings(seen);
    expect(reply?.body.link_names).toBeUndefined();

    await post(
      h,
      formBody(
        commandFields({
          text: INJECTIONS.join(" "),
          teamId: h.fake.teamId,
          channel: CHANNEL,
          responseUrl: h.fake.responseUrl("L1"),
        }),
      ),
    );
    const lookup = await h.fake.waitFor(() => h.fake.responses.find((r) => r.id === "L1"));
    expectNoPings(JSON.stringify(lookup.body));
  });

  it("keeps an oversized paste and a flood of findings within Slack's limits", async () => {
    h = await startHarness("http", { env: { TATTLETALE_MAX_THREAD_BYTES: String(4_000_000) } });
    // Every phrase, with the refusals in their `N_` form.
    const phrases = ISSUE_REASON_PHRASES.map((p) =>
      p === "Connections_Refused" ? "N_Connections_Refused" : p,
    );
    const line = (i: number) => {
      const p = (phrases[i % phrases.length] ?? "QueueFull").replace("N_", `${(i % 9) + 1}_`);
      return `2024-03-01 ${String(10 + (((i / 3600) | 0) % 10)).padStart(2, "0")}:${String(((i / 60) | 0) % 60).padStart(2, "0")}:${String(i % 60).padStart(2, "0")} 10.1.${i % 250}.${i % 200} ${1000 + (i % 50000)} 10.0.0.1 80 HTTP/1.1 GET /p${i}<!here> 503 1 ${p} Pool${i % 7}`;
    };
    const text = Array.from({ length: 20_000 }, (_, i) => line(i)).join("\n");
    expect(text.length).toBeGreaterThan(1_000_000);
    // Slack turns a paste this long (over 40,000 characters) into a text snippet: a file.
    const file = h.fake.addFile({
      name: "paste.txt",
      mimetype: "text/plain",
      filetype: "text",
      content: text,
    });
    await deliverMessage(h, "http", h.fake.addMessage(CHANNEL, { user: "UONCALL", files: [file] }));
    const [reply] = await h.fake.waitForCalls("chat.postMessage", 1, 60_000);
    // biome-ignore lint/suspicious/noExplicitAny: Block Kit as sent
    const blocks = reply?.body.blocks as any[];
    expect(blocks.length).toBeLessThanOrEqual(50);
    for (const b of blocks) {
      if (b.type === "header") expect(b.text.text.length).toBeLessThanOrEqual(150);
      if (b.type === "section") expect(b.text.text.length).toBeLessThanOrEqual(3000);
    }
    expect(String(reply?.body.text).length).toBeLessThanOrEqual(3000);
    expectNoPings(visibleText(reply));
  });

  it("leaves older pastes out when a thread goes over TATTLETALE_MAX_THREAD_BYTES, and says so", async () => {
    h = await startHarness("http", { env: { TATTLETALE_MAX_THREAD_BYTES: String(5_000) } });
    const first = h.fake.addMessage(CHANNEL, {
      user: "UONCALL",
      text: slackEscape(founding("httperr1.log")),
    });
    await deliverMessage(h, "http", first);
    await h.fake.waitForCalls("chat.postMessage");
    const second = h.fake.addMessage(CHANNEL, {
      user: "UONCALL",
      thread_ts: first.ts,
      text: founding("poolmon-b.txt"),
    });
    await deliverMessage(h, "http", second);
    const [update] = await h.fake.waitForCalls("chat.update");
    expect(visibleText(update)).toContain("older message(s) left out");
    expect(visibleText(update)).toContain("antivirus-pool-leak");
    expect(visibleText(update)).not.toContain("httperr-connections-refused");
  });
});
