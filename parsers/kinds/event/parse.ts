// Event Log text → event records. Shapes:
//  - Event Viewer "Copy details as text" (Vista+): `Log Name:` … `Description:` then the message,
//    then `Event Xml:` (skipped);
//  - the Windows 2003 Event Viewer copy: `Event Type:` … `Description:` message, then `Data:` (skipped);
//  - `wevtutil qe … /f:text`: `Event[0]:` blocks with indented `Log Name:` … lines;
//  - PowerShell `Format-List` (`Key<spaces>: value`, wrapped values indented);
//  - PowerShell default tables: `Get-WinEvent` (`TimeCreated Id LevelDisplayName Message`, grouped
//    under `ProviderName: X`) and `Get-EventLog` (`Index Time EntryType Source InstanceID Message`).
// One pass over the lines.
import { readInt } from "../../numbers.js";
import type { KindInput } from "../module.js";
import type { EventData, EventRecord } from "./schema.js";

const MAX_WARNINGS = 50;

type Field =
  | "id"
  | "instanceId"
  | "source"
  | "level"
  | "date"
  | "timeOnly"
  | "created"
  | "computer"
  | "message";

/** Key names (lower-case, single spaces) → the field they fill. Other keys are read and dropped. */
const KEYS: Record<string, Field> = {
  "event id": "id",
  id: "id",
  eventid: "id",
  instanceid: "instanceId",
  source: "source",
  "event source": "source",
  providername: "source",
  level: "level",
  leveldisplayname: "level",
  "event type": "level",
  entrytype: "level",
  date: "date",
  time: "timeOnly",
  timecreated: "created",
  timegenerated: "created",
  computer: "computer",
  machinename: "computer",
  description: "message",
  message: "message",
};

/** Keys that always open a new event (the first key each tool prints). */
const START_KEYS = new Set(["log name", "event type"]);

const LEVELS = new Set([
  "error",
  "warning",
  "information",
  "informational",
  "critical",
  "verbose",
  "failureaudit",
  "successaudit",
  "fehler",
  "warnung",
  "informationen",
  "kritisch",
  "erreur",
  "avertissement",
  "critique",
]);

function snippet(line: string): string {
  const t = line.trim();
  return t.length > 80 ? `${t.slice(0, 77)}...` : t;
}

interface KeyLine {
  key: string;
  value: string;
  /** `Key   : value` (PowerShell Format-List) rather than `Key: value`. */
  spaced: boolean;
  indented: boolean;
}

/** Reads `Key: value` / `Key   : value`; null when the line is not one. */
function keyLine(line: string): KeyLine | null {
  const colon = line.indexOf(":");
  if (colon <= 0 || colon > 40) return null;
  const left = line.slice(0, colon);
  const name = left.trim();
  if (!/^[A-Za-z][A-Za-z0-9 ]*$/.test(name)) return null;
  const after = line[colon + 1];
  if (after !== undefined && after !== " " && after !== "\t") return null; // `8:01:44`, `http://`
  return {
    key: name.toLowerCase().replace(/\s+/g, " "),
    value: line.slice(colon + 1).trim(),
    spaced: /\s$/.test(left),
    indented: /^\s/.test(left),
  };
}

interface Draft {
  fields: Partial<Record<Field, string>>;
  keys: Set<string>;
  message: string[];
  line: number;
  /** Format-List record (`Key : value`). */
  spaced: boolean;
}

function newDraft(line: number): Draft {
  return { fields: {}, keys: new Set(), message: [], line, spaced: false };
}

/** Lines the Windows 2003 Event Viewer appends to every message. */
const BOILERPLATE = /^For more information, see Help and Support Center at/i;

/** `(\d+) tokens with their offsets`, in one pass. */
function tokenize(line: string): Array<{ text: string; start: number; end: number }> {
  const out: Array<{ text: string; start: number; end: number }> = [];
  const re = /\S+/g;
  for (let m = re.exec(line); m !== null; m = re.exec(line)) {
    out.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  }
  return out;
}

type TableKind = "winevent" | "eventlog";

/**
 * `   ProviderName: X` above a Get-WinEvent table. The `s` flag lets `.` take U+2028 too, so `(.*)$`
 * cannot fail and send the engine back into `\s*` for every split of the spaces (quadratic).
 */
const PROVIDER_GROUP = /^\s*ProviderName:\s*(.*)$/s;

