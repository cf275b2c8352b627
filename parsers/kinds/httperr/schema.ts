// The payload of an HTTPERR input: its records and their summary.
import { z } from "zod";

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

export const HttperrData = z.object({
  /** Every record read; none when the log was streamed (the summary still counts every line). */
  records: z.array(HttperrRecord),
  summary: HttperrSummary,
});
export type HttperrData = z.infer<typeof HttperrData>;
