// Lines shown only when their condition holds: the findstr command for a tag nobody could map, and
// the /3GB arithmetic only when /3GB really lowered the limit.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { diagnoseTexts, loadKnowledgeBase } from "../../kb/index.js";
import { PACKAGE_ROOT } from "../../kb/paths.js";

const kb = loadKnowledgeBase();
const sample = (...p: string[]) => readFileSync(join(PACKAGE_ROOT, "samples", ...p), "utf8");
const finding = (id: string, ...texts: string[]) =>
  diagnoseTexts(
    kb,
    texts.map((text, i) => ({ text, source: `paste ${i}` })),
  ).findings.find((f) => f.id === id);

/** A WDK poolmon paste whose biggest non-paged tag is `tag`, with `mapped` in the driver column. */
function poolmon(tag: string, mapped: string): string {
  return [
    " Memory:16776696K Avail:11288940K  PageFlts:  1534   InRam Krnl:17356K P:567048K",
    " Commit:6403152K Limit:19403844K Peak:7888664K            Pool N:540556K P:598104K",
    " System pool information",
    " Tag  Type     Allocs            Frees            Diff   Bytes       Per Alloc    Mapped_Driver",
    "",
    ` ${tag} Nonp     412255 (1203)    118044 (1100)   294211 301467648 ( 98880)   1024     [ ${mapped} ]`,
    " Irp  Nonp   81566431 ( 311)  81563988 ( 311)     2443  1182096 (     0)    483     [ nt!io - Io, IRP packets ]",
  ].join("\n");
}

describe("pool-tag-leak: how to find the driver of a tag nobody mapped", () => {
  it("names the findstr command with the tag when neither table nor poolmon knows it", () => {
    const leak = finding("pool-tag-leak", poolmon("Qz7x", "<unknown>"));
    expect(leak?.evidence).toContain(
      "Tag Qz7x is in neither the tag table nor poolmon's Mapped_Driver column; find its driver on the server " +
        'with `findstr /m /l /c:"Qz7x" %SystemRoot%\\System32\\drivers\\*.sys`',
    );
  });

  it("leaves the line out when poolmon names the driver", () => {
    const leak = finding("pool-tag-leak", poolmon("Qz7x", "acmefilt.sys - Acme Storage Filter"));
    expect(leak).toBeDefined();
    expect(leak?.evidence.join("\n")).not.toContain("findstr");
  });
});

describe("boot-3gb-switch: the limit without /3GB", () => {
  it("shows the arithmetic when /3GB lowered the limit (the founding incident)", () => {
    const boot = finding("boot-3gb-switch", sample("founding-incident", "boot.ini"));
    expect(boot?.evidence).toContain("With /3GB the non-paged pool limit is 128 MB; without it, 256 MB");
    expect(boot?.confidence).toBe(0.9);
  });

  it("says what increaseuserva leaves the kernel, without inventing a limit (2008 x86)", () => {
    const bcd = sample("pool-leak-growth", "bcdedit.txt").replace(
      "pae                     ForceEnable",
      "pae                     ForceEnable\nincreaseuserva          3072",
    );
    const d = diagnoseTexts(kb, [
      { text: bcd, source: "bcdedit" },
      { text: sample("pool-leak-growth", "poolmon-1000.txt"), source: "poolmon" },
    ]);
    // The pools share the 1 GB increaseuserva leaves: only that ceiling is known, not the limit.
    expect(d.facts.pool.limitMb).toBeNull();
    expect(d.facts.pool.limitUpperMb).toBe(1024);
    expect(d.facts.pool.defaultLimitMb).toBe(2048);
    expect(d.facts.boot.kernelSpaceMb).toBe(1024);
    const boot = d.findings.find((f) => f.id === "boot-3gb-switch");
    expect(boot).toBeDefined();
    expect(boot?.evidence.join("\n")).not.toContain("without it");
    expect(boot?.evidence).toContain("The kernel keeps 1,024 MB of the 4,096 MB address space");
    expect(boot?.next_steps.join("\n")).toContain("bcdedit /deletevalue increaseuserva");
    expect(boot?.next_steps.join("\n")).not.toContain("bootcfg /raw");
    expect(boot?.confidence).toBe(0.85);
  });
});
