// http.sys HTTPERR logs, as an input kind: records keyed by W3C field, and their summary.
import { defineKind } from "../module.js";
import { httperrLines } from "./lines.js";
import { parseHttperr } from "./parse.js";
import { HttperrData, HttperrRecord, HttperrSummary } from "./schema.js";

export const httperr = defineKind({
  kind: "httperr",
  label: "HTTPERR lines",
  reads:
    "http.sys HTTPERR log lines (with or without their #Fields header, e.g. `Connections_Refused`, " +
    "`Timer_ConnectionIdle`, 503 `QueueFull`)",
  schema: HttperrData,
  lines: httperrLines,
  parse: (text, source) => [parseHttperr(text, source)],
  records: (data) => data.records,
  recordSchema: HttperrRecord,
  detailsSchema: { summary: HttperrSummary },
  // A streamed log keeps no records; its summary still counts every line read.
  count: (data) => Math.max(data.records.length, data.summary.lines),
  isEmpty: (data) => data.records.length === 0 && data.summary.lines === 0,
  details: (data) => ({ summary: data.summary }),
});
