// What Windows calls itself in the text tools print: the product a kernel build number belongs to,
// and the architecture `systeminfo`'s System Type or a debugger banner names. Build numbers are
// Microsoft's (e.g. 3790 = Server 2003, 9600 = 2012 R2, 17763 = 2019).

export type Arch = "x86" | "x64" | "ia64";

interface Release {
  build: number;
  client: string;
  server: string;
}

/** Kernel builds, oldest first; a build between two releases belongs to the earlier one. */
const RELEASES: readonly Release[] = [
  { build: 2195, client: "Windows 2000", server: "Windows 2000 Server" },
  { build: 2600, client: "Windows XP", server: "Windows XP" },
  { build: 3790, client: "Windows XP x64", server: "Windows Server 2003" },
  { build: 6000, client: "Windows Vista", server: "Windows Vista" },
  { build: 6001, client: "Windows Vista", server: "Windows Server 2008" },
  { build: 7600, client: "Windows 7", server: "Windows Server 2008 R2" },
  { build: 9200, client: "Windows 8", server: "Windows Server 2012" },
  { build: 9600, client: "Windows 8.1", server: "Windows Server 2012 R2" },
  { build: 10240, client: "Windows 10", server: "Windows 10" },
  { build: 14393, client: "Windows 10", server: "Windows Server 2016" },
  { build: 17763, client: "Windows 10", server: "Windows Server 2019" },
  { build: 20348, client: "Windows 10", server: "Windows Server 2022" },
  { build: 22000, client: "Windows 11", server: "Windows 11" },
  { build: 26100, client: "Windows 11", server: "Windows Server 2025" },
];

/**
 * The product of a kernel build: `server` says it is a server SKU (a debugger's `Product: Server`
 * or `LanManNt`). Server builds between named releases (1709, 1803…) are semi-annual releases of
 * the one before; null for builds before Windows 2000 or an unknown side.
 */
export function windowsOfBuild(build: number, server: boolean | null): string | null {
  let found: Release | null = null;
  for (const r of RELEASES) if (build >= r.build) found = r;
  if (found === null) return null;
  if (server === null) return found.client === found.server ? found.client : null;
  return server ? found.server : found.client;
}

/** `x64-based PC`, `X86-based PC`, `Itanium-based`, a debugger's `x86 compatible` / `x64` / `AMD64`. */
export function archOfText(text: string): Arch | null {
  const t = text.toLowerCase();
  if (/\b(?:x64|amd64|x86_64|em64t)\b/.test(t)) return "x64";
  if (/\b(?:ia64|itanium)\b/.test(t)) return "ia64";
  if (/\b(?:x86|i386)\b/.test(t)) return "x86";
  return null;
}
