// A chart into the thread, with the bot's own Web API client (retries, timeouts, the post-once
// fetch) against the fake Slack over loopback: files.uploadV2's three steps land the PNG in the
// thread with its name and title, and every failure comes back as a result, the text reply intact.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { deleteChart, replaceChart, uploadChart } from "../../bot/services/chart-upload.js";
import { replyChart } from "../../bot/services/reply-chart.js";
import { diagnoseTexts, loadKnowledgeBase } from "../../kb/index.js";
import { type Harness, startHarness } from "../support/bot-harness.js";
import { CHANNEL, deliverMessage, FOUNDING_CHAIN, founding, slackEscape } from "./helpers.js";

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe("chart upload into a thread", () => {
  let h: Harness;
  let threadTs: string;
  let replyTs: string;

  beforeAll(async () => {
    h = await startHarness("http");
    // A real paste and the bot's real text reply first: the chart goes beside it.
    const paste = h.fake.addMessage(CHANNEL, { user: "U1", text: slackEscape(founding("httperr1.log")) });
    threadTs = paste.ts;
    await deliverMessage(h, "http", paste);
    const [reply] = await h.fake.waitForCalls("chat.postMessage");
    replyTs = String(reply?.body.ts ?? h.fake.thread(CHANNEL, threadTs).find((m) => m.bot_id)?.ts);
    // The reply's own chart (test/e2e/chart-reply.test.ts) is taken away: these tests count uploads.
    const [auto] = await h.fake.waitFor(() => {
      const shared = h.fake.sharedFiles(CHANNEL, threadTs);
      return shared.length > 0 ? shared : undefined;
    });
    await deleteChart(h.bot.app.client, auto?.fileId ?? "");
    h.fake.calls.length = 0;
  });
  afterAll(() => h.close());
  // A fault the client's retries did not use up must not leak into the next test.
  afterEach(() => h.fake.clearFaults());

  const client = () => h.bot.app.client;
  const textReplies = () => h.fake.thread(CHANNEL, threadTs).filter((m) => m.bot_id && !m.files);

  it("renders the diagnosis's most telling chart as a PNG with a name, a title and alt text", async () => {
    const d = diagnoseTexts(loadKnowledgeBase(), [
      { text: founding("httperr1.log"), source: "httperr1.log" },
    ]);
    const chart = await replyChart(d);
    expect(chart).not.toBeNull();
    expect(chart?.filename).toBe("httperr-per-minute.png");
    expect(Buffer.from(chart?.png ?? []).subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(chart?.altText).toMatch(/Refused connections/);
  });

  it("lands in the thread with the right file name, title, bytes and alt text", async () => {
    const d = diagnoseTexts(loadKnowledgeBase(), [
      { text: founding("httperr1.log"), source: "httperr1.log" },
      { text: founding("poolmon-b.txt"), source: "poolmon-b.txt" },
      { text: founding("boot.ini"), source: "boot.ini" },
    ]);
    expect(d.findings.map((f) => f.id)).toEqual(expect.arrayContaining(FOUNDING_CHAIN));
    const chart = await replyChart(d);
    if (chart === null) throw new Error("the founding incident calls for a chart");

    const result = await uploadChart(client(), { channel: CHANNEL, threadTs }, chart);

    expect(result).toEqual({ ok: true, fileId: expect.any(String) });
    const [up] = h.fake.sharedFiles(CHANNEL, threadTs);
    expect(up).toMatchObject({
      fileId: result.ok ? result.fileId : "",
      filename: "httperr-per-minute.png",
      title: "HTTPERR per minute",
      channel: CHANNEL,
      threadTs,
      length: chart.png.byteLength,
      altText: chart.altText,
    });
    expect(up?.bytes?.equals(Buffer.from(chart.png))).toBe(true);
    // The three steps of files.uploadV2, the bytes sent to the URL the fake handed out.
    expect(h.fake.callsTo("files.getUploadURLExternal")).toHaveLength(1);
    expect(h.fake.callsTo("files.completeUploadExternal")[0]?.body).toMatchObject({
      channel_id: CHANNEL,
      thread_ts: threadTs,
    });
    // A person sees it in the thread, after the text reply, which is untouched.
    const thread = h.fake.thread(CHANNEL, threadTs);
    const withFile = thread.find((m) => m.files?.some((f) => f.id === up?.fileId));
    expect(withFile?.thread_ts).toBe(threadTs);
    expect(withFile?.files?.[0]).toMatchObject({
      name: "httperr-per-minute.png",
      title: "HTTPERR per minute",
    });
    expect(textReplies().map((m) => m.ts)).toContain(replyTs);
    await deleteChart(client(), up?.fileId ?? "");
  });

  it("a refused completion (not in channel) is a result, not a throw, and the text reply stays", async () => {
    const chart = {
      png: PNG_SIGNATURE,
      filename: "pool-usage.png",
      title: "Pool in use",
      altText: "a chart",
    };
    h.fake.failNext("files.completeUploadExternal", { error: "not_in_channel" });
    const before = h.fake.sharedFiles().length;
    const result = await uploadChart(client(), { channel: CHANNEL, threadTs }, chart);
    expect(result).toEqual({ ok: false, error: "not_in_channel" });
    expect(h.fake.sharedFiles()).toHaveLength(before);
    expect(textReplies().map((m) => m.ts)).toContain(replyTs);
  });

  it("an upload URL that keeps failing is a result, after the client's retries", async () => {
    const completions = h.fake.callsTo("files.completeUploadExternal").length;
    const chart = {
      png: PNG_SIGNATURE,
      filename: "pool-usage.png",
      title: "Pool in use",
      altText: "a chart",
    };
    h.fake.failUploads({ status: 500 }, 10);
    const result = await uploadChart(client(), { channel: CHANNEL, threadTs }, chart);
    expect(result.ok).toBe(false);
    expect(h.fake.callsTo("files.completeUploadExternal").length).toBe(completions);
    expect(h.fake.sharedFiles(CHANNEL, threadTs)).toHaveLength(0);
    expect(textReplies().map((m) => m.ts)).toContain(replyTs);
  });

  it("a dropped upload connection is a result too", async () => {
    const chart = {
      png: PNG_SIGNATURE,
      filename: "pool-usage.png",
      title: "Pool in use",
      altText: "a chart",
    };
    h.fake.failUploads({ drop: true }, 10);
    const result = await uploadChart(client(), { channel: CHANNEL, threadTs }, chart);
    expect(result.ok).toBe(false);
  });

  it("a Slack too slow to answer is given up on, without holding the caller", async () => {
    const chart = {
      png: PNG_SIGNATURE,
      filename: "pool-usage.png",
      title: "Pool in use",
      altText: "a chart",
    };
    h.fake.failNext("files.getUploadURLExternal", { delayMs: 3000 });
    const result = await uploadChart(client(), { channel: CHANNEL, threadTs }, chart, { timeoutMs: 200 });
    expect(result).toEqual({ ok: false, error: "timed out after 200 ms" });
  });

  it("an empty chart is refused before any call", async () => {
    const calls = h.fake.calls.length;
    const result = await uploadChart(
      client(),
      { channel: CHANNEL, threadTs },
      { png: new Uint8Array(), filename: "x.png", title: "x", altText: "x" },
    );
    expect(result).toEqual({ ok: false, error: "empty chart" });
    expect(h.fake.calls.length).toBe(calls);
  });

  it("replacing keeps one chart in the thread: the new one", async () => {
    const chart = (title: string) => ({
      png: PNG_SIGNATURE,
      filename: "pool-usage.png",
      title,
      altText: title,
    });
    const target = { channel: CHANNEL, threadTs };
    const first = await replaceChart(client(), target, null, chart("first"));
    expect(first).toMatchObject({ ok: true, previousDeleted: false });
    const second = await replaceChart(client(), target, first.ok ? first.fileId : null, chart("second"));
    expect(second).toMatchObject({ ok: true, previousDeleted: true });
    expect(h.fake.sharedFiles(CHANNEL, threadTs).map((u) => u.title)).toEqual(["second"]);
    expect(
      h.fake
        .thread(CHANNEL, threadTs)
        .filter((m) => m.files)
        .map((m) => m.files?.[0]?.title),
    ).toEqual(["second"]);
    // A failed replacement keeps the chart there is.
    h.fake.failNext("files.getUploadURLExternal", { error: "ratelimited" });
    const third = await replaceChart(client(), target, second.ok ? second.fileId : null, chart("third"));
    expect(third).toMatchObject({ ok: false, previousDeleted: false });
    expect(h.fake.sharedFiles(CHANNEL, threadTs).map((u) => u.title)).toEqual(["second"]);
  });
});
