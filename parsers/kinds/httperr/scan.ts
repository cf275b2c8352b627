// Byte-level, incremental HTTPERR scanner for whole log folders: push() chunks of bytes, end() gives
// the same HttperrSummary as parseHttperr on the decoded text, without building a string or a record
// per line. The fast path (WebAssembly, marks.ts) finds the token boundaries of each plain line and
// reads its numbers, date and time; only the fields the summary needs are looked at, and their byte
// ranges go to the summary's accumulator (summary.ts), the same one the simple parser feeds. Other
// lines take the general path here; what it cannot take exactly (non-ASCII bytes, huge numbers) is
// decoded and read by the simple parser's own line functions, so all paths agree by construction.
//
// State is kept as a mergeable ScanPartial (exact counts and sketches, top lists cut only in
// finishSummary), so byte ranges scanned in parallel merge to one summary: the sequential one while
// the sketches are exact, within their stated bounds after that.

import { tokens, trimStartAll } from "../../text.js";
import {
  type FieldLayout,
  type LineReader,
  newPiece,
  PIECE_BYTES,
  SLOT_13,
  SLOT_14,
  SLOT_DEFAULT,
  SLOT_FIELDS,
} from "./marks.js";
import {
  DEFAULT_FIELDS,
  DEFAULT_FIELDS_WITH_STREAMID,
  fieldsDirective,
  NUMERIC_FIELDS,
  readHttperrLine,
} from "./parse.js";
import type { HttperrSummary } from "./schema.js";
import { finishSummary, type ScanPartial, SummaryAccumulator } from "./summary.js";

// The partial summary and its merge live with the summary; re-exported for the readers of big inputs.
export {
  emptyPartial,
  finishSummary,
  mergePartials,
  type ScanPartial,
} from "./summary.js";

const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });
const viewOf = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

