// The typed evidence every parser produces. One schema per input kind; types come from z.infer so a
// shape is written once. Parsers never import kb/, bot/ or cli/.
import { z } from "zod";

export const InputKind = z.enum(["httperr", "poolmon", "boot-ini", "bcdedit", "event", "pool-counters"]);
export type InputKind = z.infer<typeof InputKind>;

/** One piece of a paste or file, as found by the splitter, before parsing. */
export const Piece = z.object({
  kind: InputKind,
  text: z.string(),
  /** 1-based line in the original text where the piece starts. */
  line: z.number().int(),
});
export type Piece = z.infer<typeof Piece>;

// ---------- HTTPERR ----------

/** One HTTPERR line keyed by W3C field name; `-` is null; ports, status and site id are numbers. */
export const HttperrRecord = z.record(z.string(), z.union([z.string(), z.number(), z.null()]));
export type HttperrRecord = z.infer<typeof HttperrRecord>;

/**
 * One value of a top list. `count` is never below the true number of lines; it may be above it by up
 * to `overcount` when the list comes from a heavy-hitters sketch (0: exact).
 */
export const TopEntry = z.object({ key: z.string(), count: z.number().int(), overcount: z.number().int() });
export type TopEntry = z.infer<typeof TopEntry>;

/** A number that may be estimated: the true value is within ± relativeError × estimate (0: exact). */
export const Estimate = z.object({ estimate: z.number().int(), relativeError: z.number() });
export type Estimate = z.infer<typeof Estimate>;

const int = z.number().int();

/** What one reason phrase's lines hold: their count, time span, and their own top queues, sites and URIs. */
export const ReasonDetail = z.object({
  count: z.number().int(),
  firstTime: z.string().nullable(),
  lastTime: z.string().nullable(),
  /** Exact. */
  topQueues: z.array(TopEntry),
  /** Exact; keys are site ids. */
  topSites: z.array(TopEntry),
  /** From the reason's heavy-hitters sketch: exact while the reason has at most 2,048 URIs. */
  topUris: z.array(TopEntry),
  /** The most lines any queue, site or URI left off its list can have (0: the list holds them all). */
  unlisted: z.object({ queues: int, sites: int, uris: int }),
});
export type ReasonDetail = z.infer<typeof ReasonDetail>;

export const HttperrSummary = z.object({
  lines: z.number().int(),
  /** Lines that were not records (truncated, malformed). */
  skipped: z.number().int(),
  byReason: z.record(z.string(), z.number().int()),
  byStatus: z.record(z.string(), z.number().int()),
  bySite: z.record(z.string(), z.number().int()),
  byQueue: z.record(z.string(), z.number().int()),
  /** `YYYY-MM-DD HH:MM:SS` (UTC, as http.sys writes it), null when no record had a time. */
  firstTime: z.string().nullable(),
  lastTime: z.string().nullable(),
  /**
   * Connections refused per minute, `YYYY-MM-DD HH:MM` → count. A `N_Connections_Refused` line
   * counts N (http.sys folds N refusals into one line).
   */
  refusalsPerMinute: z.record(z.string(), z.number().int()),
  /** 503 responses per minute, same keys. */
  status503PerMinute: z.record(z.string(), z.number().int()),
  /** Total refused connections (sum of N over `N_Connections_Refused` lines). */
  refusedConnections: z.number().int(),
  /** From a heavy-hitters sketch: exact (overcount 0) while the log has at most 4,096 clients. */
  topClients: z.array(TopEntry),
  /** The union of the reasons' URI sketches: exact while no reason has more than 2,048 URIs. */
  topUris: z.array(TopEntry),
  /** Exact. */
  topQueues: z.array(TopEntry),
  /** The most lines any client, URI or queue left off its list can have (0: the list holds them all). */
  unlisted: z.object({ clients: int, uris: int, queues: int }),
  /** Distinct client addresses and URIs: exact while the sketches are, else HyperLogLog estimates. */
  distinctClients: Estimate,
  distinctUris: Estimate,
  /** Per reason phrase (the keys of byReason). */
  byReasonDetail: z.record(z.string(), ReasonDetail),
});
export type HttperrSummary = z.infer<typeof HttperrSummary>;

// ---------- poolmon ----------

export const PoolType = z.enum(["Nonp", "Paged"]);

