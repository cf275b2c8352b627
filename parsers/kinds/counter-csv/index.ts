// Performance counter samples (typeperf, relog, Performance Monitor CSV, Get-Counter), as an input
// kind: one record per sample.
import { defineKind } from "../module.js";
import { counterCsvLines } from "./lines.js";
import { parseCounterCsv } from "./parse.js";
import { CounterCsvData, CounterSample } from "./schema.js";

export const counterCsv = defineKind({
  kind: "counter-csv",
  label: "performance counter samples",
  reads: "perfmon, `typeperf`, `relog` or `Get-Counter` counters",
  schema: CounterCsvData,
  lines: counterCsvLines,
  parse: (text, source) => [parseCounterCsv(text, source)],
  records: (data) => data.samples,
  recordSchema: CounterSample,
  detailsSchema: {
    form: CounterCsvData.shape.form,
    tool: CounterCsvData.shape.tool,
    timeZone: CounterCsvData.shape.timeZone,
    biasMinutes: CounterCsvData.shape.biasMinutes,
    counters: CounterCsvData.shape.counters,
    relog: CounterCsvData.shape.relog,
  },
  isEmpty: (data) => data.samples.length === 0 && data.relog === null,
  details: (data) => ({
    form: data.form,
    tool: data.tool,
    timeZone: data.timeZone,
    biasMinutes: data.biasMinutes,
    counters: data.counters,
    relog: data.relog,
  }),
});
