// Gzip-compressed uploads: gunzipped as they download, then read like any file, every cap counting
// decompressed bytes. A big HTTPERR log inside gets the CLI's summary; a gzip bomb stops at the
// stream cap; small text is read as text; a broken .gz, a tarball and a huge non-log get a note.
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { createGzip, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateHttperr } from "../../bench/generate.js";
import {
  type FileRead,
  type FileReaderOptions,
  notTextNote,
  readSlackFile,
  type SlackFile,
  slackOriginPolicy,
} from "../../bot/services/files.js";
import { readInputs, scanHttperrStream } from "../../ingest/index.js";
import { PACKAGE_ROOT } from "../../kb/paths.js";
import type { HttperrSummary } from "../../parsers/evidence.js";

const MB = 1024 * 1024;
const URL_ = "https://files.slack.com/files-pri/T1-F1/httperr1.log.gz";
const CHUNK = 16 * 1024;
const client = {} as never;

/** What was pulled from a served body, and whether the reader cancelled it. */
interface Served {
  bytes: number;
  cancelled: boolean;
}

/** A body pulled chunk by chunk from `source` (lazily: nothing is made before it is asked for). */
function serveFrom(
  source: () => AsyncIterator<Uint8Array>,
  extra: { stallAfter?: number } = {},
): { fetch: typeof fetch; served: Served[] } {
  const served: Served[] = [];
  const f = (async (_input: URL | string, init?: RequestInit) => {
    const it = source();
    const state: Served = { bytes: 0, cancelled: false };
    served.push(state);
    const signal = init?.signal;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        // As fetch does: an abort errors the body with the signal's reason.
        signal?.addEventListener("abort", () => controller.error(signal.reason));
      },
      async pull(controller) {
        if (extra.stallAfter !== undefined && state.bytes >= extra.stallAfter)
          return new Promise(() => undefined);
        const r = await it.next();
        if (r.done) return controller.close();
        state.bytes += r.value.byteLength;
        controller.enqueue(r.value);
      },
      cancel() {
        state.cancelled = true;
      },
    });
    return new Response(stream, { headers: { "content-type": "application/gzip" } });
  }) as typeof fetch;
  return { fetch: f, served };
}

async function* chunksOf(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.byteLength; at += CHUNK) yield bytes.subarray(at, at + CHUNK);
}

function opts(f: typeof fetch, extra: Partial<FileReaderOptions> = {}): FileReaderOptions {
  return {
    token: "xoxb-1-2-3",
    maxBytes: 4 * MB,
    timeoutMs: 5_000,
    allowedOrigins: slackOriginPolicy(),
    fetch: f,
    stream: { maxBytes: 1024 * MB },
    ...extra,
  };
}

const file = (name: string, size?: number): SlackFile => ({
  id: "F1",
  name,
  url_private_download: URL_,
  size,
});

function streamed(read: FileRead) {
  if (!read.ok || !("summary" in read))
    throw new Error(`not streamed: ${JSON.stringify(read).slice(0, 300)}`);
  return read;
}

/** An HTTPERR header, then a few of its data lines (a refusal among them): the bomb's repeating unit. */
function bombParts(sample: Buffer): { header: Buffer; block: Buffer } {
  const lines = sample.toString("latin1").split(/(?<=\n)/);
  const data = lines.filter((l) => /^\d{4}-/.test(l));
  const refused = data.find((l) => l.includes("_Connections_Refused")) ?? "";
  return {
    header: Buffer.from(lines.slice(0, lines.indexOf(data[0] ?? "")).join(""), "latin1"),
    block: Buffer.from([...data.slice(0, 8), refused].join("").repeat(64), "latin1"),
  };
}

/** The bomb's decompressed bytes: the header, then the block for ever (or `blocks` times). */
async function* bombText(header: Buffer, block: Buffer, blocks = Number.POSITIVE_INFINITY) {
  yield header;
  for (let i = 0; i < blocks; i++) yield block;
}

