// The HTTPERR scanner's fast path, in AssemblyScript (compiled to WebAssembly by `npm run wasm`,
// which writes ../lines-wasm.ts): marks the bytes that end a token, 16 at a time (SIMD), then reads
// each plain line (tokens split by single spaces, ended by LF or CRLF) of a known field list: checks
// its numbers, reads its date and time, and writes the byte ranges of the fields the summary counts as
// one record. Any other line goes back to the JavaScript scanner (scan.ts), whose general path reads
// it as the simple parser does; so this file decides nothing the general path would decide otherwise.

// Memory: the piece, its marks (one bit a byte), three field layouts, one line's token bounds, the
// records, the table of reason-and-queue pairs. Exported, so the JavaScript side reads them from here.
export const PIECE_BYTES: i32 = 65536;
export const BITS_AT: i32 = PIECE_BYTES;
export const LAYOUTS_AT: i32 = BITS_AT + PIECE_BYTES / 8;
/** A layout, in i32 words: field count, then the index of each L_ field (-1: absent), then the numeric ones. */
export const LAYOUT_WORDS: i32 = 32;
const BOUNDS_AT: i32 = LAYOUTS_AT + 3 * LAYOUT_WORDS * 4;
export const RECORDS_AT: i32 = BOUNDS_AT + 64 * 4;
/**
 * i32 words of a record: reason, queue, client and URI as [start, end) (-1 absent), status, site,
 * date, time, and the id of the reason-and-queue pair (-1: not in the table).
 */
export const RECORD_WORDS: i32 = 13;
export const MAX_RECORDS: i32 = 1024;
/**
 * The reason phrase and queue name side by side (http.sys's last two fields), looked up as one key in
 * a table the JavaScript side fills (addPair) with the ids its summary gave them: a line then costs
 * the summary no lookup of its own. Open addressing, at most half the slots used; a slot holds id + 1.
 */
const PAIR_SLOTS_AT: i32 = RECORDS_AT + MAX_RECORDS * RECORD_WORDS * 4;
const PAIR_SLOTS: i32 = 1024;
export const MAX_PAIRS: i32 = PAIR_SLOTS / 2;
/** Per id: where its bytes start in the pair arena, and how many. */
const PAIR_KEYS_AT: i32 = PAIR_SLOTS_AT + PAIR_SLOTS * 4;
const PAIR_ARENA_AT: i32 = PAIR_KEYS_AT + MAX_PAIRS * 8;
const PAIR_ARENA_BYTES: i32 = 32768;
export const MEMORY_END: i32 = PAIR_ARENA_AT + PAIR_ARENA_BYTES;

const L_COUNT = 0;
const L_DATE = 1;
const L_TIME = 2;
const L_CIP = 3;
const L_URI = 4;
const L_STATUS = 5;
const L_SITE = 6;
const L_REASON = 7;
const L_QUEUE = 8;
const L_NUMERIC = 9;
export const MAX_NUMERIC: i32 = LAYOUT_WORDS - L_NUMERIC - 1;
/** Tokens a line may have on this path (its bounds fit BOUNDS_AT). */
export const MAX_TOKENS: i32 = 62;

const SPACE = 32;
const DASH = 45;

// Consecutive lines mostly share their date and second: the last ones read, by their bytes.
let lastDateHead: u64 = 0;
let lastDateTail: u16 = 0;
let lastDate: i32 = -1;
let lastTimeBytes: u64 = 0;
let lastTime: i32 = -1;
let records: i32 = 0;
let pairArenaUsed: i32 = 0;

/** Sets the bit of each byte of [from, to) that is ≤ 0x20 or ≥ 0x80 (from a multiple of 16). */
export function mark(from: i32, to: i32): void {
  const limit = i8x16.splat(0x20);
  for (let i = from; i < to; i += 16)
    store<u16>(BITS_AT + (i >> 3), i8x16.bitmask(i8x16.le_s(v128.load(i), limit)));
}

/** Records the last read() wrote. */
export function recordCount(): i32 {
  return records;
}

function layoutWord(layout: i32, k: i32): i32 {
  return load<i32>(layout + (k << 2));
}

/** Token k of the line: bytes [tokenStart(k), tokenEnd(k)). */
function tokenStart(k: i32): i32 {
  return load<i32>(BOUNDS_AT + (k << 2)) + 1;
}

function tokenEnd(k: i32): i32 {
  return load<i32>(BOUNDS_AT + ((k + 1) << 2));
}

function isDash(s: i32, e: i32): bool {
  return e === s + 1 && load<u8>(s) === DASH;
}

/** Two ASCII digits as a number, or -1. */
function twoDigits(i: i32): i32 {
  const a = <i32>load<u8>(i) - 48;
  const b = <i32>load<u8>(i + 1) - 48;
  return <u32>a <= 9 && <u32>b <= 9 ? a * 10 + b : -1;
}

