// `systeminfo` output, as an input kind: one record (the OS, architecture and RAM it names).
import { defineKind } from "../module.js";
import { systeminfoLines } from "./lines.js";
import { parseSysteminfo } from "./parse.js";
import { SysteminfoData } from "./schema.js";

export const systeminfo = defineKind({
  kind: "systeminfo",
  label: "systeminfo output",
  reads: "`systeminfo`",
  schema: SysteminfoData,
  lines: systeminfoLines,
  parse: (text, source) => [parseSysteminfo(text, source)],
  records: (data) => [data],
  recordSchema: SysteminfoData,
  isEmpty: (data) => data.osName === null && data.totalPhysicalMemoryMb === null && data.systemType === null,
});
