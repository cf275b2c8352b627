// Pool facts: the non-paged and paged pool limits (measured, or derived from the OS, architecture,
// RAM and boot switches), what is in use and free, the pressure against RAM on x64, the largest tags
// (kernel objects told apart from drivers), growth per tag over any number of snapshots, and the
// trend of the pool totals.
import { z } from "zod";
import type { PoolmonSnapshot, PoolRow } from "../../parsers/evidence.js";
import { FILTER_CATEGORIES, OBJECT_CATEGORY, type PoolKind, type PoolLimitRule } from "../data-schema.js";
import type { KnowledgeBase } from "../load.js";
import { parseTimes } from "../time.js";
import { BootFacts, OsFacts } from "./boot.js";
import { ofKind, type Timed } from "./inputs.js";
import { MachineFacts } from "./machine.js";
import { GrowthFact, type TagSnapshot, tagGrowth, timesKnown } from "./pool-growth.js";
import { deriveLimit, type LimitQuery } from "./pool-limits.js";
import { describeTag, round1, TagFact, withFindstrDriver } from "./pool-tags.js";
import { type PoolReading, poolTrend, TrendFact } from "./pool-trend.js";
import { defineSubject } from "./subject.js";

const KB_PER_MB = 1024;
const TOP_TAGS = 5;
const TOP_GROWTH = 8;
const num = z.number().nullable();
const share = (part: number | null, whole: number | null): number | null =>
  part !== null && whole !== null && whole > 0 ? Math.round((part / whole) * 1000) / 1000 : null;

const LimitSource = z.enum(["measured", "derived"]).nullable();

