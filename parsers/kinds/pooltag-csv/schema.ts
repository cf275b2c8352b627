// The payload of a pooltag-csv input: rows of pool tag samples that a PowerShell script exported.
import { z } from "zod";

export const PooltagRow = z.object({
  /** The sample's time as written (rows of one sample share it), null without a time column. */
  time: z.string().nullable(),
  /** Four characters, case and trailing spaces kept (`Irp `). */
  tag: z.string(),
  /** `Nonp` or `Paged` (the script's `NonPaged`, `Non-Paged`, `NP`… read as `Nonp`); null when not said. */
  type: z.enum(["Nonp", "Paged"]).nullable(),
  allocs: z.number().nullable(),
  frees: z.number().nullable(),
  /** Allocations outstanding: the `Diff` column, or allocs − frees. */
  diff: z.number().nullable(),
  /** Bytes in use (converted from the column's MB or KB when its name says so). */
  bytes: z.number(),
  /** The `Binary` / driver column (`netio.sys`, `nt!ps`). */
  binary: z.string().nullable(),
});
export type PooltagRow = z.infer<typeof PooltagRow>;

export const PooltagCsvData = z.object({
  /** The header's column names, as written. */
  columns: z.array(z.string()),
  /** The unit of the bytes column: `bytes`, or `KB` / `MB` when its name says so (`Bytes(MB)`). */
  unit: z.enum(["bytes", "KB", "MB"]),
  /** `long`: one row per tag and pool type; `wide`: PagedUsed and NonPagedUsed columns on one row. */
  layout: z.enum(["long", "wide"]),
  rows: z.array(PooltagRow),
});
export type PooltagCsvData = z.infer<typeof PooltagCsvData>;
