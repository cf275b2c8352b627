// The payload of a boot.ini input: its operating-system entries and its timeout.
import { z } from "zod";

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