export const PoolFacts = z.object({
  /** The http.sys threshold: it refuses new connections when free non-paged pool is under it. */
  thresholdMb: z.number(),
  // ---- non-paged pool
  /** The non-paged limit: measured, or derived where the published figure is the limit itself. */
  limitMb: num,
  /** `measured` (from !vm / Task Manager) or `derived` (from OS, arch, RAM and boot switches). */
  limitSource: LimitSource,
  /** Id of the kb/data/pool-limits.yaml row that gave a derived limit (or ceiling), and its reference. */
  limitRule: z.string().nullable(),
  limitRuleText: z.string().nullable(),
  limitReference: z.string().nullable(),
  /**
   * When only a ceiling is published (x86 2003 under 1.2 GB of RAM, x86 with increaseuserva): that
   * ceiling; the real limit is lower and `limitMb` stays null until something measures it.
   */
  limitUpperMb: num,
  /** The derived limit the same OS, architecture and RAM have without /3GB or /USERVA. */
  defaultLimitMb: num,
  usedMb: num,
  usedSource: z.string().nullable(),
  freeMb: num,
  /** free − threshold: negative when http.sys is already refusing. */
  headroomMb: num,
  /** Used as a share of the limit, 0..1. */
  usedShare: num,
  /** Used as a share of the published ceiling, when only that is known (x86 with increaseuserva, small-RAM 2003). */
  usedShareOfUpper: num,
  // ---- the machine's memory, for x64 where the pools are bounded by RAM rather than address space
  ramMb: num,
  /** Available physical memory in MB (poolmon's `Avail:`), the latest reading. */
  availableMb: num,
  /** Non-paged pool in use as a share of RAM: non-paged pool is always resident. */
  usedShareOfRam: num,
  /** Available memory as a share of RAM. */
  availableShareOfRam: num,
  /** The system commit limit in MB (poolmon's `Limit:`), which x64 paged pool counts against. */
  commitLimitMb: num,
  // ---- paged pool
  pagedUsedMb: num,
  pagedUsedSource: z.string().nullable(),
  /** The paged limit: measured (`!vm` PagedPool Maximum), or derived where the figure is exact. */
  pagedLimitMb: num,
  pagedLimitSource: LimitSource,
  pagedLimitRule: z.string().nullable(),
  pagedLimitRuleText: z.string().nullable(),
  pagedLimitReference: z.string().nullable(),
  /** The published ceiling when the real paged limit is not known (x86 2003: 530 MB; x64: the commit limit). */
  pagedLimitUpperMb: num,
  pagedFreeMb: num,
  /** Paged pool in use as a share of its limit, 0..1. */
  pagedUsedShare: num,
  /** Paged pool in use as a share of the published ceiling, when only that is known. */
  pagedUsedShareOfUpper: num,
  pagedUsedShareOfRam: num,
  // ---- tags
  topNonpaged: z.array(TagFact),
  topPaged: z.array(TagFact),
  /** Tags of antivirus, endpoint and backup filter drivers (either pool), largest first. */
  filterTags: z.array(TagFact),
  largestFilterTag: TagFact.nullable(),
  /**
   * Kernel-object tags (`Even`, `Toke`, `Proc`, `Thre`, `File`…) of either pool, largest share of its
   * pool first: they live as long as a process holds a handle to them.
   */
  objectTags: z.array(TagFact),
  topObjectTag: TagFact.nullable(),
  // ---- growth between snapshots
  /** Tags that grew across the snapshots, fastest first (by MB/h with times, by MB without). */
  growth: z.array(GrowthFact),
  /** The growing kernel-object tags (a handle leak in a process), fastest first. */
  objectGrowth: z.array(GrowthFact),
  /** The growing tags of drivers and the kernel (everything but object tags), fastest first. */
  driverGrowth: z.array(GrowthFact),
  /** Whether every snapshot had a time (null with fewer than two snapshots). */
  growthTimed: z.boolean().nullable(),
  /** Minutes from the first timed snapshot to the last; null when a time is missing. */
  snapshotMinutes: num,
  /** Hours until free non-paged pool reaches the threshold at the current growth rate of the pool. */
  hoursToThreshold: num,
  /** The same in whole minutes (for `|duration`). */
  minutesToThreshold: z.number().int().nullable(),
  snapshots: z.number().int(),
  /**
   * Pool in use at each poolmon snapshot whose time is known, in input order, for charts. `t` is
   * ISO; `clock` says whether it is the server's printed clock (`server`, zone unknown) or UTC.
   */
  samples: z.array(
    z.object({
      t: z.string(),
      clock: z.enum(["utc", "server"]),
      nonpagedMb: z.number(),
      pagedMb: num,
    }),
  ),
  /** The pool totals over time: a least-squares trend of each pool, from the longest series read. */
  trend: z.object({
    nonpaged: TrendFact.nullable(),
    paged: TrendFact.nullable(),
    /** `poolmon` (snapshot totals) or `counters` (perfmon/typeperf series); null without a series. */
    source: z.enum(["poolmon", "counters"]).nullable(),
  }),
});
export type PoolFacts = z.infer<typeof PoolFacts>;

/** Non-paged pool in use, in KB: poolmon's header, else the sum of its Nonp rows. */
export function nonpagedKbOf(s: PoolmonSnapshot): number {
  if (s.header.nonpagedKb !== null) return s.header.nonpagedKb;
  return s.rows.filter((r) => r.type === "Nonp").reduce((sum, r) => sum + r.bytes, 0) / KB_PER_MB;
}

/** Paged pool in use, in KB: poolmon's header, else the sum of its Paged rows (null without either). */
function pagedKbOf(s: PoolmonSnapshot): number | null {
  if (s.header.pagedKb !== null) return s.header.pagedKb;
  const rows = s.rows.filter((r) => r.type === "Paged");
  return rows.length === 0 ? null : rows.reduce((sum, r) => sum + r.bytes, 0) / KB_PER_MB;
}

interface SnapshotTime {
  /** The time printed with the snapshot (server clock), else the capture time; epoch ms. */
  t: number | null;
  clock: "server" | "utc";
}

/** When each snapshot was taken: the printed times read together as one series, else capture times. */
function snapshotTimes(snapshots: ReadonlyArray<Timed<PoolmonSnapshot>>): SnapshotTime[] {
  const printed = parseTimes(snapshots.map((s) => s.payload.time));
  return snapshots.map((s, i) => {
    const p = printed[i] ?? null;
    return p !== null ? { t: p, clock: "server" } : { t: s.at ?? null, clock: "utc" };
  });
}

