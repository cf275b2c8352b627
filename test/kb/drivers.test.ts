// Checks of kb/data/drivers.yaml, the third-party drivers table: breadth (the issue asks for the
// antivirus / endpoint / backup filters of at least ten vendors), well-formed unique file names, and
// that a WDK poolmon row whose tag we do not know is still attributed through its Mapped_Driver.
// (That it agrees with the tag table on vendors is a `kb validate` cross-check, kb/checks/data.ts.)
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { FILTER_CATEGORIES } from "../../kb/data-schema.js";
import { deriveFacts } from "../../kb/derive.js";
import { loadKnowledgeBaseFrom } from "../../kb/load.js";
import { DATA_DIR } from "../../kb/paths.js";
import { parseText } from "../../parsers/index.js";

const kb = loadKnowledgeBaseFrom();
// The table as written: the loader keys by lower-case name, which would hide a duplicate.
const raw = parseYaml(readFileSync(join(DATA_DIR, "drivers.yaml"), "utf8")) as {
  drivers: Array<{ driver: string; vendor: string; category: string; source: string }>;
};
const filterRows = raw.drivers.filter((d) => FILTER_CATEGORIES.has(d.category));

describe("third-party drivers table", () => {
  it("covers the antivirus / endpoint / backup filters of at least ten vendors", () => {
    expect(new Set(filterRows.map((d) => d.vendor)).size).toBeGreaterThanOrEqual(10);
  });

  it.each(["antivirus", "endpoint", "backup"])("has %s drivers of at least three vendors", (category) => {
    const vendors = new Set(raw.drivers.filter((d) => d.category === category).map((d) => d.vendor));
    expect(vendors.size).toBeGreaterThanOrEqual(3);
  });

  it("names driver files that end in .sys", () => {
    for (const d of raw.drivers) expect(d.driver, d.driver).toMatch(/^[\w.-]+\.sys$/i);
  });

  it("lists each file once, ignoring case", () => {
    const names = raw.drivers.map((d) => d.driver.toLowerCase());
    const repeated = names.filter((n, i) => names.indexOf(n) !== i);
    expect(repeated).toEqual([]);
    expect(kb.drivers.size).toBe(raw.drivers.length);
  });

  it("cites an https source for every row", () => {
    for (const d of raw.drivers) expect(d.source, d.driver).toMatch(/^https:\/\//);
  });
});

/** A WDK poolmon paste whose biggest nonpaged tag is `tag`, mapped to `mapped`. */
function wdkPaste(tag: string, mapped: string): string {
  return [
    " Memory:16776696K Avail:11288940K  PageFlts:  1534   InRam Krnl:17356K P:567048K",
    " Commit:6403152K Limit:19403844K Peak:7888664K            Pool N:540556K P:598104K",
    " System pool information",
    " Tag  Type     Allocs            Frees            Diff   Bytes       Per Alloc    Mapped_Driver",
    "",
    ` ${tag} Nonp     412255 (1203)    118044 (1100)   294211 301467648 ( 98880)   1024     [ ${mapped} ]`,
    " Irp  Nonp   81566431 ( 311)  81563988 ( 311)     2443  1182096 (     0)    483     [ nt!io - Io, IRP packets ]",
    " File Paged   6107487 (  52)   6076236 (  52)    31251  4099296 (     0)    131     [ nt!io - File objects ]",
  ].join("\n");
}

function topNonpaged(tag: string, mapped: string) {
  const inputs = parseText(wdkPaste(tag, mapped), "poolmon.txt").inputs.map((input) => ({ input }));
  return deriveFacts(kb, inputs).pool.topNonpaged[0];
}

describe("Mapped_Driver lookup, end to end", () => {
  // A made-up tag, so the answer can only come from the driver column.
  const TAG = "Qz7x";

  it("uses a tag the tag table does not know", () => {
    expect(kb.tags.has(TAG)).toBe(false);
  });

  it.each([
    ["csagent.sys", "CrowdStrike", "endpoint"],
    ["WdFilter.sys", "Microsoft", "antivirus"],
    ["VeeamFCT.sys", "Veeam Software", "backup"],
    ["SRTSP64.sys", "Symantec (Broadcom)", "antivirus"],
  ])("attributes a row mapped to %s to %s", (driver, vendor, category) => {
    const top = topNonpaged(TAG, `${driver.toUpperCase()} - vendor driver`);
    expect(top?.tag).toBe(TAG);
    expect(top?.known).toBe("mapped-driver");
    expect(top?.vendor).toBe(vendor);
    expect(top?.category).toBe(category);
    expect(top?.referenceUrl).toMatch(/^https:\/\//);
  });

  it("leaves the vendor empty for a driver in neither table", () => {
    const top = topNonpaged(TAG, "nosuchvendor.sys - unknown");
    expect(top?.known).toBe("mapped-driver");
    expect(top?.vendor).toBeNull();
  });
});
