import type { Severity } from "../../kb/index.js";

export const SEVERITY_EMOJI: Record<Severity, string> = { critical: "🔴", warning: "🟠", info: "🔵" };
export const SEVERITY_LABEL: Record<Severity, string> = {
  critical: "Critical",
  warning: "Warning",
  info: "Info",
};
