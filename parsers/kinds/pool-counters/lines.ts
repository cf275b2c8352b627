// Which lines belong to a pool-counters piece: Task Manager's Kernel Memory, `!vm`'s pool lines and
// perfmon's pool counters prove it; the lines around them (totals, banners, CSV rows) can belong.
import { TABLE_UNDERLINE } from "../../text.js";
import type { LineRecogniser, Strength } from "../module.js";

function poolCountersLine(line: string): Strength {
  if (/\(\s*\d+\s*Kb\s*\)/i.test(line)) {
    return /^\s*(?:NonPagedPool|PagedPool|Physical Memory)\b/i.test(line) ? 2 : 1;
  }
  if (/Pool (?:Nonpaged|Paged) (?:Bytes|Allocs|Resident Bytes)/i.test(line)) return 2;
  if (/^\s*Kernel Memory\s*\((?:K|MB)\)/i.test(line)) return 2;
  // `\s*(?::\s*)?` rather than `\s*:?\s*`: two adjacent space loops try every split of a run of
  // spaces before failing, quadratic in its length.
  if (/^\s*Non-?paged(?: pool)?\s*(?::\s*)?[\d,.]+/i.test(line)) return 2;
  if (/^\s*(?:Physical Memory|Commit Charge)\s*\((?:K|MB)\)/i.test(line)) return 1;
  if (
    /^\s*(?:Total|Paged(?: pool)?|Available|System Cache|Cached|Free|Limit|Peak|Handles|Threads|Processes|Committed|In use|Up Time)\s*(?::\s*)?[\d,.:]+/i.test(
      line,
    )
  ) {
    return 1;
  }
  if (/^\s*(?:Totals|System)\s*$/i.test(line)) return 1;
  if (/^\s*\*{3}.*\*{3}\s*$/.test(line)) return 1; // !vm banners
  if (/^\s*Page File\s*:/i.test(line)) return 1; // !vm
  if (/\d\s*Kb\b/i.test(line)) return 1; // !vm `Page File:` detail lines
  if (/^\s*Timestamp\s+CounterSamples\b/i.test(line)) return 1; // Get-Counter
  if (/^\s*"[^"]{0,40}\d/.test(line)) return 1; // typeperf CSV rows
  return 0;
}

/** Get-Counter values sit indented on the line under their counter path. */
function poolCountersContinuation(line: string): boolean {
  return /^\s+[\d.,]+\s*$/.test(line) || TABLE_UNDERLINE.test(line) || /^\s*-{3,}\s*$/.test(line);
}

export const poolCountersLines: LineRecogniser = {
  start: ({ line }) => poolCountersLine(line),
  continues: ({ line }) => {
    const s = poolCountersLine(line);
    if (s > 0) return s;
    return poolCountersContinuation(line) ? 1 : 0;
  },
};
