// The bot reads the trigger message twice (alone, to see whether it holds anything, then with its
// thread): its texts must be parsed once, and give exactly what parsing them under the later name gives.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { parseOnce } from "../../../bot/services/parse-once.js";
import * as kb from "../../../kb/index.js";
import { PACKAGE_ROOT } from "../../../kb/paths.js";

vi.mock("../../../kb/index.js", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../../kb/index.js")>();
  return { ...actual, parseTexts: vi.fn(actual.parseTexts) };
});
const parseTexts = vi.mocked(kb.parseTexts);
const { parseTexts: realParseTexts } =
  await vi.importActual<typeof import("../../../kb/index.js")>("../../../kb/index.js");

// HTTPERR lines, then a poolmon table, in one Slack message: several inputs (`source`, `source#2`).
const founding = readFileSync(join(PACKAGE_ROOT, "test/parsers/split/slack-founding-incident.txt"), "utf8");
const bootIni = readFileSync(join(PACKAGE_ROOT, "samples/founding-incident/boot.ini"), "utf8");

beforeEach(() => {
  parseTexts.mockClear();
});

describe("parseOnce", () => {
  it("parses a text read again under another name once, and names its inputs as parsing would", () => {
    const parse = parseOnce();
    const alone = parse([{ text: founding, source: "message 1", at: 1000 }]);
    expect(alone.length).toBeGreaterThan(1);
    const thread = [
      { text: bootIni, source: "file boot.ini", at: 500 },
      { text: founding, source: "message 3", at: 1000 },
    ];
    const withThread = parse(thread);
    // Once for the message alone, once for boot.ini: the message is not parsed again.
    expect(parseTexts).toHaveBeenCalledTimes(2);
    expect(withThread).toEqual(realParseTexts(thread));
    expect(withThread.map((t) => t.input.source)).toEqual([
      "file boot.ini",
      ...alone.map((t) => t.input.source.replace("message 1", "message 3")),
    ]);
    expect(withThread.slice(1).map((t) => t.input.source)).toEqual(
      expect.arrayContaining(["message 3", "message 3#2"]),
    );
  });

  it("gives what parseTexts gives when every text is new, and nothing for text it cannot read", () => {
    const texts = [
      { text: "hello, is the site down for anyone else?", source: "message 1", at: 1 },
      { text: founding, source: "message 2", at: 2 },
    ];
    expect(parseOnce()(texts)).toEqual(realParseTexts(texts));
    expect(parseOnce()([texts[0] as (typeof texts)[number]])).toEqual([]);
  });

  it("keeps nothing between pastes: a new parseOnce parses again", () => {
    parseOnce()([{ text: bootIni, source: "message 1" }]);
    parseOnce()([{ text: bootIni, source: "message 1" }]);
    expect(parseTexts).toHaveBeenCalledTimes(2);
  });
});
