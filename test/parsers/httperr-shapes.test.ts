// Tattletale reads HTTPERR lines in every shape peers' parsers are tested on (Filebeat's iis/error
// fileset taught them: IPv6 with zone ids, the `streamid` field of HTTP API 2.0, no #Fields header,
// no final newline, odd URLs), record for record. The fixtures are the project's own logs in
// test/fixtures/parsers/httperr-shapes/, each with hand-written records in `LOG.expected.json`
// beside it (the layout `npm run test:peers -- DIR` also reads).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../kb/paths.js";
import { parseHttperr } from "../../parsers/index.js";
import { normalizePaste, splitPieces } from "../../parsers/split.js";

const dir = join(PACKAGE_ROOT, "test", "fixtures", "parsers", "httperr-shapes");
const logs = readdirSync(dir).filter((name) => name.endsWith(".log"));
const read = (name: string) => readFileSync(join(dir, name), "utf8");
const expected = (name: string) => JSON.parse(read(`${name}.expected.json`)) as Record<string, unknown>[];

describe("HTTPERR shapes", () => {
  it("has hand-written records beside every log, and the shapes it is meant to cover", () => {
    expect(logs.length).toBeGreaterThanOrEqual(3);
    const names = readdirSync(dir);
    for (const log of logs) expect(names).toContain(`${log}.expected.json`);
    const all = logs.map(read).join("\n");
    expect(all).toMatch(/fe80::[0-9a-f:]+%\d+/); // an IPv6 zone id
    expect(all).toMatch(/#Fields:.* streamid /);
    expect(logs.some((log) => !read(log).includes("#Fields:"))).toBe(true);
    expect(logs.some((log) => !read(log).endsWith("\n"))).toBe(true);
    expect(logs.some((log) => read(log).includes("\r\n"))).toBe(true);
    expect(all).toMatch(/ \/\S{4000,} /); // a very long URL
  });

  for (const name of logs) {
    it(`${name}: parseHttperr gives exactly the expected records, skipping nothing`, () => {
      const parsed = parseHttperr(read(name), name);
      expect(parsed.data.records).toEqual(expected(name));
      expect(parsed.data.summary.skipped).toBe(0);
      expect(parsed.data.summary.lines).toBe(expected(name).length);
    });

    it(`${name}: the paste path (normalise, split) finds one httperr piece with the same records`, () => {
      const pieces = splitPieces(normalizePaste(read(name)));
      expect(pieces.map((p) => p.kind)).toEqual(["httperr"]);
      expect(parseHttperr(pieces[0]?.text ?? "", name).data.records).toEqual(expected(name));
    });
  }
});
