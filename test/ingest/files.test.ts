// readInputs and the parallel scan: byte ranges on worker threads merge to the single-thread summary
// (per-minute maps and top lists included), folders and .gz files stream, uploads stop at their cap,
// any charset is read, and `-` reads stdin. Past the sketches' capacity, merged partials stay within
// the bounds they state.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateHttperr } from "../../bench/generate.js";
import {
  InputError,
  readInputs,
  STDIN,
  STREAM_THRESHOLD_BYTES,
  scanHttperrFile,
  scanHttperrStream,
} from "../../ingest/index.js";
import { type RangeJob, type RangeResult, scanFileRanges, scanRange } from "../../ingest/ranges.js";
import { PIECE_BYTES } from "../../parsers/kinds/httperr/marks.js";
import { parseHttperr } from "../../parsers/kinds/httperr/parse.js";
import { finishSummary } from "../../parsers/kinds/httperr/scan.js";
import { exactOfText, exactSummary, expectWithinBounds } from "../parsers/kinds/httperr/exact.js";

const dir = mkdtempSync(join(tmpdir(), "tattle-sources-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const simpleOf = (bytes: Uint8Array) => parseHttperr(new TextDecoder().decode(bytes), "x").data.summary;

describe("parallel scan", () => {
  const mixed = join(dir, "mixed.log");
  beforeAll(() => {
    // Header blocks alternate between 13 and 14 fields, so ranges start under either list.
    generateHttperr(mixed, 2_500_000, {
      seed: 5,
      streamidBlocks: true,
      blockBytes: 300_000,
      truncateLast: true,
    });
  });

  it("ranges scanned in this thread merge to the simple parser's summary, for any split", async () => {
    const want = simpleOf(readFileSync(mixed));
    expect(want).toEqual(exactSummary(exactOfText(readFileSync(mixed, "utf8"))));
    for (const parts of [1, 2, 3, 5, 8, 13]) {
      expect(await scanHttperrFile(mixed, { threads: 1, parts }), `${parts} parts`).toEqual(want);
    }
  });

  it("scans a file in ranges of any block size: lines across pieces and blocks, and longer than either", async () => {
    const path = join(dir, "long-lines.log");
    const L = "2024-01-02 03:04:05 10.0.0.1 5000 10.0.0.2 80 HTTP/1.1 GET /a 503 1 QueueFull Pool1";
    const lines = [
      "#Fields: date time c-ip c-port s-ip s-port cs-version cs-method cs-uri sc-status s-siteid s-reason s-queuename",
    ];
    // Lengths through every remainder, then lines of about half a piece, a piece, and three.
    for (let k = 0; k < 3000; k++) lines.push(L.replace("/a", `/${"x".repeat(k % 97)}`));
    for (const n of [PIECE_BYTES / 2 - 90, PIECE_BYTES / 2 + 10, PIECE_BYTES - 3, 3 * PIECE_BYTES])
      lines.push(L.replace("/a", `/${"y".repeat(n)}`), L, L);
    writeFileSync(path, `${lines.join("\r\n")}\r\n`);
    const want = simpleOf(readFileSync(path));
    expect(want.lines).toBe(lines.length - 1);
    for (const blockBytes of [1000, 65_537, 1 << 20])
      for (const parts of [1, 3])
        expect(
          await scanHttperrFile(path, { threads: 1, parts, blockBytes }),
          `${parts} parts of ${blockBytes}`,
        ).toEqual(want);
  });

  it("ranges on worker threads merge to the single-thread summary", async () => {
    let alone = 0;
    const single = await scanHttperrFile(mixed, { threads: 1, parts: 1, onProgress: (d) => (alone = d) });
    expect(alone).toBe(readFileSync(mixed).length);
    let last = 0;
    const par = await scanHttperrFile(mixed, { threads: 2, parts: 4, onProgress: (d) => (last = d) });
    expect(par).toEqual(single);
    expect(last).toBeGreaterThan(0);
  });

  it("a thread left without a range takes over the later half of another's, and the ranges tile the file", async () => {
    const want = simpleOf(readFileSync(mixed));
    const size = readFileSync(mixed).length;
    // One range to start with: the second lane has none and takes over half of it at once.
    for (const block of [1000, 4096, 8192]) {
      const parts = 1;
      const ran: { job: RangeJob; result: RangeResult }[] = [];
      // Two lanes in this thread: their reads interleave, so each finishes while the other still has blocks.
      const runner = async (job: RangeJob) => {
        const result = await scanRange(job, () => {});
        ran.push({ job, result });
        return result;
      };
      const partial = await scanFileRanges(mixed, size, parts, [runner, runner], { blockBytes: block });
      expect(finishSummary(partial), `${parts} parts of ${block}-byte blocks`).toEqual(want);
      expect(ran.length).toBeGreaterThan(parts);
      ran.sort((a, b) => a.job.start - b.job.start);
      expect(ran[0]?.job.start).toBe(0);
      expect(ran.at(-1)?.result.end).toBe(size);
      for (let k = 1; k < ran.length; k++) {
        const { job } = ran[k] as { job: RangeJob };
        expect(job.start).toBe(ran[k - 1]?.result.end);
        // Every range starts just after a line end.
        expect(readFileSync(mixed)[job.start - 1]).toBe(10);
      }
    }
  });

  it("worker threads that take over each other's ranges merge to the single-thread summary", async () => {
    const single = await scanHttperrFile(mixed, { threads: 1, parts: 1 });
    for (const parts of [1, 2])
      expect(await scanHttperrFile(mixed, { threads: 3, parts, blockBytes: 4096 })).toEqual(single);
  });

  it("high cardinality: ranges and worker threads merge within the bounds they state", async () => {
    const path = join(dir, "high.log");
    generateHttperr(path, 6_000_000, { seed: 15, cardinality: "high", hotShare: 0.05, streamidBlocks: true });
    const exact = exactOfText(readFileSync(path, "utf8"));
    for (const parts of [1, 3]) expectWithinBounds(await scanHttperrFile(path, { threads: 1, parts }), exact);
    const par = await scanHttperrFile(path, { threads: 2, parts: 4 });
    expect(par.distinctClients.relativeError).toBeGreaterThan(0);
    expectWithinBounds(par, exact);
  });

  it("a range whose assumed field list is wrong is scanned again", async () => {
    // The first block has streamid (14 fields) only from the second block on: ranges past the first
    // assume the first block's list, which is wrong for the 14-field blocks.
    const path = join(dir, "switch.log");
    const h13 =
      "#Fields: date time c-ip c-port s-ip s-port cs-version cs-method cs-uri sc-status s-siteid s-reason s-queuename\n";
    const h14 =
      "#Fields: date time c-ip c-port s-ip s-port cs-version cs-method cs-uri streamid sc-status s-siteid s-reason s-queuename\n";
    const l13 = "2024-01-01 00:00:01 10.0.0.1 1 10.0.0.2 80 HTTP/1.1 GET /a 503 1 QueueFull P\n";
    const l14 = "2024-01-01 00:00:02 10.0.0.1 1 10.0.0.2 80 HTTP/2.0 GET /b 9 503 2 QueueFull Q\n";
    writeFileSync(path, h13 + l13.repeat(50) + h14 + l14.repeat(4000) + h13 + l13.repeat(100));
    const want = simpleOf(readFileSync(path));
    for (const parts of [2, 3, 7]) expect(await scanHttperrFile(path, { threads: 1, parts })).toEqual(want);
    expect(want.bySite).toEqual({ "1": 150, "2": 4000 });
  });
});

describe("readInputs", () => {
  it("reads a small file like a paste, records kept", async () => {
    const path = join(dir, "small.log");
    generateHttperr(path, 20_000, { seed: 1 });
    const [input] = await readInputs([path]);
    expect(input?.kind).toBe("httperr");
    if (input?.kind !== "httperr") return;
    expect(input.data.records.length).toBe(input.data.summary.lines);
    expect(input.data.summary).toEqual(simpleOf(readFileSync(path)));
  });

  it("streams a big file: summary only, with a warning", async () => {
    const path = join(dir, "big.log");
    generateHttperr(path, STREAM_THRESHOLD_BYTES + 500_000, { seed: 2 });
    const seen: number[] = [];
    const [input] = await readInputs([path], { onProgress: (d, t) => seen.push(d / t) });
    expect(input?.kind).toBe("httperr");
    if (input?.kind !== "httperr") return;
    expect(input.data.records).toEqual([]);
    expect(input.warnings.join(" ")).toMatch(/records were not kept/);
    expect(input.data.summary).toEqual(simpleOf(readFileSync(path)));
    expect(seen.at(-1)).toBe(1);
  });

  it("reads a folder (httperr*.log, any case, .gz too) as one input, each file with its own header", async () => {
    const folder = join(dir, "HTTPERR");
    mkdirSync(folder);
    const texts: Uint8Array[] = [];
    for (const [i, name] of ["httperr1.log", "HTTPERR2.LOG", "httperr3.log.gz"].entries()) {
      const p = join(dir, `part${i}.log`);
      generateHttperr(p, 150_000, { seed: 10 + i, streamidBlocks: i === 1 });
      const bytes = readFileSync(p);
      texts.push(bytes);
      writeFileSync(join(folder, name), name.endsWith(".gz") ? gzipSync(bytes) : bytes);
    }
    writeFileSync(join(folder, "notes.txt"), "not a log");
    const [input, ...rest] = await readInputs([folder]);
    expect(rest).toEqual([]);
    if (input?.kind !== "httperr") throw new Error("not httperr");
    const all = Buffer.concat(texts);
    expect(input.data.summary).toEqual(simpleOf(all));
    expect(input.source).toBe(folder);
  });

  it("reads a high-cardinality folder (a .gz among its logs) within the stated bounds", async () => {
    const folder = join(dir, "HTTPERR-public");
    mkdirSync(folder);
    const texts: Uint8Array[] = [];
    for (const [i, name] of ["httperr1.log", "httperr2.log.gz"].entries()) {
      const p = join(dir, `public${i}.log`);
      generateHttperr(p, 2_500_000, { seed: 30 + i, cardinality: "high" });
      const bytes = readFileSync(p);
      texts.push(bytes);
      writeFileSync(join(folder, name), name.endsWith(".gz") ? gzipSync(bytes) : bytes);
    }
    const [input] = await readInputs([folder]);
    if (input?.kind !== "httperr") throw new Error("not httperr");
    expect(input.data.summary.distinctClients.relativeError).toBeGreaterThan(0);
    expectWithinBounds(input.data.summary, exactOfText(Buffer.concat(texts).toString("utf8")));
  });

  it("streams a big .gz file", async () => {
    const p = join(dir, "gz-src.log");
    generateHttperr(p, STREAM_THRESHOLD_BYTES + 100_000, { seed: 4 });
    const bytes = readFileSync(p);
    const gz = join(dir, "u_ex.log.gz");
    writeFileSync(gz, gzipSync(bytes));
    const [input] = await readInputs([gz]);
    if (input?.kind !== "httperr") throw new Error("not httperr");
    expect(input.data.records).toEqual([]);
    expect(input.data.summary).toEqual(simpleOf(bytes));
  });

  it("throws InputError with the path for what cannot be read", async () => {
    const missing = join(dir, "nope.log");
    const err = await readInputs([missing]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).path).toBe(missing);
    expect((err as InputError).message).toMatch(/no such file/);
    const empty = join(dir, "empty-folder");
    mkdirSync(empty);
    await expect(readInputs([empty])).rejects.toThrow(/no files to read in the folder/);
  });

  it("keeps every record of a file above the streaming threshold when asked (tattletale parse)", async () => {
    const big = join(dir, "httperr-big-keep.log");
    generateHttperr(big, 9 * 1024 * 1024, { seed: 5 });
    const [streamed] = await readInputs([big], { threads: 1 });
    const [kept] = await readInputs([big], { keepRecords: true });
    if (streamed?.kind !== "httperr" || kept?.kind !== "httperr") throw new Error("not read as HTTPERR");
    expect(streamed.data.records).toEqual([]);
    expect(kept.data.records.length).toBe(kept.data.summary.lines);
    expect(kept.data.summary).toEqual(streamed.data.summary);
  });

  it("reads an incident folder: its HTTPERR logs as one input, its other files as pastes", async () => {
    const folder = join(dir, "incident");
    mkdirSync(folder);
    writeFileSync(
      join(folder, "httperr1.log"),
      "2007-11-13 20:01:44 - - - - - - - - - 3_Connections_Refused -\n",
    );
    writeFileSync(
      join(folder, "boot.ini"),
      '[boot loader]\ndefault=multi(0)disk(0)rdisk(0)partition(1)\\WINDOWS\n[operating systems]\nmulti(0)disk(0)rdisk(0)partition(1)\\WINDOWS="Windows Server 2003" /3GB\n',
    );
    const inputs = await readInputs([folder]);
    expect(inputs.map((i) => [i.kind, i.source])).toEqual([
      ["httperr", folder],
      ["boot-ini", join(folder, "boot.ini")],
    ]);
  });
});

describe("readInputs in any charset, and stdin", () => {
  const utf16 = (bytes: Uint8Array) =>
    Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(new TextDecoder().decode(bytes), "utf16le")]);

  it("streams a big HTTPERR log PowerShell wrote in UTF-16 with the summary of its UTF-8 twin", async () => {
    const plain = join(dir, "ps-plain.log");
    generateHttperr(plain, STREAM_THRESHOLD_BYTES / 2 + 100_000, { seed: 31 });
    const bytes = readFileSync(plain);
    const path = join(dir, "ps-utf16.log");
    writeFileSync(path, utf16(bytes));
    let last = 0;
    const [input, ...rest] = await readInputs([path], { onProgress: (d, t) => (last = d / t) });
    expect(rest).toEqual([]);
    if (input?.kind !== "httperr") throw new Error("not read as HTTPERR");
    expect(input.data.records).toEqual([]);
    expect(input.warnings.join(" ")).toMatch(/records were not kept/);
    expect(input.data.summary).toEqual(simpleOf(bytes));
    expect(last).toBe(1);
  });

  it("reads a folder whose logs are in UTF-8 and UTF-16, plain and compressed, as one log", async () => {
    const folder = join(dir, "mixed-charsets");
    mkdirSync(folder);
    const parts: Uint8Array[] = [];
    for (const [i, name] of ["httperr1.log", "httperr2.log", "httperr3.log.gz"].entries()) {
      const p = join(dir, `charset-part${i}.log`);
      generateHttperr(p, 120_000, { seed: 40 + i });
      const bytes = readFileSync(p);
      parts.push(bytes);
      const written = i === 0 ? bytes : utf16(bytes);
      writeFileSync(join(folder, name), name.endsWith(".gz") ? gzipSync(written) : written);
    }
    const [input] = await readInputs([folder]);
    if (input?.kind !== "httperr") throw new Error("not read as HTTPERR");
    expect(input.data.summary).toEqual(simpleOf(Buffer.concat(parts)));
  });

  it("reads `-` from stdin among files, in order, UTF-16 included", async () => {
    const boot =
      '[boot loader]\r\ntimeout=30\r\n[operating systems]\r\nmulti(0)disk(0)rdisk(0)partition(1)\\WINDOWS="Windows Server 2003" /3GB\r\n';
    const stdin = Readable.from([utf16(Buffer.from(boot))]);
    const log = join(dir, "stdin-neighbour.log");
    writeFileSync(log, "2007-11-13 20:01:44 - - - - - - - - - 3_Connections_Refused -\n");
    const inputs = await readInputs([log, STDIN], { stdin });
    expect(inputs.map((i) => [i.kind, i.source])).toEqual([
      ["httperr", log],
      ["boot-ini", "stdin"],
    ]);
    const bootInput = inputs[1];
    expect(bootInput?.kind === "boot-ini" && bootInput.data.entries[0]?.switches["3GB"]).toBe(true);
  });

  it("says what stdin held when it is nothing readable, gzip's signature without gzip included", async () => {
    const seen: string[] = [];
    const onUnreadable = (source: string, what: string) => seen.push(`${source}: ${what}`);
    expect(
      await readInputs([STDIN], { stdin: Readable.from([Buffer.from([0x1f, 0x8b, 8, 0])]), onUnreadable }),
    ).toEqual([]);
    expect(
      await readInputs([STDIN], { stdin: Readable.from([Buffer.from("hello\n")]), onUnreadable }),
    ).toEqual([]);
    expect(seen).toEqual([
      "stdin: gzip's signature, but not a whole gzip stream (unexpected end of file)",
      'stdin: 6 bytes of text (1 line) with no line Tattletale recognises, starting "hello"',
    ]);
    // A file named .gz that is not whole gzip cannot be read: an error, as for any unreadable file.
    const broken = join(dir, "broken.log.gz");
    writeFileSync(broken, Buffer.from([0x1f, 0x8b, 8, 0]));
    await expect(readInputs([broken])).rejects.toThrow(
      /cannot read .*broken\.log\.gz: unexpected end of file/,
    );
  });
});

describe("scanHttperrStream", () => {
  it("summarises an upload, and stops at the cap on a whole line", async () => {
    const p = join(dir, "upload.log");
    generateHttperr(p, 300_000, { seed: 6 });
    const bytes = readFileSync(p);
    const chunks = (size: number) =>
      Readable.from(
        Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) =>
          bytes.subarray(i * size, (i + 1) * size),
        ),
      );
    const whole = await scanHttperrStream(chunks(4096));
    expect(whole).toEqual({ summary: simpleOf(bytes), truncated: false });
    const cap = 100_001;
    const cut = await scanHttperrStream(chunks(4096), { maxBytes: cap });
    const lastEol = bytes.subarray(0, cap).lastIndexOf(10);
    expect(cut.truncated).toBe(true);
    expect(cut.summary).toEqual(simpleOf(bytes.subarray(0, lastEol + 1)));
    expect(cut.summary.skipped).toBe(0);
  });
});
