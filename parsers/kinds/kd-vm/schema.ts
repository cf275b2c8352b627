// The payload of a kd-vm input: the kernel debugger's `!vm` figures (in KB) and what its banner
// (`vertarget`, the dump's opening lines) says about the system.
import { z } from "zod";

const kb = z.number().nullable();

export const KdVmData = z.object({
  /** The banner line as printed: `Windows Server 2003 Kernel Version 3790 (Service Pack 2) MP (4 procs) Free x86 compatible`. */
  banner: z.string().nullable(),
  /** The product, from the banner and `Product:` (a server's build named as the server release). */
  osName: z.string().nullable(),
  build: z.number().int().nullable(),
  /** `Product:` as printed: `Server`, `LanManNt` (a domain controller) or `WinNt` (a client). */
  product: z.string().nullable(),
  arch: z.enum(["x86", "x64", "ia64"]).nullable(),
  /** What told the architecture: the banner, `Built by:`'s build lab, the kernel base address, or `!vm` sizes no 32-bit kernel has. */
  archFrom: z.enum(["banner", "build-lab", "kernel-base", "vm"]).nullable(),
  physicalMemoryKb: kb,
  availableKb: kb,
  /** NonPagedPool Usage, plus NonPagedPoolNx Usage on Windows 8 and later. */
  nonpagedUsedKb: kb,
  /** NonPagedPoolNx Usage alone, when printed. */
  nonpagedNxKb: kb,
  /** NonPagedPool Max as printed; 4294967296 pages (16 TB) on Windows 8 and later is a placeholder. */
  nonpagedMaxKb: kb,
  pagedUsedKb: kb,
  pagedMaxKb: kb,
  commitKb: kb,
  commitLimitKb: kb,
  freeSystemPtesKb: kb,
  /** `!vm` printed its `Excessive NonPaged Pool Usage` / `Excessive Paged Pool Usage` warning. */
  excessiveNonpaged: z.boolean(),
  excessivePaged: z.boolean(),
  /** `N system PTE allocations have failed`. */
  failedPteAllocations: z.number().int().nullable(),
  /** `Debug session time:` as printed. */
  sessionTime: z.string().nullable(),
});
export type KdVmData = z.infer<typeof KdVmData>;
