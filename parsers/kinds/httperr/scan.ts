// Byte-level, incremental HTTPERR scanner for whole log folders: push() chunks of bytes, end() gives
// the same HttperrSummary as parseHttperr on the decoded text, without building a string or a record
// per line. One pass over the bytes finds the token boundaries; only the fields the summary needs are
// looked at, and their values are counted by byte-keyed hash tables that make a string only for a
// key never seen before. Lines the fast path cannot take exactly (non-ASCII bytes, huge numbers) are
// decoded and read by the simple parser's own line functions, so both paths agree by construction.
//
// State is kept as a mergeable ScanPartial (full maps, top lists cut only in finishSummary), so
// byte ranges scanned in parallel merge to the same summary as one sequential scan.

import { tokens, trimStartAll } from "../../text.js";
import {
  DEFAULT_FIELDS,
  DEFAULT_FIELDS_WITH_STREAMID,
  fieldsDirective,
  NUMERIC_FIELDS,
  readHttperrLine,
} from "./parse.js";
import type { CountEntry, HttperrRecord, HttperrSummary } from "./schema.js";
import { reasonKey, refusalCount, TOP_N } from "./summary.js";

/** The mergeable state of a scan: full counts, nothing cut to top N yet. Structured-clone safe. */
export interface ScanPartial {
  lines: number;
  skipped: number;
  refused: number;
  /** `YYYYMMDDhhmmss` as a number (same order as the text), null when no record had a time. */
  minTs: number | null;
  maxTs: number | null;
  /** Raw reason phrases (`3_Connections_Refused` kept apart; folded by reasonKey at the end). */
  reasons: [string, number][];
  statuses: [number, number][];
  sites: [number, number][];
  queues: [string, number][];
  clients: [string, number][];
  uris: [string, number][];
  /** `YYYYMMDDhhmm` → count. */
  refusalsPerMinute: [number, number][];
  status503PerMinute: [number, number][];
}

const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });
const encoder = new TextEncoder();

/**
 * Open-addressing hash table from byte strings to counts (keys kept in first-seen order). A slot is
 * a 32-byte record in one buffer, so a lookup touches one cache line: [id + 1, length, four 32-bit
 * words of the key (at s, s+4, e-8 and e-4, zero where the key is shorter), count as a float64].
 * The four words cover every byte of a key up to 16 bytes long (addresses, ports, queue names, most
 * phrases and paths), so such a key is compared as four numbers; longer ones also in the arena.
 */
class Interner {
  private mask = 1023;
  private slots = new Int32Array(1024 * 8);
  private slotsF = new Float64Array(this.slots.buffer);
  private starts = new Int32Array(256);
  private arena = new Uint8Array(16384);
  private arenaLen = 0;
  /** Per-id value computed once from the key (the refusal count of a reason phrase). */
  private aux = new Float64Array(256);
  private readonly keys: string[] = [];

  constructor(private readonly auxOf?: (key: string) => number) {}

  /** Counts buf[s, e) (`view` is a DataView of buf) once more; returns the key's aux value. */
  add(buf: Uint8Array, view: DataView, s: number, e: number, known?: string): number {
    const len = e - s;
    let a = 0;
    let b = 0;
    let c = 0;
    let d = 0;
    if (len >= 4) {
      a = view.getInt32(s, true);
      b = view.getInt32(e - 4, true);
      if (len > 8) {
        c = view.getInt32(s + 4, true);
        d = view.getInt32(e - 8, true);
      }
    } else {
      for (let i = e - 1; i >= s; i--) a = (a << 8) | (buf[i] as number);
    }
    let h = Math.imul(len ^ a, 0x9e3779b1);
    h = Math.imul(h ^ b, 0x85ebca6b);
    h = Math.imul(h ^ c, 0xc2b2ae35);
    h = Math.imul(h ^ d, 0x27d4eb2f);
    h ^= h >>> 15;
    const slots = this.slots;
    const mask = this.mask;
    let slot = h & mask;
    for (;;) {
      const r = slot << 3;
      const v = slots[r] as number;
      if (v === 0) break;
      if (
        slots[r + 2] === a &&
        slots[r + 5] === b &&
        slots[r + 1] === len &&
        slots[r + 3] === c &&
        slots[r + 4] === d &&
        (len <= 16 || this.same(buf, s + 8, e - 8, (this.starts[v - 1] as number) + 8))
      ) {
        this.slotsF[(slot << 2) + 3] = (this.slotsF[(slot << 2) + 3] as number) + 1;
        return this.aux[v - 1] as number;
      }
      slot = (slot + 1) & mask;
    }
    return this.insert(buf, s, e, slot, known, a, b, c, d);
  }

  /** buf[s, e) against the arena from j: the middle of a key longer than 16 bytes. */
  private same(buf: Uint8Array, s: number, e: number, j: number): boolean {
    const a = this.arena;
    for (let i = s; i < e; i++, j++) if (a[j] !== buf[i]) return false;
    return true;
  }

