// What the machine is, from every input that tells it: RAM, the Windows it runs and its architecture,
// how much memory is free, and the pool sizes a tool measured (Task Manager, the debugger's `!vm`,
// performance counters). Derived first, so the OS, boot and pool facts can fall back on it where
// boot.ini or bcdedit say nothing.
import { z } from "zod";
import type { CounterCsvData, EventRecord } from "../../parsers/evidence.js";
import { ofKind, ofKinds, type TimedInput } from "./inputs.js";
import { defineSubject, NO_NEEDS } from "./subject.js";

const KB_PER_MB = 1024;
const num = z.number().nullable();

/** `!vm` on Windows 8 and later prints 4294967296 pages (16 TB) as the pool maximum: no limit at all. */
const PLACEHOLDER_MAX_KB = 4294967296 * 4;

export const Arch = z.enum(["x86", "x64", "ia64"]);

/** Pool sizes as a tool measured them, in MB (the latest reading of each). */
export const MeasuredPool = z.object({
  nonpagedUsedMb: num,
  /** The non-paged pool's maximum as the tool reports it (`!vm` NonPagedPool Max; never Windows 8+'s 16 TB placeholder). */
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
  /** Physical memory available (free for use), MB: Task Manager, systeminfo, `!vm`, a counter. */
  availableMb: num,
  availableSource: z.string().nullable(),
  measured: MeasuredPool,
});
export type MachineFacts = z.infer<typeof MachineFacts>;

const mb = (kb: number | null | undefined): number | null =>
  kb === null || kb === undefined ? null : Math.round((kb / KB_PER_MB) * 10) / 10;

/** One look at the machine by one tool, in KB. */
interface Reading {
  source: string;
  ramKb: number | null;
  availableKb: number | null;
  nonpagedUsedKb: number | null;
  nonpagedMaxKb: number | null;
  pagedUsedKb: number | null;
  pagedMaxKb: number | null;
}

const realMax = (kb: number | null): number | null => (kb !== null && kb >= PLACEHOLDER_MAX_KB ? null : kb);

/** The counter named, in the last sample that has it (`Memory`, `Pool Nonpaged Bytes`). */
function lastCounter(data: CounterCsvData, object: string, counter: string): number | null {
  const k = data.counters.findIndex(
    (c) => c.object.toLowerCase() === object && c.counter.toLowerCase() === counter,
  );
  if (k === -1) return null;
  for (let s = data.samples.length - 1; s >= 0; s--) {
    const v = data.samples[s]?.values[k];
    if (v !== null && v !== undefined) return v;
  }
  return null;
}

/** Every reading, in input order (a later input is a later look at the machine). */
function readings(inputs: TimedInput[]): Reading[] {
  const out: Reading[] = [];
  const none = { nonpagedMaxKb: null, pagedMaxKb: null };
  for (const p of ofKinds(inputs, ["task-manager", "kd-vm", "counter-csv", "systeminfo", "poolmon"])) {
    switch (p.kind) {
      case "task-manager": {
        const d = p.payload;
        out.push({
          source: "task-manager",
          ramKb: d.physicalMemoryKb,
          availableKb: d.availableKb,
          nonpagedUsedKb: d.nonpagedUsedKb,
          pagedUsedKb: d.pagedUsedKb,
          ...none,
        });
        break;
      }
      case "kd-vm": {
        const d = p.payload;
        out.push({
          source: "kd-vm",
          ramKb: d.physicalMemoryKb,
          availableKb: d.availableKb,
          nonpagedUsedKb: d.nonpagedUsedKb,
          nonpagedMaxKb: realMax(d.nonpagedMaxKb),
          pagedUsedKb: d.pagedUsedKb,
          pagedMaxKb: realMax(d.pagedMaxKb),
        });
        break;
      }
      case "counter-csv": {
        const d = p.payload;
        const kb = (counter: string) => {
          const v = lastCounter(d, "memory", counter);
          return v === null ? null : v / 1024;
        };
        const availMb = lastCounter(d, "memory", "available mbytes");
        out.push({
          source: "perfmon",
          ramKb: null,
          availableKb: availMb === null ? null : availMb * KB_PER_MB,
          nonpagedUsedKb: kb("pool nonpaged bytes"),
          pagedUsedKb: kb("pool paged bytes"),
          ...none,
        });
        break;
      }
      case "systeminfo": {
        const d = p.payload;
        out.push({
          source: "systeminfo",
          ramKb: d.totalPhysicalMemoryMb === null ? null : d.totalPhysicalMemoryMb * KB_PER_MB,
          availableKb: d.availablePhysicalMemoryMb === null ? null : d.availablePhysicalMemoryMb * KB_PER_MB,
          nonpagedUsedKb: null,
          pagedUsedKb: null,
          ...none,
        });
        break;
      }
      case "poolmon": {
        const h = p.payload.header;
        out.push({
          source: "poolmon header (Memory:)",
          ramKb: h.memoryKb,
          availableKb: h.availKb,
          nonpagedUsedKb: null,
          pagedUsedKb: null,
          ...none,
        });
        break;
      }
    }
  }
  return out;
}

