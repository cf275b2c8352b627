// Bounded-memory counting for the HTTPERR fields whose values are many and mostly distinct on a public
// server (client addresses, URIs): a heavy-hitters sketch keyed by bytes, and a HyperLogLog for the
// number of distinct values. Both merge, and their exported state is plain data (structured-clone
// safe, so worker threads can post it).
//
// The heavy-hitters sketch is Misra-Gries with batched decrements, written the Space-Saving way: each
// held key has an upper bound `count` and an `overcount`; when all `keys` slots are full, every key
// whose count is at most the (keys/2)-th largest count T is dropped at once and T becomes the bound of
// any key not held (`absentMax`). Each purge takes at least (keys/2)·(T − old bound) from what the
// counters hold, so `absentMax` ≤ N / (keys/2) for N lines: every key with more lines than that is
// held, and no count is more than that above the truth. Until the first purge every count is exact.
// Libraries (bloom-filters' TopK and HyperLogLog) hash JS strings; this one hashes the bytes the
// scanner already has and makes a string only for the keys it reports.

/** HyperLogLog precision: 2^15 one-byte registers (32 KB). */
const HLL_P = 15;
const HLL_M = 1 << HLL_P;
/** Three standard errors of HyperLogLog (1.04 / √m): the bound a distinct estimate is given with. */
export const HLL_RELATIVE_ERROR = Math.ceil(((3 * 1.04) / Math.sqrt(HLL_M)) * 1000) / 1000;

/** Keys longer than this are counted by their first MAX_KEY_BYTES bytes (and their length). */
export const MAX_KEY_BYTES = 1024;

/**
 * The mergeable state of a HeavyHitters sketch, compact and cheap to post to another thread: the
 * keys as one string, one per line (keys are tokens: no line ends), and parallel arrays. Key i was
 * seen at most counts[i] times, and at least counts[i] − overcounts[i]. heavyKeys() splits the keys.
 */
export interface HeavyState {
  /** Most keys held at once; once keys were dropped, absentMax ≤ N / (capacity/2) for N occurrences. */
  capacity: number;
  /** No key missing from `keys` occurred more often than this (0: `keys` are every key, counted exactly). */
  absentMax: number;
  keys: string;
  counts: Float64Array;
  overcounts: Float64Array;
}

/** The keys of a state, in order. */
export function heavyKeys(st: HeavyState): string[] {
  return st.counts.length === 0 ? [] : st.keys.split("\n");
}

const NL = 10;

/** Empty HyperLogLog registers. */
export function newHll(): Uint8Array {
  return new Uint8Array(HLL_M);
}

/** Registers of the union of two sets: the larger of each pair, into `into`. */
export function mergeHllInto(into: Uint8Array, from: Uint8Array): void {
  for (let j = 0; j < into.length; j++)
    if ((from[j] as number) > (into[j] as number)) into[j] = from[j] as number;
}

const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

/** fmix32 of MurmurHash3: every input bit reaches every output bit. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

function slotHash(len: number, a: number, b: number, c: number, d: number): number {
  let h = Math.imul(len ^ a, 0x9e3779b1);
  h = Math.imul(h ^ b, 0x85ebca6b);
  h = Math.imul(h ^ c, 0xc2b2ae35);
  h = Math.imul(h ^ d, 0x27d4eb2f);
  return h ^ (h >>> 15);
}

const LANES = new Int32Array(2);

/** Two independent 32-bit hashes of buf[s, e) and the key's full length, into LANES. */
function lanes(buf: Uint8Array, view: DataView, s: number, e: number, len: number): void {
  let h1 = len ^ 0x2545f491;
  let h2 = Math.imul(len, 0x9e3779b1) ^ 0x6a09e667;
  let i = s;
  for (; i + 4 <= e; i += 4) {
    const w = view.getInt32(i, true);
    h1 = Math.imul(h1 ^ w, 0xcc9e2d51);
    h1 ^= h1 >>> 15;
    h2 = Math.imul(((h2 << 5) | (h2 >>> 27)) + w, 0x1b873593);
    h2 ^= h2 >>> 13;
  }
  if (i < e) {
    let w = 0;
    for (let j = e - 1; j >= i; j--) w = (w << 8) | (buf[j] as number);
    h1 = Math.imul(h1 ^ w, 0xcc9e2d51);
    h2 = Math.imul(((h2 << 5) | (h2 >>> 27)) + w, 0x1b873593);
  }
  LANES[0] = fmix(h1);
  LANES[1] = fmix(h2);
}

/**
 * The two lanes of a key of at most 16 bytes from the words the slot already holds (len, a, b, c, d
 * determine such a key): no second pass over its bytes. Longer keys take lanes() over all bytes.
 */
