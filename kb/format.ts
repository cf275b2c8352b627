// Value formats of templates: `{pool.usedShare|pct}`, `{pool.minutesToThreshold|duration}`. Facts
// hold plain numbers; how a number reads to a person is decided here, once, for every entry.

/** What kind of value a format reads; `kb validate` checks it against the fact's schema. */
export type FormatInput = "number" | "list";

export interface ValueFormat {
  /** One line for authors: what it prints. */
  doc: string;
  accepts: FormatInput;
  /** The text, or null when the value does not fit (the line is then left out). */
  apply(value: unknown): string | null;
}

const LIST_ITEMS = 5;

/**
 * Thousands separated as in English: 1234567.8 → `1,234,567.8` (what toLocaleString("en-US") gives,
 * without the tens of milliseconds its first call spends loading locale data).
 */
export function groupThousands(n: number): string {
  if (!Number.isFinite(n) || Math.abs(n) >= 1e21 || (n !== 0 && Math.abs(n) < 1e-6))
    return n.toLocaleString("en-US", { maximumFractionDigits: 20 });
  const [whole = "", fraction] = String(Math.abs(n)).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+$)/g, ",");
  return `${n < 0 ? "-" : ""}${grouped}${fraction === undefined ? "" : `.${fraction}`}`;
}

/** At most one decimal, thousands separated: 1234.56 → `1,234.6`. */
export function formatNumber(n: number): string {
  return groupThousands(Number.isInteger(n) ? n : Math.round(n * 10) / 10);
}

/** Minutes for people: `15 min`, `3 h 10 min`, `2 d 2 h` (at least a minute). */
export function formatDuration(minutes: number): string {
  const total = Math.max(1, Math.round(minutes));
  const days = Math.floor(total / 1440);
  const h = Math.floor((total % 1440) / 60);
  const m = total % 60;
  if (days > 0) return `${days} d ${h} h`;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  return `${m} min`;
}

function formatList(value: unknown): string | null {
  if (!Array.isArray(value) || value.length === 0) return null;
  return value
    .slice(0, LIST_ITEMS)
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

const numeric = (f: (n: number) => string) => (value: unknown) =>
  typeof value === "number" && Number.isFinite(value) ? f(value) : null;

export const FORMATS: Readonly<Record<string, ValueFormat>> = {
  int: {
    doc: "a whole number with thousands separators: 1,234",
    accepts: "number",
    apply: numeric((n) => groupThousands(Math.round(n))),
  },
  pct: {
    doc: "a share from 0 to 1 as a percentage: 0.63 → 63%",
    accepts: "number",
    apply: numeric((n) => `${Math.round(n * 100)}%`),
  },
  mb: {
    doc: "megabytes, one decimal at most: 68.9 → 68.9 MB",
    accepts: "number",
    apply: numeric((n) => `${formatNumber(n)} MB`),
  },
  duration: {
    doc: "a number of minutes as a duration: 739 → 12 h 19 min, 3000 → 2 d 2 h",
    accepts: "number",
    apply: numeric(formatDuration),
  },
  list: {
    doc: `the first ${LIST_ITEMS} items, comma-separated; {key, count} items read \`key (count)\``,
    accepts: "list",
    apply: formatList,
  },
};

/** A value as text: with its named format, or by its type (numbers, yes/no, text, lists). */
export function formatValue(value: unknown, format: string | undefined): string | null {
  if (value === undefined || value === null) return null;
  if (format !== undefined) return FORMATS[format]?.apply(value) ?? null;
  if (typeof value === "number") return formatNumber(value);
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "string") return value;
  return formatList(value);
}