  /** add() for a string key (slow path): its UTF-8 bytes, so it meets the same key from the fast path. */
  addKey(key: string): number {
    const bytes = encoder.encode(key);
    return this.add(
      bytes,
      new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      0,
      bytes.length,
      key,
    );
  }

  private insert(
    buf: Uint8Array,
    s: number,
    e: number,
    slot: number,
    known: string | undefined,
    a: number,
    b: number,
    c: number,
    d: number,
  ): number {
    const id = this.keys.length;
    const len = e - s;
    if (id >= this.starts.length) {
      const starts = new Int32Array(id * 2);
      starts.set(this.starts);
      this.starts = starts;
      const aux = new Float64Array(id * 2);
      aux.set(this.aux);
      this.aux = aux;
    }
    if (this.arenaLen + len > this.arena.length) {
      const next = new Uint8Array(Math.max(this.arena.length * 2, this.arenaLen + len));
      next.set(this.arena.subarray(0, this.arenaLen));
      this.arena = next;
    }
    this.arena.set(buf.subarray(s, e), this.arenaLen);
    this.starts[id] = this.arenaLen;
    this.arenaLen += len;
    const key = known ?? utf8.decode(buf.subarray(s, e));
    this.keys.push(key);
    const aux = this.auxOf ? this.auxOf(key) : 0;
    this.aux[id] = aux;
    const r = slot << 3;
    const slots = this.slots;
    slots[r] = id + 1;
    slots[r + 1] = len;
    slots[r + 2] = a;
    slots[r + 3] = c;
    slots[r + 4] = d;
    slots[r + 5] = b;
    this.slotsF[(slot << 2) + 3] = 1;
    if (this.keys.length * 2 > this.mask) this.rehash();
    return aux;
  }

  /** Twice the slots; a record's hash is recomputed from its words (the same formula as in add()). */
  private rehash(): void {
    const old = this.slots;
    const mask = this.mask * 2 + 1;
    const slots = new Int32Array((mask + 1) * 8);
    for (let r = 0; r < old.length; r += 8) {
      if (old[r] === 0) continue;
      let h = Math.imul((old[r + 1] as number) ^ (old[r + 2] as number), 0x9e3779b1);
      h = Math.imul(h ^ (old[r + 5] as number), 0x85ebca6b);
      h = Math.imul(h ^ (old[r + 3] as number), 0xc2b2ae35);
      h = Math.imul(h ^ (old[r + 4] as number), 0x27d4eb2f);
      h ^= h >>> 15;
      let slot = h & mask;
      while (slots[slot << 3] !== 0) slot = (slot + 1) & mask;
      slots.set(old.subarray(r, r + 8), slot << 3);
    }
    this.slots = slots;
    this.slotsF = new Float64Array(slots.buffer);
    this.mask = mask;
  }

  /** [key, count] in first-seen order. */
  entries(): [string, number][] {
    const out: [string, number][] = new Array(this.keys.length);
    for (let slot = 0; slot <= this.mask; slot++) {
      const v = this.slots[slot << 3] as number;
      if (v !== 0) out[v - 1] = [this.keys[v - 1] as string, this.slotsF[(slot << 2) + 3] as number];
    }
    return out;
  }
}

/** Counts keyed by a number: a dense array for the small values (status codes, site ids), a Map beyond. */
class NumCounter {
  private readonly dense: Float64Array;
  private readonly sparse = new Map<number, number>();
  constructor(private readonly denseSize: number) {
    this.dense = new Float64Array(denseSize);
  }
  add(k: number, by: number): void {
    if (k >= 0 && k < this.denseSize && Number.isInteger(k)) this.dense[k] = (this.dense[k] as number) + by;
    else this.sparse.set(k, (this.sparse.get(k) ?? 0) + by);
  }
  entries(): [number, number][] {
    const out: [number, number][] = [];
    for (let k = 0; k < this.denseSize; k++) {
      const c = this.dense[k] as number;
      if (c > 0) out.push([k, c]);
    }
    for (const e of this.sparse) out.push(e);
    return out;
  }
}

/** Per-minute sums; logs are in time order, so the current minute is held aside and flushed on change. */
class MinuteCounter {
  private readonly map = new Map<number, number>();
  private cur = -1;
  private curCount = 0;
  add(minute: number, by: number): void {
    if (minute !== this.cur) {
      this.flush();
      this.cur = minute;
    }
    this.curCount += by;
  }
  private flush(): void {
    if (this.curCount !== 0) this.map.set(this.cur, (this.map.get(this.cur) ?? 0) + this.curCount);
    this.curCount = 0;
  }
  entries(): [number, number][] {
    this.flush();
    return [...this.map];
  }
}