describe("readSlackFile and .gz uploads", () => {
  let dir: string;
  let gz: Uint8Array;
  let expected: HttperrSummary;
  let sample: Buffer;
  let plainBytes: number;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "tattletale-gzip-"));
    const log = join(dir, "httperr1.log");
    // Bigger than the 8 MB stream threshold decompressed, so that the CLI streams it as well.
    generateHttperr(log, 12 * MB, { seed: 5 });
    const plain = await readFile(log);
    sample = plain.subarray(0, 64 * 1024);
    plainBytes = plain.byteLength;
    gz = gzipSync(plain);
    const path = join(dir, "httperr1.log.gz");
    await writeFile(path, gz);
    const [input] = await readInputs([path]);
    if (input?.kind !== "httperr") throw new Error("the CLI did not read the .gz as HTTPERR");
    expected = input.data.summary;
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("streams a gzipped HTTPERR log bigger than the text cap, with the CLI's summary on the same .gz", async () => {
    expect(gz.byteLength).toBeLessThan(4 * MB);
    const { fetch, served } = serveFrom(() => chunksOf(gz));
    const read = streamed(await readSlackFile(client, file("httperr1.log.gz", gz.byteLength), opts(fetch)));
    expect(read.summary).toEqual(expected);
    expect(read).toMatchObject({ truncated: false, bytes: plainBytes, size: gz.byteLength });
    expect(read.bytes).toBeGreaterThan(4 * MB);
    expect(read.note).toBeUndefined();
    expect(served).toHaveLength(1);
  });

  it("recognises gzip by its first bytes, whatever the file is called", async () => {
    const { fetch } = serveFrom(() => chunksOf(gz));
    const read = streamed(await readSlackFile(client, file("httperr1.log"), opts(fetch)));
    expect(read.summary).toEqual(expected);
  });

  it("stops a gzip bomb at TATTLETALE_MAX_STREAM_BYTES of decompressed bytes, says so, and leaves the download", async () => {
    const { header, block } = bombParts(sample);
    // An endless gzip stream of HTTPERR lines, compressed as it is pulled: nothing is written anywhere.
    const { fetch, served } = serveFrom(() =>
      Readable.from(bombText(header, block)).pipe(createGzip())[Symbol.asyncIterator](),
    );
    const cap = 32 * MB;
    const read = streamed(
      await readSlackFile(
        client,
        file("httperr1.log.gz", 300_000),
        opts(fetch, { stream: { maxBytes: cap } }),
      ),
    );
    expect(read.truncated).toBe(true);
    expect(read.bytes).toBe(cap);
    expect(read.note).toBe(
      "is 293 KB compressed but expands to over 32 MB: I read its first 32 MB (decompressed) only (TATTLETALE_MAX_STREAM_BYTES), so the counts cover that part.",
    );
    // The same lines, uncompressed, through the scanner with the same cap.
    const plain = await scanHttperrStream(bombText(header, block), { maxBytes: cap });
    expect(plain.truncated).toBe(true);
    expect(read.summary).toEqual(plain.summary);
    expect(read.summary.lines).toBeGreaterThan(100_000);
    expect(read.summary.refusedConnections).toBeGreaterThan(0);
    // Deflate packs this ~200:1: a few hundred KB were downloaded, not gigabytes, then the body was cancelled.
    const [download] = served;
    expect(download?.cancelled).toBe(true);
    expect(download?.bytes).toBeLessThan(cap / 50);
  });

  it("reads a small gzipped text file (boot.ini) as text", async () => {
    const boot = readFileSync(join(PACKAGE_ROOT, "samples", "founding-incident", "boot.ini"), "utf8");
    const { fetch } = serveFrom(() => chunksOf(gzipSync(boot)));
    const read = await readSlackFile(client, file("boot.ini.gz"), opts(fetch));
    expect(read).toEqual({
      ok: true,
      id: "F1",
      name: "boot.ini.gz",
      text: boot,
      bytes: Buffer.byteLength(boot),
    });
  });

  it("reads a small gzipped HTTPERR log (under the stream threshold) as text, as the CLI does", async () => {
    const { fetch } = serveFrom(() => chunksOf(gzipSync(sample)));
    const read = await readSlackFile(client, file("httperr1.log.gz"), opts(fetch));
    expect(read.ok && "text" in read && read.text).toBe(sample.toString("latin1"));
  });

  it("gives a clear note for a broken .gz: cut short, not gzip at all, a damaged body", async () => {
    const boot = gzipSync("[boot loader]\r\ntimeout=30\r\n".repeat(200));
    const damaged = Buffer.from(boot);
    damaged[boot.byteLength - 6] = (damaged[boot.byteLength - 6] ?? 0) ^ 0xff; // in the CRC/length trailer
    const cases: [Uint8Array, string][] = [
      [gz.subarray(0, 100_000), "unexpected end of file"],
      [new TextEncoder().encode("this is not gzip at all\n"), "incorrect header check"],
      [damaged, "incorrect data check"],
      [new Uint8Array(0), "unexpected end of file"],
    ];
    for (const [bytes, why] of cases) {
      const { fetch, served } = serveFrom(() => chunksOf(bytes));
      const read = await readSlackFile(client, file("httperr1.log.gz"), opts(fetch));
      expect(read).toEqual({
        ok: false,
        id: "F1",
        name: "httperr1.log.gz",
        note: `could not be decompressed (${why}): it is not a whole gzip file. Upload it again, or share the log uncompressed.`,
      });
      expect(served).toHaveLength(1);
    }
  });

  it("gives a note for a .gz that expands past the text cap and is not an HTTPERR log", async () => {
    const prose = Buffer.from("nothing to see here, just words\n".repeat(1000));
    const { fetch, served } = serveFrom(() =>
      Readable.from(bombText(Buffer.alloc(0), prose))
        .pipe(createGzip())
        [Symbol.asyncIterator](),
    );
    const read = await readSlackFile(client, file("notes.txt.gz"), opts(fetch, { maxBytes: MB }));
    expect(read).toMatchObject({
      ok: false,
      note: "expands to over 1.0 MB and is not an HTTPERR log: I read compressed files up to 1.0 MB decompressed (TATTLETALE_MAX_FILE_BYTES). Share the part that matters, uncompressed or as a smaller .gz.",
    });
    expect(served[0]?.cancelled).toBe(true);
  });

  it("gives up a .gz download that stops sending, naming the limit (the abort gets through gunzip)", async () => {
    const { fetch } = serveFrom(() => chunksOf(gz), { stallAfter: 200_000 });
    const read = await readSlackFile(
      client,
      file("httperr1.log.gz", gz.byteLength),
      opts(fetch, { timeoutMs: 200 }),
    );
    expect(read).toMatchObject({
      ok: false,
      note: "could not be downloaded (took longer than 0.2 s (TATTLETALE_DOWNLOAD_TIMEOUT_MS)).",
    });
  });

  it("still declines other archives, and a tarball however it is named", async () => {
    for (const name of ["logs.zip", "logs.7z", "logs.rar", "logs.tgz", "logs.tar.gz"])
      expect(notTextNote({ id: "F1", name })).toBe("is an archive: share the text files inside it.");
    expect(notTextNote({ id: "F1", name: "httperr1.log.gz" })).toBeNull();
    // A tar header: the name at 0, `ustar` at 257.
    const tar = Buffer.alloc(1024);
    tar.write("httperr1.log", 0, "latin1");
    tar.write("ustar\u000000", 257, "latin1");
    const { fetch } = serveFrom(() => chunksOf(gzipSync(tar)));
    const read = await readSlackFile(client, file("logs.gz"), opts(fetch));
    expect(read).toMatchObject({ ok: false, note: "is an archive: share the text files inside it." });
  });
});