function shortLanes(len: number, a: number, b: number, c: number, d: number): void {
  let h1 = Math.imul(len ^ 0x2545f491 ^ a, 0xcc9e2d51);
  h1 = Math.imul(((h1 << 13) | (h1 >>> 19)) ^ b, 0x1b873593);
  h1 = Math.imul(((h1 << 13) | (h1 >>> 19)) ^ c, 0xcc9e2d51);
  h1 = Math.imul(((h1 << 13) | (h1 >>> 19)) ^ d, 0x1b873593);
  let h2 = Math.imul(len ^ 0x6a09e667 ^ d, 0x85ebca6b);
  h2 = Math.imul(((h2 << 15) | (h2 >>> 17)) ^ c, 0xc2b2ae35);
  h2 = Math.imul(((h2 << 15) | (h2 >>> 17)) ^ b, 0x85ebca6b);
  h2 = Math.imul(((h2 << 15) | (h2 >>> 17)) ^ a, 0xc2b2ae35);
  LANES[0] = fmix(h1);
  LANES[1] = fmix(h2);
}

/**
 * Adds a key to HyperLogLog registers from its two lanes: one picks the register, the other gives
 * the rank, so the estimate sees a 47-bit hash and stays unbiased far beyond 2^32 keys.
 */
function hllAdd(reg: Uint8Array, h1: number, h2: number): void {
  const idx = h1 >>> (32 - HLL_P);
  const rank = Math.clz32(h2) + 1;
  if (rank > (reg[idx] as number)) reg[idx] = rank;
}

/**
 * Distinct values from HyperLogLog registers: Ertl's improved estimator ("New cardinality estimation
 * algorithms for HyperLogLog sketches", 2017), unbiased from 0 to far beyond billions without the
 * empirical bias tables of HyperLogLog++. Ranks come from 32 hash bits, so q = 32.
 */
export function hllEstimate(reg: Uint8Array): number {
  const q = 32;
  const hist = new Float64Array(q + 2);
  for (let i = 0; i < reg.length; i++) hist[reg[i] as number] = (hist[reg[i] as number] as number) + 1;
  const m = reg.length;
  let z = m * tau(1 - (hist[q + 1] as number) / m);
  for (let k = q; k >= 1; k--) z = 0.5 * (z + (hist[k] as number));
  z += m * sigma((hist[0] as number) / m);
  return m / (2 * Math.LN2) / (z / m);
}

function sigma(x: number): number {
  if (x === 1) return Number.POSITIVE_INFINITY;
  let y = 1;
  let z = x;
  for (;;) {
    x *= x;
    const prev = z;
    z += x * y;
    y += y;
    if (z === prev) return z;
  }
}

function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let y = 1;
  let z = 1 - x;
  for (;;) {
    x = Math.sqrt(x);
    const prev = z;
    y *= 0.5;
    z -= (1 - x) ** 2 * y;
    if (z === prev) return z / 3;
  }
}

/** The k-th largest value of xs[0, n) (k from 1); reorders xs. Quickselect, linear on average. */
function kthLargest(xs: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  const want = k - 1;
  while (lo < hi) {
    // Median of three as the pivot: counts are often sorted runs of equal values.
    const mid = (lo + hi) >>> 1;
    const a = xs[lo] as number;
    const b = xs[mid] as number;
    const c = xs[hi] as number;
    const pivot = Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((xs[i] as number) > pivot) i++;
      while ((xs[j] as number) < pivot) j--;
      if (i <= j) {
        const t = xs[i] as number;
        xs[i] = xs[j] as number;
        xs[j] = t;
        i++;
        j--;
      }
    }
    if (want <= j) hi = j;
    else if (want >= i) lo = i;
    else return pivot;
  }
  return xs[want] as number;
}

/**
 * A key's length, where the bytes it is known by end (at maxKeyBytes), and the four words an exact
 * slot holds (see HeavyHitters), into one shared object: read at once by the caller.
 */
const WORDS = { len: 0, end: 0, a: 0, b: 0, c: 0, d: 0 };

function keyWords(
  buf: Uint8Array,
  view: DataView,
  s: number,
  e: number,
  maxKeyBytes = MAX_KEY_BYTES,
): typeof WORDS {
  const len = e - s;
  const end = len > maxKeyBytes ? s + maxKeyBytes : e;
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  if (len >= 4) {
    a = view.getInt32(s, true);
    b = view.getInt32(end - 4, true);
    if (len > 8) {
      c = view.getInt32(s + 4, true);
      d = view.getInt32(end - 8, true);
    }
  } else {
    for (let i = e - 1; i >= s; i--) a = (a << 8) | (buf[i] as number);
  }
  WORDS.len = len;
  WORDS.end = end;
  WORDS.a = a;
  WORDS.b = b;
  WORDS.c = c;
  WORDS.d = d;
  return WORDS;
}

