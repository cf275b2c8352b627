// Which lines belong to an Event Log piece. Event text comes in four layouts (key: value lines, a
// free-text message after `Description:`/`Message:`, PowerShell tables, Event Viewer's XML view), so
// an open piece remembers which one it is in, and a message runs to the next blank line.
import { TABLE_UNDERLINE } from "../../text.js";
import type { Continuation, LineAt, LineRecogniser, Strength } from "../module.js";

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

/** The layout an open event piece is in, updated line by line. */
export interface EventState {
  mode: EventMode;
}

function continuesEvent(
  { line }: LineAt,
  { afterBlank, state: open, provesOther }: Continuation<EventState>,
): Strength {
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
    return provesOther() ? 0 : 1;
  }
  if (open.mode === "table") {
    if (EVENT_TABLE_ROW.test(line) || TABLE_UNDERLINE.test(line) || /^\s+\S/.test(line)) return 1;
  }
  return 0;
}

export const eventLines: LineRecogniser<EventState> = {
  start: ({ line }) => eventLine(line).strength,
  continues: continuesEvent,
  open: ({ line }) => ({ mode: eventLine(line).mode }),
};
