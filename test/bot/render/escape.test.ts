// The one escaping function: whatever goes in is shown literally by Slack's mrkdwn: no control
// sequence (mention, broadcast, channel, link), no stray `<`, `>` or `&`, no formatting, and
// nothing invisible that reorders or hides what a reader sees.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BACKTICK_STANDIN, escapeMrkdwn, inlineCode, mrkdwnLink } from "../../../bot/render/escape.js";
import { INJECTIONS } from "../../support/injection-strings.js";
import { controlSequences } from "../../support/mrkdwn-validator.js";

const RUNS = Number(process.env.FAST_CHECK_RUNS ?? 300);

/**
 * What a reader must see for `s`, written independently of the implementation: lone surrogates as
 * U+FFFD, line breaks as `\n`, zero-width characters gone, bidi and control characters as
 * `[U+XXXX]`, a backtick as its stand-in. Everything else exactly as typed.
 */
function expectedView(s: string): string {
  let out = "";
  const normalised = s.replace(/\p{Cs}/gu, "\uFFFD").replace(/\r\n?|[\u2028\u2029]/g, "\n");
  for (const c of normalised) {
    const cp = c.codePointAt(0) ?? 0;
    const zeroWidth =
      cp === 0xad ||
      cp === 0x180e ||
      (cp >= 0x200b && cp <= 0x200d) ||
      (cp >= 0x2060 && cp <= 0x2064) ||
      cp === 0xfeff ||
      (cp >= 0xe0000 && cp <= 0xe007f);
    const bidi =
      cp === 0x61c ||
      cp === 0x200e ||
      cp === 0x200f ||
      (cp >= 0x202a && cp <= 0x202e) ||
      (cp >= 0x2066 && cp <= 0x2069);
    const control = (cp <= 0x1f && c !== "\n" && c !== "\t" && c !== "\r") || (cp >= 0x7f && cp <= 0x9f);
    if (zeroWidth) continue;
    if (bidi || control) out += `[U+${cp.toString(16).toUpperCase().padStart(4, "0")}]`;
    else if (c === "`") out += BACKTICK_STANDIN;
    else out += c;
  }
  return out;
}

/**
 * A model of how Slack renders mrkdwn, strict enough to fail on anything that formats: code spans
 * (backtick pairs, on one line) are shown as is; outside them `*`, `_`, `~`, an emoji code or a
 * quote at the start of a line would format, so they fail. Entities are decoded. Returns what a
 * reader sees.
 */
function rendered(mrkdwn: string): string {
  const parts = mrkdwn.split("`");
  expect(parts.length % 2, `unbalanced backticks in ${JSON.stringify(mrkdwn)}`).toBe(1);
  const decode = (t: string) => t.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  // A quote starts at the beginning of a line of the whole text (a code span there is not one).
  const outsideCode = parts.map((p, i) => (i % 2 === 1 ? "x" : p)).join("");
  expect(outsideCode, `a quote in ${JSON.stringify(mrkdwn)}`).not.toMatch(/(^|\n)[ \t]*&gt;/);
  return parts
    .map((part, i) => {
      if (i % 2 === 1) {
        expect(part).not.toMatch(/\n/);
        return decode(part);
      }
      expect(part, `formatting outside code in ${JSON.stringify(mrkdwn)}`).not.toMatch(/[*_~]/);
      expect(part).not.toMatch(/:(?=[\w+'-]*[a-z])[\w+'-]+:/i);
      return decode(part);
    })
    .join("");
}

const anyText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 80 }),
  fc.string({ unit: "grapheme", maxLength: 80 }),
  fc
    .array(
      fc.constantFrom(
        ...INJECTIONS.map((i) => i.text),
        "*",
        "_",
        "~",
        "`",
        "```",
        ">",
        "\n> ",
        "&",
        "&amp;",
        ":fire:",
        ":+1:",
        "\u202E",
        "\u200B",
        "\u2066",
        "\u200F",
        "a_b",
        "(x*y)",
        " ",
        "\n",
        "\r\n",
        "\t",
        "word",
      ),
      { maxLength: 30 },
    )
    .map((a) => a.join("")),
);