/**
 * Whether view[s, e) equals arena[j, j + e − s): the middle bytes of a key longer than 16 (its first
 * and last 8 are compared as slot words). Four bytes at a time; the last word may overlap the one
 * before.
 */
function sameMiddle(arena: DataView, j: number, view: DataView, s: number, e: number): boolean {
  let i = s;
  for (; i + 4 <= e; i += 4, j += 4) if (arena.getInt32(j, true) !== view.getInt32(i, true)) return false;
  if (i === e) return true;
  if (e - s >= 4) return arena.getInt32(j - (4 - (e - i)), true) === view.getInt32(e - 4, true);
  for (; i < e; i++, j++) if (arena.getUint8(j) !== view.getUint8(i)) return false;
  return true;
}

const ELLIPSIS = new TextEncoder().encode("…");

/**
 * The keys of a state, one per line, as bytes from an arena decoded at once (one string rather than
 * one per key); a key over MAX_KEY_BYTES is its head and an ellipsis.
 */
class KeyLines {
  private readonly out: Uint8Array;
  private at = 0;
  private lines = 0;

  /** `bytes`: at least the arena bytes of the keys to come. */
  constructor(bytes: number, keys: number) {
    this.out = new Uint8Array(bytes + keys * 4);
  }

  /** The key of full length `len` whose bytes start at arena[start]. */
  push(arena: Uint8Array, start: number, len: number): void {
    if (this.lines++ > 0) this.out[this.at++] = NL;
    const kept = Math.min(len, MAX_KEY_BYTES);
    this.out.set(arena.subarray(start, start + kept), this.at);
    this.at += kept;
    if (len > MAX_KEY_BYTES) {
      this.out.set(ELLIPSIS, this.at);
      this.at += ELLIPSIS.length;
    }
  }

  text(): string {
    return utf8.decode(this.out.subarray(0, this.at));
  }
}

/** x, or a copy of it at least n long (doubling) when it is shorter. */
export function grown<T extends Int32Array | Float64Array>(x: T, n: number): T {
  if (n <= x.length) return x;
  const y = new (x.constructor as new (n: number) => T)(Math.max(n, x.length * 2, 64));
  y.set(x);
  return y;
}

/** The arena a purge moves the kept keys' bytes to, and the counts it selects in: shared by a thread's sketches. */
let spareArena = new Uint8Array(0);
let scratchCounts = new Float64Array(0);

/** An index slot: a fingerprint (the upper 16 bits of the key's hash) over its entry id + 1 (0: empty). */
const FINGERPRINT = -65536;
const ENTRY_ID = 0xffff;
/** Words of an entry record: length, a, b, c, d, arena start (-1: bytes not kept), count (a float64). */
const E_START = 5;
const E_WORDS = 8;

/**
 * The heavy-hitters sketch over byte keys. Keys are entries numbered in insertion order, each a
 * 32-byte record in one buffer: [length, a, b, c, d, arena start, count as a float64]. a and b are
 * the 32-bit words at the key's start and end (a key under 4 bytes packed in a); c and d the words at
 * s+4 and e-8, so the four words hold a key of up to 16 bytes and compare it exactly, a longer one
 * also by its middle bytes in the arena. They are found through an open-addressed index of one 32-bit
 * word a slot, a fingerprint of the hash over the entry's id: on a public server's log most keys are
 * new, and a new key costs a probe of an index that stays in the core's cache (a few KB) and a record
 * written in order, not a random read of a table of records.
 *
 * At the first purge the sketch stops being exact and changes how it tells long keys apart: c and d
 * become two independent 32-bit hashes of all the key's bytes, so a key is known by its length, its
 * first and last four bytes and a 64-bit hash, and its bytes are no longer needed to compare. They
 * are then copied only for keys seen again after they came in: on a public server's log most keys
 * come once, are dropped by the next purge and never cost a copy; the few still held without bytes
 * at the end are dropped too (their count is at most absentMax + 1, which becomes the bound).
 */
export class HeavyHitters {
  private mask = 255;
  private index = new Int32Array(256);
  private ent = new Int32Array(64 * E_WORDS);
  private entF = new Float64Array(this.ent.buffer);
  /** Overcount of each entry. */
  private errs = new Float64Array(64);
  private n = 0;
  private arena = new Uint8Array(4096);
  private arenaView = new DataView(this.arena.buffer);
  private arenaLen = 0;
  private absentMax = 0;
  /** Whether long keys are told apart by hashes (after the first purge) rather than by their bytes. */
  private hashed = false;
  /** Most keys held now: `exactKeys` until the first purge, `keys` after it. */
  private cap: number;
  /** The entries whose count is above absentMax + 1 (seen again since they came in). */
  private aboveIds: Int32Array;
  private above = 0;

