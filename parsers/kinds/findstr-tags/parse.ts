// `findstr /m /l TAG *.sys` (and `/c:"TAG "`, a path in the pattern, `/s`, `/i`) and PowerShell's
// `Select-String -Pattern TAG -SimpleMatch -List` over the driver files → which files hold the tag.
// The command line names the tag; each file name printed after it is a match (findstr `/m` prints
// names only; without `/m`, or from Select-String, a name is followed by `:line:text`, which is cut).
// A command with no file after it found nothing, which is kept too: the tag is not a plain string in
// those files. Several search words at once (`findstr /m "Abc1 Abc2"`) match either, so no file can
// be tied to one of them: the tag is then null.
import { promptOf } from "../../prompt.js";
import { splitLines } from "../../text.js";
import type { KindInput } from "../module.js";
import type { FindstrTagsData, TagSearch } from "./schema.js";

/** A file name or path ending in a driver-like extension, optionally followed by `:line:text`. */
const FILE = /^((?:[A-Za-z]:)?[^:*?"<>|]{0,400}?\.(?:sys|dll|exe|drv|efi|mui))(?::\d+:.*)?$/is;

/** Splits a command line into arguments, keeping quoted parts (`/c:"Ddk "`) whole. */
function argsOf(command: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  let has = false;
  for (const ch of command) {
    if (ch === '"') {
      quoted = !quoted;
      has = true;
      cur += ch;
    } else if (!quoted && (ch === " " || ch === "\t")) {
      if (has) out.push(cur);
      cur = "";
      has = false;
    } else {
      cur += ch;
      has = true;
    }
  }
  if (has) out.push(cur);
  return out;
}

/** Without its double quotes, or the single quote at either end (PowerShell's `'Abcd'`). */
function unquote(s: string): string {
  if (s.length >= 2 && s.startsWith('"') && s.endsWith('"')) return s.slice(1, -1);
  const from = s.startsWith("'") ? 1 : 0;
  return s.slice(from, s.length > from && s.endsWith("'") ? -1 : s.length);
}

/** Four characters, padded with spaces like poolmon's tags; null for anything that is not a tag. */
function asTag(text: string): string | null {
  if (text.length < 1 || text.length > 4 || text.includes('"') || /^\s/.test(text)) return null;
  return text.padEnd(4, " ");
}

/** The tag a findstr command line searches for, or null (several words, a /g: file, no search). */
function findstrTag(command: string): string | null {
  const args = argsOf(command).slice(1);
  let literal: string | null = null;
  const words: string[] = [];
  for (const a of args) {
    const lower = a.toLowerCase();
    if (lower.startsWith("/c:")) literal = unquote(a.slice(3));
    else if (lower.startsWith("/g:")) return null;
    else if (a.startsWith("/")) continue;
    else words.push(a);
  }
  if (literal !== null) return asTag(literal);
  // The first non-option argument is the search string; later ones are the files.
  const search = words[0];
  if (search === undefined) return null;
  const text = unquote(search);
  return /\s/.test(text.trim()) ? null : asTag(text.trim());
}

/** The tag of `Select-String -Pattern 'SysR'` (or `-SimpleMatch 'SysR'`, or the first positional). */
function selectStringTag(command: string): string | null {
  const args = argsOf(command);
  const at = args.findIndex((a) => /^Select-String$/i.test(a));
  if (at === -1) return null;
  for (let k = at + 1; k < args.length; k++) {
    const a = args[k] as string;
    if (a === "|") break;
    if (/^-Pattern$/i.test(a)) return asTag(unquote(args[k + 1] ?? ""));
  }
  const positional = args[at + 1];
  return positional !== undefined && !positional.startsWith("-") ? asTag(unquote(positional)) : null;
}

function basename(path: string): string {
  const cut = Math.max(path.lastIndexOf("\\"), path.lastIndexOf("/"));
  return path.slice(cut + 1);
}

export function parseFindstrTags(text: string, source: string): KindInput<"findstr-tags", FindstrTagsData> {
  const warnings: string[] = [];
  const searches: TagSearch[] = [];
  let current: TagSearch | null = null;
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const trimmed = line.trim();
    if (trimmed === "") continue;
    const prompt = promptOf(line);
    if (prompt !== null) {
      current = null;
      if (/^findstr(?:\.exe)?\s/i.test(prompt.command)) {
        current = {
          tag: findstrTag(prompt.command),
          tool: "findstr",
          command: prompt.command,
          files: [],
          drivers: [],
        };
      } else if (/\bSelect-String\b/i.test(prompt.command)) {
        current = {
          tag: selectStringTag(prompt.command),
          tool: "select-string",
          command: prompt.command,
          files: [],
          drivers: [],
        };
      }
      if (current) {
        if (current.tag === null) warnings.push(`line ${i + 1}: which tag this search is for is unclear`);
        searches.push(current);
      }
      continue;
    }
    if (/^(?:Path|-{2,})$/i.test(trimmed)) continue; // Select-Object Path's column title
    const file = FILE.exec(trimmed);
    if (file) {
      const name = file[1] as string;
      if (current === null) {
        // Names without the command that found them: which tag they hold is unknown.
        current = { tag: null, tool: "findstr", command: null, files: [], drivers: [] };
        searches.push(current);
        warnings.push(`line ${i + 1}: file names without the findstr command; the tag is unknown`);
      }
      if (!current.files.includes(name)) {
        current.files.push(name);
        current.drivers.push(basename(name));
      }
      continue;
    }
    if (current !== null) current = null; // other output (dir, type…) ends the list
  }
  return { kind: "findstr-tags", source, warnings, data: { searches } };
}
