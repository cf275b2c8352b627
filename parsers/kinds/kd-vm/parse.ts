// The kernel debugger's `!vm` (WinDbg, kd, LiveKd; flags 0 or 1) and its banner → KB figures and
// what the system is. `!vm` lines read `Name: <pages> ( <KB> Kb)`: the KB are taken, or pages × 4 KB
// when the parenthesis is missing. Shapes: Debugging Tools 6.x (tab-indented, `PagedPool 0 Usage:`
// per paged pool, an `Excessive NonPaged Pool Usage` line) and WinDbg 10 (page files first, no
// indent, `NonPagedPoolNx Usage:` to be added to non-paged usage, maxima of 4294967296 pages that
// mean "no fixed limit"). The banner (`Windows Server 2003 Kernel Version 3790 … Free x86
// compatible`, `Product:`, `Built by:`, `Kernel base =`) tells the product and architecture.
// One pass over the lines.
import { readKb, readNumber, safeIntegerOf } from "../../numbers.js";
import { splitLines } from "../../text.js";
import { archOfText, windowsOfBuild } from "../../windows.js";
import type { KindInput } from "../module.js";
import type { KdVmData } from "./schema.js";

type KbField =
  | "physicalMemoryKb"
  | "availableKb"
  | "nonpagedUsedKb"
  | "nonpagedNxKb"
  | "nonpagedMaxKb"
  | "pagedUsedKb"
  | "pagedMaxKb"
  | "commitKb"
  | "commitLimitKb"
  | "freeSystemPtesKb";

/** `!vm` names (spaces collapsed, lower-case) → field. */
const VM_NAMES: Record<string, KbField> = {
  "physical memory": "physicalMemoryKb",
  "available pages": "availableKb",
  "nonpagedpool usage": "nonpagedUsedKb",
  "nonpagedpoolnx usage": "nonpagedNxKb",
  "nonpagedpool max": "nonpagedMaxKb",
  "nonpagedpool maximum": "nonpagedMaxKb",
  "pagedpool usage": "pagedUsedKb",
  "pagedpool max": "pagedMaxKb",
  "pagedpool maximum": "pagedMaxKb",
  "committed pages": "commitKb",
  "commit limit": "commitLimitKb",
  "free system ptes": "freeSystemPtesKb",
};

/** 4 GB of KB: no 32-bit kernel has a pool maximum or free PTE space this large. */
const FOUR_GB_KB = 4 * 1024 * 1024;

const BANNER = /^\s*(Windows [A-Za-z0-9 .]{1,40}?) Kernel Version (\d{3,5})\b(.*)$/s;

function snippet(line: string): string {
  const t = line.trim();
  return t.length > 80 ? `${t.slice(0, 77)}...` : t;
}

/** `<pages> ( <kb> Kb)` → KB; pages × 4 KB when the parenthesis is missing. */
function vmValue(rest: string): number | null {
  const open = rest.indexOf("(");
  if (open !== -1) {
    const close = rest.indexOf(")", open);
    const kb = readKb(rest.slice(open + 1, close === -1 ? undefined : close));
    if (kb !== null) return kb;
  }
  const pages = readNumber((open === -1 ? rest : rest.slice(0, open)).trim(), { integer: true });
  return pages === null ? null : pages * 4;
}

function emptyData(): KdVmData {
  return {
    banner: null,
    osName: null,
    build: null,
    product: null,
    arch: null,
    archFrom: null,
    physicalMemoryKb: null,
    availableKb: null,
    nonpagedUsedKb: null,
    nonpagedNxKb: null,
    nonpagedMaxKb: null,
    pagedUsedKb: null,
    pagedMaxKb: null,
    commitKb: null,
    commitLimitKb: null,
    freeSystemPtesKb: null,
    excessiveNonpaged: false,
    excessivePaged: false,
    failedPteAllocations: null,
    sessionTime: null,
  };
}

