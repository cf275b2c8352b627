// The column names pool-tag scripts use (Export-Csv of custom objects, or of SYSTEM_POOLTAG's own
// fields), normalised: lower case, letters and digits only (`Bytes(MB)` → `bytesmb`).

export type Column =
  | "time"
  | "date"
  | "clock"
  | "tag"
  | "type"
  | "allocs"
  | "frees"
  | "diff"
  | "bytes"
  | "binary"
  | "pagedAllocs"
  | "pagedFrees"
  | "pagedBytes"
  | "nonpagedAllocs"
  | "nonpagedFrees"
  | "nonpagedBytes";

export type Unit = "bytes" | "KB" | "MB";

const NAMES: ReadonlyArray<[Column, readonly string[]]> = [
  ["time", ["datetime", "timestamp", "sampletime", "timecreated", "collected"]],
  ["date", ["date"]],
  ["clock", ["time"]],
  ["tag", ["tag", "pooltag", "tagname"]],
  ["type", ["type", "pooltype", "pool"]],
  ["allocs", ["allocs", "numberofallocs", "allocations"]],
  ["frees", ["frees", "numberoffrees"]],
  ["diff", ["diff", "outstanding", "allocsinuse"]],
  [
    "bytes",
    ["bytes", "numberofbytes", "used", "usedbytes", "bytesmb", "byteskb", "mb", "kb", "sizemb", "sizekb"],
  ],
  ["binary", ["binary", "driver", "mappeddriver", "module", "image"]],
  ["pagedAllocs", ["pagedallocs"]],
  ["pagedFrees", ["pagedfrees"]],
  ["pagedBytes", ["pagedused", "pagedbytes"]],
  ["nonpagedAllocs", ["nonpagedallocs"]],
  ["nonpagedFrees", ["nonpagedfrees"]],
  ["nonpagedBytes", ["nonpagedused", "nonpagedbytes"]],
];

export function normalise(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, "");
}

export function columnOf(name: string): Column | null {
  const n = normalise(name);
  for (const [column, names] of NAMES) if (names.includes(n)) return column;
  return null;
}

/** The unit a bytes column's name gives (`Bytes(MB)`, `SizeKB`); bytes otherwise. */
export function unitOfColumn(name: string): Unit {
  const n = normalise(name);
  if (n.endsWith("mb")) return "MB";
  if (n.endsWith("kb")) return "KB";
  return "bytes";
}
