// The bot reads the trigger message twice (alone, to see whether it holds anything, then with its
// thread): its texts must be parsed once, and give exactly what parsing them under the later name
// gives. Big texts go to a worker thread, parsed there once and diagnosed there, with the same result.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { parseOnce } from "../../../bot/services/parse-once.js";
import { ParseWorkers } from "../../../bot/services/parse-worker.js";
import * as kb from "../../../kb/index.js";
import { PACKAGE_ROOT } from "../../../kb/paths.js";

vi.mock("../../../kb/index.js", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../../kb/index.js")>();
  return { ...actual, parseTexts: vi.fn(actual.parseTexts) };
});
const parseTexts = vi.mocked(kb.parseTexts);
const {
  parseTexts: realParseTexts,
  diagnose,
  loadKnowledgeBase,
} = await vi.importActual<typeof import("../../../kb/index.js")>("../../../kb/index.js");
const knowledge = loadKnowledgeBase();

// HTTPERR lines, then a poolmon table, in one Slack message: several inputs (`source`, `source#2`).
const founding = readFileSync(join(PACKAGE_ROOT, "test/parsers/split/slack-founding-incident.txt"), "utf8");
const bootIni = readFileSync(join(PACKAGE_ROOT, "samples/founding-incident/boot.ini"), "utf8");
const poolmon = readFileSync(join(PACKAGE_ROOT, "samples/founding-incident/poolmon-b.txt"), "utf8");

beforeEach(() => {
  parseTexts.mockClear();
});

const workers = new ParseWorkers(1);
afterAll(() => workers.close());

describe("parseOnce", () => {
  it("parses a text read again under another name once, and names its inputs as parsing would", async () => {
    const parse = parseOnce();
    expect(await parse.readable([{ text: founding, source: "message 1", at: 1000 }])).toBe(true);
    const thread = [
      { text: bootIni, source: "file boot.ini", at: 500 },
      { text: founding, source: "message 3", at: 1000 },
    ];
    const d = await parse.diagnose(knowledge, thread, []);
    // Once for the message alone, once for boot.ini: the message is not parsed again.
    expect(parseTexts).toHaveBeenCalledTimes(2);
    expect(d).toEqual(diagnose(knowledge, realParseTexts(thread)));
    expect(d.inputs.map((i) => i.source)).toEqual(
      expect.arrayContaining(["file boot.ini", "message 3", "message 3#2"]),
    );
  });

  it("finds nothing readable in chatter, and keeps nothing between pastes", async () => {
    expect(
      await parseOnce().readable([{ text: "hello, is the site down for anyone else?", source: "message 1" }]),
    ).toBe(false);
    parseTexts.mockClear();
    await parseOnce().readable([{ text: bootIni, source: "message 1" }]);
    await parseOnce().readable([{ text: bootIni, source: "message 1" }]);
    expect(parseTexts).toHaveBeenCalledTimes(2);
  });

  it("parses big texts once, in a worker thread, and diagnoses them there just as here", async () => {
    expect(workers.available).toBe(true);
    const big = `${founding}\n\n${"2007-11-13 20:01:44 10.0.0.9 1234 10.0.0.1 80 - - - - - - 3_Connections_Refused -\n".repeat(200)}`;
    const thread = [
      { text: big, source: "message 1", at: 1000 },
      { text: poolmon, source: "message 2", at: 2000 },
    ];
    const before = workers.parsedTexts;
    // Texts of 1,000 characters and more go off the main thread here.
    const parse = parseOnce(workers, 1000);
    expect(await parse.readable([{ ...(thread[0] as (typeof thread)[number]), source: "message 9" }])).toBe(
      true,
    );
    const d = await parse.diagnose(knowledge, thread, []);
    parse.end();
    // The big text once (read alone, then with its thread), and the poolmon table: both over there.
    expect(workers.parsedTexts - before).toBe(2);
    expect(parseTexts).toHaveBeenCalledTimes(0);
    const here = diagnose(knowledge, realParseTexts(thread));
    // Found the same, read the same inputs, under the names of the thread (not "message 9").
    expect(d.findings.map((f) => f.id)).toEqual(here.findings.map((f) => f.id));
    expect(d.inputs).toEqual(here.inputs);
    expect(d.headline).toBe(here.headline);
  });
});
