// Gzip-compressed input (`.gz`, or the gzip signature), decompressed as it arrives. What is read after
// it counts decompressed bytes, so a small file that expands to gigabytes (a zip bomb) meets the same
// caps as any long log.
import { pipeline, Readable } from "node:stream";
import { createGunzip } from "node:zlib";

/** Deflate's best case: no gzip body expands more than this, which bounds a .gz's work by its size. */
export const MAX_DEFLATE_RATIO = 1032;

/** A .gz whose compressed data is broken (cut short, not gzip at all, a bad checksum). */
export class GzipError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GzipError";
  }
}

/**
 * The decompressed bytes of a compressed stream, zlib's complaints turned into GzipError. Leaving the
 * loop early leaves the compressed stream too.
 */
export async function* gunzip(compressed: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const z = createGunzip();
  const input = Readable.from(compressed, { objectMode: false });
  // pipeline, not pipe: a failed read of the input must also fail the gunzip stream being read.
  pipeline(input, z, () => {
    // Errors reach the reader through z's iteration.
  });
  try {
    for await (const chunk of z) yield chunk as Uint8Array;
  } catch (err) {
    // zlib's codes are Z_DATA_ERROR and the like; a read error (a time limit, a dropped connection,
    // a DOMException with a numeric code) comes through as it is.
    const code: unknown = (err as { code?: unknown }).code;
    if (typeof code === "string" && code.startsWith("Z_")) throw new GzipError((err as Error).message);
    throw err;
  } finally {
    z.destroy();
    input.destroy();
  }
}
