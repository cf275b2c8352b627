// A gzip-compressed upload is gunzipped as it downloads and read like the same file uncompressed:
// a big HTTPERR log gets the CLI's counts on the same .gz, a gzip bomb stops at
// TATTLETALE_MAX_STREAM_BYTES of decompressed bytes (said in the reply), a small text file is read as
// text, and a broken .gz gets a clear note.
import { createWriteStream } from "node:fs";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip, gzipSync } from "node:zlib";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { generateHttperr } from "../../bench/generate.js";
import { readInputs, scanHttperrStream } from "../../ingest/index.js";
import type { HttperrSummary } from "../../parsers/evidence.js";
import { type Harness, startHarness } from "../support/bot-harness.js";
import { CHANNEL, deliverMessage, founding, visibleText } from "./helpers.js";

const MB = 1024 * 1024;
const LOG_BYTES = 30 * MB;
/** The bomb: this much of HTTPERR lines, decompressed. */
const BOMB_BYTES = 1024 * MB;
const CAP = 64 * MB;

const int = (n: number) => n.toLocaleString("en-US");

/** What the reply says of an HTTPERR summary: the records read and the refusals. */
function expectCounts(seen: string, s: HttperrSummary, name: string): void {
  expect(seen).toContain(`(${s.lines - s.skipped} records, file ${name})`);
  expect(seen).toContain(
    `\`${int(s.byReason.Connections_Refused ?? 0)}\` Connections_Refused lines in HTTPERR = \`${int(s.refusedConnections)}\` refused connections`,
  );
}

/** An HTTPERR header, then a few of its data lines (a refusal among them) repeated: deflate packs that ~200:1. */
async function* bombText(sample: Buffer, total: number): AsyncGenerator<Buffer> {
  const lines = sample.toString("latin1").split(/(?<=\n)/);
  const data = lines.filter((l) => /^\d{4}-/.test(l));
  const refused = data.find((l) => l.includes("_Connections_Refused")) ?? "";
  const header = Buffer.from(lines.slice(0, lines.indexOf(data[0] ?? "")).join(""), "latin1");
  const lines9 = [...data.slice(0, 8), refused].join("");
  // 64 blocks a chunk: a gigabyte in a million tiny chunks would take long to make.
  const block = Buffer.from(lines9.repeat(64), "latin1");
  yield header;
  for (let sent = header.byteLength; sent < total; sent += block.byteLength) yield block;
}