  /**
   * `keys`: most keys held once the sketch drops keys (a power of two ≥ 2): the bound is N / (keys/2).
   * `exactKeys` (≥ keys, default keys): most keys held before that, all counted exactly; a stream with
   * no more distinct keys is never approximated, and a bigger one is sketched in a smaller table that
   * stays in cache. `hll`: HyperLogLog registers (shared by several sketches) every key is added to.
   */
  constructor(
    private readonly keys: number,
    private readonly hll: Uint8Array | null,
    exactKeys: number = keys,
  ) {
    this.cap = Math.max(keys, exactKeys);
    if (this.cap >= ENTRY_ID) throw new RangeError(`a HeavyHitters sketch holds fewer than ${ENTRY_ID} keys`);
    this.aboveIds = new Int32Array(this.cap);
  }

  /** Counts buf[s, e) once more (`view` is a DataView of buf). */
  add(buf: Uint8Array, view: DataView, s: number, e: number): void {
    const { len, end, a, b } = keyWords(buf, view, s, e);
    let { c, d } = WORDS;
    if (len > 16 && this.hashed) {
      lanes(buf, view, s, end, len);
      c = LANES[0] as number;
      d = LANES[1] as number;
    }
    let h = slotHash(len, a, b, c, d);
    const index = this.index;
    const ent = this.ent;
    let slot = h & this.mask;
    for (;;) {
      const v = index[slot] as number;
      if (v === 0) break;
      if (((v ^ h) & FINGERPRINT) === 0) {
        const id = (v & ENTRY_ID) - 1;
        const r = id * E_WORDS;
        if (
          ent[r + 1] === a &&
          ent[r + 2] === b &&
          ent[r] === len &&
          ent[r + 3] === c &&
          ent[r + 4] === d &&
          (len <= 16 ||
            this.hashed ||
            sameMiddle(this.arenaView, (ent[r + E_START] as number) + 8, view, s + 8, end - 8))
        ) {
          const f = (id << 2) + 3;
          const count = this.entF[f] as number;
          this.entF[f] = count + 1;
          // Seen again since it came in: one of the keys a purge keeps.
          if (count === this.absentMax + 1) this.aboveIds[this.above++] = id;
          if (this.hashed && (ent[r + E_START] as number) < 0) this.keep(id, buf, s, end);
          return;
        }
      }
      slot = (slot + 1) & this.mask;
    }
    if (this.n >= this.cap) {
      const wasHashed = this.hashed;
      this.purge();
      if (!wasHashed && len > 16) {
        // The purge switched long keys to hashes: this one too.
        lanes(buf, view, s, end, len);
        c = LANES[0] as number;
        d = LANES[1] as number;
        h = slotHash(len, a, b, c, d);
      }
      slot = this.freeSlot(h);
    }
    this.insert(slot, h, len, a, b, c, d);
    if (!this.hashed) this.keep(this.n - 1, buf, s, end);
    // At most half the slots used.
    if (this.n * 2 > this.mask + 1) this.reindex(this.mask * 2 + 1);
    if (this.hll) {
      // Hashed once: a short key's lanes come from its words, a long one's were computed above
      // when the sketch is hashed.
      if (len <= 16) shortLanes(len, a, b, c, d);
      else if (!this.hashed) lanes(buf, view, s, end, len);
      hllAdd(this.hll, LANES[0] as number, LANES[1] as number);
    }
  }

