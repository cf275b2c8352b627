// Growth between two poolmon snapshots of one server: MB per hour for each tag that grew, and for
// the non-paged pool as a whole. The time between them comes from what was pasted above each table,
// else from when each input was captured.
import { z } from "zod";
import type { KnowledgeBase } from "../load.js";
import { parseLooseTime } from "../time.js";
import type { PoolSnapshot, Timed } from "./inputs.js";
import { BYTES_PER_MB, describeTag, PoolTypeFact, round1 } from "./pool-tags.js";

const TOP_GROWTH = 5;

export const GrowthFact = z.object({
  tag: z.string(),
  type: PoolTypeFact,
  fromMb: z.number(),
  toMb: z.number(),
  minutes: z.number(),
  mbPerHour: z.number(),
  vendor: z.string().nullable(),
  driver: z.string().nullable(),
});
export type GrowthFact = z.infer<typeof GrowthFact>;

/** Non-paged pool in use, in KB: poolmon's header, else the sum of its Nonp rows. */
export function nonpagedKbOf(s: PoolSnapshot): number {
  if (s.header.nonpagedKb !== null) return s.header.nonpagedKb;
  return s.rows.filter((r) => r.type === "Nonp").reduce((sum, r) => sum + r.bytes, 0) / 1024;
}

function snapshotTime({ payload, at }: Timed<PoolSnapshot>): number | null {
  return (payload.time === null ? null : parseLooseTime(payload.time)) ?? at ?? null;
}

function tagGrowth(kb: KnowledgeBase, first: PoolSnapshot, last: PoolSnapshot, minutes: number) {
  const before = new Map(first.rows.map((r) => [`${r.type}|${r.tag}`, r]));
  const out: GrowthFact[] = [];
  for (const row of last.rows) {
    const prev = before.get(`${row.type}|${row.tag}`);
    if (!prev || row.bytes <= prev.bytes) continue;
    const fromMb = prev.bytes / BYTES_PER_MB;
    const toMb = row.bytes / BYTES_PER_MB;
    const info = describeTag(kb, row, null);
    out.push({
      tag: row.tag,
      type: row.type,
      fromMb: round1(fromMb),
      toMb: round1(toMb),
      minutes: round1(minutes),
      mbPerHour: round1(((toMb - fromMb) * 60) / minutes),
      vendor: info.vendor,
      driver: info.driver,
    });
  }
  return out.sort((a, b) => b.mbPerHour - a.mbPerHour).slice(0, TOP_GROWTH);
}

export interface Growth {
  /** The tags that grew most, fastest first. */
  tags: GrowthFact[];
  /** Non-paged pool in use, MB per hour (negative when it shrank). */
  nonpagedMbPerHour: number;
}

/** Growth from the first snapshot to the last, or null without two snapshots at known times. */
export function growthOf(kb: KnowledgeBase, snapshots: Array<Timed<PoolSnapshot>>): Growth | null {
  const first = snapshots[0];
  const last = snapshots.at(-1);
  if (!first || !last || first === last) return null;
  const t0 = snapshotTime(first);
  const t1 = snapshotTime(last);
  if (t0 === null || t1 === null || t1 <= t0) return null;
  const minutes = (t1 - t0) / 60_000;
  const nonpagedMb = (nonpagedKbOf(last.payload) - nonpagedKbOf(first.payload)) / 1024;
  return {
    tags: tagGrowth(kb, first.payload, last.payload, minutes),
    nonpagedMbPerHour: nonpagedMb * (60 / minutes),
  };
}
