// `netsh http show servicestate`, as an input kind: its request queues are the records.
import { defineKind } from "../module.js";
import { netshServicestateLines } from "./lines.js";
import { parseNetshServicestate } from "./parse.js";
import { NetshServicestateData, RequestQueue } from "./schema.js";

export const netshServicestate = defineKind({
  kind: "netsh-servicestate",
  label: "netsh http show servicestate output",
  reads: "`netsh http show servicestate`",
  schema: NetshServicestateData,
  lines: netshServicestateLines,
  parse: (text, source) => [parseNetshServicestate(text, source)],
  records: (data) => data.queues,
  recordSchema: RequestQueue,
  detailsSchema: { view: NetshServicestateData.shape.view },
  isEmpty: (data) => data.queues.length === 0,
  details: (data) => ({ view: data.view }),
});
