// A big HTTPERR upload is streamed through the byte scanner as it downloads (summary only, flat
// memory), not read as text up to TATTLETALE_MAX_FILE_BYTES: the reply's counts are the CLI's on the
// same file, and a cap (TATTLETALE_MAX_STREAM_BYTES) smaller than the file is said in the reply.
import { mkdtemp, open, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { generateHttperr } from "../../bench/generate.js";
import { readInputs, scanHttperrFile } from "../../ingest/index.js";
import type { HttperrSummary } from "../../parsers/evidence.js";
import { type Harness, startHarness } from "../support/bot-harness.js";
import { CHANNEL, deliverMessage, visibleText } from "./helpers.js";

const MB = 1024 * 1024;
const LOG_BYTES = 60 * MB;
const CAP = 20 * MB;

const int = (n: number) => n.toLocaleString("en-US");

/** What the reply says of an HTTPERR summary: the records read and the refusals. */
function expectCounts(seen: string, s: HttperrSummary, name: string): void {
  expect(seen).toContain(`(${s.lines - s.skipped} records, file ${name})`);
  expect(seen).toContain(
    `\`${int(s.byReason.Connections_Refused ?? 0)}\` \`Connections_Refused\` lines in HTTPERR = \`${int(s.refusedConnections)}\` refused connections`,
  );
}

describe("a big HTTPERR upload", () => {
  let dir: string;
  let log: string;
  let whole: HttperrSummary;
  let h: Harness;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "tattletale-upload-"));
    log = join(dir, "httperr1.log");
    generateHttperr(log, LOG_BYTES, { seed: 7 });
    // What `tattletale diagnose` computes on the same file.
    const [input] = await readInputs([log]);
    if (input?.kind !== "httperr") throw new Error("the generated log did not read as HTTPERR");
    whole = input.data.summary;
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  afterEach(async () => h?.close());

  async function upload(): Promise<string> {
    const file = h.fake.addFile({
      name: "httperr1.log",
      mimetype: "text/plain",
      filetype: "text",
      path: log,
    });
    expect(file.size).toBeGreaterThan(LOG_BYTES - MB);
    const m = h.fake.addMessage(CHANNEL, { user: "UONCALL", text: "", files: [file] });
    await deliverMessage(h, "http", m);
    const [reply] = await h.fake.waitForCalls("chat.postMessage");
    expect(reply?.body.thread_ts).toBe(m.ts);
    // Read once, for the "is it readable" check and the diagnosis both: the summary is cached.
    expect(h.fake.downloads).toEqual([{ fileId: file.id, auth: "bot" }]);
    return visibleText(reply);
  }

  it("is summarised whole, with the CLI's counts, although it is over TATTLETALE_MAX_FILE_BYTES", async () => {
    expect(whole.refusedConnections).toBeGreaterThan(0);
    h = await startHarness("http");
    expect(h.config.maxFileBytes).toBeLessThan(LOG_BYTES);
    const seen = await upload();
    expect(seen).toContain("httperr-connections-refused");
    expectCounts(seen, whole, "httperr1.log");
    expect(seen).not.toContain("I read its first");
    expect(h.fake.callsTo("chat.postMessage")).toHaveLength(1);
  });

  it("says so when TATTLETALE_MAX_STREAM_BYTES cuts it, and counts the whole lines before the cut", async () => {
    // The first CAP bytes up to the last line end, summarised by the CLI's file scanner.
    const fh = await open(log, "r");
    const head = Buffer.alloc(CAP);
    await fh.read(head, 0, CAP, 0);
    await fh.close();
    const prefix = join(dir, "prefix.log");
    await writeFile(prefix, head.subarray(0, head.lastIndexOf(0x0a) + 1));
    const part = await scanHttperrFile(prefix, { threads: 1 });
    expect(part.lines).toBeLessThan(whole.lines);

    h = await startHarness("http", { env: { TATTLETALE_MAX_STREAM_BYTES: String(CAP) } });
    const seen = await upload();
    expect(seen).toContain(
      "httperr1.log is 60 MB: I read its first 20 MB only (`TATTLETALE_MAX_STREAM_BYTES`)",
    );
    expectCounts(seen, part, "httperr1.log");
    expect(h.fake.callsTo("chat.postMessage")).toHaveLength(1);
  });
});
