// The heavy-hitters sketch and the HyperLogLog hold their guarantees on generated streams, checked
// against exact counts kept in a Map: every key with more than N / (keys/2) occurrences is held, every
// held key's true count lies in [count − overcount, count], no key left out has more than absentMax,
// and that bound is at most N / (keys/2); merged sketches keep the same guarantees for the
// concatenation; distinct estimates lie within their stated relative error.
import { describe, expect, it } from "vitest";
import { rng } from "../../../../bench/generate.js";
import {
  distinctOf,
  HeavyHitters,
  type HeavyState,
  heavyKeys,
  hllEstimate,
  MAX_KEY_BYTES,
  mergeHeavy,
  mergeHllInto,
  newHll,
  unionHeavy,
} from "../../../../parsers/kinds/httperr/sketch.js";

const enc = new TextEncoder();

/** Feeds keys (no spaces in them) as the scanner does: byte ranges of one buffer. */
function feed(h: HeavyHitters, keys: readonly string[]): void {
  const buf = enc.encode(`${keys.join(" ")} `);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let s = 0;
  for (let i = 0; i < buf.length; i++) {
    if (buf[i] !== 32) continue;
    h.add(buf, view, s, i);
    s = i + 1;
  }
}

function sketchOf(keys: readonly string[], capacity: number, exactKeys?: number): HeavyState {
  const h = new HeavyHitters(capacity, null, exactKeys);
  feed(h, keys);
  return h.state();
}

/** [key, count, overcount] of a state. */
function entriesOf(st: HeavyState): [string, number, number][] {
  return heavyKeys(st).map((k, i) => [k, st.counts[i] as number, st.overcounts[i] as number]);
}

function exactCounts(keys: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
}

/** The guarantees of a sketch of `capacity` keys over a stream of n keys with these exact counts. */
function expectGuarantees(st: HeavyState, exact: Map<string, number>, n: number, capacity: number): void {
  const bound = n / (capacity / 2);
  expect(st.absentMax).toBeLessThanOrEqual(bound);
  expect(st.counts.length).toBeLessThanOrEqual(capacity);
  const held = new Map(entriesOf(st).map(([k, count, over]) => [k, { count, over }]));
  expect(held.size).toBe(st.counts.length);
  // Broken promises, collected (one expect per key would be slow on 100,000 keys).
  const broken: string[] = [];
  for (const [key, { count, over }] of held) {
    const truth = exact.get(key) ?? 0;
    if (truth > count || count - over > truth || over > bound)
      broken.push(`${key}: truth ${truth}, count ${count}, overcount ${over}`);
  }
  for (const [key, truth] of exact) {
    if (truth > bound && !held.has(key)) broken.push(`${key}: ${truth} lines (> ${bound}) but not held`);
    if (!held.has(key) && truth > st.absentMax)
      broken.push(`${key}: ${truth} lines > absentMax ${st.absentMax}`);
  }
  expect(broken).toEqual([]);
}

/** A skewed stream: `distinct` keys drawn with weight 1/rank^s (a few heavy ones, a long tail). */
function zipf(n: number, distinct: number, s: number, seed: number, key: (i: number) => string): string[] {
  const r = rng(seed);
  const cdf = new Float64Array(distinct);
  let total = 0;
  for (let i = 0; i < distinct; i++) {
    total += 1 / (i + 1) ** s;
    cdf[i] = total;
  }
  const out: string[] = [];
  for (let j = 0; j < n; j++) {
    const x = r() * total;
    let lo = 0;
    let hi = distinct - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cdf[mid] as number) < x) lo = mid + 1;
      else hi = mid;
    }
    out.push(key(lo));
  }
  return out;
}

/** Every key new, but for a few heavy ones: a public server's clients, and someone hammering it. */
function singletonsWithHeavy(n: number, seed: number, key: (i: number) => string): string[] {
  const r = rng(seed);
  const heavy = ["203.0.113.7", "198.51.100.23", "/wp-login.php?attempt=many-many-times"];
  const out: string[] = [];
  for (let j = 0; j < n; j++) {
    const x = r();
    out.push(
      x < 0.02
        ? (heavy[0] as string)
        : x < 0.03
          ? (heavy[1] as string)
          : x < 0.035
            ? (heavy[2] as string)
            : key(j),
    );
  }
  return out;
}

const ip = (i: number) => `10.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}`;
// Longer than 16 bytes: told apart by length, end words and a 64-bit hash, not by bytes.
const uri = (i: number) => `/api/orders/${i.toString(36)}/items?page=${i % 7}`;

