// How much of an input is read, and when a log streams instead of being read as text. The CLI and
// the bot pass their own numbers (the bot's come from its configuration); the defaults are the CLI's.

/** HTTPERR logs up to this size are read whole and parsed like a paste (records kept). */
export const STREAM_THRESHOLD_BYTES = 8 * 1024 * 1024;
/** A file at least this big is cut into ranges for the worker threads. */
export const PARALLEL_THRESHOLD_BYTES = 32 * 1024 * 1024;
/** The most the CLI reads as text from one input (a big file that is not an HTTPERR log). */
export const MAX_TEXT_BYTES = 256 * 1024 * 1024;
/** How much of the head tells what an input is (gzip, tar, charset, HTTPERR). */
export const SNIFF_BYTES = 64 * 1024;

export interface Caps {
  /** Most bytes read as text (decompressed ones for a .gz). */
  textBytes: number;
  /**
   * Past `textBytes`, a plain input is cut at the last whole line (`true`, the bot) or refused
   * (`false`, the CLI). A compressed one is always refused: too big to read whole, it is likely a bundle.
   */
  cutText: boolean;
  /** HTTPERR logs bigger than `thresholdBytes` stream through the byte scanner, up to `maxBytes`. Without it nothing streams. */
  stream?: { thresholdBytes: number; maxBytes: number };
}

/** The CLI's caps: text up to 256 MB (refused past it), HTTPERR logs over 8 MB streamed whole. */
export const CLI_CAPS: Caps = {
  textBytes: MAX_TEXT_BYTES,
  cutText: false,
  stream: { thresholdBytes: STREAM_THRESHOLD_BYTES, maxBytes: Number.POSITIVE_INFINITY },
};
