// The payload of a pool-counters input: Task Manager, `!vm` or perfmon numbers for the pools.
import { z } from "zod";

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