function tableHeader(line: string): TableKind | null {
  const t = line.toLowerCase();
  if (/\btimecreated\b/.test(t) && /\bid\b/.test(t) && /\bmessage\b/.test(t)) return "winevent";
  if (/\bindex\b/.test(t) && /\bentrytype\b/.test(t) && /\binstanceid\b/.test(t)) return "eventlog";
  return null;
}

function isDigits(s: string): boolean {
  return /^\d+$/.test(s);
}

/** One `Get-WinEvent` table row: `<time…> <Id> <Level> <Message…>`. */
function wineventRow(line: string, provider: string | null): EventRecord | null {
  const toks = tokenize(line);
  let idAt = -1;
  for (let i = 1; i < toks.length; i++) {
    if (isDigits((toks[i] as { text: string }).text)) {
      idAt = i;
      break;
    }
  }
  if (idAt === -1) return null;
  const time = toks.slice(0, idAt).map((t) => t.text);
  if (!time.some((t) => /\d/.test(t))) return null;
  const id = readInt((toks[idAt] as { text: string }).text);
  if (id === null || id > 65535) return null;
  let msgAt = idAt + 1;
  let level: string | null = null;
  const lv = toks[idAt + 1];
  if (lv && LEVELS.has(lv.text.toLowerCase())) {
    level = lv.text;
    msgAt++;
  }
  const m = toks[msgAt];
  return {
    id,
    source: provider,
    level,
    time: time.join(" "),
    computer: null,
    message: m ? line.slice(m.start).trim() : "",
  };
}

/** One `Get-EventLog` table row: `<Index> <Time…> <EntryType> <Source…> <InstanceID> <Message…>`. */
function eventlogRow(line: string): EventRecord | null {
  const toks = tokenize(line);
  if (toks.length < 4 || !isDigits((toks[0] as { text: string }).text)) return null;
  let typeAt = -1;
  for (let i = 2; i < toks.length; i++) {
    if (LEVELS.has((toks[i] as { text: string }).text.toLowerCase())) {
      typeAt = i;
      break;
    }
  }
  if (typeAt === -1) return null;
  let instAt = -1;
  for (let i = typeAt + 2; i < toks.length; i++) {
    if (isDigits((toks[i] as { text: string }).text)) {
      instAt = i;
      break;
    }
  }
  if (instAt === -1) return null;
  const instance = readInt((toks[instAt] as { text: string }).text);
  if (instance === null) return null;
  const m = toks[instAt + 1];
  return {
    // The low 16 bits of the InstanceID are the event ID (3221227491 = 0xC00007E3 → 2019).
    id: instance % 65536,
    source: toks
      .slice(typeAt + 1, instAt)
      .map((t) => t.text)
      .join(" "),
    level: (toks[typeAt] as { text: string }).text,
    time: toks
      .slice(1, typeAt)
      .map((t) => t.text)
      .join(" "),
    computer: null,
    message: m ? line.slice(m.start).trim() : "",
  };
}

