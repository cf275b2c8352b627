// boot.ini, as an input kind: its operating-system entries are the records.
import { defineKind } from "../module.js";
import { bootIniLines } from "./lines.js";
import { parseBootIni } from "./parse.js";
import { BootConfig, BootEntry } from "./schema.js";

export const bootIni = defineKind({
  kind: "boot-ini",
  label: "a boot.ini",
  reads: "`boot.ini` (to spot `/3GB` and `/USERVA`)",
  schema: BootConfig,
  lines: bootIniLines,
  parse: (text, source) => [parseBootIni(text, source)],
  records: (data) => data.entries,
  recordSchema: BootEntry,
  detailsSchema: { timeout: BootConfig.shape.timeout },
  isEmpty: (data) => data.entries.length === 0 && data.timeout === null,
  details: (data) => ({ timeout: data.timeout }),
});
