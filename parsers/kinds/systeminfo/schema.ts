// The payload of a systeminfo input: what the machine is (OS, architecture, RAM), as printed.
import { z } from "zod";

export const SysteminfoData = z.object({
  /** `list`: the default (and `/fo list`) label/value lines; `csv`: `/fo csv`. */
  form: z.enum(["list", "csv"]),
  /** Which labels it was printed with: `en`, `de`, or null when no known label was seen. */
  language: z.enum(["en", "de"]).nullable(),
  hostName: z.string().nullable(),
  /** `Microsoft Windows Server 2012 R2 Standard`, as printed. */
  osName: z.string().nullable(),
  /** `6.3.9600 N/A Build 9600`, as printed. */
  osVersion: z.string().nullable(),
  /** The kernel build (`9600`), from OS Version. */
  osBuild: z.number().int().nullable(),
  systemManufacturer: z.string().nullable(),
  systemModel: z.string().nullable(),
  /** `x64-based PC`, `X86-based PC` (never translated). */
  systemType: z.string().nullable(),
  arch: z.enum(["x86", "x64", "ia64"]).nullable(),
  /** How many processors it lists (`2 Processor(s) Installed.`). */
  processors: z.number().int().nullable(),
  /** Total Physical Memory in MB (Windows' MB, 1,048,576 bytes). */
  totalPhysicalMemoryMb: z.number().nullable(),
  availablePhysicalMemoryMb: z.number().nullable(),
  /** System Boot Time (2008 and later) or System Up Time (2003), as printed. */
  bootTime: z.string().nullable(),
  upTime: z.string().nullable(),
  timeZone: z.string().nullable(),
  /** How many hotfixes it lists (`142 Hotfix(s) Installed.`). */
  hotfixes: z.number().int().nullable(),
});
export type SysteminfoData = z.infer<typeof SysteminfoData>;
