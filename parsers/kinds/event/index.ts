// Event Log text (Event Viewer, wevtutil, Get-WinEvent, Get-EventLog), as an input kind.
import { defineKind } from "../module.js";
import { eventLines } from "./lines.js";
import { parseEvents } from "./parse.js";
import { EventData, EventRecord } from "./schema.js";

export const event = defineKind({
  kind: "event",
  label: "Event Log text",
  reads: "Event Log entries copied from Event Viewer, `wevtutil qe /f:text` or `Get-WinEvent`",
  schema: EventData,
  lines: eventLines,
  parse: (text, source) => [parseEvents(text, source)],
  records: (data) => data.events,
  recordSchema: EventRecord,
  isEmpty: (data) => data.events.length === 0,
});
