// Facts: what the engine derives from evidence, and what rule conditions and evidence templates
// refer to by path (`pool.freeMb`, `httperr.reasons.QueueFull`, `events.ids.2019`).
import { z } from "zod";
import { Estimate, TopEntry } from "../parsers/evidence.js";

const num = z.number().nullable();

export const OsFacts = z.object({
  /** Product family key of kb/data/pool-limits.yaml (`2003`, `xp`, `2008`, `2012r2`…), null if unknown. */
  family: z.string().nullable(),
  /** The description as the input gave it. */
  name: z.string().nullable(),
  arch: z.enum(["x86", "x64", "ia64"]).nullable(),
  /** Which input told us. */
  source: z.string().nullable(),
});

export const BootFacts = z.object({
  threeGb: z.boolean().nullable(),
  /** `/USERVA=` in MB, or bcdedit `increaseuserva`. */
  userVaMb: num,
  pae: z.boolean().nullable(),
  /** `boot-ini` or `bcdedit`, with the entry description. */
  source: z.string().nullable(),
  entry: z.string().nullable(),
  /** Switches of the default entry as written, for evidence (`/fastdetect /3GB`). */
  switchesText: z.string().nullable(),
});

export const TagFact = z.object({
  tag: z.string(),
  type: z.enum(["Nonp", "Paged"]),
  mb: z.number(),
  /** Share of the pool of its type in use, 0..1 (null when the pool total is unknown). */
  share: num,
  driver: z.string().nullable(),
  vendor: z.string().nullable(),
  product: z.string().nullable(),
  category: z.string().nullable(),
  /** Where the driver/vendor came from: the tag table, poolmon's Mapped_Driver, or nothing. */
  known: z.enum(["table", "mapped-driver", "unknown"]),
  referenceUrl: z.string().nullable(),
  /** For a tag nobody mapped: the command that finds its driver on the server. */
  findDriverCommand: z.string().nullable(),
});
export type TagFact = z.infer<typeof TagFact>;

export const GrowthFact = z.object({
  tag: z.string(),
  type: z.enum(["Nonp", "Paged"]),
  fromMb: z.number(),
  toMb: z.number(),
  minutes: z.number(),
  mbPerHour: z.number(),
  vendor: z.string().nullable(),
  driver: z.string().nullable(),
});
export type GrowthFact = z.infer<typeof GrowthFact>;

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
  /** The limit the same OS would have without `/3GB`, when `/3GB` lowers it. */
  limitWithout3GbMb: num,
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
  /** The largest non-paged tag of an antivirus / endpoint / backup filter driver, if any. */
  largestFilterTag: TagFact.nullable(),
  growth: z.array(GrowthFact),
  /** Hours until free non-paged pool reaches the threshold at the current total growth rate. */
  hoursToThreshold: num,
  hoursToThresholdText: z.string().nullable(),
  snapshots: z.number().int(),
});

/** What one reason phrase's lines tell (keys of `httperr.perReason`: the keys of `httperr.reasons`). */
export const ReasonFacts = z.object({
  count: z.number().int(),
  /** The first and last line with this reason, not the log's. */
  firstTime: z.string().nullable(),
  lastTime: z.string().nullable(),
  durationMinutes: num,
  topQueues: z.array(TopEntry),
  /** The queue (application pool) with most lines of this reason: for QueueFull, the queue that was full. */
  topQueue: z.string().nullable(),
  topSites: z.array(TopEntry),
  topSite: z.string().nullable(),
  topUris: z.array(TopEntry),
});

export const HttperrFacts = z.object({
  lines: z.number().int(),
  reasons: z.record(z.string(), z.number().int()),
  /** Share of all lines per reason, 0..1. */
  reasonShare: z.record(z.string(), z.number()),
  statuses: z.record(z.string(), z.number().int()),
  firstTime: z.string().nullable(),
  lastTime: z.string().nullable(),
  durationMinutes: num,
  /** Refused connections (the sum of N over `N_Connections_Refused` lines). */
  refusedConnections: z.number().int(),
  refusalsPerMinute: z.record(z.string(), z.number().int()),
  peakRefusalsPerMinute: z.number().int(),
  /**
   * Top lists; a count with an overcount is an upper bound from a heavy-hitters sketch. Client and
   * URI lists keep only values whose count is known to within half (a sketch's noise is no finding).
   */
  topClients: z.array(TopEntry),
  topUris: z.array(TopEntry),
  topQueues: z.array(TopEntry),
  /** The queue (app pool) with most lines, for templates. */
  topQueue: z.string().nullable(),
  /** Distinct client addresses and URIs, exact or estimated (relativeError > 0). */
  distinctClients: Estimate,
  distinctUris: Estimate,
  /** The same in words: "1,234 distinct clients", "about 1.2 million distinct clients, ±2%". */
  distinctClientsText: z.string(),
  distinctUrisText: z.string(),
  /** Per reason phrase: its own time span, queues, sites and URIs. */
  perReason: z.record(z.string(), ReasonFacts),
});

export const EventFacts = z.object({
  /** Event id → count. */
  ids: z.record(z.string(), z.number().int()),
  /**
   * Short source name → event id → count (`w3svc` → `1011` → 2), for ids that several sources
   * share. Short names drop `Microsoft-Windows-` and `IIS-` (`Microsoft-Windows-WAS` → `was`).
   */
  bySource: z.record(z.string(), z.record(z.string(), z.number().int())),
  /** Event id → the first message seen, for evidence. */
  messages: z.record(z.string(), z.string()),
  sources: z.array(z.string()),
});

export const Facts = z.object({
  os: OsFacts,
  boot: BootFacts,
  pool: PoolFacts,
  httperr: HttperrFacts.nullable(),
  events: EventFacts.nullable(),
  /** Which input kinds were seen. */
  kinds: z.array(z.string()),
});
export type Facts = z.infer<typeof Facts>;