/** `YYYY-MM-DD` → YYYYMMDD, or -1. */
function dateAt(s: i32, e: i32): i32 {
  if (e !== s + 10) return -1;
  const head = load<u64>(s);
  const tail = load<u16>(s + 8);
  if (lastDate >= 0 && head === lastDateHead && tail === lastDateTail) return lastDate;
  if (load<u8>(s + 4) !== DASH || load<u8>(s + 7) !== DASH) return -1;
  const y1 = twoDigits(s);
  const y2 = twoDigits(s + 2);
  const m = twoDigits(s + 5);
  const d = twoDigits(s + 8);
  if (y1 < 0 || y2 < 0 || m < 0 || d < 0) return -1;
  lastDate = ((y1 * 100 + y2) * 100 + m) * 100 + d;
  lastDateHead = head;
  lastDateTail = tail;
  return lastDate;
}

/** `HH:MM:SS[.f{1,7}]` → HHMMSS, or -1. */
function timeAt(s: i32, e: i32): i32 {
  const len = e - s;
  if (len < 8 || len > 16) return -1;
  const bytes = load<u64>(s);
  if (len === 8 && lastTime >= 0 && bytes === lastTimeBytes) return lastTime;
  if (load<u8>(s + 2) !== 58 || load<u8>(s + 5) !== 58) return -1;
  const h = twoDigits(s);
  const m = twoDigits(s + 3);
  const sec = twoDigits(s + 6);
  if (h < 0 || m < 0 || sec < 0) return -1;
  if (len > 8) {
    if (len === 9 || load<u8>(s + 8) !== 46) return -1;
    for (let i = s + 9; i < e; i++) if (<u32>(<i32>load<u8>(i) - 48) > 9) return -1;
  }
  const time = (h * 100 + m) * 100 + sec;
  if (len === 8) {
    lastTime = time;
    lastTimeBytes = bytes;
  }
  return time;
}

/**
 * A hash of bytes [s, e) from their length and first and last eight bytes (pairs are few, and the
 * lookup compares every byte anyway): two loads, whatever the length.
 */
function hashBytes(s: i32, e: i32): u32 {
  const len = e - s;
  let h: u64 = 0;
  if (len >= 8) h = (load<u64>(s) * 0x9e3779b97f4a7c15) ^ load<u64>(e - 8);
  else for (let i = s; i < e; i++) h = (h << 8) | load<u8>(i);
  h = (h ^ <u64>len) * 0xff51afd7ed558ccd;
  return <u32>(h >> 32);
}

/** Whether the n bytes at a and at b are the same. */
function sameBytes(a: i32, b: i32, n: i32): bool {
  let i = 0;
  for (; i + 8 <= n; i += 8) if (load<u64>(a + i) !== load<u64>(b + i)) return false;
  for (; i < n; i++) if (load<u8>(a + i) !== load<u8>(b + i)) return false;
  return true;
}

/** The id of the pair whose bytes are [s, e) of the piece, or -1 when the table lacks it. */
function pairId(s: i32, e: i32): i32 {
  const len = e - s;
  let slot = <i32>(hashBytes(s, e) & (PAIR_SLOTS - 1));
  let v = load<i32>(PAIR_SLOTS_AT + (slot << 2));
  while (v !== 0) {
    const key = PAIR_KEYS_AT + ((v - 1) << 3);
    if (load<i32>(key, 4) === len && sameBytes(load<i32>(key), s, len)) return v - 1;
    slot = (slot + 1) & (PAIR_SLOTS - 1);
    v = load<i32>(PAIR_SLOTS_AT + (slot << 2));
  }
  return -1;
}

/** Puts the pair of bytes [s, e) of the piece in the table under `id` (ignored when the table is full). */
export function addPair(s: i32, e: i32, id: i32): void {
  const len = e - s;
  if (id < 0 || id >= MAX_PAIRS || pairArenaUsed + len > PAIR_ARENA_BYTES || pairId(s, e) >= 0) return;
  const at = PAIR_ARENA_AT + pairArenaUsed;
  memory.copy(at, s, len);
  pairArenaUsed += len;
  store<i32>(PAIR_KEYS_AT + (id << 3), at);
  store<i32>(PAIR_KEYS_AT + (id << 3), len, 4);
  let slot = <i32>(hashBytes(s, e) & (PAIR_SLOTS - 1));
  while (load<i32>(PAIR_SLOTS_AT + (slot << 2)) !== 0) slot = (slot + 1) & (PAIR_SLOTS - 1);
  store<i32>(PAIR_SLOTS_AT + (slot << 2), id + 1);
}

/** Empties the pair table (the ids belonged to a summary that is set aside). */
export function clearPairs(): void {
  memory.fill(PAIR_SLOTS_AT, 0, PAIR_SLOTS * 4);
  pairArenaUsed = 0;
}

function storeToken(out: i32, at: i32, k: i32): void {
  store<i32>(out + at, k < 0 ? -1 : tokenStart(k));
  store<i32>(out + at + 4, k < 0 ? -1 : tokenEnd(k));
}

