// Fills `{fact.path}` and `{fact.path|format}` placeholders. A template that names a missing fact
// yields null, so the line is left out rather than shown with a hole in it.

import type { Facts } from "./facts.js";
import { factAt } from "./facts-path.js";

const PLACEHOLDER = /\{([A-Za-z0-9_.%/-]+)(?:\|([a-z]+))?\}/g;

function formatNumber(n: number): string {
  const rounded = Number.isInteger(n) ? n : Math.round(n * 10) / 10;
  return rounded.toLocaleString("en-US", { maximumFractionDigits: 1 });
}

function formatList(value: unknown): string | null {
  if (!Array.isArray(value) || value.length === 0) return null;
  return value
    .slice(0, 5)
    .map((item) => {
      if (item && typeof item === "object" && "key" in item && "count" in item) {
        // A sketch's count is an upper bound: show the range it stands for.
        const count = Number(item.count);
        const over = "overcount" in item ? Number(item.overcount) : 0;
        const shown = over > 0 ? `${formatNumber(count - over)}–${formatNumber(count)}` : formatNumber(count);
        return `${String(item.key)} (${shown})`;
      }
      return String(item);
    })
    .join(", ");
}

export function formatValue(value: unknown, format: string | undefined): string | null {
  if (value === undefined || value === null) return null;
  switch (format) {
    case "pct":
      return typeof value === "number" ? `${Math.round(value * 100)}%` : null;
    case "list":
      return formatList(value);
    case "int":
      return typeof value === "number" ? Math.round(value).toLocaleString("en-US") : null;
    default:
      if (typeof value === "number") return formatNumber(value);
      if (typeof value === "boolean") return value ? "yes" : "no";
      if (typeof value === "string") return value;
      return formatList(value);
  }
}

export function fill(template: string, facts: Facts): string | null {
  let missing = false;
  const out = template.replace(PLACEHOLDER, (_, path: string, format: string | undefined) => {
    const text = formatValue(factAt(facts, path), format);
    if (text === null) missing = true;
    return text ?? "";
  });
  return missing ? null : out;
}
