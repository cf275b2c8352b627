// Pool facts: the non-paged pool limit (measured, or derived from the OS and boot switches), what
// is in use and free against http.sys's threshold, the largest tags, and growth between snapshots.
import { z } from "zod";
import { FILTER_CATEGORIES, type PoolLimitRule } from "../data-schema.js";
import type { KnowledgeBase } from "../load.js";
import { parseLooseTime } from "../time.js";
import { BootFacts, OsFacts } from "./boot.js";
import { type PoolSnapshot, poolSnapshots, type Timed } from "./inputs.js";
import { MachineFacts } from "./machine.js";
import { GrowthFact, growthOf, nonpagedKbOf } from "./pool-growth.js";
import { deriveLimit, type LimitQuery } from "./pool-limits.js";
import { describeTag, round1, TagFact } from "./pool-tags.js";
import { defineSubject } from "./subject.js";

const KB_PER_MB = 1024;
const TOP_TAGS = 5;
const num = z.number().nullable();

export const PoolFacts = z.object({
  /** The http.sys threshold: it refuses new connections when free non-paged pool is under it. */
  thresholdMb: z.number(),
  limitMb: num,
  /** `measured` (from !vm / Task Manager) or `derived` (from OS, arch, RAM and boot switches). */
  limitSource: z.enum(["measured", "derived"]).nullable(),
  /** Id of the kb/data/pool-limits.yaml row that gave a derived limit, and its reference. */
  limitRule: z.string().nullable(),
  limitRuleText: z.string().nullable(),
  limitReference: z.string().nullable(),
  /** The derived limit the same OS, architecture and RAM have without /3GB or /USERVA. */
  defaultLimitMb: num,
  usedMb: num,
  usedSource: z.string().nullable(),
  freeMb: num,
  /** free − threshold: negative when http.sys is already refusing. */
  headroomMb: num,
  usedShare: num,
  pagedUsedMb: num,
  ramMb: num,
  topNonpaged: z.array(TagFact),
  topPaged: z.array(TagFact),
  /** Non-paged tags of antivirus, endpoint and backup filter drivers, largest first. */
  filterTags: z.array(TagFact),
  /** Tags that grew between the first and the last snapshot, fastest first. */
  growth: z.array(GrowthFact),
  /** Hours until free non-paged pool reaches the threshold at the current total growth rate. */
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
});

/** Pool in use at each timed snapshot: what the charts plot (the printed time first, as growth does). */
function poolSamples(snapshots: Timed<PoolSnapshot>[]): z.infer<typeof PoolFacts>["samples"] {
  return snapshots.flatMap(({ payload, at }) => {
    const printed = payload.time === null ? null : parseLooseTime(payload.time);
    const t = printed ?? at ?? null;
    if (t === null) return [];
    const pagedKb = payload.header.pagedKb;
    return [
      {
        t: new Date(t).toISOString(),
        clock: printed !== null ? ("server" as const) : ("utc" as const),
        nonpagedMb: round1(nonpagedKbOf(payload) / KB_PER_MB),
        pagedMb: pagedKb === null ? null : round1(pagedKb / KB_PER_MB),
      },
    ];
  });
}

interface Limit {
  limitMb: number | null;
  source: "measured" | "derived" | null;
  rule: PoolLimitRule | null;
  defaultLimitMb: number | null;
}

/** A measured limit (!vm, Task Manager) wins; else the pool-limit rules, and the same without switches. */
function limitFrom(kb: KnowledgeBase, measuredMb: number | null, query: LimitQuery | null): Limit {
  if (measuredMb !== null) {
    return { limitMb: measuredMb, source: "measured", rule: null, defaultLimitMb: null };
  }
  const found = query ? deriveLimit(kb, query) : null;
  if (!query || !found) return { limitMb: null, source: null, rule: null, defaultLimitMb: null };
  const plain = deriveLimit(kb, { ...query, threeGb: false, userVa: false });
  return {
    limitMb: found.limitMb,
    source: "derived",
    rule: found.rule,
    defaultLimitMb: plain?.limitMb ?? null,
  };
}

