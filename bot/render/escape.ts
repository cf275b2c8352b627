// The one way text reaches Slack's mrkdwn: escapeMrkdwn. Everything the bot did not write as
// markup itself goes through it: what people typed or pasted (notes, file names, URIs, queue
// names, queries), names from Slack, and the bot's own generated strings (ages, times, statuses,
// the knowledge base's sentences). What comes out reads exactly as what went in:
//
// - `&`, `<`, `>` become entities, so no `<!here>`, `<@U…>`, `<#C…>` or `<url|label>` can form;
// - formatting cannot start: a backtick becomes `ˋ` (U+02CB, a look-alike: Slack has no way to
//   escape one), and a word holding `*`, `_` or `~` (or an emoji code like `:fire:`, or a `>` that
//   would start a quote at the beginning of a line) is shown inside a code span, where Slack formats
//   nothing. Code spans rather than look-alikes for these, because the words that hold them are
//   identifiers people copy (N_Connections_Refused, /api/get_user, C:\logs\*.log): copied from a
//   code span they are unchanged, while look-alikes would break a search, and invisible joiners a copy;
// - characters that make text read otherwise than it is are made visible or dropped: bidi controls
//   (U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, U+061C) and other control characters are shown as
//   `[U+202E]`, zero-width ones (U+200B–U+200D, U+2060–U+2064, U+FEFF, U+180E, U+00AD and the tag
//   characters) are removed. A file named `<!here>\u202Egpj.evtx` reads `&lt;!here&gt;[U+202E]gpj.evtx`.

const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;
const ZERO_WIDTH = /[\u00AD\u180E\u200B-\u200D\u2060-\u2064\uFEFF\u{E0000}-\u{E007F}]/gu;
/** C0 and C1 control characters; tab and line feed are kept. */
const CONTROL = /\p{Cc}/gu;
const LONE_SURROGATE = /\p{Cs}/gu;
const LINE_BREAK = /\r\n?|[\u2028\u2029]/g;

/** A backtick's stand-in: Slack cannot escape a backtick, and one would open or close a code span. */
export const BACKTICK_STANDIN = "\u02CB";

function visibleCode(c: string): string {
  return `[U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}]`;
}

/** Invisible and reordering characters made visible or dropped; line breaks as `\n`. */
function readable(s: string): string {
  return s
    .replace(LONE_SURROGATE, "\uFFFD")
    .replace(LINE_BREAK, "\n")
    .replace(ZERO_WIDTH, "")
    .replace(BIDI, visibleCode)
    .replace(CONTROL, (c) => (c === "\n" || c === "\t" ? c : visibleCode(c)));
}

function entities(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Text that is safe inside a code span: readable, entities, no backtick, on one line. */
function codeSafe(s: string): string {
  return entities(readable(s)).replace(/`/g, BACKTICK_STANDIN).replace(/\s+/g, " ");
}

const FORMATTING = /[*_~]/;
/** An emoji code Slack would draw (`:fire:`, `:+1:`), not a time (`10:05:03`). */
const EMOJI_CODE = /:(?=[\w+'-]*[a-z])[\w+'-]+:/i;
const LEAD = /^[([{"'“‘«]*/;
/** Closing punctuation left outside the span; never `;`, which ends an entity (`&gt;`). */
const TRAIL = /[)\]}"'”’».,!?]*$/;

/** One word (already readable and entity-escaped): as is, or in a code span when it would format. */
function literalWord(word: string, lineStart: boolean): string {
  const w = word.replace(/`/g, BACKTICK_STANDIN);
  const quote = lineStart && w.startsWith("&gt;");
  if (!quote && !FORMATTING.test(w) && !EMOJI_CODE.test(w)) return w;
  const lead = quote ? "" : (LEAD.exec(w)?.[0] ?? "");
  const trail = TRAIL.exec(w.slice(lead.length))?.[0] ?? "";
  const core = w.slice(lead.length, w.length - trail.length);
  return core === "" ? `\`${w}\`` : `${lead}\`${core}\`${trail}`;
}

function literal(s: string): string {
  const parts = entities(readable(s)).split(/(\s+)/);
  let lineStart = true;
  return parts
    .map((part, i) => {
      if (i % 2 === 1) {
        if (part.includes("\n")) lineStart = true;
        return part;
      }
      if (part === "") return part;
      const out = literalWord(part, lineStart);
      lineStart = false;
      return out;
    })
    .join("");
}

export interface EscapeOptions {
  /**
   * The text is the bot's own (the knowledge base's sentences) and its backtick pairs are meant as
   * code spans: they stay code spans (their content made safe), the rest is escaped as usual.
   */
  keepCode?: boolean;
}

/** The one escaping function: `s` shown literally in mrkdwn (see the top of this file). */
export function escapeMrkdwn(s: string, opts: EscapeOptions = {}): string {
  if (!opts.keepCode) return literal(s);
  const parts = s.split("`");
  const closed = parts.length % 2 === 1 ? parts.length : parts.length - 1;
  return parts
    .map((part, i) => {
      if (i >= closed) return literal(`\`${part}`);
      return i % 2 === 1 ? `\`${codeSafe(part)}\`` : literal(part);
    })
    .join("");
}

/** Inline code of any text: made safe by the same rules, one line, no backtick that could close it. */
export function inlineCode(s: string): string {
  return `\`${codeSafe(s)}\``;
}

/** A link we build ourselves: the URL must not break out of `<url|label>`, the label is escaped. */
export function mrkdwnLink(url: string, label: string): string {
  const safeUrl = url.replace(/[<>|\s]/g, (c) => encodeURIComponent(c));
  if (!/^https?:\/\//i.test(safeUrl)) return escapeMrkdwn(label);
  // Slack reads entities inside the URL too: a bare `&` of a query string is written `&amp;`.
  return `<${safeUrl.replace(/&/g, "&amp;")}|${codeSafe(label).replace(/\|/g, "¦")}>`;
}