/** Where the summary's fields sit in a field list, and which tokens must be numbers. */
interface Layout extends FieldLayout {
  names: readonly string[];
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

/** Byte classes for the general path: token byte, separator, line end, non-ASCII (slow path). */
const TOK = 0;
const SEP = 1;
const EOL = 2;
const HIGH = 3;
const CLS = new Uint8Array(256).map((_, c) =>
  c === 32 || c === 9 || c === 11 || c === 12 ? SEP : c === 10 || c === 13 ? EOL : c >= 128 ? HIGH : TOK,
);

const LINE_PROBLEM = 1;
const NEED_SLOW = 2;
/** The reader's layout slot when the field list is too long for it: every line takes the general path. */
const NO_SLOT = -2;

/** The incremental scanner. push() any chunking of the bytes; end() once. */
export class HttperrScanner {
  private fields: readonly string[] | null;
  private layout: Layout | null;
  private tally = new SummaryAccumulator();
  private prefix: SummaryAccumulator | null = null;
  private readonly split: boolean;
  private carry = new Uint8Array(0);
  private carryLen = 0;
  /** pushFrom()'s buffer for a line longer than half a piece (made when one comes). */
  private spill: Uint8Array | null = null;
  private consumed: number;
  private cap = 64;
  /** General path: token k is [gs[k] + 1, ge[k + 1]) (see line()). */
  private gs = new Int32Array(65);
  private ge = new Int32Array(65);
  private readonly piece = newPiece();
  /** The fast path (null without WebAssembly), and the layout slot its lines are read under. */
  private readonly reader: LineReader | null = this.piece.reader;
  private slot = SLOT_DEFAULT;
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
    this.reader?.setLayout(SLOT_13, LAYOUT_13);
    this.reader?.setLayout(SLOT_14, LAYOUT_14);
    if (this.layout) this.useLayout(this.layout);
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
      this.scanGeneral(line, viewOf(line), 0, line.length, false, base);
      from = k + 1;
    }
    const rest = this.scanPieces(chunk, from);
    if (rest < chunk.length) this.appendCarry(chunk, rest, chunk.length);
    this.consumed += chunk.length;
  }

  /**
   * push() for bytes the caller would read anyway: `read` fills the array it is given from its start
   * and returns how many bytes it put there (0 at the end), and they land straight in the scanner's
   * piece, after the last piece's unfinished line. No buffer of the caller's and no copy: a thread
   * reading a big file touches one piece of memory, which stays in its core's cache. Returns the
   * bytes read.
   */
  pushFrom(read: (into: Uint8Array) => number): number {
    const m = this.piece;
    const keep = this.carryLen;
    if (keep > PIECE_BYTES / 2) {
      // A line longer than half a piece: through push(), which reads it from its own buffer.
      this.spill ??= new Uint8Array(PIECE_BYTES);
      const n = read(this.spill);
      if (n > 0) this.push(this.spill.subarray(0, n));
      return n;
    }
    if (keep > 0) m.bytes.set(this.carry.subarray(0, keep));
    const n = read(m.bytes.subarray(keep));
    if (n === 0) return 0;
    this.carryLen = 0;
    const len = keep + n;
    const done = this.scan(m.bytes, m.view, len, this.consumed - keep);
    this.consumed += n;
    if (done < len) this.appendCarry(m.bytes, done, len);
    return n;
  }

  /**
   * Scans chunk[from, …) a piece at a time (each piece starting at the line the
   * last one left unfinished); returns where the chunk's unfinished last line starts.
   */
  private scanPieces(chunk: Uint8Array, from: number): number {
    const m = this.piece;
    while (from < chunk.length) {
      const len = Math.min(PIECE_BYTES, chunk.length - from);
      m.bytes.set(chunk.subarray(from, from + len));
      const done = this.scan(m.bytes, m.view, len, this.consumed + from);
      if (from + len === chunk.length) return from + done;
      if (done > 0) {
        from += done;
        continue;
      }
      // A line longer than a piece: read by the general path from the chunk itself.
      const next = this.scanLine(chunk, viewOf(chunk), from, chunk.length, false, this.consumed);
      if (next < 0) return from;
      from = next;
    }
    return from;
  }

  /** Scans the lines of buf[from, to) by the general path; returns where the unfinished last line starts. */
  private scanGeneral(
    buf: Uint8Array,
    view: DataView,
    from: number,
    to: number,
    final: boolean,
    base: number,
  ): number {
    let i = from;
    while (i < to) {
      const next = this.scanLine(buf, view, i, to, final, base);
      if (next < 0) return i;
      i = next;
    }
    return to;
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
      this.scanGeneral(line, viewOf(line), 0, line.length, true, base);
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
   * Scans the complete lines of the piece, buf[0, to); returns where the unfinished last line starts
   * (to if none). `base` is the absolute offset of buf[0]. A line ends at LF or CR (CRLF gives an
   * empty line, which counts for nothing), exactly as splitLines cuts. The reader (WebAssembly) reads
   * the plain lines up to the last LF; the general path here reads any other line.
   */
  private scan(buf: Uint8Array, view: DataView, to: number, base: number): number {
    const reader = this.reader;
    if (reader === null) return this.scanGeneral(buf, view, 0, to, false, base);
    reader.mark(to);
    const stop = to > 0 ? buf.lastIndexOf(10, to - 1) : -1;
    let i = 0;
    const { records, recordWords, maxRecords } = reader;
    while (this.slot !== NO_SLOT && i <= stop) {
      i = reader.read(i, stop, this.slot);
      const count = reader.count();
      const end = count * recordWords;
      for (let r = 0; r < end; r += recordWords) {
        const pair = records[r + 12] as number;
        const used = this.tally.line(
          buf,
          view,
          records[r] as number,
          records[r + 1] as number,
          records[r + 2] as number,
          records[r + 3] as number,
          records[r + 4] as number,
          records[r + 5] as number,
          records[r + 6] as number,
          records[r + 7] as number,
          records[r + 8] as number,
          records[r + 9] as number,
          records[r + 10] as number,
          records[r + 11] as number,
          pair,
        );
        // The summary looked the pair up itself: the reader knows its id from now on.
        if (pair < 0 && used >= 0) reader.addPair(records[r] as number, records[r + 3] as number, used);
      }
      // Stopped at a line of the general path's (it may set a new field list, so the slot is read again).
      if (i <= stop && count < maxRecords) i = this.scanLine(buf, view, i, to, false, base);
    }
    return this.scanGeneral(buf, view, i, to, false, base);
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
      const r = slow ? NEED_SLOW : this.line(buf, view, n);
      if (r === NEED_SLOW) this.slowLine(utf8.decode(buf.subarray(ls, le)), base + ls);
      else if (r === LINE_PROBLEM) this.tally.skip();
      else if (r === 3) this.directive(buf, ls, le, base + ls);
    }
    return le + 1;
  }

  /**
   * One ASCII line of n tokens, token k being buf[gs[k] + 1, ge[k + 1]): 0 counted, LINE_PROBLEM
   * skipped, NEED_SLOW, 3 directive. The reader (assembly/lines.ts) reads a plain line as this does.
   */
  private line(buf: Uint8Array, view: DataView, n: number): number {
    const sb = this.gs;
    const se = this.ge;
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

    const r = L.reason;
    const q = L.queue;
    const c = L.cip;
    const u = L.uri;
    this.tally.line(
      buf,
      view,
      r < 0 ? -1 : (sb[r] as number) + 1,
      r < 0 ? -1 : (se[r + 1] as number),
      q < 0 ? -1 : (sb[q] as number) + 1,
      q < 0 ? -1 : (se[q + 1] as number),
      c < 0 ? -1 : (sb[c] as number) + 1,
      c < 0 ? -1 : (se[c + 1] as number),
      u < 0 ? -1 : (sb[u] as number) + 1,
      u < 0 ? -1 : (se[u + 1] as number),
      status,
      site,
      date,
      time,
    );
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
        this.tally = new SummaryAccumulator();
        // Pair ids are the set-aside summary's.
        this.reader?.clearPairs();
      }
    }
    this.fields = names;
    this.layout = layoutOf(names);
    this.useLayout(this.layout);
  }

  private useLayout(layout: Layout): void {
    this.ensureCap(layout.count);
    this.slot = this.reader?.setLayout(SLOT_FIELDS, layout) ? SLOT_FIELDS : NO_SLOT;
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
    if ("record" in result) this.tally.addRecord(result.record);
    else if (tokens(line).length > 0) this.tally.skip();
  }
}
