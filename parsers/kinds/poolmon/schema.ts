// The payload of a poolmon input: one snapshot (header and rows) of the tool's table.
import { z } from "zod";

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
