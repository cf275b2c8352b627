// The kernel debugger's `!vm` and banner, as an input kind: one record.
import { defineKind } from "../module.js";
import { kdVmLines } from "./lines.js";
import { parseKdVm } from "./parse.js";
import { KdVmData } from "./schema.js";

export const kdVm = defineKind({
  kind: "kd-vm",
  label: "debugger !vm output",
  reads: "the debugger's `!vm`",
  schema: KdVmData,
  lines: kdVmLines,
  parse: (text, source) => [parseKdVm(text, source)],
  records: (data) => [data],
  recordSchema: KdVmData,
  isEmpty: (data) =>
    data.banner === null &&
    [data.physicalMemoryKb, data.nonpagedUsedKb, data.pagedUsedKb, data.nonpagedMaxKb, data.pagedMaxKb].every(
      (v) => v === null,
    ),
});
