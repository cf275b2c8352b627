// Finds the pieces inside a chat message or a file: HTTPERR lines, poolmon tables, boot.ini,
// bcdedit, Event Log text, pool counters, with the prose around them dropped. Two steps:
// normalizePaste undoes what Slack and copy/paste do to text; splitPieces walks the lines once,
// classifying each line with cheap anchored checks, and groups runs of lines of one kind.
import type { InputKind, Piece } from "./evidence.js";
import { isHttperrLine } from "./httperr.js";
import { isIsoDate, splitLines, tokens, trimStartAll } from "./text.js";

// ---------- normalisation ----------

/** Slack's link markup: `<http://boot.ini|boot.ini>` (auto-linked text) or `<https://x>`. */
const SLACK_LINK = /<((?:https?|mailto|ftp):[^<>|\s]*)(?:\|([^<>]*))?>/g;

/** A fence's language tag: one word alone on the fence's line (```log, ```text, ```boot.ini). */
const FENCE_TAG = /^[A-Za-z0-9_+.-]{1,20}[ \t]*\n/;

/**
 * Undoes what chat and copy/paste do to text: CRLF/CR → LF; NBSP, narrow NBSP, figure space and the
 * other Unicode spaces → space (tabs stay, they separate columns); zero-width characters removed;
 * Slack link markup unwrapped to its label; Slack's entity escaping decoded (`&lt;` `&gt;` `&amp;`,
 * `&amp;` last so that `&amp;gt;` stays `&gt;`); Slack quote markers (`> `, `>>> `) stripped; code
 * fences unwrapped (with or without a language tag, also inline on a line of text); a line wrapped
 * whole in single backticks unwrapped. Each fence becomes a blank line (a boundary between pieces):
 * a fence alone on its line keeps the line numbers of the original message, an inline fence adds
 * lines.
 */
export function normalizePaste(text: string): string {
  let s = text.replace(/\r\n?/g, "\n");
  s = s.replace(/\u200B|\u200C|\u200D|\u2060|\uFEFF/g, "");
  s = s.replace(/[\u00A0\u202F\u2000-\u200A\u205F\u3000]/g, " ");
  s = s.replace(SLACK_LINK, (_m, url: string, label: string | undefined) => label ?? url);
  s = s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  s = s.replace(/^(?:>>>|>) ?/gm, "");
  s = unwrapFences(s);
  s = s.replace(/^([ \t]*)`([^`\n]+)`[ \t]*$/gm, "$1$2");
  return s;
}

function unwrapFences(s: string): string {
  if (!s.includes("```")) return s;
  const parts = s.split("```");
  // Chunks and the last character written, rather than `out +=` and `out.endsWith`, which can
  // flatten a growing rope on every fence (quadratic on a message of thousands of backticks).
  const out: string[] = [parts[0] as string];
  let last = (parts[0] as string).at(-1) ?? "";
  for (let i = 1; i < parts.length; i++) {
    let part = parts[i] as string;
    // Odd parts are inside a fence; a lone word right after the opening fence is a language tag.
    if (i % 2 === 1) part = part.replace(FENCE_TAG, "\n");
    // The fence becomes a blank line of its own: a fence is a boundary (text after a closing fence
    // is not part of the block), and a fence already alone on its line keeps the line count.
    if (last !== "" && last !== "\n") {
      out.push("\n");
      last = "\n";
    }
    if (part.length === 0) continue;
    if (!part.startsWith("\n")) out.push("\n");
    out.push(part);
    last = part.at(-1) as string;
  }
  return out.join("");
}

// ---------- line classification ----------
// Each classifier says how strongly a line belongs to its kind: 0 not at all, 1 it can belong to a
// piece of the kind (headers, continuation lines, generic `key=value`), 2 it proves the kind. A
// piece is kept only if it holds at least one line of strength 2, so that a stray `timeout=30` or
// `Date: yesterday` in prose does not become evidence.

type Strength = 0 | 1 | 2;

const ISO_DATE_START = /^\d{4}-\d{2}-\d{2}(?:\s|$)/;

function httperrLine(line: string): Strength {
  const t = trimStartAll(line);
  if (t.length === 0) return 0;
  if (t[0] === "#") {
    if (isHttperrLine(t)) return 2;
    return /^#(?:Software|Version|Date|Fields|Remark|Start-Date|End-Date)\s*:/i.test(t) ? 1 : 0;
  }
  if (!isIsoDate(t.slice(0, 10))) return 0;
  if (isHttperrLine(t)) return 2;
  // A line cut short keeps its date: it stays in the piece (the parser counts it as skipped).
  return ISO_DATE_START.test(t) ? 1 : 0;
}

