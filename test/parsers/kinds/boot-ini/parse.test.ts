import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ParsedInput } from "../../../../parsers/evidence.js";
import { parseBootIni } from "../../../../parsers/kinds/boot-ini/parse.js";

const dir = import.meta.dirname;
const fixture = (name: string): string => readFileSync(join(dir, name), "utf8");

describe("parseBootIni", () => {
  it("reads the founding incident's boot.ini: the default entry has /3GB (CRLF)", () => {
    const p = parseBootIni(fixture("founding-boot.ini"), "boot.ini");
    expect(ParsedInput.parse(p)).toEqual(p);
    expect(p.warnings).toEqual([]);
    expect(p.data.timeout).toBe(30);
    expect(p.data.entries).toHaveLength(3);
    expect(p.data.entries[0]).toEqual({
      path: "multi(0)disk(0)rdisk(0)partition(1)\\WINDOWS",
      description: "Windows Server 2003, Enterprise",
      switches: { NOEXECUTE: "optout", FASTDETECT: true, "3GB": true },
      isDefault: true,
    });
    // Same path twice: NTLDR takes the first, so only the first is the default.
    expect(p.data.entries.map((e) => e.isDefault)).toEqual([true, false, false]);
    expect(p.data.entries[1]?.description).toBe("Windows Server 2003, Enterprise (no /3GB)");
    expect(p.data.entries[1]?.switches["3GB"]).toBeUndefined();
    expect(p.data.entries[2]).toMatchObject({
      path: "C:\\CMDCONS\\BOOTSECT.DAT",
      switches: { CMDCONS: true },
    });
  });

  it("reads numeric switch values as numbers and matches default= case-insensitively", () => {
    const p = parseBootIni(fixture("exchange-userva.ini"), "ex");
    expect(p.warnings).toEqual([]);
    expect(p.data.timeout).toBe(10);
    const def = p.data.entries.filter((e) => e.isDefault);
    expect(def).toHaveLength(1);
    expect(def[0]?.switches).toEqual({
      FASTDETECT: true,
      "3GB": true,
      USERVA: 3030,
      PAE: true,
      NOEXECUTE: "AlwaysOff",
    });
    expect(p.data.entries[2]?.switches).toEqual({
      FASTDETECT: true,
      DEBUG: true,
      DEBUGPORT: "com1",
      BAUDRATE: 115200,
      MAXMEM: 4096,
      BURNMEMORY: 512,
      SOS: true,
      BOOTLOG: true,
      BASEVIDEO: true,
      NUMPROC: 2,
    });
  });

  it("falls back to the first entry when default= matches none, and says so", () => {
    const p = parseBootIni(fixture("xp-no-match.ini"), "xp");
    expect(p.data.entries.map((e) => e.isDefault)).toEqual([true, false, false]);
    expect(p.warnings.join()).toMatch(/partition\(3\).*matches no entry/);
    // Curly quotes from a chat client are straightened; the description stays verbatim.
    expect(p.data.entries[0]?.description).toBe("Microsoft Windows XP Professional");
    expect(p.data.entries[0]?.switches).toEqual({ NOEXECUTE: "optin", FASTDETECT: true, NOPAE: true });
    expect(p.data.entries[2]).toMatchObject({ path: "C:\\", description: "Previous Operating System on C:" });
  });

  it("reads OS lines pasted without section headers", () => {
    const p = parseBootIni(
      'multi(0)disk(0)rdisk(0)partition(1)\\WINDOWS="Windows Server 2003" /fastdetect /3GB',
      "bare",
    );
    expect(p.data.entries).toHaveLength(1);
    expect(p.data.entries[0]?.isDefault).toBe(true);
    expect(p.data.timeout).toBeNull();
  });

  it("warns about what it cannot read and never throws", () => {
    const p = parseBootIni(
      '[boot loader]\ntimeout=soon\n[operating systems]\nmulti(0)disk(0)rdisk(0)partition(1)\\WINDOWS="Unclosed /3GB\njunk line\n',
      "bad",
    );
    expect(p.warnings.join("|")).toMatch(/timeout "soon"/);
    expect(p.warnings.join("|")).toMatch(/closing quote/);
    expect(p.warnings.join("|")).toMatch(/junk line/);
    expect(p.data.entries[0]?.switches["3GB"]).toBe(true);
    for (const junk of ["", "=", "[", "[boot loader", '"""', "/".repeat(5000)]) {
      expect(() => parseBootIni(junk, "j")).not.toThrow();
    }
    expect(parseBootIni("", "e").warnings).toContain("no [operating systems] entries found");
  });
});
