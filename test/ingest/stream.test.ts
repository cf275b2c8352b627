// ingestStream: one byte stream (a web stream as fetch gives, a Node stream, a generator), whatever its
// charset or compression, gives the same text or the same streamed summary; caps cut or refuse;
// tarballs and binaries are named; the source is left where reading stopped.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateHttperr } from "../../bench/generate.js";
import { type Caps, GzipError, type Ingested, ingestStream, scanHttperrStream } from "../../ingest/index.js";
import { parseHttperr } from "../../parsers/kinds/httperr/parse.js";

const dir = mkdtempSync(join(tmpdir(), "tattle-ingest-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CHUNK = 4096;
const chunks = (bytes: Uint8Array) =>
  Array.from({ length: Math.ceil(bytes.byteLength / CHUNK) }, (_, i) =>
    bytes.subarray(i * CHUNK, (i + 1) * CHUNK),
  );

/** A body as fetch gives it, recording whether the reader cancelled it. */
function webStream(bytes: Uint8Array, state = { cancelled: false, pulled: 0 }) {
  const parts = chunks(bytes);
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = parts.shift();
      if (!next) return controller.close();
      state.pulled += next.byteLength;
      controller.enqueue(next);
    },
    cancel() {
      state.cancelled = true;
    },
  });
}

const sources = (bytes: Uint8Array) => ({
  web: webStream(bytes),
  node: Readable.from(chunks(bytes)),
  generator: (async function* () {
    yield* chunks(bytes);
  })(),
});

const CAPS: Caps = {
  textBytes: 1_000_000,
  cutText: true,
  stream: { thresholdBytes: 100_000, maxBytes: 50_000_000 },
};
const TEXT =
  '[boot loader]\r\ntimeout=30\r\n[operating systems]\r\nmulti(0)disk(0)rdisk(0)partition(1)\\WINDOWS="Windows Server 2003, Édition Entreprise" /3GB\r\n';

function text(got: Ingested): string {
  if (got.kind !== "text") throw new Error(`not text: ${got.kind}`);
  return got.text;
}

describe("ingestStream", () => {
  let log: Buffer;
  beforeAll(() => {
    const path = join(dir, "httperr.log");
    generateHttperr(path, 400_000, { seed: 21 });
    log = readFileSync(path);
  });

  it("reads the same text from a web stream, a Node stream and a generator, in any charset, gzipped or not", async () => {
    const iconv = (await import("iconv-lite")).default;
    const encodings: [string, Buffer][] = [
      ["utf-8", Buffer.from(TEXT)],
      ["utf-8 with a mark", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT)])],
      ["utf-16le with a mark", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, "utf16le")])],
      ["utf-16le", Buffer.from(TEXT, "utf16le")],
      ["utf-16be", Buffer.from(TEXT, "utf16le").swap16()],
      ["windows-1252", iconv.encode(TEXT, "windows-1252")],
    ];
    for (const [name, bytes] of encodings) {
      for (const [how, stream] of Object.entries(sources(bytes))) {
        expect(
          text(await ingestStream({ name: "boot.ini", bytes: stream }, CAPS)),
          `${name} from ${how}`,
        ).toBe(TEXT);
      }
      // By the name, and by the signature whatever the name.
      for (const fileName of ["boot.ini.gz", "boot.ini"]) {
        const got = await ingestStream({ name: fileName, bytes: webStream(gzipSync(bytes)) }, CAPS);
        expect(got).toMatchObject({ kind: "text", text: TEXT, gzip: true });
      }
    }
  });

  it("streams a big HTTPERR log in UTF-16 as the scanner reads its UTF-8 twin", async () => {
    const want = parseHttperr(log.toString("utf8"), "x").data.summary;
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(log.toString("utf8"), "utf16le")]);
    for (const bytes of [log, utf16, gzipSync(utf16)]) {
      const got = await ingestStream({ name: "httperr1.log", bytes: webStream(bytes) }, CAPS);
      expect(got).toMatchObject({ kind: "summary", truncated: false, bytes: log.byteLength });
      expect(got.kind === "summary" && got.summary).toEqual(want);
    }
  });

  it("streams a log known to be big by its declared size, and stops at the stream cap, leaving the download", async () => {
    const state = { cancelled: false, pulled: 0 };
    const caps: Caps = { ...CAPS, textBytes: 1000, stream: { thresholdBytes: 100_000, maxBytes: 150_001 } };
    const streamed: boolean[] = [];
    const got = await ingestStream(
      { name: "httperr1.log", bytes: webStream(log, state), size: log.byteLength },
      caps,
      { onStream: ({ gzip }) => streamed.push(gzip) },
    );
    expect(streamed).toEqual([false]);
    const lastEol = log.subarray(0, 150_001).lastIndexOf(10);
    expect(got).toMatchObject({ kind: "summary", truncated: true, bytes: 150_001 });
    const cut = await scanHttperrStream(Readable.from([log.subarray(0, lastEol + 1)]));
    expect(got.kind === "summary" && got.summary).toEqual(cut.summary);
    expect(state.cancelled).toBe(true);
    expect(state.pulled).toBeLessThan(log.byteLength);
  });

  it("cuts plain text at the text cap after a whole line, or refuses it; refuses a .gz that expands past it", async () => {
    const prose = Buffer.from("nothing to see here, just words\n".repeat(1000));
    const cut = await ingestStream(
      { name: "notes.txt", bytes: webStream(prose) },
      { ...CAPS, textBytes: 1000 },
    );
    expect(cut).toMatchObject({ kind: "text", truncated: true, bytes: 1000 });
    expect(text(cut)).toBe("nothing to see here, just words\n".repeat(31));
    const refused = { ...CAPS, textBytes: 1000, cutText: false };
    expect(await ingestStream({ name: "notes.txt", bytes: webStream(prose) }, refused)).toEqual({
      kind: "too-big",
      gzip: false,
      cap: 1000,
    });
    expect(
      await ingestStream(
        { name: "notes.txt.gz", bytes: webStream(gzipSync(prose)) },
        { ...CAPS, textBytes: 1000 },
      ),
    ).toEqual({
      kind: "too-big",
      gzip: true,
      cap: 1000,
    });
  });

  it("names tarballs and binaries, and turns broken gzip into GzipError", async () => {
    const tar = Buffer.alloc(1024);
    tar.write("httperr1.log", 0, "latin1");
    tar.write("ustar\u000000", 257, "latin1");
    expect(await ingestStream({ name: "logs.gz", bytes: webStream(gzipSync(tar)) }, CAPS)).toEqual({
      kind: "archive",
      gzip: true,
    });
    const binary = Buffer.from(Array.from({ length: 2048 }, (_, i) => (i % 7 === 0 ? 0 : (i * 31) % 256)));
    expect(await ingestStream({ name: "blob.bin", bytes: webStream(binary) }, CAPS)).toEqual({
      kind: "binary",
      bytes: 2048,
      seen: "binary data (NUL bytes), 2.0 kB",
    });
    await expect(
      ingestStream({ name: "x.log.gz", bytes: webStream(gzipSync(log).subarray(0, 5000)) }, CAPS),
    ).rejects.toBeInstanceOf(GzipError);
  });

  it("reads an empty stream as empty text", async () => {
    expect(await ingestStream({ name: "empty.txt", bytes: webStream(new Uint8Array(0)) }, CAPS)).toEqual({
      kind: "text",
      text: "",
      bytes: 0,
      encoding: "utf-8",
      truncated: false,
      gzip: false,
    });
  });
});
