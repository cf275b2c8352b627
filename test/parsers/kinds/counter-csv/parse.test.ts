// Performance counters: typeperf / relog / Performance Monitor CSV, Get-Counter, any counters.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ParsedInput } from "../../../../parsers/evidence.js";
import { parseText } from "../../../../parsers/index.js";
import { parseCounterCsv } from "../../../../parsers/kinds/counter-csv/parse.js";
import { parseCounterPath } from "../../../../parsers/kinds/counter-csv/path.js";

const dir = import.meta.dirname;
const fixture = (name: string): string => readFileSync(join(dir, name), "utf8");

describe("parseCounterCsv", () => {
  it("reads typeperf's console output: every sample, in bytes, with its printed time", () => {
    const p = parseCounterCsv(fixture("typeperf.csv"), "csv");
    expect(ParsedInput.parse(p)).toEqual(p);
    expect(p.warnings).toEqual([]);
    expect(p.data.tool).toBe("typeperf");
    expect(p.data.counters.map((c) => c.counter)).toEqual(["Pool Nonpaged Bytes", "Pool Paged Bytes"]);
    expect(p.data.samples).toEqual([
      { time: "11/13/2007 20:05:00.123", values: [113246208, 111562752] },
      { time: "11/13/2007 20:05:01.125", values: [113770496, 111562752] },
      { time: "11/13/2007 20:05:02.127", values: [114294784, 111562752] },
    ]);
  });

  it("reads relog's header (time zone and bias) and a rate counter's blank first sample", () => {
    const p = parseCounterCsv(fixture("relog-export.csv"), "relog").data;
    expect(p).toMatchObject({ form: "pdh-csv", timeZone: "Pacific Daylight Time", biasMinutes: 420 });
    expect(p.samples).toHaveLength(6);
    expect(p.samples[0]?.values).toEqual([1300234240, 421552128, 1911866, null]);
  });

  it("splits counter paths whose instances hold spaces and parentheses", () => {
    const p = parseCounterCsv(fixture("instances-with-parentheses.csv"), "x").data;
    expect(p.counters.map((c) => [c.object, c.instance, c.counter])).toEqual([
      ["HTTP Service Request Queues", "intranet (legacy)", "CurrentQueueSize"],
      ["Process", "w3wp#1", "Handle Count"],
      ["Network Interface", "Intel(R) Ethernet Connection X722 for 10GbE SFP+", "Bytes Total/sec"],
      ["Memory", null, "Pool Nonpaged Bytes"],
    ]);
    expect(p.samples[0]?.values[2]).toBeNull();
    expect(parseCounterPath("\\Memory\\Pool Paged Bytes")).toMatchObject({ machine: null, object: "Memory" });
    expect(parseCounterPath("Memory")).toBeNull();
  });

  it("reads Get-Counter's table, one sample per timestamp", () => {
    const p = parseCounterCsv(fixture("get-counter-multi-sample.txt"), "gc").data;
    expect(p.form).toBe("get-counter");
    expect(p.samples.map((s) => [s.time, ...s.values])).toEqual([
      ["10/5/2020 4:42:11 PM", 184, 41230],
      ["10/5/2020 4:42:21 PM", 262, 51240],
      ["10/5/2020 4:42:31 PM", 341, 61250],
    ]);
  });

  it("reads Get-Counter's Format-List form like its table", () => {
    const list = parseCounterCsv(fixture("get-counter-format-list.txt"), "a").data;
    const table = parseCounterCsv(fixture("get-counter-single-sample.txt"), "b").data;
    expect(list.samples).toEqual(table.samples);
    expect(list.counters).toEqual(table.counters);
  });

  it("reads a CounterSamples table (no time) and path-value lines", () => {
    const t = parseCounterCsv(fixture("get-counter-countersamples-table.txt"), "t").data;
    expect(t.samples).toEqual([{ time: null, values: [2, 341, 412872704] }]);
    expect(t.counters.map((c) => c.instance)).toEqual(["defaultapppool", "searchapi", null]);
    const l = parseCounterCsv(fixture("counter-paths-and-values.txt"), "l").data;
    expect(l.samples).toEqual([{ time: null, values: [114294784, 111562752, 1296] }]);
  });

  it("keeps relog's console report when only that was pasted", () => {
    const p = parseCounterCsv(fixture("relog-console-report.txt"), "r").data;
    expect(p.relog).toEqual({ begin: "4/2/2018 8:00:00", end: "4/6/2018 8:00:00", samples: 97 });
    expect(p.samples).toEqual([]);
  });

  it("takes a sample count too long to be a number for none (found by the property test)", () => {
    const text = fixture("relog-console-report.txt").replaceAll(
      "Samples:  97",
      "Samples:  99999999999999999999",
    );
    const p = parseCounterCsv(text, "r");
    expect(p.data.relog?.samples).toBeNull();
    expect(ParsedInput.parse(p)).toEqual(p);
  });

  it("counts values that are not numbers instead of inventing them; never throws", () => {
    const p = parseCounterCsv(
      '"(PDH-CSV 4.0)","\\\\W\\Memory\\Pool Paged Bytes"\n"01/01/2020 00:00:00.000","abc"\n',
      "x",
    );
    expect(p.data.samples[0]?.values).toEqual([null]);
    expect(p.warnings.join()).toMatch(/not numbers/);
    for (const junk of [
      "",
      '"',
      '"(PDH-CSV 4.0)"',
      "\\\\",
      "Timestamp : ",
      "Readings : \\\\a\\b\\c :",
      "(".repeat(5000),
    ]) {
      expect(() => parseCounterCsv(junk, "j")).not.toThrow();
    }
  });

  it("is found in a paste with its command line and closing lines", () => {
    const result = parseText(fixture("typeperf-console.txt"), "tp");
    expect(result.inputs.map((i) => [i.kind, i.source])).toEqual([["counter-csv", "tp"]]);
  });
});
