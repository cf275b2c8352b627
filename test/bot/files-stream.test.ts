// Which uploads stream through the HTTPERR scanner (big HTTPERR logs, by their size or found while
// reading) and which are read as text, the stream's own cap, and its time limits.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateHttperr } from "../../bench/generate.js";
import { ConfigError, loadConfig } from "../../bot/config.js";
import {
  FileCache,
  type FileRead,
  type FileReaderOptions,
  readSlackFile,
  slackOriginPolicy,
} from "../../bot/services/files.js";
import { scanHttperrFile } from "../../ingest/index.js";
import type { HttperrSummary } from "../../parsers/evidence.js";

const URL_ = "https://files.slack.com/files-pri/T1-F1/httperr1.log";
const CHUNK = 16 * 1024;
const client = {} as never;

/** A body served in chunks from `source(i)` (null: the end; "stall": never another byte). */
function body(source: (i: number) => Uint8Array | null | "stall", signal?: AbortSignal | null) {
  const state = { pulls: 0, cancelled: false };
  let i = 0;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      // As fetch does: an abort errors the body with the signal's reason.
      signal?.addEventListener("abort", () => controller.error(signal.reason));
    },
    pull(controller) {
      state.pulls++;
      const next = source(i++);
      if (next === "stall") return new Promise(() => undefined);
      if (next === null) controller.close();
      else controller.enqueue(next);
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

function chunksOf(bytes: Uint8Array) {
  return (i: number) => (i * CHUNK < bytes.byteLength ? bytes.subarray(i * CHUNK, (i + 1) * CHUNK) : null);
}

function serve(make: (signal?: AbortSignal | null) => ReadableStream<Uint8Array>): typeof fetch {
  return (async (_input: URL | string, init?: RequestInit) =>
    new Response(make(init?.signal), { headers: { "content-type": "text/plain" } })) as typeof fetch;
}

function opts(f: typeof fetch, extra: Partial<FileReaderOptions> = {}): FileReaderOptions {
  return {
    token: "xoxb-1-2-3",
    maxBytes: 200_000,
    timeoutMs: 5_000,
    allowedOrigins: slackOriginPolicy(),
    fetch: f,
    stream: { maxBytes: 10_000_000, thresholdBytes: 100_000 },
    ...extra,
  };
}

const file = (size?: number) => ({ id: "F1", name: "httperr1.log", url_private_download: URL_, size });

function streamed(read: FileRead) {
  if (!read.ok || !("summary" in read))
    throw new Error(`not streamed: ${JSON.stringify(read).slice(0, 300)}`);
  return read;
}

describe("readSlackFile and big HTTPERR logs", () => {
  let dir: string;
  let log: Uint8Array;
  let expected: HttperrSummary;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "tattletale-files-"));
    const path = join(dir, "httperr1.log");
    generateHttperr(path, 600_000, { seed: 11 });
    log = new Uint8Array(await readFile(path));
    expected = await scanHttperrFile(path, { threads: 1 });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("streams an HTTPERR body found bigger than the threshold while reading (no size given)", async () => {
    const read = streamed(await readSlackFile(client, file(), opts(serve(() => body(chunksOf(log)).stream))));
    expect(read.summary).toEqual(expected);
    expect(read).toMatchObject({ truncated: false, bytes: log.byteLength });
    expect(read.note).toBeUndefined();
  });

  it("streams a public server's upload (a new client on every line) to a bounded summary", async () => {
    const path = join(dir, "httperr-public.log");
    generateHttperr(path, 1_500_000, { seed: 12, cardinality: "high" });
    const bytes = new Uint8Array(await readFile(path));
    const read = streamed(
      await readSlackFile(client, file(), opts(serve(() => body(chunksOf(bytes)).stream))),
    );
    expect(read.summary).toEqual(await scanHttperrFile(path, { threads: 1 }));
    expect(read.summary.distinctClients.relativeError).toBeGreaterThan(0);
    expect(read.summary.distinctClients.estimate).toBeGreaterThan(10_000);
  });

  it("streams as soon as the file object's size says it is big, past the text cap", async () => {
    const read = streamed(
      await readSlackFile(
        client,
        file(log.byteLength),
        opts(
          serve(() => body(chunksOf(log)).stream),
          { maxBytes: 1000 },
        ),
      ),
    );
    expect(read.summary).toEqual(expected);
  });

  it("reads a small HTTPERR file, and a big file that is not HTTPERR, as text up to the text cap", async () => {
    const small = await readSlackFile(
      client,
      file(),
      opts(serve(() => body(chunksOf(log.subarray(0, 50_000))).stream)),
    );
    expect(small.ok && "text" in small && small.text.length).toBe(50_000);
    const prose = new TextEncoder().encode("hello there, nothing to see\n".repeat(20_000));
    const big = await readSlackFile(client, file(), opts(serve(() => body(chunksOf(prose)).stream)));
    expect(big).toMatchObject({ ok: true, bytes: 200_000 });
    expect(big.ok && big.note).toContain("(TATTLETALE_MAX_FILE_BYTES)");
    expect(big.ok && "text" in big).toBe(true);
  });

  it("stops an endless log at the stream cap, says so, and cancels the download", async () => {
    let state = { pulls: 0, cancelled: false };
    const endless = serve((signal) => {
      const b = body((i) => log.subarray((i * CHUNK) % 500_000, ((i * CHUNK) % 500_000) + CHUNK), signal);
      state = b.state;
      return b.stream;
    });
    const read = streamed(
      await readSlackFile(
        client,
        file(),
        opts(endless, { stream: { maxBytes: 1024 * 1024, thresholdBytes: 100_000 } }),
      ),
    );
    expect(read.truncated).toBe(true);
    expect(read.bytes).toBe(1024 * 1024);
    expect(read.note).toBe(
      "is over 1.0 MB: I read its first 1.0 MB only (TATTLETALE_MAX_STREAM_BYTES), so the counts cover that part.",
    );
    expect(read.summary.lines).toBeGreaterThan(0);
    expect(state.cancelled).toBe(true);
    expect(state.pulls * CHUNK).toBeLessThan(2 * 1024 * 1024);
  });

  it("gives up a streamed download that stops sending, naming the limit", async () => {
    const stalls = serve(
      (signal) =>
        body((i) => (i * CHUNK < 300_000 ? log.subarray(i * CHUNK, (i + 1) * CHUNK) : "stall"), signal)
          .stream,
    );
    const read = await readSlackFile(client, file(), opts(stalls, { timeoutMs: 200 }));
    expect(read).toMatchObject({
      ok: false,
      note: "could not be downloaded (no data came for 0.2 s (TATTLETALE_DOWNLOAD_TIMEOUT_MS)).",
    });
  });

  it("without stream options every file is read as text, as before", async () => {
    const read = await readSlackFile(
      client,
      file(),
      opts(
        serve(() => body(chunksOf(log)).stream),
        { stream: undefined },
      ),
    );
    expect(read.ok && "text" in read).toBe(true);
    expect(read.ok && read.note).toContain("(TATTLETALE_MAX_FILE_BYTES)");
  });

  it("caches a streamed log as its summary, weighed by it rather than by the file", async () => {
    const read = streamed(await readSlackFile(client, file(), opts(serve(() => body(chunksOf(log)).stream))));
    const cache = new FileCache(JSON.stringify(read.summary).length * 2 + 10);
    cache.set(read);
    expect(cache.get("F1")).toBe(read);
    cache.set({ ok: true, id: "F2", name: "b.log", text: "x".repeat(100), bytes: 100 });
    expect(cache.get("F1")).toBeUndefined();
    expect(cache.get("F2")).toBeDefined();
  });
});

describe("TATTLETALE_MAX_STREAM_BYTES", () => {
  const base = { SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1" };
  it("defaults to 1 GiB, takes a number of bytes, and rejects nonsense", () => {
    expect(loadConfig(base).maxStreamBytes).toBe(1024 * 1024 * 1024);
    expect(loadConfig({ ...base, TATTLETALE_MAX_STREAM_BYTES: "5000000" }).maxStreamBytes).toBe(5_000_000);
    for (const bad of ["-1", "0", "1.5", "lots"]) {
      expect(() => loadConfig({ ...base, TATTLETALE_MAX_STREAM_BYTES: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ ...base, TATTLETALE_MAX_STREAM_BYTES: bad })).toThrow(
        "TATTLETALE_MAX_STREAM_BYTES must be a positive whole number",
      );
    }
  });
});
