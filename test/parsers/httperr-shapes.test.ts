// Tattletale must read the same HTTPERR lines as Elastic Filebeat's iis/error fileset, record for
// record. The fixtures live in ../shared/peer-fixtures (a sibling of the repository).
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseHttperr } from "../../parsers/httperr.js";
import { normalizePaste, splitPieces } from "../../parsers/split.js";

const dir = fileURLToPath(new URL("../../../shared/peer-fixtures/filebeat-iis-error/", import.meta.url));
const expected = JSON.parse(readFileSync(`${dir}expected.json`, "utf8")) as Record<string, unknown[]>;
const logs = readdirSync(dir).filter((name) => name.endsWith(".log"));

describe("filebeat iis/error peer fixtures", () => {
  it("has an expected record list for every log", () => {
    expect(logs.length).toBeGreaterThanOrEqual(4);
    expect(new Set(logs)).toEqual(new Set(Object.keys(expected)));
  });

  for (const name of logs) {
    it(`${name}: parseHttperr gives exactly the expected records`, () => {
      const parsed = parseHttperr(readFileSync(`${dir}${name}`, "utf8"), name);
      expect(parsed.records).toEqual(expected[name]);
      expect(parsed.summary.skipped).toBe(0);
    });

    it(`${name}: the paste path (normalise, split) finds one httperr piece with the same records`, () => {
      const pieces = splitPieces(normalizePaste(readFileSync(`${dir}${name}`, "utf8")));
      expect(pieces.map((p) => p.kind)).toEqual(["httperr"]);
      expect(parseHttperr(pieces[0]?.text ?? "", name).records).toEqual(expected[name]);
    });
  }
});