class Tally {
  lines = 0;
  skipped = 0;
  refused = 0;
  minTs = -1;
  maxTs = -1;
  private curDate = -1;
  private curTime = -1;
  private curMinute = -1;
  readonly reasons = new Interner(refusalCount);
  readonly queues = new Interner();
  readonly clients = new Interner();
  readonly uris = new Interner();
  readonly statuses = new NumCounter(1000);
  readonly sites = new NumCounter(4096);
  readonly refusals = new MinuteCounter();
  readonly s503 = new MinuteCounter();

  /** One record's time (YYYYMMDD, hhmmss): min/max and the minute are re-derived only when it changes. */
  time(date: number, time: number, refused: number, status: number): void {
    if (date !== this.curDate || time !== this.curTime) {
      this.curDate = date;
      this.curTime = time;
      this.curMinute = date * 10000 + Math.floor(time / 100);
      const ts = date * 1000000 + time;
      if (this.minTs < 0 || ts < this.minTs) this.minTs = ts;
      if (ts > this.maxTs) this.maxTs = ts;
    }
    if (refused > 0) this.refusals.add(this.curMinute, refused);
    if (status === 503) this.s503.add(this.curMinute, 1);
  }

  partial(): ScanPartial {
    return {
      lines: this.lines,
      skipped: this.skipped,
      refused: this.refused,
      minTs: this.minTs < 0 ? null : this.minTs,
      maxTs: this.maxTs < 0 ? null : this.maxTs,
      reasons: this.reasons.entries(),
      statuses: this.statuses.entries(),
      sites: this.sites.entries(),
      queues: this.queues.entries(),
      clients: this.clients.entries(),
      uris: this.uris.entries(),
      refusalsPerMinute: this.refusals.entries(),
      status503PerMinute: this.s503.entries(),
    };
  }
}

/** Where the summary's fields sit in a field list, and which tokens must be numbers. */
interface Layout {
  names: readonly string[];
  count: number;
  numeric: Int32Array;
  date: number;
  time: number;
  cip: number;
  uri: number;
  status: number;
  site: number;
  reason: number;
  queue: number;
}

function layoutOf(names: readonly string[]): Layout {
  // A record object keeps the last of duplicate names, so the last index is the one that counts.
  const last = (name: string) => names.lastIndexOf(name);
  const numeric: number[] = [];
  names.forEach((n, i) => {
    if (NUMERIC_FIELDS.has(n)) numeric.push(i);
  });
  return {
    names,
    count: names.length,
    numeric: Int32Array.from(numeric),
    date: last("date"),
    time: last("time"),
    cip: last("c-ip"),
    uri: last("cs-uri"),
    status: last("sc-status"),
    site: last("s-siteid"),
    reason: last("s-reason"),
    queue: last("s-queuename"),
  };
}

const LAYOUT_13 = layoutOf(DEFAULT_FIELDS);
const LAYOUT_14 = layoutOf(DEFAULT_FIELDS_WITH_STREAMID);

const DASH = 45;
const D0 = 48;

/** Counts buf[s, e) in the table unless it is a lone `-` (null); the key's aux value (0 for `-`). */
function count(table: Interner, buf: Uint8Array, view: DataView, s: number, e: number): number {
  return e === s + 1 && buf[s] === DASH ? 0 : table.add(buf, view, s, e);
}

