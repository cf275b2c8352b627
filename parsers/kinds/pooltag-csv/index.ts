// CSV from PowerShell pool-tag scripts, as an input kind: one record per row (tag, sample).
import { defineKind } from "../module.js";
import { pooltagCsvLines } from "./lines.js";
import { parsePooltagCsv } from "./parse.js";
import { PooltagCsvData, PooltagRow } from "./schema.js";

export const pooltagCsv = defineKind({
  kind: "pooltag-csv",
  label: "a pool tag CSV",
  reads: "pool tag CSV from PowerShell scripts",
  schema: PooltagCsvData,
  lines: pooltagCsvLines,
  parse: (text, source) => [parsePooltagCsv(text, source)],
  records: (data) => data.rows,
  recordSchema: PooltagRow,
  detailsSchema: {
    columns: PooltagCsvData.shape.columns,
    unit: PooltagCsvData.shape.unit,
    layout: PooltagCsvData.shape.layout,
  },
  isEmpty: (data) => data.rows.length === 0,
  details: (data) => ({ columns: data.columns, unit: data.unit, layout: data.layout }),
});
