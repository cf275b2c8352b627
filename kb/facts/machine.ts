// What the machine is, from every input that tells it: RAM, the Windows it runs and its architecture,
// and the pool sizes a tool measured (Task Manager, the debugger's `!vm`, perfmon). Derived first, so
// the OS, boot and pool facts can fall back on it where boot.ini or bcdedit say nothing.
import { z } from "zod";
import { ofKind } from "./inputs.js";
import { defineSubject, NO_NEEDS } from "./subject.js";

const KB_PER_MB = 1024;
const num = z.number().nullable();

export const Arch = z.enum(["x86", "x64", "ia64"]);

/** Pool sizes as a tool measured them, in MB (the latest reading of each). */
export const MeasuredPool = z.object({
  nonpagedUsedMb: num,
  /** The non-paged pool's maximum as the tool reports it (`!vm` NonPagedPool Max, Task Manager 2003 Limit). */
  nonpagedLimitMb: num,
  pagedUsedMb: num,
  pagedLimitMb: num,
  /** Which tool the readings came from (`task-manager`, `kd-vm`, `perfmon`…), null when none. */
  source: z.string().nullable(),
});

export const MachineFacts = z.object({
  /** Physical memory in MB. */
  ramMb: num,
  /** Which input told the RAM. */
  ramSource: z.string().nullable(),
  /** The Windows product as an input named it (`Microsoft Windows Server 2012 R2 Standard`). */
  osName: z.string().nullable(),
  osSource: z.string().nullable(),
  arch: Arch.nullable(),
  archSource: z.string().nullable(),
  measured: MeasuredPool,
});
export type MachineFacts = z.infer<typeof MachineFacts>;

const mb = (kb: number | null | undefined): number | null =>
  kb === null || kb === undefined ? null : Math.round((kb / KB_PER_MB) * 10) / 10;

export const machineSubject = defineSubject({
  doc: "The machine: RAM, the Windows product and architecture, and pool sizes a tool measured.",
  schema: z.object({ machine: MachineFacts }),
  needs: NO_NEEDS,
  derive({ inputs }) {
    const counters = ofKind(inputs, "pool-counters").map((t) => t.payload);
    const snapshots = ofKind(inputs, "poolmon").map((t) => t.payload);
    // The latest reading of each number wins: a later paste is a later look at the machine.
    const last = <K extends keyof (typeof counters)[number]>(key: K) =>
      counters.findLast((c) => c[key] !== null);
    const ramCounter = last("physicalMemoryKb");
    const ramSnapshot = snapshots.findLast((s) => s.header.memoryKb !== null);
    const ramKb = ramCounter?.physicalMemoryKb ?? ramSnapshot?.header.memoryKb ?? null;
    const readings = [last("nonpagedUsedKb"), last("nonpagedMaxKb"), last("pagedUsedKb"), last("pagedMaxKb")];
    return {
      machine: {
        ramMb: ramKb === null ? null : Math.round(ramKb / KB_PER_MB),
        ramSource: ramCounter ? ramCounter.origin : ramSnapshot ? "poolmon header (Memory:)" : null,
        osName: null,
        osSource: null,
        arch: null,
        archSource: null,
        measured: {
          nonpagedUsedMb: mb(readings[0]?.nonpagedUsedKb),
          nonpagedLimitMb: mb(readings[1]?.nonpagedMaxKb),
          pagedUsedMb: mb(readings[2]?.pagedUsedKb),
          pagedLimitMb: mb(readings[3]?.pagedMaxKb),
          source: readings.find((r) => r !== undefined)?.origin ?? null,
        },
      },
    };
  },
});