const POOL_TYPES = new Set(["nonp", "paged"]);

function isPoolmonRow(line: string): boolean {
  const tok = tokens(line);
  if (tok.length < 5) return false;
  // The tag is four characters and may hold spaces (`Irp `, `I o`), so the type is token 1 to 3.
  let tagLength = 0;
  for (let k = 1; k <= 3 && k < tok.length - 1; k++) {
    tagLength += (tok[k - 1] as string).length;
    if (tagLength > 4) return false;
    if (POOL_TYPES.has((tok[k] as string).toLowerCase())) return /^\d/.test(tok[k + 1] as string);
  }
  return false;
}

function poolmonLine(line: string): Strength {
  // Values may be grouped (`4,193,848K`, `4'193'848K`), as the poolmon parser reads them.
  if (/^\s*Memory:\s*\d[\d,.'\u2019]*\s*K\b.*Avail/i.test(line)) return 2;
  if (/^\s*Commit:\s*\d[\d,.'\u2019]*\s*K\b/i.test(line)) return 2;
  if (/^\s*Tag\s+Type\s+Allocs\b/i.test(line)) return 2;
  if (isPoolmonRow(line)) return 2;
  if (/^\s*System pool information/i.test(line)) return 1;
  // What people paste above a table to say when it was taken: `echo %date% %time%` or the prompt.
  if (LONE_TIME.test(line)) return 1;
  if (/^\s*(?:[A-Za-z]:\\[^>]{0,200}>\s*)?poolmon(?:\.exe)?(?:\s|$)/i.test(line)) return 1;
  return 0;
}

/** A date and time alone on a line (`Fri 03/01/2024  9:00:04.17`, `2024-03-01 09:00:04`). */
const LONE_TIME =
  /^\s*(?:[A-Za-z]{3},?\s+)?(?:\d{4}-\d{2}-\d{2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})[ T,]+\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?(?:\s?[AaPp][Mm])?\s*$/;

function bootIniLine(line: string): Strength {
  if (/^\s*\[\s*(?:boot loader|operating systems)\s*\]\s*$/i.test(line)) return 2;
  if (/^\s*(?:multi|scsi|signature)\([^)]{0,40}\)/i.test(line)) return 2;
  if (/^\s*default\s*=\s*(?:multi|scsi|signature)\(/i.test(line)) return 2;
  if (/^\s*\[[^\]]{1,40}\]\s*$/.test(line)) return 1;
  if (/^\s*(?:timeout|default|redirect|redirectbaudrate)\s*=/i.test(line)) return 1;
  if (/^\s*[A-Za-z]:\\[^=]{0,200}=/.test(line)) return 1;
  return 0;
}

const BCD_UNDERLINE = /^\s*-{3,}\s*$/;
const BCD_KNOWN_TITLE =
  /^\s*(?:Windows Boot (?:Manager|Loader)|Windows Legacy OS Loader|Firmware Boot Manager|Windows Memory Tester|Resume from Hibernate|Real-mode Boot Sector|Windows Setup|Device options|Debugger Settings|EMS Settings|Hypervisor Settings|Boot Loader Settings|Resume Loader Settings|Global Settings|Firmware Application \(\w+\))\s*$/i;
const BCD_SETTING =
  /^\s*(?:identifier|device|path|description|locale|inherit|default|resumeobject|displayorder|toolsdisplayorder|timeout|recoverysequence|recoveryenabled|osdevice|systemroot|nx|pae|increaseuserva|detecthal|bootmenupolicy|displaybootmenu|badmemoryaccess|bootdebug|bootems|bootstatuspolicy|debug|ems|testsigning|nointegritychecks|kernel|hal|truncatememory|removememory|numproc|onecpu|quietboot|sos|bootlog|safeboot|hypervisorlaunchtype|isolatedcontext|allowedinmemorysettings|flightsigning|filedevice|filepath|custom:\w+|usefirmwarepcisettings|integrityservices|elementsoftware|avoidlowmemory|nolowmem|useplatformclock|disabledynamictick|tscsyncpolicy|vga|hypervisordebug|debugtype|debugport|baudrate|bootux|graphicsmodedisabled|keyringaddress)\s+\S/i;

function bcdLine(lines: readonly string[], i: number): Strength {
  const line = lines[i] as string;
  if (/^\s*identifier\s+\{/i.test(line)) return 2;
  if (BCD_KNOWN_TITLE.test(line)) return 2;
  const next = lines[i + 1];
  if (next !== undefined && BCD_UNDERLINE.test(next) && /^\S.{0,79}$/.test(line)) return 1;
  if (BCD_UNDERLINE.test(line)) return 1;
  if (BCD_SETTING.test(line)) return 1;
  // Unknown element names: lower-case, the value aligned two or more spaces away (bcdedit pads).
  if (/^[a-z][a-z0-9]{1,40}(?::[a-z0-9]{1,40})?(?: {2,}|\t)\S/.test(line)) return 1;
  return 0;
}

/** Multi-value bcdedit settings (displayorder) wrap onto lines indented to the value column. */
function bcdContinuation(line: string): boolean {
  return /^\s{8,}\S/.test(line);
}

type EventMode = "keys" | "description" | "table" | "xml";

const EVENT_STRONG_KEY =
  /^\s*(?:Log ?Name|Event ?ID|Event Type|Event Source|Event Category|InstanceId|ProviderName|TimeCreated|LevelDisplayName|EntryType)\s*:/i;
const EVENT_WEAK_KEY =
  /^\s*(?:Source|Date|Time|Task Category|Task|Level|Keywords?|User|User ?Name|Computer|Opcode|Record ?Id|Activity ?Id|Related ?Activity ?Id|Id|Version|Qualifiers|ProviderId|ProcessId|ThreadId|MachineName|UserId|ContainerLog|MatchedQueryIds|Bookmark|OpcodeDisplayName|TaskDisplayName|KeywordsDisplayNames|Properties|Index|Category|CategoryNumber|ReplacementStrings|TimeGenerated|TimeWritten|Site|Container)\s*:/i;
/** Keys after which free text follows (the message), up to a blank line. */
const EVENT_TEXT_KEY = /^\s*(?:Description|Message|Data)\s*:/i;
const EVENT_XML_KEY = /^\s*Event Xml\s*:/i;
const EVENT_RECORD = /^\s*Event\[\d+\]\s*:/i;
const EVENT_TABLE_TITLE =
  /^\s*(?:TimeCreated\s+Id\s+LevelDisplayName\s+Message|Index\s+Time\s+EntryType\s+Source\s+InstanceI[Dd]\s+Message)\b/i;
const TABLE_UNDERLINE = /^\s*-{2,}(?:\s+-{2,})+\s*$/;
/** Get-WinEvent rows start with a date (`11/13/2007 8:01:44 PM`), Get-EventLog rows with the index. */
const EVENT_TABLE_ROW =
  /^\s*(?:\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\s+\d{1,2}:\d{2}|\d+\s+[A-Za-z]{3}\s+\d{1,2}\s+\d{1,2}:\d{2})/;
/** Lines that belong to an event's text after a blank line (2003's footer, data dumps, XML). */
const EVENT_TEXT_AFTER_BLANK =
  /^\s*(?:For more information, see Help and Support Center|Data\s*:|[0-9a-f]{4}:\s|<|The following information)/i;

/** Strength of a line as the start of (or a key line inside) an event piece, and the mode it sets. */
function eventLine(line: string): { strength: Strength; mode: EventMode } {
  if (EVENT_RECORD.test(line)) return { strength: 2, mode: "keys" };
  if (EVENT_TABLE_TITLE.test(line)) return { strength: 2, mode: "table" };
  if (EVENT_TEXT_KEY.test(line)) return { strength: 1, mode: "description" };
  if (EVENT_XML_KEY.test(line)) return { strength: 1, mode: "xml" };
  if (EVENT_STRONG_KEY.test(line)) return { strength: 2, mode: "keys" };
  if (EVENT_WEAK_KEY.test(line)) return { strength: 1, mode: "keys" };
  return { strength: 0, mode: "keys" };
}

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

const KINDS: readonly InputKind[] = ["httperr", "poolmon", "boot-ini", "bcdedit", "event", "pool-counters"];

function strengthOf(kind: InputKind, lines: readonly string[], i: number): Strength {
  const line = lines[i] as string;
  switch (kind) {
    case "httperr":
      return httperrLine(line);
    case "poolmon":
      return poolmonLine(line);
    case "boot-ini":
      return bootIniLine(line);
    case "bcdedit":
      return bcdLine(lines, i);
    case "event":
      return eventLine(line).strength;
    case "pool-counters":
      return poolCountersLine(line);
  }
}

/** The kind a line would start a piece of: the strongest claim, ties to the earlier kind in KINDS. */
function startOf(lines: readonly string[], i: number): { kind: InputKind; strength: Strength } | null {
  let best: { kind: InputKind; strength: Strength } | null = null;
  for (const kind of KINDS) {
    const strength = strengthOf(kind, lines, i);
    if (strength > 0 && (best === null || strength > best.strength)) best = { kind, strength };
    if (strength === 2) break;
  }
  return best;
}

/** True when some kind other than `kind` claims the line outright (strength 2). */
function provesOther(kind: InputKind, lines: readonly string[], i: number): boolean {
  for (const other of KINDS) {
    if (other !== kind && strengthOf(other, lines, i) === 2) return true;
  }
  return false;
}

interface Open {
  kind: InputKind;
  start: number;
  /** Last non-blank line of the piece. */
  end: number;
  strong: boolean;
  mode: EventMode;
}

/** How a line continues the open piece: 0 it does not, else its strength for the piece's kind. */
function continues(open: Open, lines: readonly string[], i: number, afterBlank: boolean): Strength {
  const line = lines[i] as string;
  switch (open.kind) {
    case "event":
      return continuesEvent(open, lines, i, afterBlank);
    case "bcdedit": {
      const s = bcdLine(lines, i);
      if (s > 0) return s;
      return !afterBlank && bcdContinuation(line) ? 1 : 0;
    }
    case "pool-counters": {
      const s = poolCountersLine(line);
      if (s > 0) return s;
      return poolCountersContinuation(line) ? 1 : 0;
    }
    default:
      return strengthOf(open.kind, lines, i);
  }
}

function continuesEvent(open: Open, lines: readonly string[], i: number, afterBlank: boolean): Strength {
  const line = lines[i] as string;
  if (open.mode === "xml" && !afterBlank) {
    // Event Viewer's XML view runs to `</Event>`; what follows is no longer the event's text.
    if (/^\s*<\/Event>/.test(line)) open.mode = "keys";
    if (/^\s*</.test(line)) return 1;
  }
  const key = eventLine(line);
  if (key.strength > 0) {
    open.mode = key.mode;
    return key.strength;
  }
  if (afterBlank) {
    if (open.mode === "table" && (EVENT_TABLE_ROW.test(line) || TABLE_UNDERLINE.test(line))) return 1;
    if (EVENT_TEXT_AFTER_BLANK.test(line)) {
      open.mode = "description";
      return 1;
    }
    return 0;
  }
  if (open.mode === "description") {
    // The message is free text: it runs to the next blank line unless another kind clearly starts.
    return provesOther("event", lines, i) ? 0 : 1;
  }
  if (open.mode === "table") {
    if (EVENT_TABLE_ROW.test(line) || TABLE_UNDERLINE.test(line) || /^\s+\S/.test(line)) return 1;
  }
  return 0;
}

/**
 * Splits a (normalised) paste into pieces, one per contiguous run of lines of one kind, with the
 * header lines that belong to it. Prose between pieces is dropped; blank lines inside a piece are
 * kept when the line after them continues the piece. `line` is 1-based in the text given here.
 * Linear: each line is classified a bounded number of times with anchored, non-nested patterns.
 */
export function splitPieces(text: string): Piece[] {
  const lines = splitLines(text);
  const pieces: Piece[] = [];
  let open: Open | null = null;

  const close = (): void => {
    if (open?.strong) {
      pieces.push({
        kind: open.kind,
        text: lines.slice(open.start, open.end + 1).join("\n"),
        line: open.start + 1,
      });
    }
    open = null;
  };

  let i = 0;
  while (i < lines.length) {
    const line = lines[i] as string;
    if (trimStartAll(line).length === 0) {
      // Decide once per run of blank lines, from the first line after the run.
      let j = i + 1;
      while (j < lines.length && trimStartAll(lines[j] as string).length === 0) j++;
      if (open !== null && j < lines.length) {
        const s = continues(open, lines, j, true);
        if (s > 0) {
          open.end = j;
          if (s === 2) open.strong = true;
          i = j + 1;
          continue;
        }
      }
      close();
      i = j;
      continue;
    }
    if (open !== null) {
      const s = continues(open, lines, i, false);
      if (s > 0) {
        open.end = i;
        if (s === 2) open.strong = true;
        i++;
        continue;
      }
      close();
    }
    const start = startOf(lines, i);
    if (start !== null) {
      open = {
        kind: start.kind,
        start: i,
        end: i,
        strong: start.strength === 2,
        mode: start.kind === "event" ? eventLine(line).mode : "keys",
      };
    }
    i++;
  }
  close();
  return pieces;
}
