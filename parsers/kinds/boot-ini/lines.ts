// Which lines belong to a boot.ini piece: its section headers and ARC paths prove it; `key=value`
// lines and other sections can belong to one.
import type { LineRecogniser, Strength } from "../module.js";

function bootIniLine(line: string): Strength {
  if (/^\s*\[\s*(?:boot loader|operating systems)\s*\]\s*$/i.test(line)) return 2;
  if (/^\s*(?:multi|scsi|signature)\([^)]{0,40}\)/i.test(line)) return 2;
  if (/^\s*default\s*=\s*(?:multi|scsi|signature)\(/i.test(line)) return 2;
  if (/^\s*\[[^\]]{1,40}\]\s*$/.test(line)) return 1;
  if (/^\s*(?:timeout|default|redirect|redirectbaudrate)\s*=/i.test(line)) return 1;
  if (/^\s*[A-Za-z]:\\[^=]{0,200}=/.test(line)) return 1;
  return 0;
}

export const bootIniLines: LineRecogniser = {
  start: ({ line }) => bootIniLine(line),
};
