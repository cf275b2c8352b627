// Schemas of the curated tables in kb/data/: pool tags, pool limits, OS families, reason phrases,
// event ids. Experts edit the YAML; these schemas check it at load.
import { z } from "zod";
import { Reference } from "./reference.js";

const httpsUrl = z.url({ protocol: /^https$/ });

export const TagCategory = z.enum([
  "antivirus",
  "endpoint",
  "backup",
  "storage-filter",
  "file-system",
  "network",
  "kernel",
  "graphics",
  "virtualization",
  /**
   * Object-manager tags (`Even`, `Toke`, `Proc`, `File`, `Obtb`…): kernel objects, or the handle
   * tables and names behind them, that live while user-mode processes hold handles. Growth is a
   * handle leak in a process, not a driver leak.
   */
  "object",
  "other",
]);
export type TagCategory = z.infer<typeof TagCategory>;

/** Categories of third-party filter drivers that `antivirus-pool-leak` is about. */
export const FILTER_CATEGORIES: ReadonlySet<string> = new Set(["antivirus", "endpoint", "backup"]);

/** Tags of the `object` category: a handle leak in a user-mode process. */
export const OBJECT_CATEGORY = "object";

/** pooltag.txt's wildcards: `?` one character, `*` the rest (`Afd?`, `CM??`, `Acp*`, `Bu* `). */
export const TAG_WILDCARD = /[?*]/;

const poolTagFields = {
  /** Exactly four characters, case-sensitive, trailing spaces included (`"Irp "`). */
  tag: z.string().length(4),
  /** A family row: `tag` is a pattern as pooltag.txt writes it, for tags no row names exactly. */
  family: z.literal(true).optional(),
  /** The binary (`afd.sys`, `ntoskrnl.exe`); absent when the source does not name it. */
  driver: z.string().min(1).optional(),
  /** The kernel component as pooltag.txt names it (`nt!ob`, `nt!mm`), when it does. */
  component: z.string().min(1).optional(),
  vendor: z.string().min(1).optional(),
  product: z.string().optional(),
  category: TagCategory,
  description: z.string().min(1),
  source: httpsUrl,
};

function familyMatchesWildcards(row: { tag: string; family?: true | undefined }, ctx: z.RefinementCtx): void {
  if ((row.family === true) !== TAG_WILDCARD.test(row.tag)) {
    ctx.addIssue({
      code: "custom",
      path: ["family"],
      message: `tag ${JSON.stringify(row.tag)}: a family row (family: true) has a ? or * in its tag, and only a family row does`,
    });
  }
}

/** A row of either table; the public list does not always name the binary or the vendor. */
export const PoolTag = z.object(poolTagFields).strict().superRefine(familyMatchesWildcards);
export type PoolTag = z.infer<typeof PoolTag>;

/** A curated row (kb/data/pool-tags.yaml): researched, so it always names driver and vendor. */
export const CuratedPoolTag = z
  .object({ ...poolTagFields, driver: z.string().min(1), vendor: z.string().min(1) })
  .strict()
  .superRefine(familyMatchesWildcards);

export const PoolTagTable = z.object({ tags: z.array(CuratedPoolTag).min(1) }).strict();

/** kb/data/pool-tags-public.json: the public pool tag list, generated once, one row per tag. */
export const PublicPoolTagTable = z
  .object({
    /** Where the rows come from and how they were converted (JSON has no comments). */
    about: z.array(z.string()).min(1),
    tags: z.array(PoolTag).min(1),
  })
  .strict();

/**
 * Third-party kernel drivers by file name, for tags the tag table does not know: poolmon's
 * Mapped_Driver column (or `findstr` over drivers\*.sys) names the file, this table the vendor.
 */
export const KnownDriver = z
  .object({
    /** File name as it appears in drivers\ (`mfehidk.sys`); matched case-insensitively. */
    driver: z.string().regex(/^[\w.-]+\.sys$/i, "a driver file name like vendor.sys"),
    vendor: z.string().min(1),
    product: z.string().optional(),
    category: TagCategory,
    source: httpsUrl,
  })
  .strict();
export type KnownDriver = z.infer<typeof KnownDriver>;

export const KnownDriverTable = z.object({ drivers: z.array(KnownDriver).min(1) }).strict();

