// The debugger's !vm and banner: pool usage and maxima in KB, and what the system is.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ParsedInput } from "../../../../parsers/evidence.js";
import { parseText } from "../../../../parsers/index.js";
import { parseKdVm } from "../../../../parsers/kinds/kd-vm/parse.js";

const dir = import.meta.dirname;
const fixture = (name: string): string => readFileSync(join(dir, name), "utf8");

describe("parseKdVm", () => {
  it("reads !vm of the founding box: 109 MB used of a 128 MB non-paged pool", () => {
    const p = parseKdVm(fixture("kd-vm-2003.txt"), "vm");
    expect(ParsedInput.parse(p)).toEqual(p);
    expect(p.warnings).toEqual([]);
    expect(p.data).toMatchObject({
      nonpagedUsedKb: 111616,
      nonpagedMaxKb: 131072,
      pagedUsedKb: 108948,
      pagedMaxKb: 270336,
      physicalMemoryKb: 4193784,
      excessiveNonpaged: true,
      arch: null,
    });
  });

  it("adds NonPagedPoolNx to non-paged usage in Windows 8+ !vm and knows it is 64-bit", () => {
    const p = parseKdVm(fixture("kd-vm-win10.txt"), "vm10");
    expect(p.warnings).toEqual([]);
    expect(p.data).toMatchObject({
      nonpagedUsedKb: 1400 + 539156,
      nonpagedNxKb: 539156,
      nonpagedMaxKb: 17179869184,
      pagedUsedKb: 598104,
      physicalMemoryKb: 16776664,
      arch: "x64",
      archFrom: "vm",
    });
  });

  it("reads WinDbg 10's layout (page files first, failed PTE allocations)", () => {
    const p = parseKdVm(fixture("kd-2019-x64-windbg10-vm1.txt"), "vm").data;
    expect(p).toMatchObject({
      nonpagedUsedKb: 2092 + 473808,
      pagedUsedKb: 1240092,
      failedPteAllocations: 12,
    });
  });

  it("takes a count of failures too long to be a number for none (found by the property test)", () => {
    const text = fixture("kd-2019-x64-windbg10-vm1.txt").replace(
      "******* 12 system PTE allocations",
      "******* 99999999999999999999 system PTE allocations",
    );
    const p = parseKdVm(text, "vm");
    expect(p.data.failedPteAllocations).toBeNull();
    expect(ParsedInput.parse(p)).toEqual(p);
  });

  it("names the product and architecture from the banner of a dump", () => {
    const p = parseKdVm(fixture("kd-session-2003-dump.txt"), "dump");
    expect(p.warnings).toEqual([]);
    expect(p.data).toMatchObject({
      osName: "Windows Server 2003",
      build: 3790,
      product: "Server",
      arch: "x86",
      archFrom: "banner",
      nonpagedUsedKb: 123264,
      nonpagedMaxKb: 131072,
    });
  });

  it("names a Windows 10 kernel with Product: Server as the server release of its build", () => {
    const p = parseKdVm(fixture("vertarget-vm-2019-x64.txt"), "vt").data;
    expect(p).toMatchObject({ osName: "Windows Server 2019", build: 17763, arch: "x64", archFrom: "banner" });
    expect(parseKdVm("Windows 10 Kernel Version 14393 MP (2 procs) Free x64", "x").data.osName).toBeNull();
    expect(
      parseKdVm(
        "Windows 7 Kernel Version 7601 (Service Pack 1) MP (4 procs) Free x64\nProduct: LanManNt, suite: TerminalServer",
        "x",
      ).data.osName,
    ).toBe("Windows Server 2008 R2");
  });

  it("tells 32-bit from 64-bit by the kernel base address when the banner says neither", () => {
    expect(parseKdVm("Kernel base = 0x80800000 PsLoadedModuleList = 0x808a6ee8", "x").data).toMatchObject({
      arch: "x86",
      archFrom: "kernel-base",
    });
    expect(
      parseKdVm("Kernel base = 0xfffff800`01661000 PsLoadedModuleList = 0xfffff800`0189ee90", "x").data.arch,
    ).toBe("x64");
  });

  it("keeps the banner and !vm of one debugger session in one piece", () => {
    const result = parseText(fixture("kd-session-2003-dump.txt"), "dump");
    expect(result.inputs.map((i) => i.kind)).toEqual(["kd-vm"]);
  });

  it("never throws on broken lines", () => {
    for (const junk of [
      "",
      "NonPagedPool Usage: (",
      "Physical Memory: x ( y Kb)",
      "(".repeat(5000),
      "Windows  Kernel Version",
    ]) {
      expect(() => parseKdVm(junk, "j")).not.toThrow();
    }
    expect(parseKdVm("NonPagedPool Usage: ( zz Kb)", "j").warnings.join()).toMatch(/unreadable !vm value/);
  });
});
