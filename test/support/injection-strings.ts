// A catalogue of hostile strings for everything Tattletale echoes back into Slack: mentions,
// broadcasts, channel and user-group references, links, already-escaped forms, zero-width and
// bidi-control variants, mrkdwn breakers and very long strings. Plus the check that a recorded
// message or view turns none of them into a live ping or link.
import { expect } from "vitest";

export interface Injection {
  name: string;
  /** As a person would type it (Slack escapes `&`, `<`, `>` in typed text before the bot sees it). */
  text: string;
}

const ZWSP = "\u200B";
const ZWJ = "\u200D";
const WORD_JOINER = "\u2060";
const RLO = "\u202E";
const PDF = "\u202C";
const LRI = "\u2066";

export const INJECTIONS: readonly Injection[] = [
  { name: "channel broadcast", text: "<!channel>" },
  { name: "here broadcast", text: "<!here>" },
  { name: "everyone broadcast", text: "<!everyone>" },
  { name: "labelled broadcast", text: "<!channel|channel>" },
  { name: "user mention", text: "<@U123>" },
  { name: "labelled user mention", text: "<@W0BOSS|the-boss>" },
  { name: "channel reference", text: "<#C123>" },
  { name: "labelled channel reference", text: "<#C999|general>" },
  { name: "user group", text: "<!subteam^S123>" },
  { name: "labelled user group", text: "<!subteam^S123|@oncall>" },
  { name: "date token", text: "<!date^1392734382^{date_pretty}|Feb 18>" },
  { name: "disguised link", text: "<https://evil.example/steal|click here>" },
  { name: "bare link", text: "<https://evil.example/x>" },
  { name: "mailto link", text: "<mailto:ceo@evil.example|mail the CEO>" },
  { name: "escaped broadcast", text: "&lt;!channel&gt;" },
  { name: "double-escaped broadcast", text: "&amp;lt;!here&amp;gt;" },
  { name: "escaped mention", text: "&lt;@U123&gt;" },
  { name: "numeric entity broadcast", text: "&#60;!channel&#62;" },
  { name: "zero-width inside", text: `<${ZWSP}!channel>` },
  { name: "zero-width joiner", text: `<!${ZWJ}here>` },
  { name: "word joiner mention", text: `<${WORD_JOINER}@U123>` },
  { name: "right-to-left override", text: `${RLO}<!everyone>${PDF}` },
  { name: "isolate around mention", text: `${LRI}<@U123>${PDF}` },
  { name: "plain @channel (link_names)", text: "@channel @here @everyone" },
  { name: "bold and italics", text: "*bold* _it_ ~strike~" },
  { name: "code span breaker", text: "`a` ``` b ``` `" },
  { name: "quote breaker", text: "\n>>> quoted\n> more" },
  { name: "half-open control", text: "<!channel" },
  { name: "nested", text: "<<!here>|x>" },
  { name: "pipe in link", text: "<https://ok.example|a|b <!here>>" },
  { name: "long broadcast run", text: "<!channel>".repeat(500) },
  { name: "very long", text: `${"A".repeat(20_000)}<!here>` },
] as const;

/** All of them in one string, separated by spaces (a single field of a log line, say). */
export function allInjections(sep = " "): string {
  return INJECTIONS.map((i) => i.text.replace(/\s+/g, sep)).join(sep);
}

/** What Slack delivers for typed text: `&`, `<` and `>` escaped (links and mentions it made stay raw). */
export function asTyped(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export interface PingCheck {
  /** Control sequences the bot itself may send: a sharer's `<@U…>`, a channel's `<#C…>`. */
  allow?: string[];
}

/**
 * No broadcast, mention, channel or group reference and no link came from user input: apart from
 * `allow`, no `<!`, `<@` or `<#` at all, and every other `<…>` is a https link the bot built (not
 * to the catalogue's evil host). Also no `link_names` or `parse: full`, which would turn a plain
 * `@channel` into a broadcast.
 */
export function expectNoPings(recorded: unknown, check: PingCheck = {}): void {
  let json = typeof recorded === "string" ? recorded : JSON.stringify(recorded);
  for (const allowed of check.allow ?? []) json = json.split(allowed).join("");
  expect(json.match(/<[!@#][^<>]{0,60}/g) ?? [], "unescaped mentions from user input").toEqual([]);
  const links = (json.match(/<[^<>]*>/g) ?? []).filter((seq) => {
    const link = /^<(https:\/\/[^|<>\s]+)(?:\|[^<>]*)?>$/.exec(seq);
    return !(link && !/evil\.example/.test(link[1] ?? ""));
  });
  expect(links, "links from user input").toEqual([]);
  expect(json).not.toMatch(/"link_names":\s*(true|1|"1"|"true")/);
  expect(json).not.toMatch(/"parse":\s*"full"/);
}
