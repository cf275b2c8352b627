import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ParsedInput } from "../../../../parsers/evidence.js";
import { parsePoolmon, parsePoolmonRow } from "../../../../parsers/kinds/poolmon/parse.js";

const dir = import.meta.dirname;
const fixture = (name: string): string => readFileSync(join(dir, name), "utf8");

describe("parsePoolmon", () => {
  it("reads the founding incident's legacy poolmon -b (CRLF, header, deltas, Per Alloc)", () => {
    const text = fixture("legacy-2003-b.txt");
    expect(text.includes("\r\n")).toBe(true);
    const [p, ...rest] = parsePoolmon(text, "poolmon-b.txt");
    expect(rest).toHaveLength(0);
    expect(ParsedInput.parse(p)).toEqual(p);
    expect(p?.warnings).toEqual([]);
    const s = p?.data;
    expect(s?.tool).toBe("legacy");
    expect(s?.header).toEqual({
      memoryKb: 4193848,
      availKb: 2837512,
      pageFlts: 412,
      inRamKb: 2644,
      commitKb: 1183440,
      limitKb: 6274092,
      peakKb: 1290212,
      nonpagedKb: 111616,
      pagedKb: 108948,
    });
    expect(s?.rows).toHaveLength(13);
    expect(s?.rows[0]).toEqual({
      tag: "SYMe",
      type: "Nonp",
      allocs: 19012455,
      allocsDelta: 14,
      frees: 18968221,
      freesDelta: 9,
      diff: 44234,
      diffDelta: 5,
      bytes: 72351744,
      bytesDelta: 9216,
      perAlloc: 1635,
      mappedDriver: null,
    });
    // ~69 MB non-paged held by the antivirus tag at the top.
    expect(Math.round((s?.rows[0]?.bytes ?? 0) / 1048576)).toBe(69);
    expect(s?.rows.map((r) => r.tag)).toContain("Irp ");
    expect(s?.rows.map((r) => r.tag)).toContain("Mm  ");
    expect(s?.rows.find((r) => r.tag === "CM31")?.type).toBe("Paged");
  });

  it("reads WDK poolmon /g with the Mapped_Driver column and negative deltas", () => {
    const [p] = parsePoolmon(fixture("wdk-2016-g.txt"), "wdk");
    const s = p?.data;
    expect(p?.warnings).toEqual([]);
    expect(s?.tool).toBe("wdk");
    expect(s?.header.nonpagedKb).toBe(540556);
    expect(s?.header.memoryKb).toBe(16776696);
    expect(s?.rows).toHaveLength(8);
    expect(s?.rows[0]?.tag).toBe("ConT");
    expect(s?.rows[0]?.mappedDriver).toBe("netio.sys - Connection Tracking");
    expect(s?.rows[1]?.mappedDriver).toBe("<unknown>");
    expect(s?.rows[4]).toMatchObject({ tag: "Irp ", mappedDriver: "nt!io - Io, IRP packets", perAlloc: 483 });
    const tcpe = s?.rows.find((r) => r.tag === "TcpE");
    expect(tcpe).toMatchObject({ bytesDelta: -1520, allocsDelta: 4, freesDelta: 6, diffDelta: -2 });
  });

  it("reconstructs 4-character tags when runs of spaces were collapsed", () => {
    const [p] = parsePoolmon(fixture("collapsed-slack.txt"), "slack");
    const s = p?.data;
    expect(p?.warnings).toEqual([]);
    expect(s?.header.nonpagedKb).toBe(111616);
    expect(s?.header.pagedKb).toBe(108948);
    expect(s?.rows.map((r) => r.tag)).toEqual(["SYMe", "Irp ", "Mm  ", "Mdl ", "Ntf0"]);
    expect(s?.rows.every((r) => r.tag.length === 4)).toBe(true);
    expect(s?.rows[3]).toMatchObject({ allocsDelta: 40, bytesDelta: 0, perAlloc: 586 });
  });

  it("skips the row a half table was cut in, with a warning naming it", () => {
    const [p] = parsePoolmon(fixture("half-table.txt"), "half");
    const s = p?.data;
    expect(s?.rows.map((r) => r.tag)).toEqual(["SYMe", "MmCm", "Thre", "File"]);
    expect(s?.header.nonpagedKb).toBeNull();
    expect(p?.warnings).toHaveLength(1);
    expect(p?.warnings[0]).toMatch(/line 5: broken poolmon row.*TCPt/);
  });

  it("drops a last row whose Per Alloc was cut short", () => {
    const [p] = parsePoolmon(fixture("cut-per-alloc.txt"), "cut");
    expect(p?.data.rows.map((r) => r.tag)).toEqual(["SYMe", "MmCm", "Thre"]);
    expect(p?.warnings.join()).toMatch(/Per Alloc of tag "File" is cut short/);
  });

  it("skips a row that ends before its Bytes delta", () => {
    const text = [
      " SYMe Nonp   19012455 (  14)  18968221 (   9)    44234 72351744 (  9216)   1635",
      " MmCm Nonp       2903 (   0)      2411 (   0)      492  4917",
    ].join("\n");
    const [p] = parsePoolmon(text, "x");
    expect(p?.data.rows.map((r) => r.tag)).toEqual(["SYMe"]);
    expect(p?.warnings.join()).toMatch(/MmCm/);
  });

  it("reads rows without delta columns", () => {
    const [p] = parsePoolmon(fixture("no-deltas.txt"), "n");
    const s = p?.data;
    expect(p?.warnings).toEqual([]);
    expect(s?.rows).toHaveLength(5);
    expect(s?.rows[0]).toMatchObject({
      tag: "SYMe",
      allocs: 19012455,
      allocsDelta: null,
      frees: 18968221,
      freesDelta: null,
      diffDelta: null,
      bytes: 72351744,
      bytesDelta: null,
      perAlloc: 1635,
    });
  });

  it("reads rows without Per Alloc (Windows 2000 layout)", () => {
    const text = [
      " Tag  Type     Allocs            Frees            Diff   Bytes",
      " Irp  Nonp   38126612 (  58)  38124109 (  58)     2503   676608 (     0)",
      " Ntf0 Paged   9632578 (   0)   9625431 (   0)     7147  1843576 (     0)",
    ].join("\n");
    const [p] = parsePoolmon(text, "w2k");
    expect(p?.warnings).toEqual([]);
    expect(p?.data.rows.map((r) => [r.tag, r.perAlloc, r.bytes])).toEqual([
      ["Irp ", null, 676608],
      ["Ntf0", null, 1843576],
    ]);
  });

  it("keeps negative deltas of a -d sorted table", () => {
    const [p] = parsePoolmon(fixture("sorted-d-negative.txt"), "d");
    const rows = p?.data.rows ?? [];
    expect(rows.map((r) => r.tag)).toEqual(["Ntfx", "Even", "Irp ", "Toke"]);
    expect(rows[1]).toMatchObject({ freesDelta: -2, diffDelta: 6 });
    expect(rows[2]).toMatchObject({ bytesDelta: -1080, diffDelta: -3 });
  });

  it("splits two snapshots of one machine and keeps each one's time", () => {
    const out = parsePoolmon(fixture("two-snapshots.txt"), "two");
    expect(out).toHaveLength(2);
    expect(out.map((p) => p.data.time)).toEqual(["2007-11-13 19:45:02", "2007-11-13 20:05:02"]);
    expect(out.map((p) => p.data.header.nonpagedKb)).toEqual([102400, 111616]);
    expect(out.map((p) => p.data.rows[0]?.bytes)).toEqual([63000576, 72351744]);
    expect(out.every((p) => p.warnings.length === 0)).toBe(true);
  });

  it("splits two header-less tables when a tag repeats", () => {
    const row1 = " Irp  Nonp   38120001 (  55)  38117500 (  55)     2501   675840 (     0)    270";
    const row2 = " Irp  Nonp   38126612 (  58)  38124109 (  58)     2503   676608 (     0)    270";
    const out = parsePoolmon(`${row1}\n\n${row2}\n`, "x");
    expect(out).toHaveLength(2);
    expect(out[1]?.data.rows[0]?.allocs).toBe(38126612);
  });

  it("reads the same values from CRLF and LF text", () => {
    const crlf = fixture("legacy-2003-b.txt");
    const lf = crlf.replace(/\r\n/g, "\n");
    expect(parsePoolmon(lf, "s")).toEqual(parsePoolmon(crlf, "s"));
  });

  it("marks a big pool without Mapped_Driver as the WDK tool", () => {
    const text = fixture("wdk-2016-g.txt")
      .replace(/\s+\[[^\]\n]*\]/g, "")
      .replace(/Mapped_Driver/, "");
    const [p] = parsePoolmon(text, "x");
    expect(p?.data.rows[0]?.mappedDriver).toBeNull();
    expect(p?.data.tool).toBe("wdk");
  });

  it("never throws, and says what it saw, on text that is not poolmon", () => {
    for (const junk of ["", "hello", "Nonp Nonp", "((((", " Abcd Nonp 12 ( 3", "x".repeat(10000)]) {
      const out = parsePoolmon(junk, "j");
      expect(out.length).toBeGreaterThan(0);
      expect(out[0]?.warnings.length).toBeGreaterThan(0);
    }
    expect(parsePoolmon("hello world", "j")[0]?.warnings.join()).toMatch(/hello world/);
  });

  it("stays linear on a long paste", () => {
    const row = " Irp  Nonp   38126612 (  58)  38124109 (  58)     2503   676608 (     0)    270";
    const tags = Array.from({ length: 20000 }, (_, i) => i.toString(36).padStart(4, "0"));
    const text = tags.map((t) => row.replace("Irp ", t)).join("\n");
    const out = parsePoolmon(text, "big");
    expect(out).toHaveLength(1);
    expect(out[0]?.data.rows.length).toBe(20000);
  });
});