/**
 * The line of n tokens whose bounds are at BOUNDS_AT, read under `layout`, as a record at `out`:
 * true; false when the line is the general path's (a directive, another field count, a field that is
 * not what its name says, a number of ten digits or more).
 */
function readLine(n: i32, layout: i32, out: i32): bool {
  if (load<u8>(tokenStart(0)) === 35) return false;
  if (n !== layoutWord(layout, L_COUNT)) return false;
  let status: i32 = -1;
  let site: i32 = -1;
  const numeric = layoutWord(layout, L_NUMERIC);
  const statusIndex = layoutWord(layout, L_STATUS);
  const siteIndex = layoutWord(layout, L_SITE);
  for (let k = 0; k < numeric; k++) {
    const idx = layoutWord(layout, L_NUMERIC + 1 + k);
    const s = tokenStart(idx);
    const e = tokenEnd(idx);
    if (isDash(s, e)) continue;
    if (e - s > 9) return false;
    let v: i32 = 0;
    for (let i = s; i < e; i++) {
      const d = <i32>load<u8>(i) - 48;
      if (<u32>d > 9) return false;
      v = v * 10 + d;
    }
    if (idx === statusIndex) status = v;
    else if (idx === siteIndex) site = v;
  }
  let date: i32 = -1;
  const dateIndex = layoutWord(layout, L_DATE);
  if (dateIndex >= 0 && !isDash(tokenStart(dateIndex), tokenEnd(dateIndex))) {
    date = dateAt(tokenStart(dateIndex), tokenEnd(dateIndex));
    if (date < 0) return false;
  }
  let time: i32 = -1;
  const timeIndex = layoutWord(layout, L_TIME);
  if (timeIndex >= 0 && !isDash(tokenStart(timeIndex), tokenEnd(timeIndex))) {
    time = timeAt(tokenStart(timeIndex), tokenEnd(timeIndex));
    if (time < 0) return false;
  }
  const reason = layoutWord(layout, L_REASON);
  const queue = layoutWord(layout, L_QUEUE);
  storeToken(out, 0, reason);
  storeToken(out, 8, queue);
  storeToken(out, 16, layoutWord(layout, L_CIP));
  storeToken(out, 24, layoutWord(layout, L_URI));
  store<i32>(out, status, 32);
  store<i32>(out, site, 36);
  store<i32>(out, date, 40);
  store<i32>(out, time, 44);
  store<i32>(out, reason >= 0 && queue === reason + 1 ? pairId(tokenStart(reason), tokenEnd(queue)) : -1, 48);
  return true;
}

/**
 * Reads the marked lines that start from `from` on, while they start at or before `stop` (a LF, so
 * every such line has its end marked), under layout slot `slot` (-1: slot 1 for lines of 14 tokens,
 * else slot 0). Returns where it stopped: past `stop`, at a line that is the general path's, or with
 * MAX_RECORDS records written.
 */
export function read(from: i32, stop: i32, slot: i32): i32 {
  let i = from;
  let out = RECORDS_AT;
  let n = 0;
  while (i <= stop && n < MAX_RECORDS) {
    const start = i;
    store<i32>(BOUNDS_AT, start - 1);
    let tokens = 1;
    let w = start >> 6;
    let m: u64 = load<u64>(BITS_AT + (w << 3)) & ((<u64>-1) << (<u64>(start & 63)));
    let p = 0;
    let c: i32 = 0;
    let prev = start - 1;
    let doubled = false;
    for (;;) {
      while (m === 0) m = load<u64>(BITS_AT + (++w << 3));
      p = (w << 6) + <i32>ctz(m);
      m &= m - 1;
      // The next word's marks once this word's are spent, without a branch (a word has ~9 marks, so
      // a branch here would be mispredicted about once a word).
      const spent = m === 0;
      m = select<u64>(load<u64>(BITS_AT + ((w + 1) << 3)), m, spent);
      w += <i32>spent;
      c = load<u8>(p);
      if (c !== SPACE) break;
      if (p === prev + 1) doubled = true;
      store<i32>(BOUNDS_AT + ((tokens & 63) << 2), p);
      tokens++;
      prev = p;
    }
    // Two spaces in a row, a leading or trailing space, another separator or control byte, non-ASCII.
    if (doubled || tokens > MAX_TOKENS || (c !== 10 && c !== 13) || prev === p - 1) break;
    store<i32>(BOUNDS_AT + (tokens << 2), p);
    const layout = LAYOUTS_AT + (slot >= 0 ? slot : tokens === 14 ? 1 : 0) * LAYOUT_WORDS * 4;
    if (!readLine(tokens, layout, out)) break;
    out += RECORD_WORDS * 4;
    n++;
    i = c === 13 && load<u8>(p + 1) === 10 ? p + 2 : p + 1;
  }
  records = n;
  return i;
}
