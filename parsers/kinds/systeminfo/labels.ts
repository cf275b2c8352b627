// systeminfo's labels in the languages we have seen, mapped to the payload's fields. The values of
// System Type are never translated; other languages are read through value shapes (parse.ts).

export type SysteminfoField =
  | "hostName"
  | "osName"
  | "osVersion"
  | "bootTime"
  | "upTime"
  | "systemManufacturer"
  | "systemModel"
  | "systemType"
  | "processors"
  | "timeZone"
  | "totalPhysicalMemoryMb"
  | "availablePhysicalMemoryMb"
  | "hotfixes";

/** Lower-cased label → [field, language]. */
export const LABELS: ReadonlyMap<string, [SysteminfoField, "en" | "de"]> = new Map([
  ["host name", ["hostName", "en"]],
  ["os name", ["osName", "en"]],
  ["os version", ["osVersion", "en"]],
  ["system boot time", ["bootTime", "en"]],
  ["system up time", ["upTime", "en"]],
  ["system manufacturer", ["systemManufacturer", "en"]],
  ["system model", ["systemModel", "en"]],
  ["system type", ["systemType", "en"]],
  ["processor(s)", ["processors", "en"]],
  ["time zone", ["timeZone", "en"]],
  ["total physical memory", ["totalPhysicalMemoryMb", "en"]],
  ["available physical memory", ["availablePhysicalMemoryMb", "en"]],
  ["hotfix(s)", ["hotfixes", "en"]],
  ["hostname", ["hostName", "de"]],
  ["betriebssystemname", ["osName", "de"]],
  ["betriebssystemversion", ["osVersion", "de"]],
  ["systemstartzeit", ["bootTime", "de"]],
  ["systemhersteller", ["systemManufacturer", "de"]],
  ["systemmodell", ["systemModel", "de"]],
  ["systemtyp", ["systemType", "de"]],
  ["prozessor(en)", ["processors", "de"]],
  ["zeitzone", ["timeZone", "de"]],
  ["gesamter physischer speicher", ["totalPhysicalMemoryMb", "de"]],
  ["verfügbarer physischer speicher", ["availablePhysicalMemoryMb", "de"]],
  ["hotfix(es)", ["hotfixes", "de"]],
] as const);