export const poolSubject = defineSubject({
  doc: "Non-paged pool: the limit and how it was found, use, free space against http.sys's threshold, top tags, growth.",
  schema: z.object({ pool: PoolFacts }),
  needs: z.object({ machine: MachineFacts, os: OsFacts, boot: BootFacts }),
  derive({ kb, inputs }, { machine, os, boot }) {
    const thresholdMb = kb.poolLimits.httpSysThreshold.mb;
    const snapshots = poolSnapshots(inputs);
    const { measured, ramMb } = machine;
    const lastSnapshot = snapshots.at(-1)?.payload ?? null;

    const generation = os.generation ?? (lastSnapshot?.tool === "legacy" ? "nt5" : null);
    const query: LimitQuery | null =
      generation !== null && os.arch !== null
        ? {
            generation,
            family: os.family,
            arch: os.arch,
            threeGb: boot.threeGb ?? false,
            userVa: boot.userVaMb !== null,
            ramMb,
          }
        : null;
    const limit = limitFrom(kb, measured.nonpagedLimitMb, query);
    const limitMb = limit.limitMb;

    // Used: measured counters first, then poolmon's own header, then the sum of its rows.
    let usedMb: number | null = null;
    let usedSource: string | null = null;
    if (measured.nonpagedUsedMb !== null) {
      usedMb = measured.nonpagedUsedMb;
      usedSource = measured.source;
    } else if (lastSnapshot) {
      usedMb = round1(nonpagedKbOf(lastSnapshot) / KB_PER_MB);
      usedSource =
        lastSnapshot.header.nonpagedKb !== null ? "poolmon header (Pool N:)" : "sum of poolmon Nonp rows";
    }
    const freeMb = limitMb !== null && usedMb !== null ? round1(limitMb - usedMb) : null;
    const headerPagedKb = lastSnapshot?.header.pagedKb ?? null;
    const pagedUsedMb =
      measured.pagedUsedMb ?? (headerPagedKb === null ? null : round1(headerPagedKb / KB_PER_MB));

    const rowsOf = (type: "Nonp" | "Paged") =>
      (lastSnapshot?.rows ?? []).filter((r) => r.type === type).sort((a, b) => b.bytes - a.bytes);
    const nonpaged = rowsOf("Nonp");
    const filterTags = nonpaged
      .map((r) => describeTag(kb, r, usedMb))
      .filter((t) => t.category !== null && FILTER_CATEGORIES.has(t.category))
      .slice(0, TOP_TAGS);

    const growth = growthOf(kb, snapshots);
    const hours =
      growth && freeMb !== null && growth.nonpagedMbPerHour > 0
        ? Math.max(0, (freeMb - thresholdMb) / growth.nonpagedMbPerHour)
        : null;

    return {
      pool: {
        thresholdMb,
        limitMb,
        limitSource: limit.source,
        limitRule: limit.rule?.id ?? null,
        limitRuleText: limit.rule?.description ?? (limit.source === "measured" ? "measured" : null),
        limitReference: limit.rule?.reference.url ?? null,
        defaultLimitMb: limit.defaultLimitMb,
        usedMb,
        usedSource,
        freeMb,
        headroomMb: freeMb === null ? null : round1(freeMb - thresholdMb),
        usedShare:
          limitMb !== null && usedMb !== null && limitMb > 0 ? round1((usedMb / limitMb) * 100) / 100 : null,
        pagedUsedMb,
        ramMb,
        topNonpaged: nonpaged.slice(0, TOP_TAGS).map((r) => describeTag(kb, r, usedMb)),
        topPaged: rowsOf("Paged")
          .slice(0, TOP_TAGS)
          .map((r) => describeTag(kb, r, pagedUsedMb)),
        filterTags,
        growth: growth?.tags ?? [],
        hoursToThreshold: hours === null ? null : round1(hours),
        minutesToThreshold: hours === null ? null : Math.round(hours * 60),
        snapshots: snapshots.length,
        samples: poolSamples(snapshots),
      },
    };
  },
});
