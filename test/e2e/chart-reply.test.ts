// The chart travels with the reply, end to end: a paste with a time series gets its text reply and,
// after it, one PNG in the thread; a new paste that updates the diagnosis replaces the chart (the
// thread shows one); a paste without a time series gets none; an upload that keeps failing leaves
// the text reply as it is.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../support/bot-harness.js";
import { CHANNEL, deliverMessage, founding, slackEscape } from "./helpers.js";

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe("the reply's chart", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness("http");
  });
  afterAll(() => h.close());
  afterEach(() => h.fake.clearFaults());

  const textReplies = (threadTs: string) =>
    h.fake.thread(CHANNEL, threadTs).filter((m) => m.bot_id && !m.files);

  async function paste(text: string, threadTs?: string): Promise<string> {
    const m = h.fake.addMessage(CHANNEL, {
      user: "U1",
      text: slackEscape(text),
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
    await deliverMessage(h, "http", m);
    return m.ts;
  }

  async function charts(threadTs: string, count: number) {
    return h.fake.waitFor(
      () => {
        const shared = h.fake.sharedFiles(CHANNEL, threadTs);
        return shared.length === count && shared.every((u) => u.bytes) ? shared : undefined;
      },
      30_000,
      `${count} chart(s) in ${threadTs}`,
    );
  }

  it("lands one PNG in the thread, after the text reply, named and titled", async () => {
    const threadTs = await paste(founding("httperr1.log"));
    const [chart] = await charts(threadTs, 1);
    expect(chart).toMatchObject({ filename: "httperr-per-minute.png", title: "HTTPERR per minute" });
    expect(chart?.bytes?.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(chart?.altText).toMatch(/Refused connections/);
    const thread = h.fake.thread(CHANNEL, threadTs);
    const replyAt = thread.findIndex((m) => m.bot_id && !m.files);
    const chartAt = thread.findIndex((m) => m.files?.some((f) => f.id === chart?.fileId));
    expect(replyAt).toBeGreaterThan(-1);
    expect(chartAt).toBeGreaterThan(replyAt);
  });

  it("is replaced when a new paste updates the diagnosis: the thread keeps one chart", async () => {
    const threadTs = await paste(founding("httperr1.log"));
    const [first] = await charts(threadTs, 1);
    const uploads = h.fake.uploads.length;
    await paste(founding("poolmon-b.txt"), threadTs);
    await h.fake.waitFor(() => h.fake.uploads.length > uploads && h.fake.uploads.at(-1)?.completed, 30_000);
    const [now] = await charts(threadTs, 1);
    expect(now?.fileId).not.toBe(first?.fileId);
    expect(h.fake.uploads.find((u) => u.fileId === first?.fileId)?.deleted).toBe(true);
  });

  it("is left out when the diagnosis has no time series", async () => {
    const threadTs = await paste(founding("boot.ini"));
    await h.fake.waitFor(() => textReplies(threadTs).length > 0, 15_000, "the text reply");
    // The next paste's chart lands after this one's would have: none came.
    const other = await paste(founding("httperr1.log"));
    await charts(other, 1);
    expect(h.fake.sharedFiles(CHANNEL, threadTs)).toHaveLength(0);
  });

  it("failing to upload leaves the text reply as it is, and says so in the log only", async () => {
    h.fake.failUploads({ status: 500 }, 50);
    const threadTs = await paste(founding("httperr1.log"));
    await h.fake.waitFor(
      () => h.logs.some((l) => l.includes("not uploaded") && l.includes(threadTs)),
      30_000,
      "the failed upload's log line",
    );
    expect(h.fake.sharedFiles(CHANNEL, threadTs)).toHaveLength(0);
    const replies = textReplies(threadTs);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.text).toMatch(/refus/i);
  });
});
