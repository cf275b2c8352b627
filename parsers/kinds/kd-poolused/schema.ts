// The payload of a kd-poolused input: the kernel debugger's `!poolused` table, one row per tag.
import { z } from "zod";

export const PoolusedRow = z.object({
  /** Four characters, case and trailing spaces kept (`Irp `). */
  tag: z.string(),
  /** Allocations outstanding and bytes in use, per pool. */
  nonpagedAllocs: z.number(),
  nonpagedBytes: z.number(),
  pagedAllocs: z.number(),
  pagedBytes: z.number(),
  /** The debugger's pooltag.txt description, null for `UNKNOWN pooltag`. */
  description: z.string().nullable(),
  /** Its `Binary:` (`afd.sys`, `nt!mm`), when it names one. */
  binary: z.string().nullable(),
});
export type PoolusedRow = z.infer<typeof PoolusedRow>;

export const PoolusedTotal = z.object({
  nonpagedAllocs: z.number(),
  nonpagedBytes: z.number(),
  pagedAllocs: z.number(),
  pagedBytes: z.number(),
});

export const KdPoolusedData = z.object({
  /** `kdexts`: Debugging Tools 6.x (descriptions glued to the last number, no total); `windbg10`: tab before the description, a TOTAL line. */
  format: z.enum(["kdexts", "windbg10"]),
  /** How it was sorted (`!poolused 2`: non-paged, `4`: paged), from `Sorting by …`. */
  sortedBy: z.enum(["nonpaged", "paged"]).nullable(),
  /** The flags typed (`!poolused 2` → 2), when the command was pasted. */
  flags: z.number().int().nullable(),
  rows: z.array(PoolusedRow),
  /** The TOTAL line of WinDbg 10. */
  total: PoolusedTotal.nullable(),
});
export type KdPoolusedData = z.infer<typeof KdPoolusedData>;