describe("heavy-hitters sketch", () => {
  it("is exact while the stream has no more distinct keys than it holds", () => {
    const keys = zipf(50_000, 3000, 1.1, 1, ip);
    const exact = exactCounts(keys);
    expect(exact.size).toBeLessThanOrEqual(4096);
    const st = sketchOf(keys, 4096);
    expect(st.absentMax).toBe(0);
    expect(new Map(entriesOf(st).map(([k, c, o]) => [k, [c, o]]))).toEqual(
      new Map([...exact].map(([k, c]) => [k, [c, 0]])),
    );
  });

  it.each([
    {
      name: "skewed client addresses",
      keys: () => zipf(200_000, 50_000, 1.05, 2, ip),
      capacities: [64, 512, 4096],
    },
    { name: "skewed long URIs", keys: () => zipf(200_000, 80_000, 1.2, 3, uri), capacities: [64, 1024] },
    {
      name: "all new but three heavy keys",
      keys: () => singletonsWithHeavy(300_000, 4, (i) => (i % 2 === 0 ? ip(i) : uri(i))),
      capacities: [16, 256, 4096],
    },
  ])("holds its bounds past capacity: $name", ({ keys, capacities }) => {
    const stream = keys();
    const exact = exactCounts(stream);
    for (const capacity of capacities) {
      const st = sketchOf(stream, capacity);
      expect(st.absentMax, `capacity ${capacity}`).toBeGreaterThan(0);
      expectGuarantees(st, exact, stream.length, capacity);
    }
  });

  it("counts exactly up to its exact capacity, then keeps its bound in the smaller table", () => {
    const few = zipf(60_000, 3500, 1.1, 10, uri);
    const exactFew = exactCounts(few);
    const st = sketchOf(few, 1024, 4096);
    expect(st.absentMax).toBe(0);
    expect(new Map(entriesOf(st).map(([k, c, o]) => [k, [c, o]]))).toEqual(
      new Map([...exactFew].map(([k, c]) => [k, [c, 0]])),
    );
    const many = zipf(200_000, 50_000, 1.05, 11, (i) => (i % 2 ? ip(i) : uri(i)));
    const exactMany = exactCounts(many);
    const big = sketchOf(many, 1024, 4096);
    expect(big.capacity).toBe(1024);
    expectGuarantees(big, exactMany, many.length, 1024);
    // An exact state merged with a sketched one keeps the sketched one's bound.
    const both = [...few, ...many];
    expectGuarantees(mergeHeavy(st, big), exactCounts(both), both.length, 1024);
  });

  it("finds the heavy keys among a stream of new ones, with a tight count", () => {
    const stream = singletonsWithHeavy(300_000, 5, ip);
    const exact = exactCounts(stream);
    const st = sketchOf(stream, 1024);
    const top = entriesOf(st)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3);
    expect(top.map(([k]) => k)).toEqual([
      "203.0.113.7",
      "198.51.100.23",
      "/wp-login.php?attempt=many-many-times",
    ]);
    for (const [k, count, over] of top) {
      expect(count - over).toBeLessThanOrEqual(exact.get(k) as number);
      expect(over).toBeLessThan((exact.get(k) as number) / 10);
    }
  });

  it("merges: the merged sketch keeps the guarantees for the concatenation, and agrees with its sketch", () => {
    const stream = zipf(240_000, 60_000, 1.05, 6, (i) => (i % 3 === 0 ? uri(i) : ip(i)));
    const exact = exactCounts(stream);
    const capacity = 512;
    const cuts = [0, 30_000, 150_000, 240_000];
    const parts = cuts.slice(1).map((end, i) => sketchOf(stream.slice(cuts[i], end), capacity));
    const merged = parts.reduce(mergeHeavy);
    expectGuarantees(merged, exact, stream.length, capacity);
    const whole = sketchOf(stream, capacity);
    expectGuarantees(whole, exact, stream.length, capacity);
    // Both bound the same truth: where both hold a key, their ranges overlap.
    const wholeMap = new Map(entriesOf(whole).map(([k, c, o]) => [k, [c - o, c] as const]));
    let shared = 0;
    const apart: string[] = [];
    for (const [k, c, o] of entriesOf(merged)) {
      const w = wholeMap.get(k);
      if (!w) continue;
      shared++;
      if (Math.max(c - o, w[0]) > Math.min(c, w[1])) apart.push(k);
    }
    expect(apart).toEqual([]);
    expect(shared).toBeGreaterThan(capacity / 8);
  });

  it("merges exact sketches exactly while their union fits", () => {
    const stream = zipf(60_000, 2000, 1.0, 7, ip);
    const a = sketchOf(stream.slice(0, 25_000), 4096);
    const b = sketchOf(stream.slice(25_000), 4096);
    const merged = mergeHeavy(a, b);
    expect(merged.absentMax).toBe(0);
    const sorted = (st: HeavyState) => entriesOf(st).sort((x, y) => (x[0] < y[0] ? -1 : 1));
    expect(sorted(merged)).toEqual(sorted(sketchOf(stream, 4096)));
  });

  it("the union of disjoint streams' sketches bounds every key of the whole", () => {
    const stream = zipf(150_000, 40_000, 1.1, 8, ip);
    const exact = exactCounts(stream);
    // Three "reasons": each key's lines split among them at random.
    const r = rng(9);
    const split: string[][] = [[], [], []];
    for (const k of stream) (split[Math.floor(r() * 3)] as string[]).push(k);
    const u = unionHeavy(split.map((s) => sketchOf(s, 256)));
    expect(u.exact).toBe(false);
    expect(u.absentMax).toBeLessThanOrEqual(stream.length / 128);
    const held = new Map(entriesOf(u).map(([k, c, o]) => [k, [c, o] as const]));
    const broken: string[] = [];
    for (const [k, truth] of exact) {
      const h = held.get(k);
      if (!h ? truth > u.absentMax : truth > h[0] || h[0] - h[1] > truth) broken.push(k);
    }
    expect(broken).toEqual([]);
  });

  it("tells long keys apart by their middle bytes, and counts huge ones by their head", () => {
    const a = `/x/${"a".repeat(40)}/y`;
    const b = `/x/${"a".repeat(19)}b${"a".repeat(20)}/y`;
    const huge = (c: string) => `/${"h".repeat(MAX_KEY_BYTES + 10)}${c}`;
    const st = sketchOf([a, b, a, huge("1"), huge("2")], 64);
    const m = new Map(entriesOf(st).map(([k, c]) => [k, c]));
    expect(m.get(a)).toBe(2);
    expect(m.get(b)).toBe(1);
    // Same head and length: one key, shown cut with an ellipsis.
    const cut = `/${"h".repeat(MAX_KEY_BYTES - 1)}…`;
    expect(m.get(cut)).toBe(2);
  });

  it("meets the same key from bytes and from a string", () => {
    const h = new HeavyHitters(16, null);
    const bytes = enc.encode("x 10.0.0.1 /caf\u00e9/menu?day=today");
    const view = new DataView(bytes.buffer);
    h.add(bytes, view, 2, 10);
    h.addKey("10.0.0.1");
    h.add(bytes, view, 11, bytes.length);
    h.addKey("/caf\u00e9/menu?day=today");
    expect(entriesOf(h.state())).toEqual([
      ["10.0.0.1", 2, 0],
      ["/caf\u00e9/menu?day=today", 2, 0],
    ]);
  });

  it("keeps the held keys in the order they first came, through many purges", () => {
    // Four heavy keys (short and long) among 40,000 that come once: the sketch of 64 purges
    // hundreds of times, moving every kept entry down each time.
    const heavy = ["10.0.0.9", "/a/very/long/path/for/the/first/heavy/uri", "10.0.0.7", "/b"];
    const stream: string[] = [];
    for (let i = 0; i < 40_000; i++) stream.push(i % 5 === 0 ? (heavy[(i / 5) % 4] as string) : uri(i));
    const kept = heavyKeys(sketchOf(stream, 64)).filter((k) => heavy.includes(k));
    expect(kept).toEqual(heavy);
  });

  it("refuses a capacity its index cannot number", () => {
    expect(() => new HeavyHitters(1024, null, 1 << 16)).toThrow(RangeError);
    expect(() => new HeavyHitters(1 << 15, null)).not.toThrow();
  });
});