  /** add() for a string key: its UTF-8 bytes, so it meets the same key coming as bytes. */
  addKey(key: string): void {
    const bytes = new TextEncoder().encode(key);
    this.add(bytes, new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), 0, bytes.length);
  }

  /**
   * A key not held yet, with its count: how KeyIds hands over the counts it kept (the sketch exact and
   * with room for the key; its HyperLogLog registers already have it).
   */
  seed(buf: Uint8Array, view: DataView, s: number, e: number, count: number): void {
    const { len, end, a, b, c, d } = keyWords(buf, view, s, e);
    const h = slotHash(len, a, b, c, d);
    this.insert(this.freeSlot(h), h, len, a, b, c, d);
    this.entF[((this.n - 1) << 2) + 3] = count;
    if (count > 1) this.aboveIds[this.above++] = this.n - 1;
    this.keep(this.n - 1, buf, s, end);
    if (this.n * 2 > this.mask + 1) this.reindex(this.mask * 2 + 1);
  }

  /** The first empty slot from the one of hash h on. */
  private freeSlot(h: number): number {
    let slot = h & this.mask;
    while (this.index[slot] !== 0) slot = (slot + 1) & this.mask;
    return slot;
  }

  private insert(slot: number, h: number, len: number, a: number, b: number, c: number, d: number): void {
    const id = this.n;
    if ((id + 1) * E_WORDS > this.ent.length) this.resize(Math.min(this.cap, Math.max(64, id * 2)));
    const r = id * E_WORDS;
    const ent = this.ent;
    ent[r] = len;
    ent[r + 1] = a;
    ent[r + 2] = b;
    ent[r + 3] = c;
    ent[r + 4] = d;
    ent[r + E_START] = -1;
    this.entF[(id << 2) + 3] = this.absentMax + 1;
    this.errs[id] = this.absentMax;
    this.index[slot] = (h & FINGERPRINT) | (id + 1);
    this.n = id + 1;
  }

  /** Room for `entries` entries (at least the n held). */
  private resize(entries: number): void {
    const ent = new Int32Array(entries * E_WORDS);
    ent.set(this.ent.subarray(0, this.n * E_WORDS));
    const errs = new Float64Array(entries);
    errs.set(this.errs.subarray(0, this.n));
    this.ent = ent;
    this.entF = new Float64Array(ent.buffer);
    this.errs = errs;
  }

  /** Copies the bytes of entry id, buf[s, end), into the arena. */
  private keep(id: number, buf: Uint8Array, s: number, end: number): void {
    const bytes = end - s;
    if (this.arenaLen + bytes > this.arena.length) {
      const next = new Uint8Array(Math.max(this.arena.length * 2, this.arenaLen + bytes));
      next.set(this.arena.subarray(0, this.arenaLen));
      this.arena = next;
      this.arenaView = new DataView(next.buffer);
    }
    // A loop, not set(subarray()): keys are short, and a view object per copy costs more.
    const arena = this.arena;
    const at = this.arenaLen;
    for (let i = 0; i < bytes; i++) arena[at + i] = buf[s + i] as number;
    this.ent[id * E_WORDS + E_START] = at;
    this.arenaLen = at + bytes;
  }

  /**
   * Drops every key whose count is at most the (keys/2)-th largest; that count bounds the dropped.
   * The first purge also turns the long keys' c and d into hashes (see the class comment), and
   * shrinks the sketch from exactKeys to keys: each purge then takes at least (keys/2)·(T − bound)
   * from what the counters hold, so the bound stays under N / (keys/2).
   */
  private purge(): void {
    const n = this.n;
    const ent = this.ent;
    if (!this.hashed) {
      this.hashed = true;
      const view = new DataView(this.arena.buffer, this.arena.byteOffset, this.arena.byteLength);
      for (let r = 0; r < n * E_WORDS; r += E_WORDS) {
        const len = ent[r] as number;
        if (len <= 16) continue;
        const start = ent[r + E_START] as number;
        lanes(this.arena, view, start, start + Math.min(len, MAX_KEY_BYTES), len);
        ent[r + 3] = LANES[0] as number;
        ent[r + 4] = LANES[1] as number;
      }
    }
    const shrink = this.cap !== this.keys;
    this.cap = this.keys;
    // Every count is at least absentMax + 1. When fewer than keys/2 keys are above it (seen again
    // since they came in: few, on a public server's log), that is the (keys/2)-th largest count: no
    // pass over the counts, no select, and the keys kept are the ones listed in aboveIds.
    const half = Math.max(1, this.keys >> 1);
    if (!shrink && this.above < half) {
      this.absentMax += 1;
      this.compact(this.absentMax, true);
      this.reindex(this.mask);
      return;
    }
    if (scratchCounts.length < n) scratchCounts = new Float64Array(n);
    const counts = scratchCounts;
    for (let id = 0; id < n; id++) counts[id] = this.entF[(id << 2) + 3] as number;
    const t = kthLargest(counts, n, half);
    this.absentMax = t;
    this.compact(t, false);
    if (shrink) this.resize(Math.min(this.keys, this.ent.length / E_WORDS));
    // The smaller index: at most half its slots used once it holds `keys` keys.
    this.reindex(shrink ? Math.max(255, 2 * this.keys - 1) : this.mask);
  }

  /**
   * Keeps the entries whose count is above `drop` (those listed in aboveIds, or found by a pass over
   * all), renumbered in insertion order, their bytes moved to a fresh arena; lists anew those above
   * absentMax + 1. In place: an entry only moves down.
   */
  private compact(drop: number, fromAbove: boolean): void {
    const ent = this.ent;
    const entF = this.entF;
    const errs = this.errs;
    const from = this.arena;
    const to =
      spareArena.length >= this.arenaLen && spareArena !== from ? spareArena : new Uint8Array(from.length);
    const listed = fromAbove ? this.above : this.n;
    if (fromAbove) this.aboveIds.subarray(0, listed).sort();
    const least = this.absentMax + 1;
    this.above = 0;
    let k = 0;
    let at = 0;
    for (let q = 0; q < listed; q++) {
      const id = fromAbove ? (this.aboveIds[q] as number) : q;
      const count = entF[(id << 2) + 3] as number;
      if (count <= drop) continue;
      const r = id * E_WORDS;
      const w = k * E_WORDS;
      const start = ent[r + E_START] as number;
      if (w !== r) {
        for (let j = 0; j < E_START; j++) ent[w + j] = ent[r + j] as number;
        entF[(k << 2) + 3] = count;
        errs[k] = errs[id] as number;
      }
      if (start >= 0) {
        const bytes = Math.min(ent[w] as number, MAX_KEY_BYTES);
        for (let j = 0; j < bytes; j++) to[at + j] = from[start + j] as number;
        ent[w + E_START] = at;
        at += bytes;
      } else ent[w + E_START] = -1;
      if (count > least) this.aboveIds[this.above++] = k;
      k++;
    }
    this.n = k;
    if (to === spareArena || from.length > spareArena.length) spareArena = from;
    this.arena = to;
    this.arenaView = new DataView(to.buffer, to.byteOffset, to.byteLength);
    this.arenaLen = at;
  }

  /** The index anew, of mask + 1 slots, over the entries held. */
  private reindex(mask: number): void {
    const index = mask === this.mask ? this.index.fill(0) : new Int32Array(mask + 1);
    const ent = this.ent;
    for (let id = 0; id < this.n; id++) {
      const r = id * E_WORDS;
      const h = slotHash(
        ent[r] as number,
        ent[r + 1] as number,
        ent[r + 2] as number,
        ent[r + 3] as number,
        ent[r + 4] as number,
      );
      let slot = h & mask;
      while (index[slot] !== 0) slot = (slot + 1) & mask;
      index[slot] = (h & FINGERPRINT) | (id + 1);
    }
    this.index = index;
    this.mask = mask;
  }

  /** The mergeable state: every reportable key with its count and overcount, in insertion order. */
  state(): HeavyState {
    const counts = new Float64Array(this.n);
    const overcounts = new Float64Array(this.n);
    const keys = new KeyLines(this.arenaLen, this.n);
    let k = 0;
    let absentMax = this.absentMax;
    for (let id = 0; id < this.n; id++) {
      const count = this.entF[(id << 2) + 3] as number;
      const start = this.ent[id * E_WORDS + E_START] as number;
      if (start < 0) {
        // Seen once since it came in, and its bytes were not kept: as if dropped.
        if (count > absentMax) absentMax = count;
        continue;
      }
      keys.push(this.arena, start, this.ent[id * E_WORDS] as number);
      counts[k] = count;
      overcounts[k] = this.errs[id] as number;
      k++;
    }
    return {
      capacity: this.cap,
      absentMax,
      keys: keys.text(),
      counts: counts.slice(0, k),
      overcounts: overcounts.slice(0, k),
    };
  }
}

