// A reader of Slack's mrkdwn control sequences, for checking what the bot sends: every `<…>` (a user
// mention `<@U…>`, a channel `<#C…>`, a broadcast `<!here>` `<!channel>` `<!everyone>`, a user
// group `<!subteam^…>`, a date `<!date^…>`, any other `<!…>`, a link `<url|label>`), every `&` that
// is not one of Slack's three entities, every `<` or `>` that opens or closes nothing, and the
// invisible characters that make text read otherwise than it is (bidi controls, zero-width ones).
// The policy says what the bot means to send: channel references to conversations it knows and
// links to hosts it cites. Anything else in a payload was not meant. FakeSlack runs it over every
// payload of every test (see FakeSlack.mrkdwnProblems and close()).

export type SequenceKind =
  | "user"
  | "channel"
  | "broadcast"
  | "subteam"
  | "date"
  | "special"
  | "link"
  | "stray <"
  | "stray >"
  | "stray &"
  | "invisible";

export interface Sequence {
  kind: SequenceKind;
  raw: string;
  /** Offset in the text. */
  at: number;
}

const ENTITY = /^&(amp|lt|gt);/;
/** Bidi controls and zero-width characters: they make text read otherwise than it is. */
const INVISIBLE = /[\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/;

function classify(inner: string): SequenceKind {
  if (/^@[UW]/.test(inner)) return "user";
  if (inner.startsWith("#")) return "channel";
  if (/^!(here|channel|everyone)(\||$)/.test(inner)) return "broadcast";
  if (inner.startsWith("!subteam^")) return "subteam";
  if (inner.startsWith("!date^")) return "date";
  if (inner.startsWith("!") || inner.startsWith("@")) return "special";
  return "link";
}

/** Every control sequence and stray character of one mrkdwn text, in order. */
export function controlSequences(text: string): Sequence[] {
  const out: Sequence[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === "&") {
      if (!ENTITY.test(text.slice(i, i + 5)))
        out.push({ kind: "stray &", raw: text.slice(i, i + 12), at: i });
    } else if (c === "<") {
      const close = text.indexOf(">", i + 1);
      const reopen = text.indexOf("<", i + 1);
      if (close < 0 || (reopen >= 0 && reopen < close)) {
        out.push({ kind: "stray <", raw: text.slice(i, i + 24), at: i });
        continue;
      }
      out.push({ kind: classify(text.slice(i + 1, close)), raw: text.slice(i, close + 1), at: i });
      i = close;
    } else if (c === ">") {
      out.push({ kind: "stray >", raw: text.slice(Math.max(0, i - 12), i + 1), at: i });
    } else if (INVISIBLE.test(c)) {
      out.push({
        kind: "invisible",
        raw: `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`,
        at: i,
      });
    }
  }
  return out;
}

export interface MrkdwnPolicy {
  /** Conversations the bot may name as `<#C…>` (bare: the bot never labels one). */
  channel: (id: string) => boolean;
  /** Hosts the bot may link to (`<https://host/…|label>`). */
  linkHost: (host: string) => boolean;
}

/** Is this sequence one the bot means to send? */
export function isMeant(s: Sequence, policy: MrkdwnPolicy): boolean {
  if (s.kind === "channel") {
    const id = /^<#([CG][A-Z0-9]+)>$/.exec(s.raw)?.[1];
    return id !== undefined && policy.channel(id);
  }
  if (s.kind === "link") {
    const m = /^<(https:\/\/[^\s|<>]+)(?:\|[^<>|]+)?>$/.exec(s.raw);
    if (!m) return false;
    try {
      return policy.linkHost(new URL(m[1] as string).hostname);
    } catch {
      return false;
    }
  }
  return false;
}

export interface MrkdwnProblem {
  /** Where in the payload (`chat.postMessage blocks[3].text.text`). */
  where: string;
  kind: SequenceKind;
  raw: string;
}

/** The sequences of one text that were not meant. */
export function problemsIn(text: string, policy: MrkdwnPolicy, where = "text"): MrkdwnProblem[] {
  return controlSequences(text)
    .filter((s) => !isMeant(s, policy))
    .map((s) => ({ where, kind: s.kind, raw: s.raw }));
}

/**
 * Every mrkdwn text of a payload Slack would render: the message's `text` (also what notifications
 * show), `initial_comment`, and every `{ type: "mrkdwn", text }` object at any depth (sections,
 * fields, context elements, views). plain_text is shown as is and is not read for sequences.
 */
export function mrkdwnTexts(payload: unknown, where = ""): Array<{ where: string; text: string }> {
  const out: Array<{ where: string; text: string }> = [];
  const walk = (node: unknown, path: string, top: boolean) => {
    if (Array.isArray(node)) {
      for (const [i, v] of node.entries()) walk(v, `${path}[${i}]`, false);
      return;
    }
    if (node === null || typeof node !== "object") return;
    const o = node as Record<string, unknown>;
    if (o.type === "mrkdwn" && typeof o.text === "string") out.push({ where: `${path}.text`, text: o.text });
    if (top) {
      for (const key of ["text", "initial_comment"])
        if (typeof o[key] === "string") out.push({ where: `${path}.${key}`, text: o[key] as string });
    }
    for (const [k, v] of Object.entries(o)) if (typeof v === "object") walk(v, `${path}.${k}`, false);
  };
  walk(payload, where, true);
  return out;
}

/** The problems of a whole payload. */
export function payloadProblems(payload: unknown, policy: MrkdwnPolicy, where = ""): MrkdwnProblem[] {
  return mrkdwnTexts(payload, where).flatMap((t) => problemsIn(t.text, policy, t.where));
}
