// OS and boot facts: which Windows, which architecture, and the boot switches that size the kernel's
// address space (/3GB, /USERVA, PAE), from boot.ini or `bcdedit /enum`.
import { z } from "zod";
import type { BcdEntry, BootEntry } from "../../parsers/evidence.js";
import type { OsFamily } from "../data-schema.js";
import { ofKind, type TimedInput } from "./inputs.js";
import { MachineFacts } from "./machine.js";
import { kernelSpaceMb } from "./pool-limits.js";
import { defineSubject } from "./subject.js";

export const Generation = z.enum(["nt5", "nt6"]);

export const OsFacts = z.object({
  /** Product family key of kb/data/pool-limits.yaml (`2003`, `xp`, `2008`, `2012r2`…), null if unknown. */
  family: z.string().nullable(),
  /** The description as the input gave it. */
  name: z.string().nullable(),
  arch: z.enum(["x86", "x64", "ia64"]).nullable(),
  /**
   * How the architecture is known: an input that names it (`systeminfo`, `!vm`), a product that only
   * ships for one (`Windows Server 2012 R2 is x64 only`), or the boot entry (boot.ini boots x86 unless
   * it says x64; bcdedit's `increaseuserva`/`pae` exist on x86 only).
   */
  archSource: z.string().nullable(),
  /** The memory manager: nt5 (2000/XP/2003, fixed pool ranges) or nt6 (Vista and later, dynamic). */
  generation: Generation.nullable(),
  /** Which input told us. */
  source: z.string().nullable(),
});

export const BootFacts = z.object({
  threeGb: z.boolean().nullable(),
  /** `/USERVA=` in MB, or bcdedit `increaseuserva`. */
  userVaMb: z.number().nullable(),
  pae: z.boolean().nullable(),
  /** `boot.ini` or `bcdedit`. */
  source: z.string().nullable(),
  /**
   * x86 with /3GB, /USERVA or increaseuserva: the MB of address space the kernel keeps for every
   * pool, the system PTEs and the cache (4096 − the user space); null otherwise.
   */
  kernelSpaceMb: z.number().nullable(),
  /** The description of the default entry. */
  entry: z.string().nullable(),
  /** Switches of the default entry as written, for evidence (`/fastdetect /3GB`). */
  switchesText: z.string().nullable(),
});

interface BootChoice {
  description: string;
  source: string;
  threeGb: boolean;
  userVaMb: number | null;
  pae: boolean | null;
  switchesText: string;
  generationHint: "nt5" | "nt6";
  archHint: "x86" | "x64" | null;
}

function fromBootIni(entry: BootEntry): BootChoice {
  const s = entry.switches;
  const userVa = typeof s.USERVA === "number" ? s.USERVA : null;
  const text = Object.entries(s)
    .map(([k, v]) => (v === true ? `/${k}` : `/${k}=${v}`))
    .join(" ");
  const is64 = /x64|64-bit|itanium|ia64/i.test(entry.description);
  return {
    description: entry.description,
    source: "boot.ini",
    threeGb: s["3GB"] === true,
    userVaMb: userVa,
    pae: s.PAE === true ? true : s.NOPAE === true ? false : null,
    switchesText: text,
    generationHint: "nt5",
    // boot.ini boots x86 unless the description says x64; /3GB and /PAE only exist on x86.
    archHint: is64 ? "x64" : "x86",
  };
}

function fromBcd(entry: BcdEntry): BootChoice {
  const userVaText = entry.settings.increaseuserva;
  const userVa = userVaText !== undefined ? Number.parseInt(userVaText, 10) : Number.NaN;
  const pae = entry.settings.pae;
  const x86Only = userVaText !== undefined || pae !== undefined;
  return {
    description: entry.description ?? "Windows",
    source: "bcdedit",
    threeGb: Number.isFinite(userVa) && userVa > 2048,
    userVaMb: Number.isFinite(userVa) ? userVa : null,
    pae: pae === undefined ? null : /force ?enable/i.test(pae),
    switchesText: Object.entries(entry.settings)
      .filter(([k]) => ["increaseuserva", "pae", "nx", "removememory", "truncatememory"].includes(k))
      .map(([k, v]) => `${k} ${v}`)
      .join(", "),
    generationHint: "nt6",
    archHint: x86Only ? "x86" : null,
  };
}

/** The default entry of the first boot.ini, else the default loader of the first bcdedit output. */
function chooseBoot(inputs: TimedInput[]): BootChoice | null {
  for (const { payload: boot } of ofKind(inputs, "boot-ini")) {
    const entry = boot.entries.find((e) => e.isDefault) ?? boot.entries[0];
    if (entry) return fromBootIni(entry);
  }
  for (const { payload: entries } of ofKind(inputs, "bcdedit")) {
    const loaders = entries.filter((e) => /loader/i.test(e.type));
    const entry = loaders.find((e) => e.isDefault) ?? loaders[0];
    if (entry) return fromBcd(entry);
  }
  return null;
}

function familyOf(description: string, families: OsFamily[]): OsFamily | null {
  const lower = description.toLowerCase();
  // Longest match first, so "server 2008 r2" wins over "server 2008".
  let best: { family: OsFamily; length: number } | null = null;
  for (const family of families) {
    for (const m of family.match) {
      if (lower.includes(m) && (best === null || m.length > best.length)) best = { family, length: m.length };
    }
  }
  return best?.family ?? null;
}

export const bootSubject = defineSubject({
  doc: "The OS family, architecture and boot switches of the default boot entry (boot.ini, bcdedit).",
  schema: z.object({ os: OsFacts, boot: BootFacts }),
  needs: z.object({ machine: MachineFacts }),
  derive({ kb, inputs }, { machine }) {
    const boot = chooseBoot(inputs);
    // The boot entry names the OS it boots; other inputs (systeminfo, Event Log text) name it too.
    const name = boot?.description ?? machine.osName;
    const family = name !== null ? familyOf(name, kb.poolLimits.families) : null;
    // An input that names the architecture wins; then a product that ships for one only (2012 R2
    // is x64 whatever bcdedit omits); then what the boot entry implies.
    const arch = machine.arch ?? family?.onlyArch ?? boot?.archHint ?? null;
    const archSource =
      machine.arch !== null
        ? machine.archSource
        : family?.onlyArch !== undefined
          ? `${family.name}`
          : boot?.archHint
            ? boot.source
            : null;
    // /USERVA without /3GB is ignored by the loader; increaseuserva above 2048 is /3GB's successor.
    const x86Switches = arch === "x86" && boot !== null && boot.threeGb;
    return {
      os: {
        family: family?.family ?? null,
        name,
        arch,
        archSource,
        generation: family?.generation ?? boot?.generationHint ?? null,
        source: boot?.source ?? machine.osSource,
      },
      boot: {
        threeGb: boot ? boot.threeGb : null,
        userVaMb: boot?.userVaMb ?? null,
        pae: boot?.pae ?? null,
        source: boot?.source ?? null,
        kernelSpaceMb: x86Switches ? kernelSpaceMb({ threeGb: boot.threeGb, userVaMb: boot.userVaMb }) : null,
        entry: boot?.description ?? null,
        switchesText: boot?.switchesText ?? null,
      },
    };
  },
});