export function parseEvents(text: string, source: string): KindInput<"event", EventData> {
  const warnings: string[] = [];
  const warn = (w: string): void => {
    if (warnings.length < MAX_WARNINGS) warnings.push(w);
    else if (warnings.length === MAX_WARNINGS) warnings.push("more problems not listed");
  };
  const events: EventRecord[] = [];
  const lines = text.split(/\r\n|\r|\n/);

  let draft: Draft | null = null;
  /** Reading the message of `draft`; `skip` = in an `Event Xml:` or `Data:` tail. */
  let mode: "fields" | "message" | "skip" = "fields";
  let table: TableKind | null = null;
  let provider: string | null = null;

  const flush = (): void => {
    if (draft) {
      const d = draft;
      const f = d.fields;
      const idText = f.id ?? null;
      let id = idText !== null ? readInt(idText) : null;
      if (id === null && f.instanceId !== undefined) {
        const inst = readInt(f.instanceId);
        if (inst !== null) id = inst % 65536;
      }
      if (d.keys.size > 0) {
        // Event IDs are 16-bit; `99999999999999999999` is no ID (and no safe integer for the schema).
        if (id === null || id < 0 || id > 0xffff || !Number.isInteger(id)) {
          warn(`line ${d.line}: event without a readable Event ID${idText ? ` ("${idText}")` : ""}; skipped`);
        } else {
          const msg = d.message.filter((l) => !BOILERPLATE.test(l.trim()));
          const created =
            f.created ?? (f.date !== undefined && f.timeOnly ? `${f.date} ${f.timeOnly}` : f.date);
          events.push({
            id,
            source: f.source || null,
            level: f.level || null,
            time: created || null,
            computer: f.computer || null,
            // Format-List wraps at the console width: its line breaks are not the message's.
            message: msg.join(d.spaced ? " " : "\n").trim(),
          });
        }
      }
    }
    draft = null;
    mode = "fields";
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const lineNo = i + 1;
    const trimmed = line.trim();

    // A command prompt (`PS C:\> Get-WinEvent …`, `C:\>wevtutil …`) ends what came before.
    if (/^\s*(?:PS )?[A-Za-z]:\\[^>]{0,200}>/.test(line)) {
      flush();
      table = null;
      continue;
    }

    // ---- PowerShell tables ----
    const header = tableHeader(line);
    if (header && !keyLine(line)) {
      flush();
      table = header;
      continue;
    }
    if (table) {
      if (trimmed === "" || /^[-\s]+$/.test(trimmed)) continue;
      const group = PROVIDER_GROUP.exec(line);
      if (group) {
        provider = (group[1] ?? "").trim() || null;
        continue;
      }
      const row = table === "winevent" ? wineventRow(line, provider) : eventlogRow(line);
      if (row) {
        events.push(row);
        continue;
      }
      const last = events[events.length - 1];
      if (/^\s/.test(line) && last) {
        // `Format-Table -Wrap` continues a long message on indented lines.
        // Appended without re-trimming the whole message, which would re-scan it per line (quadratic).
        last.message = last.message === "" ? trimmed : `${last.message} ${trimmed}`;
        continue;
      }
      table = null; // something else starts here
    }
    // `Get-WinEvent` groups its table under `   ProviderName: X` (Format-List has `ProviderName : X`).
    const group = PROVIDER_GROUP.exec(line);
    if (group) {
      flush();
      provider = (group[1] ?? "").trim() || null;
      continue;
    }

    // ---- key/value shapes ----
    if (/^\s*Event\[\d+\]:\s*$/.test(line)) {
      flush();
      draft = newDraft(lineNo);
      continue;
    }
    const kv = keyLine(line);
    if (mode === "message" || mode === "skip") {
      const d = draft as Draft | null;
      const opensEvent = kv !== null && !kv.spaced && START_KEYS.has(kv.key);
      // A Format-List message ends at the next `Key : value` at the start of a line.
      const nextFlKey = d?.spaced === true && kv !== null && kv.spaced && !kv.indented;
      if (!opensEvent && !nextFlKey) {
        if (mode === "message" && d) {
          if (/^Event Xml:\s*$/i.test(trimmed) || (!d.spaced && /^Data:\s*$/.test(trimmed))) mode = "skip";
          else d.message.push(d.spaced ? trimmed : line.trimEnd()); // not /\s+$/: quadratic
        }
        continue;
      }
      mode = "fields";
    }
    if (trimmed === "") {
      // Format-List separates records with blank lines.
      if (draft !== null && (draft as Draft).spaced && (draft as Draft).keys.size > 0) flush();
      continue;
    }
    if (!kv) {
      warn(`line ${lineNo}: not part of an event, ignored: "${snippet(line)}"`);
      continue;
    }
    if (draft === null || START_KEYS.has(kv.key) || (draft as Draft).keys.has(kv.key)) {
      if (draft !== null && (draft as Draft).keys.size > 0) flush();
      draft ??= newDraft(lineNo);
    }
    const d = draft as Draft;
    if (d.keys.size === 0) d.spaced = kv.spaced;
    d.keys.add(kv.key);
    const field = KEYS[kv.key];
    if (field === "message") {
      if (kv.value !== "") d.message.push(kv.value);
      mode = "message";
    } else if (field === "level" && /^\d+$/.test(kv.value)) {
      // `Level : 2` of `Format-List *`; LevelDisplayName carries the word.
    } else if (field !== undefined && d.fields[field] === undefined) {
      d.fields[field] = kv.value;
    }
  }
  flush();
  if (events.length === 0) warnings.push("no events found");
  return { kind: "event", source, warnings, data: { events } };
}
