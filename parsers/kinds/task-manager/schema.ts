// The payload of a Task Manager input: the memory figures of its Performance tab as pasted, in KB.
import { z } from "zod";

const kb = z.number().nullable();
const count = z.number().int().nullable();

export const TaskManagerData = z.object({
  /**
   * `performance-tab`: XP/2003 to 7/2008 R2, sections in K or MB (Physical Memory, Commit Charge,
   * Kernel Memory); `memory-tab`: Windows 8/2012 and later, the Memory page copied (values with
   * their own MB/GB); `lines`: loose label/value lines with neither heading.
   */
  form: z.enum(["performance-tab", "memory-tab", "lines"]),
  /** Installed RAM: Physical Memory Total, or the first value of the Memory page (`16.0 GB`). */
  physicalMemoryKb: kb,
  availableKb: kb,
  cachedKb: kb,
  /** Commit charge in use and its limit (`Committed 15.6/18.3 GB`, `Commit Charge (K)` Total/Limit). */
  commitKb: kb,
  commitLimitKb: kb,
  /** Kernel Memory Total (2003 to Vista), paged plus non-paged. */
  kernelTotalKb: kb,
  pagedUsedKb: kb,
  nonpagedUsedKb: kb,
  /** Memory in use (Windows 8 and later). */
  inUseKb: kb,
  handles: count,
  threads: count,
  processes: count,
  /** `Up Time` as printed (`21:04:11:52`, days:hours:minutes:seconds). */
  upTime: z.string().nullable(),
});
export type TaskManagerData = z.infer<typeof TaskManagerData>;
