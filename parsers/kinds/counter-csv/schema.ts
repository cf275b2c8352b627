// The payload of a counter-csv input: performance counter samples (typeperf / relog / Performance
// Monitor CSV, PowerShell Get-Counter), any counters, with their paths split into parts.
import { z } from "zod";

export const CounterPath = z.object({
  /** As written: `\\WEB01\Memory\Pool Nonpaged Bytes`, `\\search02\http service request queues(searchapi)\currentqueuesize`. */
  path: z.string(),
  machine: z.string().nullable(),
  /** `Memory`, `HTTP Service Request Queues` (Get-Counter prints them lower-case). */
  object: z.string(),
  /** `searchapi`, `_total`, `w3wp#1`; null for single-instance objects. */
  instance: z.string().nullable(),
  counter: z.string(),
});
export type CounterPath = z.infer<typeof CounterPath>;

export const CounterSample = z.object({
  /** The time as printed (the server's local time), null when the tool printed none. */
  time: z.string().nullable(),
  /** One value per counter, in the order of `counters`; null where the sample has none (`" "`). */
  values: z.array(z.number().nullable()),
});
export type CounterSample = z.infer<typeof CounterSample>;

export const RelogSummary = z.object({
  begin: z.string().nullable(),
  end: z.string().nullable(),
  samples: z.number().int().nullable(),
});

export const CounterCsvData = z.object({
  /**
   * `pdh-csv`: typeperf, `typeperf -o`, relog or Performance Monitor CSV (`"(PDH-CSV 4.0)"` header);
   * `get-counter`: Get-Counter's table or list; `counter-samples`: a CounterSamples table (Path,
   * InstanceName, CookedValue); `lines`: a counter path and its value on one line; `relog-summary`:
   * relog's console report only.
   */
  form: z.enum(["pdh-csv", "get-counter", "counter-samples", "lines", "relog-summary"]),
  /** The tool, when its command line was pasted: `typeperf`, `relog`, `Get-Counter`. */
  tool: z.string().nullable(),
  /** The time zone and its bias in minutes from the PDH header (`(Pacific Daylight Time)(420)`). */
  timeZone: z.string().nullable(),
  biasMinutes: z.number().int().nullable(),
  counters: z.array(CounterPath),
  samples: z.array(CounterSample),
  /** relog's console report (`Begin:`, `End:`, `Samples:`), when pasted. */
  relog: RelogSummary.nullable(),
});
export type CounterCsvData = z.infer<typeof CounterCsvData>;
