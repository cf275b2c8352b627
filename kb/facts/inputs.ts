// The one place kb reads parsed inputs. The parsers own the payload of each input kind and its
// field name; kb asks for "the poolmon snapshots" through ofKind (or for every pool-tag table through
// poolSnapshots), so when a payload moves only this file changes.
import type {
  BcdEntry,
  BootConfig,
  CounterCsvData,
  EventRecord,
  FindstrTagsData,
  HttperrSummary,
  IisW3cData,
  KdPoolusedData,
  KdVmData,
  NetshServicestateData,
  ParsedInput,
  ParsedOf,
  PoolmonHeader,
  PoolmonSnapshot,
  PoolRow,
  PooltagCsvData,
  SysteminfoData,
  TaskManagerData,
} from "../../parsers/evidence.js";
import { emptyHeader } from "../../parsers/index.js";

/** A parsed input and when it was captured (Slack message time, file time), when known. */
export interface TimedInput {
  input: ParsedInput;
  at?: number;
}

/** What each input kind carries, as the facts read it. */
export interface Payloads {
  httperr: HttperrSummary;
  poolmon: PoolmonSnapshot;
  "boot-ini": BootConfig;
  bcdedit: BcdEntry[];
  event: EventRecord[];
  "task-manager": TaskManagerData;
  systeminfo: SysteminfoData;
  "kd-vm": KdVmData;
  "kd-poolused": KdPoolusedData;
  "counter-csv": CounterCsvData;
  "netsh-servicestate": NetshServicestateData;
  "findstr-tags": FindstrTagsData;
  "pooltag-csv": PooltagCsvData;
  "iis-w3c": IisW3cData;
}
export type PayloadKind = keyof Payloads;

const PAYLOAD: { [K in PayloadKind]: (input: ParsedOf<K>) => Payloads[K] } = {
  httperr: (input) => input.data.summary,
  poolmon: (input) => input.data,
  "boot-ini": (input) => input.data,
  bcdedit: (input) => input.data.entries,
  event: (input) => input.data.events,
  "task-manager": (input) => input.data,
  systeminfo: (input) => input.data,
  "kd-vm": (input) => input.data,
  "kd-poolused": (input) => input.data,
  "counter-csv": (input) => input.data,
  "netsh-servicestate": (input) => input.data,
  "findstr-tags": (input) => input.data,
  "pooltag-csv": (input) => input.data,
  "iis-w3c": (input) => input.data,
};

export interface Timed<T> {
  payload: T;
  /** Capture time (epoch ms), when the surface knew it. */
  at?: number;
  /** The input's name (`file typeperf.txt`, `message 2#3`), for evidence that says where a figure came from. */
  source?: string;
}

/** The payloads of every input of one kind, in input order, with their capture times. */
export function ofKind<K extends PayloadKind>(inputs: TimedInput[], kind: K): Array<Timed<Payloads[K]>> {
  const out: Array<Timed<Payloads[K]>> = [];
  for (const { input, at } of inputs) {
    if (input.kind === kind)
      out.push({ payload: PAYLOAD[kind](input as ParsedOf<K>), at, source: input.source });
  }
  return out;
}

/** Any input's payload with its kind, for facts that read several kinds in the order they came. */
export type KindPayload = { [K in PayloadKind]: Timed<Payloads[K]> & { kind: K } }[PayloadKind];

/** The payloads of every input of the given kinds, in input order (a later input is a later look). */
export function ofKinds(inputs: TimedInput[], kinds: readonly PayloadKind[]): KindPayload[] {
  const out: KindPayload[] = [];
  for (const { input, at } of inputs) {
    if (!kinds.includes(input.kind)) continue;
    const payload = (PAYLOAD[input.kind] as (i: ParsedInput) => unknown)(input);
    out.push({ kind: input.kind, payload, at, source: input.source } as KindPayload);
  }
  return out;
}

/** The input kinds seen, sorted. */
export function kindsOf(inputs: TimedInput[]): string[] {
  return [...new Set(inputs.map((t) => t.input.kind))].sort();
}

// ---------- pool-tag tables, whatever tool printed them ----------

/**
 * One pool-tag table in poolmon's shape: a poolmon snapshot, a debugger `!poolused` table, or one
 * sample (one DateTime) of a pool-tag CSV. `header` has nulls where the tool says nothing; rows use
 * poolmon's counts (a count the tool does not print is 0, a delta null).
 */
export interface PoolSnapshot {
  origin: "poolmon" | "kd-poolused" | "pooltag-csv";
  /** poolmon's `legacy` / `wdk`; `kdexts` / `windbg10` for !poolused; `script` for a CSV. */
  tool: string;
  /** The time printed with it (poolmon's time line, the CSV's DateTime), as printed. */
  time: string | null;
  header: PoolmonHeader;
  rows: PoolRow[];
}

function row(
  tag: string,
  type: PoolRow["type"],
  outstanding: number,
  bytes: number,
  driver: string | null,
): PoolRow {
  return {
    tag,
    type,
    allocs: 0,
    allocsDelta: null,
    frees: 0,
    freesDelta: null,
    diff: outstanding,
    diffDelta: null,
    bytes,
    bytesDelta: null,
    perAlloc: null,
    mappedDriver: driver,
  };
}

/** A `!poolused` table: each tag gives a Nonp and a Paged row where it holds anything. */
function fromPoolused(data: KdPoolusedData): PoolSnapshot {
  const rows: PoolRow[] = [];
  for (const r of data.rows) {
    if (r.nonpagedAllocs > 0 || r.nonpagedBytes > 0)
      rows.push(row(r.tag, "Nonp", r.nonpagedAllocs, r.nonpagedBytes, r.binary));
    if (r.pagedAllocs > 0 || r.pagedBytes > 0)
      rows.push(row(r.tag, "Paged", r.pagedAllocs, r.pagedBytes, r.binary));
  }
  return { origin: "kd-poolused", tool: data.format, time: null, header: emptyHeader(), rows };
}

/** A pool-tag CSV: one table per DateTime, in the order the times first appear. */
function fromPooltagCsv(data: PooltagCsvData): PoolSnapshot[] {
  const byTime = new Map<string | null, PoolRow[]>();
  for (const r of data.rows) {
    if (r.type === null) continue;
    const rows = byTime.get(r.time) ?? [];
    if (rows.length === 0) byTime.set(r.time, rows);
    const outstanding = r.diff ?? 0;
    rows.push({
      ...row(r.tag, r.type, outstanding, r.bytes, r.binary),
      allocs: r.allocs ?? 0,
      frees: r.frees ?? 0,
    });
  }
  return [...byTime].map(([time, rows]) => ({
    origin: "pooltag-csv",
    tool: "script",
    time,
    header: emptyHeader(),
    rows,
  }));
}

/** Every pool-tag table of the incident in one shape, in input order (a CSV's samples in time order of appearance). */
export function poolSnapshots(inputs: TimedInput[]): Array<Timed<PoolSnapshot>> {
  const out: Array<Timed<PoolSnapshot>> = [];
  for (const { input, at } of inputs) {
    if (input.kind === "poolmon") out.push({ payload: { origin: "poolmon", ...input.data }, at });
    else if (input.kind === "kd-poolused") out.push({ payload: fromPoolused(input.data), at });
    else if (input.kind === "pooltag-csv")
      for (const s of fromPooltagCsv(input.data)) out.push({ payload: s, at });
  }
  return out;
}
