// The payload of an HTTPERR input: its records and their summary.
import { z } from "zod";

/** One HTTPERR line keyed by W3C field name; `-` is null; ports, status and site id are numbers. */
export const HttperrRecord = z.record(z.string(), z.union([z.string(), z.number(), z.null()]));
export type HttperrRecord = z.infer<typeof HttperrRecord>;

export const CountEntry = z.object({ key: z.string(), count: z.number().int() });
export type CountEntry = z.infer<typeof CountEntry>;

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
  topClients: z.array(CountEntry),
  topUris: z.array(CountEntry),
  topQueues: z.array(CountEntry),
});
export type HttperrSummary = z.infer<typeof HttperrSummary>;

export const HttperrData = z.object({
  /** Every record read; none when the log was streamed (the summary still counts every line). */
  records: z.array(HttperrRecord),
  summary: HttperrSummary,
});
export type HttperrData = z.infer<typeof HttperrData>;