describe("HyperLogLog distinct counts", () => {
  it.each([1000, 10_000, 100_000, 400_000])("estimates %i distinct keys within its stated error", (n) => {
    for (const key of [ip, uri]) {
      const hll = newHll();
      const h = new HeavyHitters(64, hll);
      // Half the keys twice, apart: repeats must not count.
      const keys = Array.from({ length: n }, (_, i) => key(i * 7919));
      feed(h, keys);
      feed(h, keys.slice(0, n / 2));
      const d = distinctOf(h.state().counts.length, false, hll);
      expect(d.relativeError).toBeGreaterThan(0);
      expect(d.relativeError).toBeLessThanOrEqual(0.02);
      expect(Math.abs(d.estimate - n), `${n} ${key(1)}`).toBeLessThanOrEqual(d.relativeError * d.estimate);
    }
  });

  it("merges registers into the union's estimate", () => {
    const a = newHll();
    const b = newHll();
    const ha = new HeavyHitters(64, a);
    const hb = new HeavyHitters(64, b);
    feed(
      ha,
      Array.from({ length: 60_000 }, (_, i) => ip(i)),
    );
    feed(
      hb,
      Array.from({ length: 110_000 }, (_, i) => ip(40_000 + i)),
    );
    mergeHllInto(a, b);
    const d = distinctOf(0, false, a);
    expect(Math.abs(d.estimate - 150_000)).toBeLessThanOrEqual(d.relativeError * d.estimate);
  });

  it("is exact while nothing was dropped, and 0 for empty registers", () => {
    expect(distinctOf(1234, true, newHll())).toEqual({ estimate: 1234, relativeError: 0 });
    expect(hllEstimate(newHll())).toBe(0);
  });
});
