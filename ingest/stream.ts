// One byte stream in (a file, stdin, a Slack download), what the parsers need out: its text, decoded
// whatever its charset, or, for an HTTPERR log too big to hold, the byte scanner's summary of it.
// Gzip is undone as the bytes arrive; every cap counts decompressed bytes.

import { describeUnreadable } from "../parsers/describe.js";
import type { HttperrSummary } from "../parsers/evidence.js";
import { HttperrScanner } from "../parsers/kinds/httperr/scan.js";
import { concat, Held } from "./bytes.js";
import { type Caps, SNIFF_BYTES } from "./caps.js";
import { type Charset, decodeAs, decodeParts, sniffCharset, toUtf8 } from "./decode.js";
import { gunzip } from "./gunzip.js";
import { hasGzipMagic, isGzipName, isTar, looksLikeHttperr } from "./sniff.js";

/** A web ReadableStream (fetch's body) or anything async-iterable (a Node Readable, a generator). */
export type Bytes = AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>;

export interface ByteSource {
  /** A path, a Slack file name, `stdin`: a `.gz` ending says gzip (so does the gzip signature). */
  name: string;
  bytes: Bytes;
  /** The size declared for it (a file's, Slack's), when known: a big HTTPERR log then streams at once. */
  size?: number | null;
}

export interface IngestHooks {
  /** Each chunk read from the source (as it arrives: compressed, for a .gz). */
  onRead?(bytes: number): void;
  /** Once, when the input turns out to be an HTTPERR log that streams through the scanner. */
  onStream?(info: { gzip: boolean }): void;
}

export type Ingested =
  /** Text to parse. `bytes` read (decompressed), `truncated` at the text cap (then cut after a whole line). */
  | {
      kind: "text";
      text: string;
      /** A big text also as the pieces it was decoded in (about 256 KB each), for a parse worker. */
      parts?: string[];
      bytes: number;
      encoding: Charset;
      truncated: boolean;
      gzip: boolean;
    }
  /** A big HTTPERR log, streamed: its summary only. `bytes` scanned, `truncated` at the stream cap. */
  | { kind: "summary"; summary: HttperrSummary; bytes: number; truncated: boolean; gzip: boolean }
  /** Not text. `seen`: what it looks like, in a few words (`binary data (NUL bytes), 19.5 KB`). */
  | { kind: "binary"; bytes: number; seen: string }
  /** A tarball (however it is named). */
  | { kind: "archive"; gzip: boolean }
  /** Over the text cap and not an HTTPERR log that could stream. */
  | { kind: "too-big"; gzip: boolean; cap: number };

/** An iterator over a source's chunks, and how to leave it (a download is cancelled). */
function iterate(bytes: Bytes): { it: AsyncIterator<Uint8Array>; close(): Promise<void> } {
  if ("getReader" in bytes) {
    const reader = bytes.getReader();
    let ended = false;
    return {
      it: {
        next: async () => {
          const r = await reader.read();
          if (r.done) ended = true;
          return r.done ? { done: true, value: undefined } : { done: false, value: r.value };
        },
      },
      close: async () => {
        if (!ended) await reader.cancel().catch(() => undefined);
      },
    };
  }
  const it = bytes[Symbol.asyncIterator]();
  return {
    it,
    close: async () => {
      await it.return?.(undefined)?.catch?.(() => undefined);
    },
  };
}

async function* counted(
  it: AsyncIterator<Uint8Array>,
  onRead?: (n: number) => void,
): AsyncGenerator<Uint8Array> {
  for (let r = await it.next(); !r.done; r = await it.next()) {
    onRead?.(r.value.byteLength);
    yield r.value;
  }
}

/**
 * Reads one input. A big HTTPERR log (bigger than the stream threshold, by its declared size or found
 * while reading, or a compressed one past the text cap) streams through the byte scanner up to the
 * stream cap, never held whole, as UTF-8 whatever it was written in. Anything else is read as text up
 * to the text cap and decoded (UTF-8, UTF-16 with or without a mark, legacy code pages), or found
 * binary. The source is left wherever reading stopped.
 */
