// Where the bytes that end a token sit, 16 bytes at a time: a small WebAssembly SIMD function marks
// every byte ≤ 0x20 or ≥ 0x80 (spaces, line ends, controls, non-ASCII) with one bit, and the scanner
// walks the set bits instead of testing every byte in JavaScript. The module is written out below,
// instruction by instruction, so there is no toolchain to install and nothing to fetch.

/** Bytes marked at a time: small enough that a piece and its bitmap stay in cache while scanned. */
export const PIECE_BYTES = 64 * 1024;

/** Unsigned LEB128: how WebAssembly writes sizes, counts and offsets. */
function leb128(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Memory: the piece at [0, PIECE_BYTES), one bit per byte of it after that. */
const PAGES = Math.ceil((PIECE_BYTES + PIECE_BYTES / 8) / 65536);

/*
 * (module
 *   (memory (export "mem") PAGES)
 *   (func (export "mark") (param $len i32) (local $i i32)
 *     (loop $next
 *       ;; 16 bits for bytes i … i+15 at PIECE_BYTES + i/8: bit k set when byte i+k, as a signed
 *       ;; byte, is ≤ 0x20 (so ≥ 0x80 too)
 *       (i32.store16 offset=PIECE_BYTES (i32.shr_u (local.get $i) (i32.const 3))
 *         (i8x16.bitmask (i8x16.le_s (v128.load (local.get $i)) (v128.const i8x16 0x20 …))))
 *       (br_if $next (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 16))) (local.get $len))))))
 */
const body = [
  [0x01, 0x01, 0x7f], // one local: i32 ($i)
  [0x03, 0x40], // loop
  [0x20, 0x01, 0x41, 0x03, 0x76], // local.get $i, i32.const 3, i32.shr_u
  [0x20, 0x01, 0xfd, 0x00, 0x04, 0x00], // local.get $i, v128.load align=16
  [0xfd, 0x0c, ...new Array<number>(16).fill(0x20)], // v128.const i8x16 0x20 × 16
  [0xfd, 0x29, 0xfd, 0x64], // i8x16.le_s, i8x16.bitmask
  [0x3b, 0x01, ...leb128(PIECE_BYTES)], // i32.store16 align=2 offset=PIECE_BYTES
  [0x20, 0x01, 0x41, 0x10, 0x6a, 0x22, 0x01], // local.get $i, i32.const 16, i32.add, local.tee $i
  [0x20, 0x00, 0x49, 0x0d, 0x00], // local.get $len, i32.lt_u, br_if 0
  [0x0b, 0x0b], // end loop, end func
].flat();

const section = (id: number, content: number[]) => [id, ...leb128(content.length), ...content];
const name = (s: string) => [s.length, ...Array.from(s, (ch) => ch.charCodeAt(0))];

const MODULE_BYTES = new Uint8Array([
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // "\0asm", version 1
  ...section(1, [0x01, 0x60, 0x01, 0x7f, 0x00]), // one type: (i32) -> ()
  ...section(3, [0x01, 0x00]), // one function of type 0
  ...section(5, [0x01, 0x00, PAGES]), // one memory of PAGES pages
  ...section(7, [0x02, ...name("mem"), 0x02, 0x00, ...name("mark"), 0x00, 0x00]), // exports
  ...section(10, [0x01, ...leb128(body.length), ...body]), // the code
]);

/** The little of WebAssembly used here (Node has it; the type libraries for Node 20 do not declare it). */
interface Wasm {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (
    module: object,
  ) => { exports: { mem: { buffer: ArrayBuffer }; mark: (len: number) => void } };
}
/** Absent under `node --jitless`, where the marks are made in JavaScript instead. */
const wasm = (globalThis as unknown as { WebAssembly?: Wasm }).WebAssembly;

let compiled: object | null = null;

/** One marker: a piece's bytes go to `bytes`, mark(len) sets `bits` for bytes [0, len). */
export interface Marker {
  /** The piece, PIECE_BYTES long (a view of the module's memory). */
  bytes: Uint8Array;
  view: DataView;
  /**
   * Bit k of bits[w] is set when bytes[32·w + k] is ≤ 0x20 or ≥ 0x80, for the bytes marked last (up to
   * len rounded up to 16: the bits past len say nothing, and the scanner stops at the last line end).
   */
  bits: Int32Array;
  mark: (len: number) => void;
}

function markerOver(buffer: ArrayBuffer, mark: (len: number) => void): Marker {
  return {
    bytes: new Uint8Array(buffer, 0, PIECE_BYTES),
    view: new DataView(buffer, 0, PIECE_BYTES),
    bits: new Int32Array(buffer, PIECE_BYTES, PIECE_BYTES / 32),
    mark,
  };
}

/** The same marks made in JavaScript, a byte at a time (slower): for a Node without WebAssembly. */
export function jsMarker(): Marker {
  const m = markerOver(new ArrayBuffer(PIECE_BYTES + PIECE_BYTES / 8), (len) => {
    const { bytes, bits } = m;
    for (let w = 0; w * 32 < len; w++) {
      let word = 0;
      for (let k = 0; k < 32; k++) {
        const b = bytes[w * 32 + k] as number;
        if (b <= 0x20 || b >= 0x80) word |= 1 << k;
      }
      bits[w] = word;
    }
  });
  return m;
}

export function newMarker(): Marker {
  if (!wasm) return jsMarker();
  compiled ??= new wasm.Module(MODULE_BYTES);
  const { mem, mark } = new wasm.Instance(compiled).exports;
  return markerOver(mem.buffer, mark);
}