function isDigitByte(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Value of an all-digit token of at most 15 digits (exact in a double), -2 if not digits, -3 if longer. */
function digitsValue(buf: Uint8Array, s: number, e: number): number {
  if (e - s > 15) {
    for (let i = s; i < e; i++) if (!isDigitByte(buf[i] as number)) return -2;
    return -3;
  }
  let v = 0;
  for (let i = s; i < e; i++) {
    const d = (buf[i] as number) - D0;
    if (d < 0 || d > 9) return -2;
    v = v * 10 + d;
  }
  return v;
}

/** Two ASCII digits as a number, or -1. */
function d2(buf: Uint8Array, i: number): number {
  const a = (buf[i] as number) - D0;
  const b = (buf[i + 1] as number) - D0;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** `YYYY-MM-DD` → YYYYMMDD, or -1 (the same check as isIsoDate). */
function dateValue(buf: Uint8Array, s: number, e: number): number {
  if (e - s !== 10 || buf[s + 4] !== DASH || buf[s + 7] !== DASH) return -1;
  const y1 = d2(buf, s);
  const y2 = d2(buf, s + 2);
  const m = d2(buf, s + 5);
  const d = d2(buf, s + 8);
  return y1 < 0 || y2 < 0 || m < 0 || d < 0 ? -1 : ((y1 * 100 + y2) * 100 + m) * 100 + d;
}

/** `HH:MM:SS[.f{1,7}]` → HHMMSS, or -1 (the same check as isClockTime). */
function timeValue(buf: Uint8Array, s: number, e: number): number {
  const len = e - s;
  if (len < 8 || len > 16 || buf[s + 2] !== 58 || buf[s + 5] !== 58) return -1;
  const h = d2(buf, s);
  const m = d2(buf, s + 3);
  const sec = d2(buf, s + 6);
  if (h < 0 || m < 0 || sec < 0) return -1;
  if (len > 8) {
    if (len === 9 || buf[s + 8] !== 46) return -1;
    for (let i = s + 9; i < e; i++) if (!isDigitByte(buf[i] as number)) return -1;
  }
  return (h * 100 + m) * 100 + sec;
}

function timeOfStrings(date: string, time: string): number {
  const n = (from: number, to: number) => Number(date.slice(from, to));
  const t = (from: number, to: number) => Number(time.slice(from, to));
  return ((n(0, 4) * 100 + n(5, 7)) * 100 + n(8, 10)) * 1000000 + t(0, 2) * 10000 + t(3, 5) * 100 + t(6, 8);
}

export interface ScannerOptions {
  /** Field list in effect before the first `#Fields` line (null: the default order). */
  fields?: readonly string[] | null;
  /**
   * Keep what comes before the first `#Fields` line apart (see prefixPartial()): a worker that
   * starts in the middle of a file does not know which field list is in effect there.
   */
  splitAtFirstFields?: boolean;
  /** Byte offset of the first pushed byte, for firstFieldsAt. */
  baseOffset?: number;
}

/** Byte classes for the scan loop: token byte, separator, line end, non-ASCII (slow path). */
const TOK = 0;
const SEP = 1;
const EOL = 2;
const HIGH = 3;
const CLS = new Uint8Array(256).map((_, c) =>
  c === 32 || c === 9 || c === 11 || c === 12 ? SEP : c === 10 || c === 13 ? EOL : c >= 128 ? HIGH : TOK,
);

const LINE_PROBLEM = 1;
const NEED_SLOW = 2;

/** The incremental scanner. push() any chunking of the bytes; end() once. */
export class HttperrScanner {
  private fields: readonly string[] | null;
  private layout: Layout | null;
  private tally = new Tally();
  private prefix: Tally | null = null;
  private readonly split: boolean;
  private carry = new Uint8Array(0);
  private carryLen = 0;
  private consumed: number;
  private cap = 64;
  /** General path: token k is [gs[k] + 1, ge[k + 1]), as on the fast path (see line()). */
  private gs = new Int32Array(65);
  private ge = new Int32Array(65);
  /** Fast path: the line's start - 1, its space positions, its end (at most 62 tokens). */
  private readonly bnd = new Int32Array(64);
  private lastDate = -1;
  private lastDate0 = 0;
  private lastDate1 = 0;
  private lastDate2 = 0;
  private lastTime = -1;
  private lastTime0 = 0;
  private lastTime1 = 0;
  /** Absolute byte offset of the first `#Fields` line that set a field list, or -1. */
  firstFieldsAt = -1;
  /** The field list in effect at the end (null: none seen and none given). */
  get currentFields(): readonly string[] | null {
    return this.fields;
  }

  constructor(opts: ScannerOptions = {}) {
    this.fields = opts.fields ?? null;
    this.layout = this.fields ? layoutOf(this.fields) : null;
    if (this.layout) this.ensureCap(this.layout.count);
    this.split = opts.splitAtFirstFields ?? false;
    this.consumed = opts.baseOffset ?? 0;
  }

  push(bytes: Uint8Array): void {
    // A plain Uint8Array view of a Buffer: the hot code then sees one kind of array only (the carry
    // is a Uint8Array too), and stays monomorphic.
    const chunk = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let from = 0;
    if (this.carryLen > 0) {
      // Finish the line cut by the previous chunk: up to the first line end of this one.
      let k = 0;
      while (k < chunk.length && chunk[k] !== 10 && chunk[k] !== 13) k++;
      if (k === chunk.length) {
        this.appendCarry(chunk, 0, chunk.length);
        this.consumed += chunk.length;
        return;
      }
      this.appendCarry(chunk, 0, k + 1);
      const base = this.consumed - (this.carryLen - (k + 1));
      const line = this.carry.subarray(0, this.carryLen);
      this.carryLen = 0;
      this.scan(line, 0, line.length, false, base);
      from = k + 1;
    }
    const rest = this.scan(chunk, from, chunk.length, false, this.consumed);
    if (rest < chunk.length) this.appendCarry(chunk, rest, chunk.length);
    this.consumed += chunk.length;
  }

  /** Scans the last line (without a line end), returns the summary. */
  end(): HttperrSummary {
    return finishSummary(this.endPartial());
  }

  /** Like end(), but the mergeable state (everything after the first `#Fields` line when splitting). */
  endPartial(): ScanPartial {
    this.flushCarry();
    return this.tally.partial();
  }

  /** Forgets the unfinished last line (a stream cut at a byte limit), so it is not counted as skipped. */
  dropPartialLine(): void {
    this.carryLen = 0;
  }

  /** What came before the first `#Fields` line, when constructed with splitAtFirstFields (else null). */
  prefixPartial(): ScanPartial | null {
    return this.prefix ? this.prefix.partial() : null;
  }

  private flushCarry(): void {
    if (this.carryLen > 0) {
      const line = this.carry.slice(0, this.carryLen);
      const base = this.consumed - this.carryLen;
      this.carryLen = 0;
      this.scan(line, 0, line.length, true, base);
    }
  }

  private appendCarry(src: Uint8Array, s: number, e: number): void {
    const need = this.carryLen + (e - s);
    if (need > this.carry.length) {
      const next = new Uint8Array(Math.max(need, this.carry.length * 2, 256));
      next.set(this.carry.subarray(0, this.carryLen));
      this.carry = next;
    }
    this.carry.set(src.subarray(s, e), this.carryLen);
    this.carryLen = need;
  }

  private ensureCap(n: number): void {
    if (n + 1 > this.cap) {
      this.cap = n + 1;
      this.gs = new Int32Array(this.cap + 1);
      this.ge = new Int32Array(this.cap + 1);
    }
  }

  /**
   * Scans the complete lines of buf[from, to); returns where the unfinished last line starts (to if
   * none). `final` treats `to` as a line end; `base` is the absolute offset of buf[0]. A line ends
   * at LF or CR (CRLF gives an empty line, which counts for nothing), exactly as splitLines cuts.
   */
  private scan(buf: Uint8Array, from: number, to: number, final: boolean, base: number): number {
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    // Up to the last LF (one that leaves a whole 4-byte word after any word that starts before it),
    // every line has a line end, so the word loop below needs no bounds test of its own.
    const stop = to - from >= 4 ? buf.lastIndexOf(10, to - 4) : -1;
    const bnd = this.bnd;
    // The first 20 bytes of the last fast line when they were `YYYY-MM-DD hh:mm:ss ` (two tokens of
    // printable ASCII, a space after each): logs are in time order, so most lines start the same.
    let same20 = false;
    let p0 = 0;
    let p1 = 0;
    let p2 = 0;
    let p3 = 0;
    let p4 = 0;
    let i = from;
    while (i <= stop) {
      // Fast path, four bytes at a time: tokens split by single spaces, the line ended by CRLF or
      // LF. Space positions go to bnd without a branch per byte or per token (a store at bnd[n],
      // and n moves on only for a space): a branch per token would be mispredicted per token.
      const ls = i;
      bnd[0] = ls - 1;
      let n = 1;
      let j = ls;
      let stopMask = 0;
      // Spaces of the previous word (bit 31: its last byte), for spotting two spaces in a row; the
      // line starts as if after a space, so a leading space counts as a doubled one.
      let prev = 0x80000000 | 0;
      let doubled = 0;
      const hit =
        same20 &&
        ls + 20 <= to &&
        view.getInt32(ls + 16, true) === p4 &&
        view.getInt32(ls + 12, true) === p3 &&
        view.getInt32(ls, true) === p0 &&
        view.getInt32(ls + 4, true) === p1 &&
        view.getInt32(ls + 8, true) === p2;
      if (hit) {
        bnd[1] = ls + 10;
        bnd[2] = ls + 19;
        n = 3;
        j = ls + 20;
      }
      for (;;) {
        const w = view.getInt32(j, true);
        const low = w & 0x7f7f7f7f;
        // Bit 7 of a byte of (low + 0x60..) is set where the byte's low 7 bits are >= 0x20, and no
        // carry crosses bytes: bytes < 0x20 (CR, LF, tab, controls) or >= 0x80 end the fast loop.
        stopMask = (~((low + 0x60606060) | 0) | w) & 0x80808080;
        if (stopMask !== 0) break;
        // Spaces: the only bytes left that are <= 0x20.
        const sp = ~((low + 0x5f5f5f5f) | 0) & 0x80808080;
        doubled |= sp & ((sp << 8) | (prev >>> 24));
        prev = sp;
        bnd[n & 63] = j;
        n += (sp >>> 7) & 1;
        bnd[n & 63] = j + 1;
        n += (sp >>> 15) & 1;
        bnd[n & 63] = j + 2;
        n += (sp >>> 23) & 1;
        bnd[n & 63] = j + 3;
        n += sp >>> 31;
        j += 4;
      }
      // The word at j holds the first byte < 0x20 or >= 0x80, at e: the line end if all is well.
      const e = j + ((31 - Math.clz32(stopMask & -stopMask)) >> 3);
      for (; j < e; j++) {
        if (buf[j] === 32) {
          if (bnd[(n - 1) & 63] === j - 1) doubled = 1;
          bnd[n++ & 63] = j;
        }
      }
      const c = buf[e] as number;
      // A space just before the line end leaves an empty last token (so does an empty line).
      if (doubled !== 0 || n >= 63 || (c !== 10 && c !== 13) || bnd[n - 1] === e - 1) {
        i = this.scanLine(buf, view, ls, to, final, base);
        continue;
      }
      bnd[n] = e;
      if (!hit) {
        same20 = n > 3 && bnd[1] === ls + 10 && bnd[2] === ls + 19 && (bnd[3] as number) >= ls + 20;
        if (same20) {
          p0 = view.getInt32(ls, true);
          p1 = view.getInt32(ls + 4, true);
          p2 = view.getInt32(ls + 8, true);
          p3 = view.getInt32(ls + 12, true);
          p4 = view.getInt32(ls + 16, true);
        }
      }
      // CRLF is one line end here: its empty line would count for nothing anyway.
      i = c === 13 && buf[e + 1] === 10 ? e + 2 : e + 1;
      const r = this.line(buf, view, n, bnd, bnd);
      if (r === 0) continue;
      if (r === NEED_SLOW) this.slowLine(utf8.decode(buf.subarray(ls, e)), base + ls);
      else if (r === LINE_PROBLEM) this.tally.skipped++;
      else this.directive(buf, ls, e, base + ls);
    }
    while (i < to) {
      const next = this.scanLine(buf, view, i, to, final, base);
      if (next < 0) return i;
      i = next;
    }
    return to;
  }

  /**
   * The general reader of one line starting at ls: any separator, CR, LF, control and non-ASCII
   * bytes. Returns where the next line starts, or -1 when the line is not finished before `to`.
   */
  private scanLine(
    buf: Uint8Array,
    view: DataView,
    ls: number,
    to: number,
    final: boolean,
    base: number,
  ): number {
    const gs = this.gs;
    const ge = this.ge;
    const cap = this.cap;
    const w4 = to - 4;
    let i = ls;
    let n = 0;
    let slow = false;
    let k = 0;
    for (;;) {
      // Separators: the ASCII ones tokens() knows; Unicode spaces only come with bytes >= 0x80.
      while (i < to) {
        k = CLS[buf[i] as number] as number;
        if (k !== SEP) break;
        i++;
      }
      if (i >= to || k === EOL) break;
      const s = i;
      for (;;) {
        if (i <= w4) {
          // Four bytes at a time: the lowest flagged byte of m is exactly the first byte that
          // is not printable ASCII (< 0x21 or >= 0x80); bytes above it may be flagged wrongly.
          const w = view.getInt32(i, true);
          const m = ((w - 0x21212121) | w) & 0x80808080;
          if (m === 0) {
            i += 4;
            continue;
          }
          i += (31 - Math.clz32(m & -m)) >> 3;
        } else {
          while (i < to && (CLS[buf[i] as number] as number) === TOK) i++;
          if (i >= to) break;
        }
        k = CLS[buf[i] as number] as number;
        if (k === SEP || k === EOL) break;
        if (k === HIGH) slow = true;
        i++;
      }
      if (n < cap) {
        gs[n] = s - 1;
        ge[n + 1] = i;
      }
      n++;
      if (i >= to || k === EOL) break;
      i++;
    }
    if (i >= to && !final) return -1;
    const le = i;
    if (n > 0) {
      const r = slow ? NEED_SLOW : this.line(buf, view, n, gs, ge);
      if (r === NEED_SLOW) this.slowLine(utf8.decode(buf.subarray(ls, le)), base + ls);
      else if (r === LINE_PROBLEM) this.tally.skipped++;
      else if (r === 3) this.directive(buf, ls, le, base + ls);
    }
    return le + 1;
  }

  /**
   * One ASCII line of n tokens, token k being buf[sb[k] + 1, se[k + 1]) (the fast path passes its
   * separator positions as both arrays): 0 counted, LINE_PROBLEM skipped, NEED_SLOW, 3 directive.
   */
  private line(buf: Uint8Array, view: DataView, n: number, sb: Int32Array, se: Int32Array): number {
    if (buf[(sb[0] as number) + 1] === 35) return 3;
    const L = this.layout ?? (n === 14 ? LAYOUT_14 : LAYOUT_13);
    if (n !== L.count) return LINE_PROBLEM;
    if (n > this.cap) return NEED_SLOW;
    let status = -1;
    let site = -1;
    const numeric = L.numeric;
    for (let k = 0; k < numeric.length; k++) {
      const idx = numeric[k] as number;
      const s = (sb[idx] as number) + 1;
      const e = se[idx + 1] as number;
      if (e === s + 1 && buf[s] === DASH) continue;
      let v = 0;
      if (e - s <= 15) {
        // Digits inline (a port, a status, a site id): this runs four times a line.
        for (let i = s; i < e; i++) {
          const d = (buf[i] as number) - D0;
          if (d < 0 || d > 9) return LINE_PROBLEM;
          v = v * 10 + d;
        }
      } else {
        v = digitsValue(buf, s, e);
        if (v === -2) return LINE_PROBLEM;
        if (v === -3) return NEED_SLOW;
      }
      if (idx === L.status) status = v;
      else if (idx === L.site) site = v;
    }
    let date = -1;
    let time = -1;
    if (L.date >= 0) {
      const s = (sb[L.date] as number) + 1;
      const e = se[L.date + 1] as number;
      if (e !== s + 1 || buf[s] !== DASH) {
        // Consecutive lines share their date: compare its 10 bytes with the last one's.
        if (
          e === s + 10 &&
          this.lastDate >= 0 &&
          view.getInt32(s, true) === this.lastDate0 &&
          view.getInt32(s + 4, true) === this.lastDate1 &&
          view.getInt16(s + 8, true) === this.lastDate2
        ) {
          date = this.lastDate;
        } else {
          date = dateValue(buf, s, e);
          if (date < 0) return LINE_PROBLEM;
          this.lastDate = date;
          this.lastDate0 = view.getInt32(s, true);
          this.lastDate1 = view.getInt32(s + 4, true);
          this.lastDate2 = view.getInt16(s + 8, true);
        }
      }
    }
    if (L.time >= 0) {
      const s = (sb[L.time] as number) + 1;
      const e = se[L.time + 1] as number;
      if (e !== s + 1 || buf[s] !== DASH) {
        // Many consecutive lines share their second too: the same 8 bytes `HH:MM:SS` as the last one.
        if (
          e === s + 8 &&
          this.lastTime >= 0 &&
          view.getInt32(s, true) === this.lastTime0 &&
          view.getInt32(s + 4, true) === this.lastTime1
        ) {
          time = this.lastTime;
        } else {
          time = timeValue(buf, s, e);
          if (time < 0) return LINE_PROBLEM;
          if (e === s + 8) {
            this.lastTime = time;
            this.lastTime0 = view.getInt32(s, true);
            this.lastTime1 = view.getInt32(s + 4, true);
          }
        }
      }
    }

    const t = this.tally;
    t.lines++;
    let refused = 0;
    if (L.reason >= 0) {
      refused = count(t.reasons, buf, view, (sb[L.reason] as number) + 1, se[L.reason + 1] as number);
      t.refused += refused;
    }
    if (status >= 0) t.statuses.add(status, 1);
    if (site >= 0) t.sites.add(site, 1);
    if (L.queue >= 0) count(t.queues, buf, view, (sb[L.queue] as number) + 1, se[L.queue + 1] as number);
    if (L.cip >= 0) count(t.clients, buf, view, (sb[L.cip] as number) + 1, se[L.cip + 1] as number);
    if (L.uri >= 0) count(t.uris, buf, view, (sb[L.uri] as number) + 1, se[L.uri + 1] as number);
    if (date >= 0 && time >= 0) t.time(date, time, refused, status);
    return 0;
  }

  private directive(buf: Uint8Array, ls: number, le: number, at: number): void {
    this.slowLine(utf8.decode(buf.subarray(ls, le)), at);
  }

  private setFields(names: string[], at: number): void {
    if (this.firstFieldsAt < 0) {
      this.firstFieldsAt = at;
      if (this.split) {
        this.prefix = this.tally;
        this.tally = new Tally();
      }
    }
    this.fields = names;
    this.layout = layoutOf(names);
    this.ensureCap(names.length);
  }

  /** One line read exactly as parseHttperr reads it (directives, non-ASCII, edge cases). */
  private slowLine(line: string, at: number): void {
    const t = trimStartAll(line);
    if (t.length === 0) return;
    if (t[0] === "#") {
      const names = fieldsDirective(t);
      if (names !== null && names.length > 0) this.setFields(names, at);
      return;
    }
    const result = readHttperrLine(line, this.fields);
    if ("record" in result) this.addRecord(result.record);
    else if (tokens(line).length > 0) this.tally.skipped++;
  }

  /** HttperrSummaryBuilder.add, on this scanner's tables. */
  private addRecord(record: HttperrRecord): void {
    const t = this.tally;
    t.lines++;
    const str = (v: HttperrRecord[string] | undefined) => (v === null || v === undefined ? null : String(v));
    const reason = str(record["s-reason"]);
    let refused = 0;
    if (reason !== null) {
      refused = t.reasons.addKey(reason);
      t.refused += refused;
    }
    const count = (table: Interner, v: string | null) => {
      if (v !== null) table.addKey(v);
    };
    count(t.queues, str(record["s-queuename"]));
    count(t.clients, str(record["c-ip"]));
    count(t.uris, str(record["cs-uri"]));
    const status = record["sc-status"];
    const site = record["s-siteid"];
    if (typeof status === "number") t.statuses.add(status, 1);
    if (typeof site === "number") t.sites.add(site, 1);
    const { date, time } = record;
    if (typeof date === "string" && typeof time === "string") {
      const ts = timeOfStrings(date, time);
      t.time(Math.floor(ts / 1000000), ts % 1000000, refused, typeof status === "number" ? status : -1);
    }
  }
}

/** Sums partials. Order matters only for nothing: every field is a sum, a min or a max. */
export function mergePartials(parts: readonly ScanPartial[]): ScanPartial {
  const sum = <K>(lists: [K, number][][]): [K, number][] => {
    const m = new Map<K, number>();
    for (const list of lists) for (const [k, v] of list) m.set(k, (m.get(k) ?? 0) + v);
    return [...m];
  };
  const pick = (f: (a: number, b: number) => number, vals: (number | null)[]) => {
    const xs = vals.filter((v): v is number => v !== null);
    return xs.length === 0 ? null : xs.reduce((a, b) => f(a, b));
  };
  return {
    lines: parts.reduce((a, p) => a + p.lines, 0),
    skipped: parts.reduce((a, p) => a + p.skipped, 0),
    refused: parts.reduce((a, p) => a + p.refused, 0),
    minTs: pick(
      Math.min,
      parts.map((p) => p.minTs),
    ),
    maxTs: pick(
      Math.max,
      parts.map((p) => p.maxTs),
    ),
    reasons: sum(parts.map((p) => p.reasons)),
    statuses: sum(parts.map((p) => p.statuses)),
    sites: sum(parts.map((p) => p.sites)),
    queues: sum(parts.map((p) => p.queues)),
    clients: sum(parts.map((p) => p.clients)),
    uris: sum(parts.map((p) => p.uris)),
    refusalsPerMinute: sum(parts.map((p) => p.refusalsPerMinute)),
    status503PerMinute: sum(parts.map((p) => p.status503PerMinute)),
  };
}

export function emptyPartial(): ScanPartial {
  return new Tally().partial();
}

const byKey = (a: [string, number], b: [string, number]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

function sortedObject(entries: [string, number][]): Record<string, number> {
  return Object.fromEntries(entries.filter((e) => e[1] > 0).sort(byKey));
}

/** The n most frequent, ties by key: HttperrSummaryBuilder's order, without sorting a huge map. */
function topN(entries: [string, number][], n: number): CountEntry[] {
  const better = (a: [string, number], b: [string, number]) => a[1] > b[1] || (a[1] === b[1] && a[0] < b[0]);
  const best: [string, number][] = [];
  for (const e of entries) {
    if (e[1] <= 0) continue;
    if (best.length === n && !better(e, best[n - 1] as [string, number])) continue;
    let i = best.length < n ? best.length : n - 1;
    while (i > 0 && better(e, best[i - 1] as [string, number])) {
      if (i < n) best[i] = best[i - 1] as [string, number];
      i--;
    }
    best[i] = e;
  }
  return best.map(([key, count]) => ({ key, count }));
}

const pad = (v: number, w: number) => String(v).padStart(w, "0");

function minuteText(m: number): string {
  const mi = m % 100;
  const h = Math.floor(m / 100) % 100;
  const d = Math.floor(m / 10000) % 100;
  const mo = Math.floor(m / 1000000) % 100;
  const y = Math.floor(m / 100000000);
  return `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)} ${pad(h, 2)}:${pad(mi, 2)}`;
}

function tsText(ts: number | null): string | null {
  if (ts === null) return null;
  return `${minuteText(Math.floor(ts / 100))}:${pad(ts % 100, 2)}`;
}

/** The HttperrSummary of a (merged) partial; top lists are cut here and only here. */
export function finishSummary(p: ScanPartial): HttperrSummary {
  const reasons = new Map<string, number>();
  for (const [k, v] of p.reasons) {
    const key = reasonKey(k);
    reasons.set(key, (reasons.get(key) ?? 0) + v);
  }
  const numKeyed = (list: [number, number][]) => list.map(([k, v]): [string, number] => [String(k), v]);
  const minuteKeyed = (list: [number, number][]) =>
    list.map(([k, v]): [string, number] => [minuteText(k), v]);
  return {
    lines: p.lines,
    skipped: p.skipped,
    byReason: sortedObject([...reasons]),
    byStatus: sortedObject(numKeyed(p.statuses)),
    bySite: sortedObject(numKeyed(p.sites)),
    byQueue: sortedObject(p.queues),
    firstTime: tsText(p.minTs),
    lastTime: tsText(p.maxTs),
    refusalsPerMinute: sortedObject(minuteKeyed(p.refusalsPerMinute)),
    status503PerMinute: sortedObject(minuteKeyed(p.status503PerMinute)),
    refusedConnections: p.refused,
    topClients: topN(p.clients, TOP_N),
    topUris: topN(p.uris, TOP_N),
    topQueues: topN(p.queues, TOP_N),
  };
}