export async function ingestStream(
  source: ByteSource,
  caps: Caps,
  hooks: IngestHooks = {},
): Promise<Ingested> {
  const src = iterate(source.bytes);
  const raw = new Held(counted(src.it, hooks.onRead));
  let body: AsyncGenerator<Uint8Array> | null = null;
  try {
    await raw.fillPast(1);
    const gzip = isGzipName(source.name) || hasGzipMagic(raw.head(2));
    body = gzip ? gunzip(raw.replay()) : raw.replay();
    return await read(body, source, caps, hooks, gzip);
  } finally {
    await body?.return(undefined);
    await src.close();
  }
}

async function read(
  body: AsyncGenerator<Uint8Array>,
  source: ByteSource,
  caps: Caps,
  hooks: IngestHooks,
  gzip: boolean,
): Promise<Ingested> {
  const held = new Held(body);
  const stream = caps.stream;
  const threshold = stream?.thresholdBytes ?? Number.POSITIVE_INFINITY;
  const bigBySize = !gzip && stream !== undefined && (source.size ?? 0) > threshold;
  // Enough to choose: the head of a file known to be big; else past the threshold or the text cap.
  await held.fillPast(bigBySize ? SNIFF_BYTES - 1 : Math.min(threshold, caps.textBytes));
  const head = held.head(SNIFF_BYTES);
  if (isTar(head)) return { kind: "archive", gzip };
  const sniffed = sniffCharset(head, held.done && held.total <= SNIFF_BYTES);
  const big = bigBySize || held.total > threshold || (gzip && held.total > caps.textBytes);
  if (
    stream &&
    !held.done &&
    big &&
    looksLikeHttperr(decodeAs(head.subarray(sniffed.bom), sniffed.charset))
  ) {
    hooks.onStream?.({ gzip });
    let fed = 0;
    const { summary, truncated } = await scanHttperrStream(
      countChunks(toUtf8(held.replay(), sniffed), (n) => {
        fed += n;
      }),
      { maxBytes: stream.maxBytes },
    );
    return { kind: "summary", summary, truncated, bytes: Math.min(fed, stream.maxBytes), gzip };
  }
  await held.fillPast(caps.textBytes);
  const over = held.total > caps.textBytes;
  if (over && (gzip || !caps.cutText)) return { kind: "too-big", gzip, cap: caps.textBytes };
  const kept = over ? held.headChunks(caps.textBytes) : held.chunks;
  const size = over ? caps.textBytes : held.total;
  // Decoded a piece at a time (the event loop runs between pieces); a cut text keeps whole lines only,
  // the rest of a cut line would read as garbage.
  const decoded = await decodeParts(kept, size, { wholeLines: over });
  if ("binary" in decoded) {
    const sample = concat(kept, size).subarray(0, SNIFF_BYTES * 8);
    const seen = describeUnreadable(new TextDecoder().decode(sample), false, size);
    return { kind: "binary", bytes: size, seen };
  }
  return {
    kind: "text",
    text: decoded.text,
    ...(decoded.parts.length > 1 ? { parts: decoded.parts } : {}),
    bytes: size,
    encoding: decoded.encoding,
    truncated: over,
    gzip,
  };
}

async function* countChunks(chunks: AsyncIterable<Uint8Array>, count: (n: number) => void) {
  for await (const c of chunks) {
    count(c.byteLength);
    yield c;
  }
}

// ---------- the byte scanner on a stream ----------

/** Pushes a stream through a scanner, at most maxBytes (then cut at the last whole line). */
export async function scanStream(
  stream: AsyncIterable<Uint8Array>,
  scanner: HttperrScanner,
  maxBytes: number,
  onBytes: (n: number) => void,
): Promise<boolean> {
  let total = 0;
  for await (const chunk of stream) {
    const room = maxBytes - total;
    if (chunk.length > room) {
      if (room > 0) scanner.push(chunk.subarray(0, room));
      scanner.dropPartialLine();
      return true;
    }
    scanner.push(chunk);
    total += chunk.length;
    onBytes(chunk.length);
  }
  return false;
}

/**
 * Summarises an HTTPERR log as it arrives: at most maxBytes are read; past it the stream is left and
 * `truncated` is true (the summary then ends at the last whole line).
 */
export async function scanHttperrStream(
  stream: AsyncIterable<Uint8Array>,
  opts: { maxBytes?: number } = {},
): Promise<{ summary: HttperrSummary; truncated: boolean }> {
  const scanner = new HttperrScanner();
  const truncated = await scanStream(stream, scanner, opts.maxBytes ?? Number.POSITIVE_INFINITY, () => {});
  return { summary: scanner.end(), truncated };
}
