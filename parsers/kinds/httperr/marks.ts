// A piece of an HTTPERR log in WebAssembly memory, and the scanner's fast path over it (compiled from
// assembly/lines.ts): the reader marks every byte ≤ 0x20 or ≥ 0x80 (spaces, line ends, controls,
// non-ASCII) with one bit, 16 bytes at a time, and reads the plain lines of the piece into records of
// the fields the summary counts. Without WebAssembly (`node --jitless`) the piece is a plain buffer and
// there is no reader: every line takes the scanner's general path.

import { LINES_WASM } from "./lines-wasm.js";

/** Bytes scanned at a time: small enough that a piece and its bitmap stay in cache while scanned. */
export const PIECE_BYTES = 64 * 1024;

/** What the compiled module exports (the memory map's addresses are its globals). */
interface LinesExports {
  memory: { buffer: ArrayBuffer };
  mark: (from: number, to: number) => void;
  read: (from: number, stop: number, slot: number) => number;
  recordCount: () => number;
  addPair: (s: number, e: number, id: number) => void;
  clearPairs: () => void;
  PIECE_BYTES: { value: number };
  MEMORY_END: { value: number };
  BITS_AT: { value: number };
  LAYOUTS_AT: { value: number };
  LAYOUT_WORDS: { value: number };
  RECORDS_AT: { value: number };
  RECORD_WORDS: { value: number };
  MAX_RECORDS: { value: number };
  MAX_NUMERIC: { value: number };
  MAX_TOKENS: { value: number };
}

/** The little of WebAssembly used here (Node has it; the type libraries for Node 20 do not declare it). */
interface Wasm {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: LinesExports };
}
/** Absent under `node --jitless`. */
const wasm = (globalThis as unknown as { WebAssembly?: Wasm }).WebAssembly;

let compiled: object | null = null;

/**
 * Where the summary's fields sit in a line's tokens (-1: absent), and which tokens must be numbers:
 * what the reader needs of a field list.
 */
export interface FieldLayout {
  count: number;
  date: number;
  time: number;
  cip: number;
  uri: number;
  status: number;
  site: number;
  reason: number;
  queue: number;
  numeric: Int32Array;
}

/** Layout slots: lines of 13 tokens (http.sys's default fields), of 14 (with streamid), a `#Fields` list. */
export const SLOT_13 = 0;
export const SLOT_14 = 1;
export const SLOT_FIELDS = 2;
/** read()'s slot when no `#Fields` list is known: SLOT_14 for lines of 14 tokens, else SLOT_13. */
export const SLOT_DEFAULT = -1;

/**
 * The fast path. mark(len) sets, for the piece's bytes [0, len), bit k of bits[w] when byte 32·w + k
 * is ≤ 0x20 or ≥ 0x80 (the bits past len, rounded up to 16, say nothing). read(from, stop, slot) then
 * reads the marked lines starting in [from, stop] (stop a LF) under a layout slot, and returns where
 * it stopped: past stop; at a line the general path must read (a directive, a field that is not what
 * its name says, odd spacing, non-ASCII, a number of ten digits or more); or after maxRecords lines.
 * records then holds count() records of recordWords: reason, queue, client and URI as [start, end)
 * in the piece (-1 when the list lacks the field), status and site (-1: `-`), date YYYYMMDD and time
 * HHMMSS (-1: `-` or absent), and the id addPair() gave the reason and queue side by side (-1: none
 * given, or not side by side).
 */
export interface LineReader {
  mark: (len: number) => void;
  bits: Int32Array;
  read: (from: number, stop: number, slot: number) => number;
  count: () => number;
  records: Int32Array;
  recordWords: number;
  maxRecords: number;
  /** Sets a slot's layout; false when the list is too long for the reader (its lines then take the general path). */
  setLayout: (slot: number, layout: FieldLayout) => boolean;
  /** Gives the bytes [s, e) of the piece (a reason and queue side by side) an id for read() to report. */
  addPair: (s: number, e: number, id: number) => void;
  /** Forgets every id addPair() gave. */
  clearPairs: () => void;
}

/** Where the scanner puts the bytes it scans: PIECE_BYTES of them, and the fast path over them. */
export interface Piece {
  bytes: Uint8Array;
  view: DataView;
  /** Null without WebAssembly. */
  reader: LineReader | null;
}

function readerOf(x: LinesExports): LineReader {
  const buffer = x.memory.buffer;
  const words = x.LAYOUT_WORDS.value;
  return {
    mark: (len) => x.mark(0, len),
    bits: new Int32Array(buffer, x.BITS_AT.value, PIECE_BYTES / 32),
    read: x.read,
    count: x.recordCount,
    records: new Int32Array(buffer, x.RECORDS_AT.value, x.MAX_RECORDS.value * x.RECORD_WORDS.value),
    recordWords: x.RECORD_WORDS.value,
    maxRecords: x.MAX_RECORDS.value,
    setLayout(slot, L) {
      if (L.count > x.MAX_TOKENS.value || L.numeric.length > x.MAX_NUMERIC.value) return false;
      const at = new Int32Array(buffer, x.LAYOUTS_AT.value + slot * words * 4, words);
      at.set([L.count, L.date, L.time, L.cip, L.uri, L.status, L.site, L.reason, L.queue, L.numeric.length]);
      at.set(L.numeric, 10);
      return true;
    },
    addPair: x.addPair,
    clearPairs: x.clearPairs,
  };
}

/** A piece in its own WebAssembly instance (its own memory) with the reader; a plain one without WebAssembly. */
export function newPiece(): Piece {
  if (!wasm) {
    const buffer = new ArrayBuffer(PIECE_BYTES);
    return { bytes: new Uint8Array(buffer), view: new DataView(buffer), reader: null };
  }
  compiled ??= new wasm.Module(Buffer.from(LINES_WASM, "base64"));
  const x = new wasm.Instance(compiled).exports;
  if (x.PIECE_BYTES.value !== PIECE_BYTES || x.MEMORY_END.value > x.memory.buffer.byteLength)
    throw new Error("lines-wasm.ts does not fit marks.ts: run npm run wasm");
  const buffer = x.memory.buffer;
  return {
    bytes: new Uint8Array(buffer, 0, PIECE_BYTES),
    view: new DataView(buffer, 0, PIECE_BYTES),
    reader: readerOf(x),
  };
}