describe("escapeMrkdwn", () => {
  it("renders anything literally: no control sequence, no formatting, nothing invisible", () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const out = escapeMrkdwn(s);
        expect(controlSequences(out)).toEqual([]);
        expect(rendered(out)).toBe(expectedView(s));
      }),
      { numRuns: RUNS },
    );
  });

  it("keeps the knowledge base's code spans as code, and still escapes everything else", () => {
    fc.assert(
      fc.property(anyText, anyText, anyText, (a, code, b) => {
        const out = escapeMrkdwn(`${a.replace(/`/g, "'")}\`${code.replace(/[`\n\r]/g, "")}\`${b}`, {
          keepCode: true,
        });
        expect(controlSequences(out)).toEqual([]);
        rendered(out);
      }),
      { numRuns: RUNS },
    );
    expect(escapeMrkdwn("Run `nltest /sc_verify:<domain>` now", { keepCode: true })).toBe(
      "Run `nltest /sc_verify:&lt;domain&gt;` now",
    );
    expect(escapeMrkdwn("an odd ` backtick", { keepCode: true })).toBe(`an odd ${BACKTICK_STANDIN} backtick`);
  });

  it("escapes the three control characters and shows identifiers with formatting characters as code", () => {
    expect(escapeMrkdwn("<!here> & <@U1>")).toBe("&lt;!here&gt; &amp; &lt;@U1&gt;");
    expect(escapeMrkdwn("1,234 N_Connections_Refused lines")).toBe("1,234 `N_Connections_Refused` lines");
    expect(escapeMrkdwn("(GET /api/get_user)")).toBe("(GET `/api/get_user`)");
    expect(escapeMrkdwn("*bold* _it_ ~strike~")).toBe("`*bold*` `_it_` `~strike~`");
    expect(escapeMrkdwn("a `code` b")).toBe(`a ${BACKTICK_STANDIN}code${BACKTICK_STANDIN} b`);
    expect(escapeMrkdwn("> quoted\nnot > quoted")).toBe("`&gt;` quoted\nnot &gt; quoted");
    expect(escapeMrkdwn("on :fire: at 10:05:03")).toBe("on `:fire:` at 10:05:03");
  });

  it("shows a file name built to pass for a picture as what it is", () => {
    const out = escapeMrkdwn("<!here>\u202Egpj.evtx");
    expect(out).toBe("&lt;!here&gt;[U+202E]gpj.evtx");
    expect(out.endsWith(".evtx")).toBe(true);
    expect(escapeMrkdwn("a\u200Bb\u2060c\uFEFFd")).toBe("abcd");
    expect(escapeMrkdwn("x\u2066y\u2069z\u200E")).toBe("x[U+2066]y[U+2069]z[U+200E]");
  });

  it("inline code and links follow the same rules", () => {
    expect(inlineCode("a`b <!here>\nc")).toBe(`\`a${BACKTICK_STANDIN}b &lt;!here&gt; c\``);
    expect(mrkdwnLink("https://x.test/a|b>c", "<!here>")).toBe("<https://x.test/a%7Cb%3Ec|&lt;!here&gt;>");
    expect(mrkdwnLink("https://x.test/?a=1&b=2", "KB")).toBe("<https://x.test/?a=1&amp;b=2|KB>");
    expect(mrkdwnLink("javascript:alert(1)", "x")).toBe("x");
    fc.assert(
      fc.property(anyText, (s) => {
        expect(controlSequences(inlineCode(s))).toEqual([]);
        expect(rendered(inlineCode(s))).toBe(expectedView(s).replace(/\s+/g, " "));
      }),
      { numRuns: RUNS },
    );
  });
});
