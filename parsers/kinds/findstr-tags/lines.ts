// Which lines belong to a findstr-tags piece: a `findstr` over driver files, or `Select-String` on
// them, typed at a prompt, proves it; the file names it printed (and Select-Object's `Path` column
// title) can belong to one.
import type { LineRecogniser, Strength } from "../module.js";

const PROMPT = String.raw`^\s*(?:[A-Za-z]:\\[^>]{0,200}>|PS(?: [^>]{0,200})?>)\s*`;
const STRONG: readonly RegExp[] = [
  new RegExp(`${PROMPT}findstr(?:\\.exe)?\\s.{0,400}\\.(?:sys|dll|exe)\\b`, "i"),
  new RegExp(`${PROMPT}.{0,400}\\bSelect-String\\b`, "i"),
];
const WEAK: readonly RegExp[] = [
  /^\s*(?:[A-Za-z]:)?[^:*?"<>|\s][^:*?"<>|]{0,400}\.(?:sys|dll|exe|drv)(?::\d+:.*)?\s*$/i,
  /^\s*Path\s*$/,
  /^\s*-{4}\s*$/,
];

function findstrLine(line: string): Strength {
  for (const re of STRONG) if (re.test(line)) return 2;
  for (const re of WEAK) if (re.test(line)) return 1;
  // A bare prompt (the next command's, or findstr's empty answer) may close a search.
  return /^\s*(?:[A-Za-z]:\\[^>]{0,200}>|PS [^>]{0,200}>)\s*$/.test(line) ? 1 : 0;
}

export const findstrTagsLines: LineRecogniser = {
  start: ({ line }) => findstrLine(line),
};
