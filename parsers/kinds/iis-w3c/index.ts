// IIS W3C access logs (u_ex*.log), as an input kind: its requests are the records.
import { defineKind } from "../module.js";
import { iisW3cLines } from "./lines.js";
import { parseIisW3c } from "./parse.js";
import { IisRecord, IisW3cData } from "./schema.js";

export const iisW3c = defineKind({
  kind: "iis-w3c",
  label: "IIS access log lines",
  reads: "IIS access logs (`u_ex*.log`)",
  schema: IisW3cData,
  lines: iisW3cLines,
  parse: (text, source) => [parseIisW3c(text, source)],
  records: (data) => data.records,
  recordSchema: IisRecord,
  detailsSchema: {
    software: IisW3cData.shape.software,
    fields: IisW3cData.shape.fields,
    fieldSets: IisW3cData.shape.fieldSets,
    skipped: IisW3cData.shape.skipped,
  },
  count: (data) => data.records.length + data.skipped,
  isEmpty: (data) => data.records.length === 0,
  details: (data) => ({
    software: data.software,
    fields: data.fields,
    fieldSets: data.fieldSets,
    skipped: data.skipped,
  }),
});