/** Exact RAM first: the debugger and systeminfo count it to the KB or MB, Task Manager 8+ rounds to 0.1 GB. */
const RAM_PRECISION = ["kd-vm", "systeminfo", "poolmon header (Memory:)", "task-manager"];

/** Windows Server releases an Event Log message may name (`… update for Windows Server 2012 R2 (KB…)`). */
const SERVER_IN_TEXT = /\bWindows Server (2003 R2|2003|2008 R2|2008|2012 R2|2012|2016|2019|2022|2025)\b/;

function osFromEvents(events: EventRecord[]): string | null {
  for (const e of events) {
    const m = SERVER_IN_TEXT.exec(e.message);
    if (m) return `Windows Server ${m[1]}`;
  }
  return null;
}

function osAndArch(inputs: TimedInput[]) {
  let osName: string | null = null;
  let osSource: string | null = null;
  let arch: MachineFacts["arch"] = null;
  let archSource: string | null = null;
  for (const { payload: s } of ofKind(inputs, "systeminfo")) {
    if (osName === null && s.osName !== null) [osName, osSource] = [s.osName, "systeminfo"];
    if (arch === null && s.arch !== null) [arch, archSource] = [s.arch, "systeminfo (System Type)"];
  }
  for (const { payload: v } of ofKind(inputs, "kd-vm")) {
    if (osName === null && v.osName !== null) [osName, osSource] = [v.osName, "kd-vm (debugger banner)"];
    if (arch === null && v.arch !== null) [arch, archSource] = [v.arch, `kd-vm (${v.archFrom ?? "banner"})`];
  }
  if (osName === null) {
    const named = osFromEvents(ofKind(inputs, "event").flatMap((t) => t.payload));
    if (named !== null) [osName, osSource] = [named, "event log text"];
  }
  return { osName, osSource, arch, archSource };
}

export const machineSubject = defineSubject({
  doc: "The machine: RAM, the Windows product and architecture, available memory, and pool sizes a tool measured.",
  schema: z.object({ machine: MachineFacts }),
  needs: NO_NEEDS,
  derive({ inputs }) {
    const all = readings(inputs);
    // The latest reading of each number wins: a later paste is a later look at the machine.
    const last = <K extends keyof Reading>(key: K) => all.findLast((r) => r[key] !== null);
    let ram: Reading | undefined;
    for (const source of RAM_PRECISION) {
      ram = all.findLast((r) => r.source === source && r.ramKb !== null);
      if (ram) break;
    }
    const available = last("availableKb");
    const pool = [last("nonpagedUsedKb"), last("nonpagedMaxKb"), last("pagedUsedKb"), last("pagedMaxKb")];
    return {
      machine: {
        ramMb: ram?.ramKb == null ? null : Math.round(ram.ramKb / KB_PER_MB),
        ramSource: ram?.source ?? null,
        ...osAndArch(inputs),
        availableMb: mb(available?.availableKb),
        availableSource: available?.source ?? null,
        measured: {
          nonpagedUsedMb: mb(pool[0]?.nonpagedUsedKb),
          nonpagedLimitMb: mb(pool[1]?.nonpagedMaxKb),
          pagedUsedMb: mb(pool[2]?.pagedUsedKb),
          pagedLimitMb: mb(pool[3]?.pagedMaxKb),
          source: pool.find((r) => r !== undefined)?.source ?? null,
        },
      },
    };
  },
});
