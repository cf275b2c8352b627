// systeminfo: OS, architecture and RAM, in English, German and /fo csv.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ParsedInput } from "../../../../parsers/evidence.js";
import { parseText } from "../../../../parsers/index.js";
import { parseSysteminfo } from "../../../../parsers/kinds/systeminfo/parse.js";

const dir = import.meta.dirname;
const fixture = (name: string): string => readFileSync(join(dir, name), "utf8");

describe("parseSysteminfo", () => {
  it("reads a 2003 x86 box with 767 MB", () => {
    const p = parseSysteminfo(fixture("en-2003-x86.txt"), "si");
    expect(ParsedInput.parse(p)).toEqual(p);
    expect(p.warnings).toEqual([]);
    expect(p.data).toMatchObject({
      osName: "Microsoft(R) Windows(R) Server 2003, Standard Edition",
      osBuild: 3790,
      arch: "x86",
      totalPhysicalMemoryMb: 767,
      availablePhysicalMemoryMb: 91,
      upTime: "41 Days, 2 Hours, 12 Minutes, 9 Seconds",
      hotfixes: 142,
      processors: 1,
    });
  });

  it("reads German labels and `.` thousands", () => {
    const p = parseSysteminfo(fixture("de-2016-x64.txt"), "si").data;
    expect(p).toMatchObject({
      language: "de",
      osName: "Microsoft Windows Server 2016 Standard",
      osBuild: 14393,
      arch: "x64",
      totalPhysicalMemoryMb: 32767,
      availablePhysicalMemoryMb: 21402,
    });
  });

  it("reads /fo csv like the list", () => {
    const csv = parseSysteminfo(fixture("csv-2012r2.txt"), "csv").data;
    expect(csv).toMatchObject({
      form: "csv",
      osName: "Microsoft Windows Server 2012 R2 Standard",
      osBuild: 9600,
      arch: "x64",
      totalPhysicalMemoryMb: 16315,
      processors: 2,
      hotfixes: 3,
    });
  });

  it("reads System Type, the product and RAM under labels of a language it does not know", () => {
    const fr = [
      "Nom de l'hôte:                              WEB03",
      "Nom du système d'exploitation:              Microsoft Windows Server 2012 R2 Standard",
      "Type du système:                            x64-based PC",
      "Mémoire physique totale:                    8 191 Mo",
      "Mémoire physique disponible:                3 012 Mo",
    ].join("\n");
    expect(parseSysteminfo(fr, "fr").data).toMatchObject({
      language: null,
      osName: "Microsoft Windows Server 2012 R2 Standard",
      arch: "x64",
      totalPhysicalMemoryMb: 8191,
      availablePhysicalMemoryMb: 3012,
    });
  });

  it("is found after the prompt, and its indented continuations stay in the piece", () => {
    const result = parseText(`here:\n${fixture("en-2008r2-x64.txt")}\nthanks`, "msg");
    expect(result.inputs.map((i) => i.kind)).toEqual(["systeminfo"]);
    const si = result.inputs[0];
    expect(si?.kind === "systeminfo" && si.data.hotfixes).toBe(96);
  });

  it("says when nothing was found; never throws", () => {
    expect(parseSysteminfo("Host Name: X", "x").warnings.join()).toMatch(/no OS name/);
    for (const junk of ["", ":", '"Host Name"', "Total Physical Memory: MB", "a:".repeat(5000)]) {
      expect(() => parseSysteminfo(junk, "j")).not.toThrow();
    }
  });
});