/**
 * Byte keys numbered 0, 1, 2, … as they first come, exactly, up to `capacity` keys: the reason
 * phrases and queue names of a log (see Interner in summary.ts), and its URIs while they are few.
 * One table for the URIs of every reason, and a dense count per reason and id, hold in a few hundred
 * KB what the reasons' own sketches spread over megabytes (a lookup per line that stays in cache).
 * Keys are told apart as an exact HeavyHitters tells them, and each new one goes to the HyperLogLog
 * registers as that sketch would add it, so handing the counts over to the sketches (seed()) when a
 * key more comes leaves both as if the sketches had counted all along.
 */
export class KeyIds {
  private mask = 255;
  /** 32-byte slots [id + 1, length, a, c, d, b, -, -]: a key's words as HeavyHitters holds them. */
  private slots = new Int32Array(256 * 8);
  private starts = new Int32Array(64);
  private lens = new Int32Array(64);
  private arena = new Uint8Array(4096);
  private arenaView = new DataView(this.arena.buffer);
  private arenaLen = 0;
  private n = 0;

  /**
   * `hll`: registers each new key goes to (null: none); `maxKeyBytes`: keys longer than this are known
   * by their head and length, as in the sketches (Infinity: by every byte).
   */
  constructor(
    private readonly capacity: number,
    private readonly hll: Uint8Array | null,
    private readonly maxKeyBytes = MAX_KEY_BYTES,
  ) {}

