// The summary counts a log's URIs by id (one table for every reason) while they are at most
// REASON_URI_KEYS, and hands the counts over to the reasons' sketches when one more comes. Its
// partial must be what the reasons' sketches alone would have made: the same keys with the same
// bounds per reason, the same HyperLogLog registers. The reference here is just those sketches.
import { describe, expect, it } from "vitest";
import { rng } from "../../../../bench/generate.js";
import type { HttperrRecord } from "../../../../parsers/evidence.js";
import {
  HeavyHitters,
  type HeavyState,
  heavyKeys,
  MAX_KEY_BYTES,
  newHll,
} from "../../../../parsers/kinds/httperr/sketch.js";
import {
  REASON_URI_KEYS,
  REASON_URI_SKETCH_KEYS,
  reasonKey,
  SummaryAccumulator,
} from "../../../../parsers/kinds/httperr/summary.js";

// null: a line whose reason is `-` (its URIs are counted under "-").
const REASONS = ["Timer_ConnectionIdle", "BadRequest", "3_Connections_Refused", "URL", null];

/** Records over `distinct` URIs (short, long, and longer than MAX_KEY_BYTES), a few of them hot. */
function records(n: number, distinct: number, seed: number): HttperrRecord[] {
  const r = rng(seed);
  const uri = (k: number) =>
    k % 97 === 0
      ? `/huge/${k}/${"x".repeat(MAX_KEY_BYTES)}${k % 2}`
      : k % 3 === 0
        ? `/api/orders?id=${k}`
        : `/p${k}`;
  return Array.from({ length: n }, () => {
    const hot = r() < 0.3;
    const k = hot ? Math.floor(r() * 20) : Math.floor(r() * distinct);
    return {
      "s-reason": REASONS[Math.floor(r() * REASONS.length)] ?? null,
      // A few lines without a URI, as `-` reads.
      "cs-uri": k % 50 === 7 ? null : uri(k),
    };
  });
}

/** Per folded reason, [key, count, overcount] sorted by key, and absentMax and capacity. */
function shape(st: HeavyState) {
  const keys = heavyKeys(st);
  return {
    capacity: st.capacity,
    absentMax: st.absentMax,
    entries: keys
      .map((k, i) => [k, st.counts[i] as number, st.overcounts[i] as number] as const)
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
  };
}

/** What the reasons' own sketches make of the records (the summary before URI ids). */
function reference(recs: HttperrRecord[]) {
  const hll = newHll();
  const sketches = new Map<string, HeavyHitters>();
  for (const rec of recs) {
    const reason = rec["s-reason"] === null ? "-" : reasonKey(String(rec["s-reason"]));
    let h = sketches.get(reason);
    if (!h) {
      h = new HeavyHitters(REASON_URI_SKETCH_KEYS, hll, REASON_URI_KEYS);
      sketches.set(reason, h);
    }
    const uri = rec["cs-uri"];
    if (typeof uri === "string") h.addKey(uri);
  }
  return { hll, byReason: new Map([...sketches].map(([k, h]) => [k, shape(h.state())])) };
}

function summarised(recs: HttperrRecord[]) {
  const acc = new SummaryAccumulator();
  for (const rec of recs) acc.addRecord(rec);
  const p = acc.partial();
  return { hll: p.urisHll, byReason: new Map(p.byReason.map(([k, r]) => [k, shape(r.uris)])) };
}

describe("URIs counted by id, then by the reasons' sketches", () => {
  it.each([
    ["fewer URIs than REASON_URI_KEYS: exact, by id to the end", 30_000, REASON_URI_KEYS - 100],
    ["more: handed over to the sketches midway", 60_000, REASON_URI_KEYS * 3],
    ["far more: handed over early, the sketches drop keys", 120_000, 100_000],
  ])("%s", (_name, n, distinct) => {
    const recs = records(n, distinct, n + distinct);
    const got = summarised(recs);
    const want = reference(recs);
    expect(got.byReason).toEqual(want.byReason);
    expect(Buffer.from(got.hll).equals(Buffer.from(want.hll))).toBe(true);
    // Past REASON_URI_KEYS URIs the counts went over to the sketches, which went on to drop keys.
    const dropped = [...got.byReason.values()].some((r) => r.absentMax > 0);
    expect(dropped).toBe(distinct > REASON_URI_KEYS);
  });
});
