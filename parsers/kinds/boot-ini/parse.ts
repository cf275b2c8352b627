// boot.ini (NT 4 to Windows Server 2003) → entries with their switches and the default marked.
// `[boot loader]` gives timeout and default; every `[operating systems]` line is
// `<ARC path>="<description>" /SWITCH /SWITCH=value ...`. One pass over the lines.
import { readInt } from "../../numbers.js";
import type { KindInput } from "../module.js";
import type { BootConfig, BootEntry } from "./schema.js";

const ARC_RE = /^(?:multi|scsi|signature|eisa)\(/i;
const DOS_PATH_RE = /^[A-Za-z]:\\/;

function snippet(line: string): string {
  const t = line.trim();
  return t.length > 80 ? `${t.slice(0, 77)}...` : t;
}

/** Straightens the quotes a chat client or word processor curls. */
function straightQuotes(s: string): string {
  return s.replace(/[\u201c\u201d\u201e\u00ab\u00bb]/g, '"');
}

/**
 * An ARC path compared case-insensitively, without trailing backslashes. A loop rather than
 * `replace(/\\+$/, "")`, which restarts at every backslash of a long run (quadratic).
 */
function pathKey(p: string): string {
  const t = p.trim();
  let end = t.length;
  while (end > 0 && t[end - 1] === "\\") end--;
  return t.slice(0, end).toLowerCase();
}

/** `/3GB /USERVA=3030 /noexecute=optout` → `{ "3GB": true, USERVA: 3030, NOEXECUTE: "optout" }`. */
export function parseSwitches(text: string, warn: (w: string) => void): BootEntry["switches"] {
  const out: BootEntry["switches"] = {};
  for (const token of text.split(/\s+/)) {
    if (token === "") continue;
    if (!token.startsWith("/")) {
      warn(`unexpected text "${token}" among the switches`);
      continue;
    }
    const body = token.slice(1);
    if (body === "") continue;
    const eq = body.indexOf("=");
    if (eq === -1) {
      out[body.toUpperCase()] = true;
      continue;
    }
    const name = body.slice(0, eq).toUpperCase();
    const raw = body.slice(eq + 1);
    const n = /^\d/.test(raw) ? readInt(raw) : null;
    out[name] = n ?? raw;
  }
  return out;
}

/** Parses one `[operating systems]` line; null (and a warning) when it is not one. */
function parseOsLine(line: string, warn: (w: string) => void): BootEntry | null {
  const eq = line.indexOf("=");
  if (eq <= 0) {
    warn(`not an OS entry (no "="): "${snippet(line)}"`);
    return null;
  }
  const path = line.slice(0, eq).trim();
  let rest = line.slice(eq + 1).trim();
  let description = "";
  if (rest.startsWith('"')) {
    const close = rest.indexOf('"', 1);
    if (close === -1) {
      warn(`description without its closing quote: "${snippet(line)}"`);
      const slash = rest.search(/\s\//);
      description = (slash === -1 ? rest.slice(1) : rest.slice(1, slash)).trim();
      rest = slash === -1 ? "" : rest.slice(slash);
    } else {
      description = rest.slice(1, close);
      rest = rest.slice(close + 1);
    }
  } else {
    const slash = rest.search(/(?:^|\s)\//);
    description = (slash === -1 ? rest : rest.slice(0, slash)).trim();
    rest = slash === -1 ? "" : rest.slice(slash);
  }
  return { path, description, switches: parseSwitches(rest, warn), isDefault: false };
}

export function parseBootIni(text: string, source: string): KindInput<"boot-ini", BootConfig> {
  const warnings: string[] = [];
  const entries: BootEntry[] = [];
  let timeout: number | null = null;
  let defaultPath: string | null = null;
  let section: "loader" | "os" | "other" | null = null;

  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = straightQuotes(lines[i] as string).trim();
    const lineNo = i + 1;
    const warn = (w: string): void => {
      warnings.push(`line ${lineNo}: ${w}`);
    };
    if (line === "" || line.startsWith(";") || line.startsWith("#")) continue;
    if (line.startsWith("[")) {
      const name = line
        .slice(1, line.indexOf("]") === -1 ? undefined : line.indexOf("]"))
        .trim()
        .toLowerCase();
      section = name === "boot loader" ? "loader" : name === "operating systems" ? "os" : "other";
      if (section === "other") warn(`section [${name}] is not part of boot.ini; ignored`);
      continue;
    }
    const eq = line.indexOf("=");
    const key = eq > 0 ? line.slice(0, eq).trim().toLowerCase() : "";
    // Tolerate a paste that lost its section headers: keys and paths say which section they are.
    const isLoaderKey =
      key === "timeout" || key === "default" || key === "redirect" || key === "redirectbaudrate";
    const isOsLine = ARC_RE.test(line) || DOS_PATH_RE.test(line);
    if ((section === "loader" || section === null) && isLoaderKey) {
      const value = line.slice(eq + 1).trim();
      if (key === "timeout") {
        timeout = readInt(value);
        if (timeout === null) warn(`timeout "${value}" is not a number`);
      } else if (key === "default") {
        defaultPath = value;
      }
      continue;
    }
    if (section === "os" || (section !== "other" && isOsLine)) {
      const entry = parseOsLine(line, warn);
      if (entry) entries.push(entry);
      continue;
    }
    if (section === "other") continue;
    warn(`ignored: "${snippet(line)}"`);
  }

  if (entries.length === 0) {
    warnings.push("no [operating systems] entries found");
  } else {
    // NTLDR boots the first entry whose path matches default=, and the first entry when none does.
    // The default's key is computed once, not once per entry (a long default= × many entries).
    const wanted = defaultPath === null ? null : pathKey(defaultPath);
    const match = wanted === null ? undefined : entries.find((e) => pathKey(e.path) === wanted);
    if (defaultPath !== null && !match) {
      warnings.push(`default=${defaultPath} matches no entry; the first entry is the default`);
    }
    (match ?? (entries[0] as BootEntry)).isDefault = true;
  }
  return { kind: "boot-ini", source, warnings, data: { entries, timeout } };
}
