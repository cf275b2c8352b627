// Growth of each pool tag across any number of snapshots of one server (poolmon tables, pool-tag
// CSV groups, `!poolused` outputs). With a time for every snapshot: the rate per tag from a
// least-squares fit over all of them, and how steady it is (r²). Without: the absolute growth from the
// first snapshot that has the tag to the last, and the diagnosis asks for the interval.
import { z } from "zod";
import type { PoolRow } from "../../parsers/evidence.js";
import type { KnowledgeBase } from "../load.js";
import { BYTES_PER_MB, describeTag, PoolTypeFact, round1, type TagFact } from "./pool-tags.js";
import { leastSquares } from "./pool-trend.js";

export const GrowthFact = z.object({
  tag: z.string(),
  type: PoolTypeFact,
  /** Snapshots that hold the tag. */
  samples: z.number().int(),
  fromMb: z.number(),
  toMb: z.number(),
  deltaMb: z.number(),
  /** deltaMb as a share of fromMb (0.15 = grew 15%), null from zero. */
  growthShare: z.number().nullable(),
  /** Outstanding allocations (poolmon's Diff) gained, null when a source has no Diff. */
  diffDelta: z.number().int().nullable(),
  /** Minutes from the first snapshot with the tag to the last; null when a snapshot has no time. */
  minutes: z.number().nullable(),
  /** Least-squares MB per hour over every timed snapshot; null without times. */
  mbPerHour: z.number().nullable(),
  /** mbPerHour as a share of fromMb (0.17 = 17% an hour). */
  sharePerHour: z.number().nullable(),
  /** r² of the fit with three snapshots or more (1 = a straight line), else null. */
  r2: z.number().nullable(),
  vendor: z.string().nullable(),
  driver: z.string().nullable(),
  /** The tag's category from the tag table (`object` for kernel objects: a handle leak). */
  category: z.string().nullable(),
  known: z.enum(["table", "mapped-driver", "findstr", "unknown"]),
});
export type GrowthFact = z.infer<typeof GrowthFact>;

/** One snapshot as growth reads it: when (epoch ms, null if unknown) and its rows. */
export interface TagSnapshot {
  t: number | null;
  rows: ReadonlyArray<PoolRow>;
}

/** Whether every snapshot has a time and the times move forward. */
export function timesKnown(snapshots: ReadonlyArray<TagSnapshot>): boolean {
  return snapshots.every((s, i) => {
    if (s.t === null) return false;
    const prev = snapshots[i - 1];
    return prev === undefined || (prev.t !== null && s.t > prev.t);
  });
}

interface Point {
  t: number | null;
  row: PoolRow;
}

/** Growth per tag (every tag that grew), fastest first: by MB/h with times, by MB without. */
export function tagGrowth(
  kb: KnowledgeBase,
  snapshots: ReadonlyArray<TagSnapshot>,
  name: (tag: TagFact) => TagFact = (tag) => tag,
): GrowthFact[] {
  if (snapshots.length < 2) return [];
  const timed = timesKnown(snapshots);
  const series = new Map<string, Point[]>();
  for (const s of snapshots) {
    for (const row of s.rows) {
      const key = `${row.type}|${row.tag}`;
      const list = series.get(key) ?? [];
      list.push({ t: s.t, row });
      series.set(key, list);
    }
  }
  const lastIndex = snapshots.length - 1;
  const lastRows = new Set((snapshots[lastIndex]?.rows ?? []).map((r) => `${r.type}|${r.tag}`));
  const out: GrowthFact[] = [];
  for (const [key, points] of series) {
    // A tag must still be in the last snapshot: one that dropped out of a top-N table tells nothing.
    if (points.length < 2 || !lastRows.has(key)) continue;
    const first = points[0] as Point;
    const last = points.at(-1) as Point;
    const fromMb = first.row.bytes / BYTES_PER_MB;
    const toMb = last.row.bytes / BYTES_PER_MB;
    if (toMb <= fromMb) continue;
    const fit = timed
      ? leastSquares(points.map((p) => ({ t: p.t as number, mb: p.row.bytes / BYTES_PER_MB })))
      : null;
    const minutes = timed && first.t !== null && last.t !== null ? (last.t - first.t) / 60_000 : null;
    const info = name(describeTag(kb, last.row, null));
    out.push({
      tag: last.row.tag,
      type: last.row.type,
      samples: points.length,
      fromMb: round1(fromMb),
      toMb: round1(toMb),
      deltaMb: round1(toMb - fromMb),
      growthShare: fromMb > 0 ? Math.round(((toMb - fromMb) / fromMb) * 1000) / 1000 : null,
      diffDelta: last.row.diff - first.row.diff,
      minutes: minutes === null ? null : round1(minutes),
      mbPerHour: fit ? round1(fit.slope) : null,
      sharePerHour: fit && fromMb > 0 ? Math.round((fit.slope / fromMb) * 1000) / 1000 : null,
      r2: fit && fit.r2 !== null ? Math.round(fit.r2 * 1000) / 1000 : null,
      vendor: info.vendor,
      driver: info.driver,
      category: info.category,
      known: info.known,
    });
  }
  return out.sort(
    (a, b) => (b.mbPerHour ?? 0) - (a.mbPerHour ?? 0) || b.deltaMb - a.deltaMb || a.tag.localeCompare(b.tag),
  );
}