export const OsFamily = z
  .object({
    /** Key used by pool-limit rules (`2003`, `xp`, `2008r2`…). */
    family: z.string().regex(/^[a-z0-9]+$/),
    name: z.string(),
    /** Lower-case substrings of a boot.ini / bcdedit description that name this family. */
    match: z.array(z.string().min(1)).min(1),
    /** The memory-manager generation: fixed 32-bit pool ranges (2000/XP/2003) or dynamic (Vista+). */
    generation: z.enum(["nt5", "nt6"]),
    /**
     * The only architecture the product shipped for (Windows Server 2008 R2 and later: x64), so the
     * architecture is known from the name even when bcdedit says nothing about it.
     */
    onlyArch: z.enum(["x86", "x64", "ia64"]).optional(),
  })
  .strict();
export type OsFamily = z.infer<typeof OsFamily>;

export const PoolKind = z.enum(["nonpaged", "paged"]);
export type PoolKind = z.infer<typeof PoolKind>;

export const PoolLimitRule = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
    description: z.string(),
    /** The pool the row sizes; each pool has its own first-match lookup. */
    pool: PoolKind.default("nonpaged"),
    generation: z.enum(["nt5", "nt6"]),
    /** Families this row is restricted to; empty: the whole generation. */
    families: z.array(z.string()).default([]),
    arch: z.enum(["x86", "x64", "ia64"]),
    /** Row applies only when the boot switch is (true) or is not (false) set; absent: either. */
    threeGb: z.boolean().optional(),
    /** `/USERVA=` (boot.ini) or `increaseuserva` (bcdedit) set. */
    userVa: z.boolean().optional(),
    /** `/PAE` (boot.ini) or `pae ForceEnable` (bcdedit) set. */
    pae: z.boolean().optional(),
    ramMbMin: z.number().optional(),
    ramMbMax: z.number().optional(),
    /** A fixed figure, or a fraction of RAM capped (and floored) in MB. */
    limitMb: z.number().positive().optional(),
    fractionOfRam: z.number().positive().optional(),
    capMb: z.number().positive().optional(),
    floorMb: z.number().positive().optional(),
    /**
     * x86 with `increaseuserva`/`USERVA`: the kernel keeps only 4096 − that many MB of address
     * space for everything (pools, PTEs, cache), so the figure is at most that.
     */
    capByKernelSpace: z.literal(true).optional(),
    /** The pool also counts against the commit limit (x64 paged pool): at most that, when known. */
    capByCommitLimit: z.literal(true).optional(),
    /**
     * `exact` (the default): the figure is the limit. `upper`: Microsoft publishes only a ceiling
     * (or a range), the machine's real limit can be lower; a measured value (`!vm`) should replace it.
     */
    bound: z.enum(["exact", "upper"]).default("exact"),
    reference: Reference,
  })
  .strict()
  .refine((r) => (r.limitMb === undefined) !== (r.fractionOfRam === undefined), {
    message: "a pool-limit rule has either limitMb or fractionOfRam",
  });
export type PoolLimitRule = z.infer<typeof PoolLimitRule>;

export const PoolLimitTable = z
  .object({
    /** Free non-paged pool under which http.sys refuses new connections. */
    httpSysThreshold: z.object({ mb: z.number().positive(), reference: Reference }).strict(),
    families: z.array(OsFamily).min(1),
    rules: z.array(PoolLimitRule).min(1),
  })
  .strict();
export type PoolLimitTable = z.infer<typeof PoolLimitTable>;

export const ReasonPhrase = z
  .object({
    /** As http.sys writes it in `s-reason`. */
    phrase: z.string().min(1),
    /** The error status it usually comes with (null when there is no response, e.g. timers). */
    status: z.number().int().min(400).max(599).nullable(),
    meaning: z.string().min(1),
  })
  .strict();
export type ReasonPhrase = z.infer<typeof ReasonPhrase>;

export const ReasonPhraseTable = z.object({ reasons: z.array(ReasonPhrase).min(1) }).strict();

export const EventId = z
  .object({
    id: z.number().int(),
    source: z.string(),
    log: z.string(),
    meaning: z.string().min(1),
    /** The KB entry that explains it. */
    entry: z.string(),
  })
  .strict();
export type EventId = z.infer<typeof EventId>;

/**
 * How an event says a worker process (w3wp.exe) ended: it crashed, or it hung and was killed for
 * not answering WAS's pings. The planner tells a hang from a crash by these.
 */
export const WorkerExit = z
  .object({
    id: z.number().int(),
    source: z.string(),
    means: z.enum(["crash", "hang"]),
    /** Counted only when the message names this (case-insensitive): `w3wp` for events any process logs. */
    messageNames: z.string().min(1).optional(),
    meaning: z.string().min(1),
    reference: Reference,
  })
  .strict();
export type WorkerExit = z.infer<typeof WorkerExit>;

export const EventIdTable = z
  .object({ events: z.array(EventId).min(1), workerExits: z.array(WorkerExit).default([]) })
  .strict();