describe("a gzip-compressed upload", () => {
  let dir: string;
  let gz: string;
  let bomb: string;
  let sample: Buffer;
  let whole: HttperrSummary;
  let h: Harness;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "tattletale-upload-gz-"));
    const log = join(dir, "httperr1.log");
    generateHttperr(log, LOG_BYTES, { seed: 9 });
    gz = join(dir, "httperr1.log.gz");
    await writeFile(gz, gzipSync(await readFile(log)));
    // What `tattletale diagnose` computes on the same .gz.
    const [input] = await readInputs([gz]);
    if (input?.kind !== "httperr") throw new Error("the CLI did not read the .gz as HTTPERR");
    whole = input.data.summary;
    // The bomb is compressed as it is made: its gigabyte is never on disk or in memory.
    sample = (await readFile(log)).subarray(0, 64 * 1024);
    bomb = join(dir, "bomb.log.gz");
    await pipeline(Readable.from(bombText(sample, BOMB_BYTES)), createGzip(), createWriteStream(bomb));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  afterEach(async () => h?.close());

  async function upload(
    f: { name: string; path: string } | { name: string; content: Buffer },
    opts: { dm?: boolean } = {},
  ): Promise<string> {
    const file = h.fake.addFile({ ...f, mimetype: "application/gzip", filetype: "gzip" });
    const channel = opts.dm ? "DONCALL" : CHANNEL;
    const m = h.fake.addMessage(channel, { user: "UONCALL", text: "", files: [file] });
    await deliverMessage(h, "http", m, opts.dm ? { channel, channelType: "im" } : {});
    const [reply] = await h.fake.waitForCalls("chat.postMessage");
    expect(reply?.body.thread_ts).toBe(m.ts);
    expect(h.fake.downloads).toEqual([{ fileId: file.id, auth: "bot" }]);
    expect(h.fake.callsTo("chat.postMessage")).toHaveLength(1);
    return visibleText(reply);
  }

  it("a gzipped HTTPERR log is summarised whole, with the CLI's counts on the same .gz", async () => {
    expect((await stat(gz)).size).toBeLessThan(8 * MB);
    expect(whole.refusedConnections).toBeGreaterThan(0);
    h = await startHarness("http");
    expect(h.config.maxFileBytes).toBeLessThan(LOG_BYTES);
    const seen = await upload({ name: "httperr1.log.gz", path: gz });
    expect(seen).toContain("httperr-connections-refused");
    expectCounts(seen, whole, "httperr1.log.gz");
    expect(seen).not.toContain("I read its first");
    expect(seen).not.toContain("is an archive");
  });

  it("a gzip bomb stops at TATTLETALE_MAX_STREAM_BYTES of decompressed bytes, and the reply says so", async () => {
    const size = (await stat(bomb)).size;
    expect(size).toBeLessThan(BOMB_BYTES / 100);
    // The CLI's scanner on the same lines, uncompressed, up to the same cap.
    const part = await scanHttperrStream(bombText(sample, BOMB_BYTES), { maxBytes: CAP });
    expect(part.truncated).toBe(true);
    h = await startHarness("http", { env: { TATTLETALE_MAX_STREAM_BYTES: String(CAP) } });
    const seen = await upload({ name: "httperr1.log.gz", path: bomb });
    expect(seen).toContain(
      `httperr1.log.gz is ${(size / MB).toFixed(1)} MB compressed but expands to over 64 MB: I read its first 64 MB (decompressed) only (TATTLETALE_MAX_STREAM_BYTES)`,
    );
    expectCounts(seen, part.summary, "httperr1.log.gz");
  });

  it("an endless gzip stream is left once the cap is reached", async () => {
    // Slack serving the same gzip member for ever: a valid multi-member .gz that never ends.
    const member = gzipSync(sample.subarray(0, sample.lastIndexOf(0x0a) + 1));
    h = await startHarness("http", { env: { TATTLETALE_MAX_STREAM_BYTES: String(8 * MB) } });
    const file = h.fake.addFile({
      name: "httperr1.log.gz",
      mimetype: "application/gzip",
      filetype: "gzip",
      content: member,
    });
    h.fake.failFile(file.id, { endless: true });
    const m = h.fake.addMessage(CHANNEL, { user: "UONCALL", text: "", files: [file] });
    await deliverMessage(h, "http", m);
    const [reply] = await h.fake.waitForCalls("chat.postMessage");
    expect(visibleText(reply)).toContain(
      `httperr1.log.gz is ${Math.round(member.byteLength / 1024)} KB compressed but expands to over 8.0 MB: I read its first 8.0 MB (decompressed) only`,
    );
    await h.fake.waitFor(async () => (h.fake.endlessClosed === 1 ? true : undefined));
    expect(h.fake.endlessBytesSent).toHaveLength(1);
    expect(h.fake.endlessBytesSent[0]).toBeLessThan(64 * MB);
  });

  it("a gzipped boot.ini is read as text", async () => {
    h = await startHarness("http");
    const seen = await upload({ name: "boot.ini.gz", content: gzipSync(founding("boot.ini")) });
    expect(seen).toContain("boot-3gb-switch");
    expect(seen).toContain("file boot.ini.gz");
  });

  it("a broken .gz gets a clear note", async () => {
    h = await startHarness("http");
    const cut = gzipSync(founding("boot.ini")).subarray(0, 60);
    const seen = await upload({ name: "boot.ini.gz", content: cut }, { dm: true });
    expect(seen).toContain(
      "boot.ini.gz could not be decompressed (unexpected end of file): it is not a whole gzip file. Upload it again, or share the log uncompressed.",
    );
  });
});
