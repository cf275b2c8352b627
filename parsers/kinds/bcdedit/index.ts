// `bcdedit /enum` output, as an input kind: its entries are the records.
import { defineKind } from "../module.js";
import { bcdeditLines } from "./lines.js";
import { parseBcdedit } from "./parse.js";
import { BcdEntry, BcdeditData } from "./schema.js";

export const bcdedit = defineKind({
  kind: "bcdedit",
  label: "bcdedit output",
  reads: "`bcdedit /enum` output",
  schema: BcdeditData,
  lines: bcdeditLines,
  parse: (text, source) => [parseBcdedit(text, source)],
  records: (data) => data.entries,
  recordSchema: BcdEntry,
  isEmpty: (data) => data.entries.length === 0,
});
