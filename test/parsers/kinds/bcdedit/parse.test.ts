import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ParsedInput } from "../../../../parsers/evidence.js";
import { parseBcdedit } from "../../../../parsers/kinds/bcdedit/parse.js";

const dir = import.meta.dirname;
const fixture = (name: string): string => readFileSync(join(dir, name), "utf8");

describe("parseBcdedit", () => {
  it("reads bcdedit /enum of a Server 2008 x86 box with increaseuserva", () => {
    const p = parseBcdedit(fixture("bcdedit-2008-x86.txt"), "bcd");
    expect(ParsedInput.parse(p)).toEqual(p);
    expect(p.warnings).toEqual([]);
    expect(p.data.entries.map((e) => e.type)).toEqual([
      "Windows Boot Manager",
      "Windows Boot Loader",
      "Windows Boot Loader",
    ]);
    const [mgr, current, other] = p.data.entries;
    expect(mgr?.identifier).toBe("{bootmgr}");
    expect(mgr?.isDefault).toBe(false);
    expect(mgr?.settings.displayorder).toBe("{current} {5f1c4c1e-2b7e-11dd-9a4f-001aa0b2c4d1}");
    expect(mgr?.settings.timeout).toBe("30");
    expect(current).toMatchObject({
      identifier: "{current}",
      description: "Windows Server 2008 Enterprise",
      isDefault: true,
    });
    expect(current?.settings).toMatchObject({ nx: "OptOut", pae: "ForceEnable", increaseuserva: "3072" });
    expect(other).toMatchObject({
      isDefault: false,
      description: "Windows Server 2008 Enterprise (2 GB user space)",
    });
    expect(other?.settings.nx).toBe("OptIn");
  });

  it("marks the loader the boot manager's default names in /v output (GUIDs, any case)", () => {
    const p = parseBcdedit(fixture("bcdedit-v-guids.txt"), "v");
    expect(p.warnings).toEqual([]);
    expect(p.data.entries.filter((e) => e.isDefault).map((e) => e.description)).toEqual([
      "Windows 7 Professional",
    ]);
    expect(p.data.entries[2]?.settings.increaseuserva).toBe("2900");
  });

  it("reads German output with collapsed alignment", () => {
    const p = parseBcdedit(fixture("bcdedit-german-collapsed.txt"), "de");
    expect(p.warnings).toEqual([]);
    expect(p.data.entries.map((e) => e.type)).toEqual(["Windows Boot Manager", "Windows Boot Loader"]);
    expect(p.data.entries[1]).toMatchObject({
      identifier: "{current}",
      description: "Windows Server 2008 R2 Standard",
      isDefault: true,
    });
    expect(p.data.entries[1]?.settings.nx).toBe("OptOut");
  });

  it("reads CRLF text and keeps other block types of /enum all", () => {
    const text = [
      "Windows Memory Tester",
      "---------------------",
      "identifier              {memdiag}",
      "device                  partition=C:",
      "description             Windows Memory Diagnostic",
      "",
      "Windows Boot Loader",
      "-------------------",
      "identifier              {default}",
      "description             Windows Server 2008 R2",
      "",
    ].join("\r\n");
    const p = parseBcdedit(text, "all");
    expect(p.data.entries.map((e) => [e.type, e.isDefault])).toEqual([
      ["Windows Memory Tester", false],
      ["Windows Boot Loader", true],
    ]);
    expect(p.data.entries[1]?.description).toBe("Windows Server 2008 R2");
  });

  it("warns about text outside blocks and never throws", () => {
    const p = parseBcdedit("some words\nidentifier {current}\n", "x");
    expect(p.data.entries).toEqual([]);
    expect(p.warnings.join("|")).toMatch(/some words/);
    expect(p.warnings.join("|")).toMatch(/no bcdedit block/);
    for (const junk of ["", "---", "a\n---\n", "{\n{", "-".repeat(10000)]) {
      expect(() => parseBcdedit(junk, "j")).not.toThrow();
    }
  });
});
