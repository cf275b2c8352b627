// Which lines belong to a Task Manager piece: the Kernel Memory heading, a non-paged figure, the
// Windows 8+ pool and commit lines prove it; the other figures of the tab (totals, RAM, handles, up
// time, the Memory page's speed and slots) can belong to one.
import type { LineRecogniser, Strength } from "../module.js";

const STRONG: readonly RegExp[] = [
  /^\s*Kernel Memory\s*\((?:K|MB)\)/i,
  // `\s*(?::\s*)?` rather than `\s*:?\s*`: two adjacent space loops try every split of a run of
  // spaces before failing, quadratic in its length.
  /^\s*Non-?paged(?: pool)?\s*(?::\s*)?\d/i,
  // The Memory page, also when Slack joined its lines: `… Paged pool 624 MB Non-paged pool 461 MB …`.
  /\b(?:Non-)?paged pool\s+\d[\d.,]*\s*[MG]B\b/i,
  /\b(?:Nicht )?ausgelagerter Pool\s+\d[\d.,]*\s*[MG]B\b/i,
  /^\s*In use \(Compressed\)\s+\d/i,
  /^\s*Committed\s+\d[\d.,]*\/\d[\d.,]*\s*[MG]B\b/i,
];

const WEAK: readonly RegExp[] = [
  /^\s*(?:Physical Memory|Commit Charge|Commit)\s*\((?:K|MB|GB)\)/i,
  /^\s*(?:Totals|System|Memory|Arbeitsspeicher)\s*$/i,
  /^\s*(?:Total|Paged|Available|System Cache|Cached|Free|Limit|Peak|Handles|Threads|Processes|In use|Verfügbar|Im Cache|Zugesichert)\s*(?::\s*)?\d/i,
  /^\s*Up Time\s+\d{1,3}:\d{2}/i,
  /^\s*Page File\s+\d+M\/\d+M\s*$/i,
  /^\s*\d{1,4}(?:[.,]\d)?\s*[MG]B(?:\s+[A-Za-z0-9-]{2,12})?\s*$/,
  // The Memory page's first lines joined by Slack: `Memory 16.0 GB DDR4 Speed: 2400 MHz …`.
  /^\s*(?:Memory|Arbeitsspeicher)\s+\d{1,4}(?:[.,]\d)?\s*[MG]B\b/i,
  /^\s*(?:Speed|Slots used|Form factor|Hardware reserved|Virtual machine)\s*:/i,
];

function taskManagerLine(line: string): Strength {
  for (const re of STRONG) if (re.test(line)) return 2;
  for (const re of WEAK) if (re.test(line)) return 1;
  return 0;
}

export const taskManagerLines: LineRecogniser = {
  start: ({ line }) => taskManagerLine(line),
};