describe("parsePoolmonRow", () => {
  it("pads short tags and keeps case", () => {
    expect(parsePoolmonRow("Mm Paged 1 ( 0) 0 ( 0) 1 64 ( 0) 64")?.tag).toBe("Mm  ");
    expect(parsePoolmonRow(" ntf0 Paged 1 ( 0) 0 ( 0) 1 64 ( 0) 64")?.tag).toBe("ntf0");
    expect(parsePoolmonRow("Nonp Nonp 1 ( 0) 0 ( 0) 1 64 ( 0) 64")?.tag).toBe("Nonp");
    expect(parsePoolmonRow("Ab C Nonp 1 ( 0) 0 ( 0) 1 64 ( 0) 64")?.tag).toBe("Ab C");
    expect(parsePoolmonRow("Irp\tNonp\t1 (0)\t0 (0)\t1\t64 (0)\t64")?.tag).toBe("Irp ");
  });

  it("reads deltas written without spaces or with a minus", () => {
    expect(parsePoolmonRow(" Irp  Nonp 10(1) 8(-2) 2 128(64) 64")).toMatchObject({
      allocsDelta: 1,
      freesDelta: -2,
      diffDelta: 3,
      bytesDelta: 64,
    });
  });

  it("rejects what is not a row", () => {
    expect(parsePoolmonRow(" Tag  Type     Allocs            Frees")).toBeNull();
    expect(parsePoolmonRow("Toolong Nonp 1 2 3 4")).toBeNull();
    expect(parsePoolmonRow("Irp Nonp 1 2")).toBeNull();
  });
});