export function parseKdVm(text: string, source: string): KindInput<"kd-vm", KdVmData> {
  const warnings: string[] = [];
  const d = emptyData();
  let bannerName: string | null = null;
  let bannerArch: KdVmData["arch"] = null;
  let labArch: KdVmData["arch"] = null;
  let baseArch: KdVmData["arch"] = null;
  let poolUsage: number | null = null;

  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const trimmed = line.trim();
    if (trimmed === "") continue;

    const banner = BANNER.exec(trimmed);
    if (banner) {
      d.banner ??= trimmed;
      bannerName ??= (banner[1] as string).trim();
      d.build ??= Number(banner[2]);
      bannerArch ??= archOfText(banner[3] as string);
      continue;
    }
    if (/\bExcessive NonPaged Pool Usage\b/i.test(trimmed)) d.excessiveNonpaged = true;
    if (/\bExcessive Paged Pool Usage\b/i.test(trimmed)) d.excessivePaged = true;
    const failed = /^\*+\s*(\d+) system PTE allocations have failed/i.exec(trimmed);
    if (failed) d.failedPteAllocations = safeIntegerOf(failed[1] as string);

    const colon = trimmed.indexOf(":");
    if (colon <= 0) {
      const base = /^Kernel base = 0x([0-9a-f`]+)/i.exec(trimmed);
      if (base) baseArch = (base[1] as string).replace(/`/g, "").length > 8 ? "x64" : "x86";
      continue;
    }
    const name = trimmed.slice(0, colon).trim().replace(/\s+/g, " ").toLowerCase();
    const rest = trimmed.slice(colon + 1);
    if (name === "product") {
      d.product ??= (rest.split(",")[0] ?? "").trim() || null;
      continue;
    }
    if (name === "built by" || name === "edition build lab") {
      labArch ??= /amd64|x64/i.test(rest)
        ? "x64"
        : /x86/i.test(rest)
          ? "x86"
          : /ia64/i.test(rest)
            ? "ia64"
            : null;
      continue;
    }
    if (name === "debug session time") {
      d.sessionTime ??= rest.trim() || null;
      continue;
    }
    if (name.startsWith("kernel base")) {
      const base = /0x([0-9a-f`]+)/i.exec(rest);
      if (base) baseArch = (base[1] as string).replace(/`/g, "").length > 8 ? "x64" : "x86";
      continue;
    }
    const field = VM_NAMES[name];
    if (field === undefined) continue;
    // `PagedPool Usage:` without a `( … Kb)` is still read (as pages); other names need the KB.
    if (!rest.includes("(") && !/^(?:non)?pagedpool/.test(name)) continue;
    const kb = vmValue(rest);
    if (kb === null) {
      warnings.push(`line ${i + 1}: unreadable !vm value: "${snippet(line)}"`);
      continue;
    }
    if (field === "nonpagedUsedKb") poolUsage = kb;
    d[field] = kb;
  }
  // Windows 8 and later split non-paged pool in two; both are non-paged.
  if (d.nonpagedNxKb !== null) d.nonpagedUsedKb = (poolUsage ?? 0) + d.nonpagedNxKb;

  const product = d.product?.toLowerCase() ?? null;
  const server = product === null ? null : product !== "winnt";
  if (bannerName !== null && /server/i.test(bannerName)) d.osName = bannerName;
  else if (d.build !== null) d.osName = windowsOfBuild(d.build, server);

  const vmArch =
    (d.nonpagedMaxKb ?? 0) > FOUR_GB_KB ||
    (d.pagedMaxKb ?? 0) > FOUR_GB_KB ||
    (d.freeSystemPtesKb ?? 0) > FOUR_GB_KB
      ? "x64"
      : null;
  const arch: Array<[KdVmData["arch"], NonNullable<KdVmData["archFrom"]>]> = [
    [bannerArch, "banner"],
    [labArch, "build-lab"],
    [baseArch, "kernel-base"],
    [vmArch, "vm"],
  ];
  const found = arch.find(([a]) => a !== null);
  if (found) [d.arch, d.archFrom] = found;

  const figures = [d.physicalMemoryKb, d.nonpagedUsedKb, d.pagedUsedKb, d.nonpagedMaxKb, d.pagedMaxKb];
  if (figures.every((v) => v === null) && d.banner === null)
    warnings.push("no !vm figures or debugger banner found");
  return { kind: "kd-vm", source, warnings, data: d };
}