  /** The id of buf[s, e), a new one if it is new; -1 when it is new and `capacity` keys are held. */
  add(buf: Uint8Array, view: DataView, s: number, e: number): number {
    const { len, end, a, b, c, d } = keyWords(buf, view, s, e, this.maxKeyBytes);
    const slots = this.slots;
    const mask = this.mask;
    let slot = slotHash(len, a, b, c, d) & mask;
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
        (len <= 16 || sameMiddle(this.arenaView, (this.starts[v - 1] as number) + 8, view, s + 8, end - 8))
      )
        return v - 1;
      slot = (slot + 1) & mask;
    }
    if (this.n >= this.capacity) return -1;
    const id = this.insert(slot, buf, s, end, len, a, b, c, d);
    if (this.hll) {
      if (len <= 16) shortLanes(len, a, b, c, d);
      else lanes(buf, view, s, end, len);
      hllAdd(this.hll, LANES[0] as number, LANES[1] as number);
    }
    return id;
  }

  private insert(
    slot: number,
    buf: Uint8Array,
    s: number,
    end: number,
    len: number,
    a: number,
    b: number,
    c: number,
    d: number,
  ): number {
    const id = this.n++;
    this.starts = grown(this.starts, id + 1);
    this.lens = grown(this.lens, id + 1);
    const bytes = end - s;
    if (this.arenaLen + bytes > this.arena.length) {
      const next = new Uint8Array(Math.max(this.arena.length * 2, this.arenaLen + bytes));
      next.set(this.arena.subarray(0, this.arenaLen));
      this.arena = next;
      this.arenaView = new DataView(next.buffer);
    }
    this.arena.set(buf.subarray(s, end), this.arenaLen);
    this.starts[id] = this.arenaLen;
    this.lens[id] = len;
    this.arenaLen += bytes;
    const r = slot << 3;
    const slots = this.slots;
    slots[r] = id + 1;
    slots[r + 1] = len;
    slots[r + 2] = a;
    slots[r + 3] = c;
    slots[r + 4] = d;
    slots[r + 5] = b;
    if (this.n * 2 > this.mask + 1) this.grow();
    return id;
  }

  /** Twice the slots; ids stay as they are. */
  private grow(): void {
    const old = this.slots;
    const mask = this.mask * 2 + 1;
    const slots = new Int32Array((mask + 1) * 8);
    for (let r = 0; r < old.length; r += 8) {
      if (old[r] === 0) continue;
      const h = slotHash(
        old[r + 1] as number,
        old[r + 2] as number,
        old[r + 5] as number,
        old[r + 3] as number,
        old[r + 4] as number,
      );
      let slot = h & mask;
      while (slots[slot << 3] !== 0) slot = (slot + 1) & mask;
      slots.set(old.subarray(r, r + 8), slot << 3);
    }
    this.slots = slots;
    this.mask = mask;
  }

  /** Hands the counts of some ids over to a sketch: counts[id] of each of ids[0, n), in that order. */
  seedInto(sketch: HeavyHitters, ids: Int32Array, n: number, counts: Float64Array): void {
    const view = this.arenaView;
    for (let i = 0; i < n; i++) {
      const id = ids[i] as number;
      const s = this.starts[id] as number;
      // The key's full length: a key over MAX_KEY_BYTES has only its head in the arena, and only
      // that is read.
      sketch.seed(this.arena, view, s, s + (this.lens[id] as number), counts[id] as number);
    }
  }

  /** What an exact sketch holding counts[id] of ids[0, n) exports (see HeavyHitters.state()). */
  state(ids: Int32Array, n: number, counts: Float64Array, capacity: number): HeavyState {
    const keys = new KeyLines(this.arenaLen, n);
    const held = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const id = ids[i] as number;
      keys.push(this.arena, this.starts[id] as number, this.lens[id] as number);
      held[i] = counts[id] as number;
    }
    return {
      capacity,
      absentMax: 0,
      keys: keys.text(),
      counts: held,
      overcounts: new Float64Array(n),
    };
  }
}

/** An empty state (what a sketch that saw nothing exports). */
export function emptyHeavy(capacity: number): HeavyState {
  return { capacity, absentMax: 0, keys: "", counts: new Float64Array(0), overcounts: new Float64Array(0) };
}

/** Upper and lower bounds per key, gathered from several states; keys in order of first appearance. */
class Bounds {
  readonly index = new Map<string, number>();
  readonly keys: string[] = [];
  upper = new Float64Array(64);
  lower = new Float64Array(64);
  /** The tag of the last add() that met each key. */
  private seen = new Int32Array(64);