interface LimitPair {
  /** The exact (or measured) limit. */
  limitMb: number | null;
  /** The published ceiling, when only that is known. */
  upperMb: number | null;
  source: "measured" | "derived" | null;
  rule: PoolLimitRule | null;
}

/** A measured limit (!vm, Task Manager) wins; else the first pool-limit row that fits. */
function limitFrom(kb: KnowledgeBase, measuredMb: number | null, query: LimitQuery | null): LimitPair {
  if (measuredMb !== null) return { limitMb: measuredMb, upperMb: null, source: "measured", rule: null };
  const found = query ? deriveLimit(kb, query) : null;
  if (!found) return { limitMb: null, upperMb: null, source: null, rule: null };
  return {
    limitMb: found.exact ? found.limitMb : null,
    upperMb: found.exact ? null : found.limitMb,
    source: "derived",
    rule: found.rule,
  };
}

const ruleText = (l: LimitPair) => l.rule?.description ?? (l.source === "measured" ? "measured" : null);

/** The largest tags of one pool type in a snapshot, as facts. */
function topTags(
  kb: KnowledgeBase,
  rows: ReadonlyArray<PoolRow>,
  type: "Nonp" | "Paged",
  poolMb: number | null,
) {
  return rows
    .filter((r) => r.type === type)
    .sort((a, b) => b.bytes - a.bytes)
    .map((r) => describeTag(kb, r, poolMb));
}

export interface PoolInputs {
  /** Pool-tag tables in input order (poolmon today; every pool-tag source once merged). */
  snapshots: ReadonlyArray<Timed<PoolmonSnapshot>>;
  /** A counter series of the pool totals (perfmon, typeperf, relog), when one was read. */
  counterSeries: ReadonlyArray<PoolReading> | null;
  /** `findstr /m /l TAG *.sys` results: tag → driver files, when pasted. */
  tagDrivers: Readonly<Record<string, ReadonlyArray<string>>> | null;
}

