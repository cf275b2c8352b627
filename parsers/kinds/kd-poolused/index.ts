// The kernel debugger's `!poolused`, as an input kind: one input per table, its tags the records.
import { defineKind } from "../module.js";
import { kdPoolusedLines } from "./lines.js";
import { parseKdPoolused } from "./parse.js";
import { KdPoolusedData, PoolusedRow } from "./schema.js";

export const kdPoolused = defineKind({
  kind: "kd-poolused",
  label: "debugger !poolused output",
  reads: "its `!poolused`",
  schema: KdPoolusedData,
  lines: kdPoolusedLines,
  parse: parseKdPoolused,
  records: (data) => data.rows,
  recordSchema: PoolusedRow,
  detailsSchema: {
    format: KdPoolusedData.shape.format,
    sortedBy: KdPoolusedData.shape.sortedBy,
    flags: KdPoolusedData.shape.flags,
    total: KdPoolusedData.shape.total,
  },
  isEmpty: (data) => data.rows.length === 0,
  details: (data) => ({ format: data.format, sortedBy: data.sortedBy, flags: data.flags, total: data.total }),
});
