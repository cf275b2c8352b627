// Pool counters (Task Manager, the debugger's `!vm`, perfmon), as an input kind: one record.
import { defineKind } from "../module.js";
import { poolCountersLines } from "./lines.js";
import { parsePoolCounters } from "./parse.js";
import { PoolCounters } from "./schema.js";

export const poolCounters = defineKind({
  kind: "pool-counters",
  label: "pool counters",
  reads:
    "pool counters from Task Manager (Kernel Memory), the debugger's `!vm` or perfmon (Pool Nonpaged Bytes)",
  schema: PoolCounters,
  lines: poolCountersLines,
  parse: (text, source) => [parsePoolCounters(text, source)],
  records: (data) => [data],
  recordSchema: PoolCounters,
  isEmpty: (data) => {
    const { origin: _origin, ...numbers } = data;
    return Object.values(numbers).every((v) => v === null);
  },
});