/** Every pool fact from the inputs and the facts derived before them. Pure. */
export function derivePool(
  kb: KnowledgeBase,
  { snapshots, counterSeries, tagDrivers }: PoolInputs,
  {
    machine,
    os,
    boot,
  }: { machine: MachineFacts; os: z.infer<typeof OsFacts>; boot: z.infer<typeof BootFacts> },
): PoolFacts {
  const thresholdMb = kb.poolLimits.httpSysThreshold.mb;
  const { measured, ramMb } = machine;
  const lastSnapshot = snapshots.at(-1)?.payload ?? null;
  const header = lastSnapshot?.header ?? null;
  const mbOf = (kb: number | null | undefined) => (kb == null ? null : round1(kb / KB_PER_MB));
  const commitLimitMb = mbOf(header?.limitKb);

  const generation = os.generation ?? (lastSnapshot?.tool === "legacy" ? "nt5" : null);
  const query = (pool: PoolKind, plain = false): LimitQuery | null =>
    generation !== null && os.arch !== null
      ? {
          pool,
          generation,
          family: os.family,
          arch: os.arch,
          threeGb: plain ? false : (boot.threeGb ?? false),
          userVa: plain ? false : boot.userVaMb !== null,
          userVaMb: plain ? null : boot.userVaMb,
          pae: boot.pae,
          ramMb,
          commitLimitMb,
        }
      : null;
  const nonpagedLimit = limitFrom(kb, measured.nonpagedLimitMb, query("nonpaged"));
  const plainLimit = measured.nonpagedLimitMb === null ? limitFrom(kb, null, query("nonpaged", true)) : null;
  const pagedLimit = limitFrom(kb, measured.pagedLimitMb, query("paged"));
  const limitMb = nonpagedLimit.limitMb;

  // Used: measured counters first, then poolmon's own header, then the sum of its rows.
  let usedMb: number | null = null;
  let usedSource: string | null = null;
  if (measured.nonpagedUsedMb !== null) {
    usedMb = measured.nonpagedUsedMb;
    usedSource = measured.source;
  } else if (lastSnapshot) {
    usedMb = round1(nonpagedKbOf(lastSnapshot) / KB_PER_MB);
    usedSource = header?.nonpagedKb !== null ? "poolmon header (Pool N:)" : "sum of poolmon Nonp rows";
  }
  let pagedUsedMb: number | null = null;
  let pagedUsedSource: string | null = null;
  const snapshotPagedKb = lastSnapshot ? pagedKbOf(lastSnapshot) : null;
  if (measured.pagedUsedMb !== null) {
    pagedUsedMb = measured.pagedUsedMb;
    pagedUsedSource = measured.source;
  } else if (snapshotPagedKb !== null) {
    pagedUsedMb = round1(snapshotPagedKb / KB_PER_MB);
    pagedUsedSource = header?.pagedKb !== null ? "poolmon header (P:)" : "sum of poolmon Paged rows";
  }
  const freeMb = limitMb !== null && usedMb !== null ? round1(limitMb - usedMb) : null;
  const pagedFreeMb =
    pagedLimit.limitMb !== null && pagedUsedMb !== null ? round1(pagedLimit.limitMb - pagedUsedMb) : null;
  const availableMb = mbOf(header?.availKb);

  // Tags of the last snapshot; findstr output names the drivers of tags nothing else knows.
  const rows = lastSnapshot?.rows ?? [];
  const named = (t: TagFact) => withFindstrDriver(kb, t, tagDrivers);
  const nonpaged = topTags(kb, rows, "Nonp", usedMb).map(named);
  const paged = topTags(kb, rows, "Paged", pagedUsedMb).map(named);
  const filterTags = [...nonpaged, ...paged]
    .filter((t) => t.category !== null && FILTER_CATEGORIES.has(t.category))
    .sort((a, b) => b.mb - a.mb)
    .slice(0, TOP_TAGS);
  const objectTags = [...nonpaged, ...paged]
    .filter((t) => t.category === OBJECT_CATEGORY)
    .sort((a, b) => (b.share ?? 0) - (a.share ?? 0) || b.mb - a.mb)
    .slice(0, TOP_TAGS);

  // Growth per tag, and the trend of the totals, over every snapshot.
  const times = snapshotTimes(snapshots);
  const tagSnapshots: TagSnapshot[] = snapshots.map((s, i) => ({
    t: times[i]?.t ?? null,
    rows: s.payload.rows,
  }));
  const grown = tagGrowth(kb, tagSnapshots, named);
  const timed = snapshots.length >= 2 ? timesKnown(tagSnapshots) : null;
  const firstT = tagSnapshots[0]?.t ?? null;
  const lastT = tagSnapshots.at(-1)?.t ?? null;
  const snapshotReadings: PoolReading[] = snapshots.flatMap((s, i) => {
    const t = times[i]?.t ?? null;
    if (t === null) return [];
    const pagedKb = pagedKbOf(s.payload);
    return [
      {
        t,
        nonpagedMb: nonpagedKbOf(s.payload) / KB_PER_MB,
        pagedMb: pagedKb === null ? null : pagedKb / KB_PER_MB,
      },
    ];
  });
  // The longer series tells the trend better: a counter log has dozens of samples, snapshots a few.
  const useCounters =
    counterSeries !== null && counterSeries.length >= snapshotReadings.length && counterSeries.length >= 2;
  const readings = useCounters ? (counterSeries ?? []) : snapshotReadings;
  const trend = poolTrend(readings, {
    nonpaged: {
      thresholdLevelMb: limitMb === null ? null : limitMb - thresholdMb,
      defaultThresholdLevelMb:
        plainLimit?.limitMb != null && plainLimit.limitMb !== limitMb
          ? plainLimit.limitMb - thresholdMb
          : null,
      limitMb,
    },
    paged: { limitMb: pagedLimit.limitMb ?? pagedLimit.upperMb },
  });
  const trendSource = trend.nonpaged || trend.paged ? (useCounters ? "counters" : "poolmon") : null;

  return {
    thresholdMb,
    limitMb,
    limitSource: nonpagedLimit.source,
    limitRule: nonpagedLimit.rule?.id ?? null,
    limitRuleText: ruleText(nonpagedLimit),
    limitReference: nonpagedLimit.rule?.reference.url ?? null,
    limitUpperMb: nonpagedLimit.upperMb,
    defaultLimitMb: plainLimit?.limitMb ?? null,
    usedMb,
    usedSource,
    freeMb,
    headroomMb: freeMb === null ? null : round1(freeMb - thresholdMb),
    usedShare:
      limitMb !== null && usedMb !== null && limitMb > 0 ? round1((usedMb / limitMb) * 100) / 100 : null,
    usedShareOfUpper: share(usedMb, nonpagedLimit.upperMb),
    ramMb,
    availableMb,
    usedShareOfRam: share(usedMb, ramMb),
    availableShareOfRam: share(availableMb, ramMb),
    commitLimitMb,
    pagedUsedMb,
    pagedUsedSource,
    pagedLimitMb: pagedLimit.limitMb,
    pagedLimitSource: pagedLimit.source,
    pagedLimitRule: pagedLimit.rule?.id ?? null,
    pagedLimitRuleText: ruleText(pagedLimit),
    pagedLimitReference: pagedLimit.rule?.reference.url ?? null,
    pagedLimitUpperMb: pagedLimit.upperMb,
    pagedFreeMb,
    pagedUsedShare: share(pagedUsedMb, pagedLimit.limitMb),
    pagedUsedShareOfUpper: share(pagedUsedMb, pagedLimit.upperMb),
    pagedUsedShareOfRam: share(pagedUsedMb, ramMb),
    topNonpaged: nonpaged.slice(0, TOP_TAGS),
    topPaged: paged.slice(0, TOP_TAGS),
    filterTags,
    largestFilterTag: filterTags[0] ?? null,
    objectTags,
    topObjectTag: objectTags[0] ?? null,
    growth: grown.slice(0, TOP_GROWTH),
    objectGrowth: grown.filter((g) => g.category === OBJECT_CATEGORY).slice(0, TOP_TAGS),
    driverGrowth: grown.filter((g) => g.category !== OBJECT_CATEGORY).slice(0, TOP_TAGS),
    growthTimed: timed,
    snapshotMinutes: timed && firstT !== null && lastT !== null ? round1((lastT - firstT) / 60_000) : null,
    hoursToThreshold: trend.nonpaged?.hoursToThreshold ?? null,
    minutesToThreshold: trend.nonpaged?.minutesToThreshold ?? null,
    snapshots: snapshots.length,
    samples: snapshots.flatMap((s, i) => {
      const time = times[i];
      if (!time || time.t === null) return [];
      const pagedKb = pagedKbOf(s.payload);
      return [
        {
          t: new Date(time.t).toISOString(),
          clock: time.clock,
          nonpagedMb: round1(nonpagedKbOf(s.payload) / KB_PER_MB),
          pagedMb: pagedKb === null ? null : round1(pagedKb / KB_PER_MB),
        },
      ];
    }),
    trend: { ...trend, source: trendSource },
  };
}

export const poolSubject = defineSubject({
  doc: "Non-paged and paged pool: limits and how they were found, use and pressure, top tags (objects apart), growth, trend.",
  schema: z.object({ pool: PoolFacts }),
  needs: z.object({ machine: MachineFacts, os: OsFacts, boot: BootFacts }),
  derive({ kb, inputs }, earlier) {
    // The one place pool facts read inputs. Wiring left for the merge: every pool-tag table
    // (`poolSnapshots(inputs)`), `counters.series` and `tagDrivers.byTag` (see derivePool).
    return {
      pool: derivePool(
        kb,
        { snapshots: ofKind(inputs, "poolmon"), counterSeries: null, tagDrivers: null },
        earlier,
      ),
    };
  },
});