export const PoolRow = z.object({
  /** Exactly four characters, case-sensitive, trailing spaces kept (`Irp `). */
  tag: z.string(),
  type: PoolType,
  allocs: z.number(),
  allocsDelta: z.number().nullable(),
  frees: z.number(),
  freesDelta: z.number().nullable(),
  diff: z.number(),
  diffDelta: z.number().nullable(),
  bytes: z.number(),
  bytesDelta: z.number().nullable(),
  perAlloc: z.number().nullable(),
  /** `Mapped_Driver` column of the WDK poolmon (`-g`), when present. */
  mappedDriver: z.string().nullable(),
});
export type PoolRow = z.infer<typeof PoolRow>;

export const PoolmonHeader = z.object({
  memoryKb: z.number().nullable(),
  availKb: z.number().nullable(),
  pageFlts: z.number().nullable(),
  inRamKb: z.number().nullable(),
  commitKb: z.number().nullable(),
  limitKb: z.number().nullable(),
  peakKb: z.number().nullable(),
  /** `Pool N:` non-paged pool in use, KB. */
  nonpagedKb: z.number().nullable(),
  /** `P:` paged pool in use, KB. */
  pagedKb: z.number().nullable(),
});
export type PoolmonHeader = z.infer<typeof PoolmonHeader>;

export const PoolmonSnapshot = z.object({
  /** `legacy` = the Windows 2000/XP/2003 Support Tools poolmon; `wdk` = the WDK tool (Vista to 11). */
  tool: z.enum(["legacy", "wdk"]),
  header: PoolmonHeader,
  rows: z.array(PoolRow),
  /** Time printed by the tool, if any. */
  time: z.string().nullable(),
});
export type PoolmonSnapshot = z.infer<typeof PoolmonSnapshot>;

// ---------- boot.ini / bcdedit ----------

export const BootEntry = z.object({
  /** ARC path (`multi(0)disk(0)rdisk(0)partition(1)\WINDOWS`) or BCD identifier. */
  path: z.string(),
  description: z.string(),
  /** Switches as written, upper-cased name → value (`/3GB` → `3GB: true`, `/USERVA=3030` → `USERVA: 3030`). */
  switches: z.record(z.string(), z.union([z.boolean(), z.number(), z.string()])),
  isDefault: z.boolean(),
});
export type BootEntry = z.infer<typeof BootEntry>;

export const BootConfig = z.object({
  entries: z.array(BootEntry),
  timeout: z.number().nullable(),
});
export type BootConfig = z.infer<typeof BootConfig>;

export const BcdEntry = z.object({
  type: z.string(),
  identifier: z.string().nullable(),
  description: z.string().nullable(),
  /** Every `name value` line, lower-cased name. */
  settings: z.record(z.string(), z.string()),
  isDefault: z.boolean(),
});
export type BcdEntry = z.infer<typeof BcdEntry>;

// ---------- Event Log ----------

export const EventRecord = z.object({
  id: z.number().int(),
  source: z.string().nullable(),
  level: z.string().nullable(),
  time: z.string().nullable(),
  computer: z.string().nullable(),
  message: z.string(),
});
export type EventRecord = z.infer<typeof EventRecord>;

// ---------- Task Manager / !vm pool counters ----------

export const PoolCounters = z.object({
  nonpagedUsedKb: z.number().nullable(),
  nonpagedMaxKb: z.number().nullable(),
  pagedUsedKb: z.number().nullable(),
  pagedMaxKb: z.number().nullable(),
  physicalMemoryKb: z.number().nullable(),
  /** Where the numbers came from. */
  origin: z.enum(["task-manager", "kd-vm", "perfmon"]),
});
export type PoolCounters = z.infer<typeof PoolCounters>;

// ---------- parsed inputs ----------

const base = { source: z.string(), warnings: z.array(z.string()) };

export const ParsedInput = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("httperr"), ...base, records: z.array(HttperrRecord), summary: HttperrSummary }),
  z.object({ kind: z.literal("poolmon"), ...base, snapshot: PoolmonSnapshot }),
  z.object({ kind: z.literal("boot-ini"), ...base, boot: BootConfig }),
  z.object({ kind: z.literal("bcdedit"), ...base, entries: z.array(BcdEntry) }),
  z.object({ kind: z.literal("event"), ...base, events: z.array(EventRecord) }),
  z.object({ kind: z.literal("pool-counters"), ...base, counters: PoolCounters }),
]);
export type ParsedInput = z.infer<typeof ParsedInput>;
export type ParsedOf<K extends InputKind> = Extract<ParsedInput, { kind: K }>;