  /**
   * Adds a state's bounds (a key twice in one state, two byte strings that decode alike, adds up);
   * onFirst(i) once per key of this state, `tag` (≥ 1) telling states apart.
   */
  add(st: HeavyState, tag: number, onFirst?: (i: number) => void): void {
    const stKeys = heavyKeys(st);
    for (let j = 0; j < stKeys.length; j++) {
      const k = stKeys[j] as string;
      let i = this.index.get(k);
      if (i === undefined) {
        i = this.keys.length;
        this.index.set(k, i);
        this.keys.push(k);
        if (i >= this.upper.length) {
          const grow = (x: Float64Array) => {
            const y = new Float64Array(x.length * 2);
            y.set(x);
            return y;
          };
          this.upper = grow(this.upper);
          this.lower = grow(this.lower);
          const seen = new Int32Array(this.seen.length * 2);
          seen.set(this.seen);
          this.seen = seen;
        }
      }
      const u = st.counts[j] as number;
      this.upper[i] = (this.upper[i] as number) + u;
      this.lower[i] = (this.lower[i] as number) + u - (st.overcounts[j] as number);
      if (this.seen[i] !== tag) {
        this.seen[i] = tag;
        onFirst?.(i);
      }
    }
  }

  /** The state of the keys whose upper bound is above `drop`. */
  state(capacity: number, absentMax: number, drop: number): HeavyState {
    const keys: string[] = [];
    const n = this.keys.length;
    const counts = new Float64Array(n);
    const overcounts = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const u = this.upper[i] as number;
      if (u <= drop) continue;
      counts[keys.length] = u;
      overcounts[keys.length] = u - (this.lower[i] as number);
      keys.push(this.keys[i] as string);
    }
    return {
      capacity,
      absentMax,
      keys: keys.join("\n"),
      counts: counts.slice(0, keys.length),
      overcounts: overcounts.slice(0, keys.length),
    };
  }
}

/**
 * Two sketches as one: a key's bounds add up, a key one side lacks counting that side's absentMax
 * (upper) and 0 (lower); past `capacity` held, the same purge as HeavyHitters.
 */
export function mergeHeavy(x: HeavyState, y: HeavyState): HeavyState {
  // Exact states may hold their union up to the larger capacity; once keys were dropped, the bound
  // holds for the smaller capacity of the states that dropped some.
  const capacity =
    x.absentMax === 0 && y.absentMax === 0
      ? Math.max(x.capacity, y.capacity)
      : Math.min(
          x.absentMax > 0 ? x.capacity : Number.POSITIVE_INFINITY,
          y.absentMax > 0 ? y.capacity : Number.POSITIVE_INFINITY,
        );
  const b = new Bounds();
  b.add(x, 1);
  const inX = b.keys.length;
  const inY = new Uint8Array(inX + y.counts.length);
  b.add(y, 2, (i) => {
    inY[i] = 1;
  });
  // Keys of x only may have come up to y.absentMax times in y, and keys of y only as often in x.
  for (let i = 0; i < b.keys.length; i++) {
    if (i < inX && inY[i] === 0) b.upper[i] = (b.upper[i] as number) + y.absentMax;
    if (i >= inX) b.upper[i] = (b.upper[i] as number) + x.absentMax;
  }
  let absentMax = x.absentMax + y.absentMax;
  let drop = -1;
  const n = b.keys.length;
  if (n > capacity) {
    drop = kthLargest(b.upper.slice(0, n), n, Math.max(1, capacity >> 1));
    absentMax = drop;
  }
  return b.state(capacity, absentMax, drop);
}

/**
 * The union of disjoint streams' sketches (one per reason phrase): every key held anywhere, bounded,
 * and the bound of any key held nowhere. A key one sketch lacks counts that sketch's absentMax
 * (upper) and 0 (lower) for it. Nothing is dropped; `exact` when no sketch was.
 */
export function unionHeavy(states: readonly HeavyState[]): HeavyState & { exact: boolean } {
  let absentMax = 0;
  for (const st of states) absentMax += st.absentMax;
  const b = new Bounds();
  // Each key starts from every sketch's absentMax; a sketch holding it swaps its own for its count.
  states.forEach((st, tag) => {
    const before = b.keys.length;
    b.add(st, tag + 1, (i) => {
      b.upper[i] = (b.upper[i] as number) - st.absentMax;
    });
    for (let i = before; i < b.keys.length; i++) b.upper[i] = (b.upper[i] as number) + absentMax;
  });
  return { ...b.state(Number.POSITIVE_INFINITY, absentMax, -1), exact: absentMax === 0 };
}

/** Distinct keys: `held` exactly when nothing was dropped, else the HyperLogLog estimate (never below held). */
export function distinctOf(
  held: number,
  exact: boolean,
  hll: Uint8Array,
): { estimate: number; relativeError: number } {
  if (exact) return { estimate: held, relativeError: 0 };
  return { estimate: Math.max(held, Math.round(hllEstimate(hll))), relativeError: HLL_RELATIVE_ERROR };
}
