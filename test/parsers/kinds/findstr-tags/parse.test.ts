// findstr /m /l TAG *.sys and Select-String: which driver files hold a pool tag.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ParsedInput } from "../../../../parsers/evidence.js";
import { parseText } from "../../../../parsers/index.js";
import { parseFindstrTags } from "../../../../parsers/kinds/findstr-tags/parse.js";

const dir = import.meta.dirname;
const fixture = (name: string): string => readFileSync(join(dir, name), "utf8");

describe("parseFindstrTags", () => {
  it("ties the tag of the command line to the files printed after it", () => {
    const p = parseFindstrTags(fixture("findstr-relative.txt"), "f");
    expect(ParsedInput.parse(p)).toEqual(p);
    expect(p.data.searches).toEqual([
      {
        tag: "MFeS",
        tool: "findstr",
        command: "findstr /m /l MFeS *.sys",
        files: ["mfeavfk.sys"],
        drivers: ["mfeavfk.sys"],
      },
    ]);
  });

  it("keeps /c:'s trailing space, full paths, and several matches", () => {
    expect(parseFindstrTags(fixture("findstr-full-path.txt"), "f").data.searches[0]).toMatchObject({
      tag: "Leak",
      drivers: ["myfault.sys"],
    });
    expect(parseFindstrTags(fixture("findstr-several-matches.txt"), "f").data.searches[0]).toMatchObject({
      tag: "Ddk ",
      drivers: ["acmefilt.sys", "hwmon32.sys", "wqfilt64.sys"],
    });
  });

  it("keeps a search that found nothing, and stops at the next command", () => {
    expect(parseFindstrTags(fixture("findstr-no-match.txt"), "f").data.searches).toEqual([
      { tag: "Qz7x", tool: "findstr", command: "findstr /m /l Qz7x *.sys", files: [], drivers: [] },
    ]);
    const two = parseFindstrTags(fixture("findstr-two-searches.txt"), "f").data.searches;
    expect(two.map((s) => [s.tag, s.drivers])).toEqual([
      ["Pp5x", ["ppfilt.sys"]],
      ["Vs3 ", []],
    ]);
    expect(parseFindstrTags(fixture("findstr-then-dir.txt"), "f").data.searches).toHaveLength(1);
  });

  it("reads Select-String's Path column", () => {
    expect(parseFindstrTags(fixture("select-string.txt"), "s").data.searches[0]).toMatchObject({
      tag: "SysR",
      tool: "select-string",
      drivers: ["SysmonDrv.sys"],
    });
  });

  it("does not guess the tag of several search words or of names without their command", () => {
    const words = parseFindstrTags('C:\\>findstr /m "Abc1 Abc2" *.sys\nx.sys\n', "f");
    expect(words.data.searches[0]).toMatchObject({ tag: null, drivers: ["x.sys"] });
    expect(words.warnings.join()).toMatch(/unclear/);
    expect(parseFindstrTags("mfeavfk.sys", "f").data.searches[0]?.tag).toBeNull();
  });

  it("needs the command to be found in a paste; never throws", () => {
    expect(parseText("mfeavfk.sys\nother.sys", "m").inputs).toEqual([]);
    expect(
      parseText(`the driver:\n${fixture("findstr-relative.txt")}`, "m").inputs.map((i) => i.kind),
    ).toEqual(["findstr-tags"]);
    for (const junk of ["", "C:\\>findstr", 'C:\\>findstr /c:"', "a.sys:".repeat(3000)]) {
      expect(() => parseFindstrTags(junk, "j")).not.toThrow();
    }
  });
});
