// poolmon tables, as an input kind: one input per snapshot, its rows the records.
import { defineKind } from "../module.js";
import { poolmonLines } from "./lines.js";
import { parsePoolmon } from "./parse.js";
import { PoolmonHeader, PoolmonSnapshot, PoolRow } from "./schema.js";

export const poolmon = defineKind({
  kind: "poolmon",
  label: "a poolmon table",
  reads:
    "`poolmon` tables (the Support Tools or WDK tool, e.g. `poolmon -b`, with the Memory:/Commit: header)",
  schema: PoolmonSnapshot,
  lines: poolmonLines,
  parse: parsePoolmon,
  records: (data) => data.rows,
  recordSchema: PoolRow,
  detailsSchema: {
    header: PoolmonHeader,
    tool: PoolmonSnapshot.shape.tool,
    time: PoolmonSnapshot.shape.time,
  },
  isEmpty: (data) => data.rows.length === 0 && Object.values(data.header).every((v) => v === null),
  details: (data) => ({ header: data.header, tool: data.tool, time: data.time }),
});
