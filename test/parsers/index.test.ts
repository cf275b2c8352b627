import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { describeReadableKinds, ParsedInput, parseText } from "../../parsers/index.js";

const read = (relative: string): string =>
  readFileSync(fileURLToPath(new URL(relative, import.meta.url)), "utf8");
const fixture = (name: string): string => read(`split/${name}`);

describe("parseText", () => {
  it("reads the founding incident's Slack message into four typed inputs, named in paste order", () => {
    const result = parseText(fixture("slack-founding-incident.txt"), "slack:C1/1700000000.000100");
    expect(result.unrecognised).toBe(false);
    expect(result.warnings).toEqual([]);
    expect(result.inputs.map((i) => [i.kind, i.source])).toEqual([
      ["httperr", "slack:C1/1700000000.000100"],
      ["poolmon", "slack:C1/1700000000.000100#2"],
      ["boot-ini", "slack:C1/1700000000.000100#3"],
      ["event", "slack:C1/1700000000.000100#4"],
    ]);
    for (const input of result.inputs) expect(ParsedInput.parse(input)).toEqual(input);
    const [httperr, poolmon, boot, event] = result.inputs;
    expect(httperr?.kind === "httperr" && httperr.data.summary.refusedConnections).toBe(10);
    expect(poolmon?.kind === "poolmon" && poolmon.data.header.nonpagedKb).toBe(109952);
    expect(poolmon?.kind === "poolmon" && poolmon.data.rows[0]?.tag).toBe("Tmfs");
    expect(boot?.kind === "boot-ini" && boot.data.entries[0]?.switches["3GB"]).toBe(true);
    expect(event?.kind === "event" && event.data.events[0]?.id).toBe(2019);
  });

  it("keeps the plain source name when the text holds one input", () => {
    const result = parseText(read("kinds/httperr/http-api-1.0.log"), "httperr1.log");
    expect(result.inputs.map((i) => i.source)).toEqual(["httperr1.log"]);
  });

  it("finds the HTTPERR lines, the poolmon table and boot.ini inside the founding blog post, not its prose", () => {
    const result = parseText(read("../../samples/blog-post/connections-refused.txt"), "blog");
    expect(result.warnings).toEqual([]);
    expect(result.inputs.map((i) => i.kind)).toEqual(["httperr", "poolmon", "boot-ini"]);
    const [httperr, poolmon, boot] = result.inputs;
    expect(httperr?.kind === "httperr" && httperr.data.summary).toMatchObject({
      lines: 9,
      skipped: 0,
      refusedConnections: 29,
      byReason: { Connections_Refused: 8, Timer_ConnectionIdle: 1 },
    });
    expect(poolmon?.kind === "poolmon" && poolmon.data.header.nonpagedKb).toBe(111616);
    expect(poolmon?.kind === "poolmon" && poolmon.data.rows.map((r) => r.tag)).toHaveLength(9);
    expect(poolmon?.kind === "poolmon" && poolmon.data.rows[0]).toMatchObject({
      tag: "MFeS",
      bytes: 72548352,
    });
    expect(boot?.kind === "boot-ini" && boot.data.entries.map((e) => e.switches["3GB"])).toEqual([true]);
  });

  it("gives one input per poolmon snapshot", () => {
    const result = parseText(fixture("two-poolmon-mangled.txt"), "pm.txt");
    expect(result.inputs.map((i) => [i.kind, i.source])).toEqual([
      ["poolmon", "pm.txt"],
      ["poolmon", "pm.txt#2"],
    ]);
  });

  it("reads every kind of pool counter and event form", () => {
    expect(parseText(fixture("pool-counters.txt"), "c").inputs.map((i) => i.kind)).toEqual([
      "pool-counters",
      "pool-counters",
      "pool-counters",
    ]);
    expect(parseText(fixture("bcdedit-and-get-winevent.txt"), "b").inputs.map((i) => i.kind)).toEqual([
      "bcdedit",
      "event",
      "event",
    ]);
  });

  it("says unrecognised for prose, with no inputs and a warning that says what was seen", () => {
    const result = parseText("the site is down again, can someone look?", "msg");
    expect(result).toEqual({
      inputs: [],
      unrecognised: true,
      warnings: [
        'nothing readable: 41 bytes of text (1 line) with no line Tattletale recognises, starting "the site is down again, can someone look?"',
      ],
    });
  });

  it("says what unreadable input was: empty, whitespace, binary", () => {
    const seen = (text: string) => parseText(text, "x").warnings.at(-1);
    expect(seen("")).toBe("nothing readable: empty input (0 bytes)");
    expect(seen(" \n\t\n")).toBe("nothing readable: only whitespace (3 lines)");
    expect(seen(`PK\u0003\u0004\u0000\u0000${"x".repeat(2000)}`)).toBe(
      "nothing readable: binary data (NUL bytes), 2.0 kB",
    );
    expect(seen("\ufffd\ufffd\u0001abc")).toMatch(/^nothing readable: binary data \(control characters\)/);
  });

  it("drops a piece that gives no evidence, with a warning", () => {
    const result = parseText("#Software: Microsoft HTTP API 1.0\n2007-11-13 20:01:44 - - -", "cut");
    expect(result.unrecognised).toBe(true);
    expect(result.warnings[0]).toBe("line 1: looked like HTTPERR lines but held none");
    expect(result.warnings[1]).toMatch(
      /^nothing readable: 59 bytes of text \(2 lines\) with no complete record Tattletale can read/,
    );
  });
});

describe("describeReadableKinds", () => {
  it("names every kind Tattletale reads in one paragraph", () => {
    const text = describeReadableKinds();
    expect(text).not.toContain("\n");
    for (const word of [
      "HTTPERR",
      "poolmon",
      "boot.ini",
      "bcdedit",
      "Event",
      "Task Manager",
      "!vm",
      "perfmon",
    ]) {
      expect(text).toContain(word);
    }
  });
});
