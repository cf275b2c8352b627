// IIS W3C access logs (u_ex*.log): requests keyed by the log's own field names.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ParsedInput } from "../../../../parsers/evidence.js";
import { parseText } from "../../../../parsers/index.js";
import { parseIisW3c } from "../../../../parsers/kinds/iis-w3c/parse.js";

const dir = import.meta.dirname;
const fixture = (name: string): string => readFileSync(join(dir, name), "utf8");

describe("parseIisW3c", () => {
  it("reads IIS 10's default fields: status, substatus, win32 status and time-taken as numbers", () => {
    const p = parseIisW3c(fixture("u_ex-iis10-default.log"), "u");
    expect(ParsedInput.parse(p)).toEqual(p);
    expect(p.data.records).toHaveLength(12);
    expect(p.data.records[3]).toMatchObject({
      "cs-uri-stem": "/api/orders",
      "sc-status": 200,
      "sc-substatus": 0,
      "sc-win32-status": 64,
      "time-taken": 120531,
      "cs-uri-query": null,
    });
  });

  it("follows #Fields when it changes after a restart, and counts a line cut short", () => {
    const p = parseIisW3c(fixture("u_ex-fields-change-mid-file.log"), "u");
    expect(p.data.fieldSets).toBe(2);
    expect(p.data.records).toHaveLength(6);
    expect(p.data.records[4]).toMatchObject({ "sc-bytes": 48211, "cs-bytes": 512, "time-taken": 2841 });
    expect(p.data.records[0]?.["sc-bytes"]).toBeUndefined();
    expect(p.data.skipped).toBe(1);
    expect(p.warnings[0]).toMatch(/^line 15: skipped, 9 fields where 17 were expected/);
  });

  it("reads IIS 6 (no time-taken) and IIS 8.5 custom fields", () => {
    const six = parseIisW3c(fixture("u_ex-iis6-2003-no-time-taken.log"), "u").data;
    expect(six.records[0]).toMatchObject({ "s-sitename": "W3SVC1", "sc-status": 500 });
    expect(six.records[0]?.["time-taken"]).toBeUndefined();
    const custom = parseIisW3c(fixture("u_ex-iis85-custom-fields.log"), "u").data;
    expect(custom.records[1]).toMatchObject({
      "sc-status": 503,
      "sc-substatus": 4,
      "X-Forwarded-For": "203.0.113.214",
    });
  });

  it("reads pasted lines without a header in IIS's default order", () => {
    const p = parseText(fixture("u_ex-paste-no-header.txt"), "paste");
    expect(p.inputs.map((i) => i.kind)).toEqual(["iis-w3c"]);
    const data = p.inputs[0]?.kind === "iis-w3c" ? p.inputs[0].data : null;
    expect(data?.records.map((r) => [r["sc-status"], r["sc-substatus"]])).toEqual([
      [200, 0],
      [503, 2],
      [503, 2],
    ]);
  });

  it("is never read as HTTPERR, and HTTPERR is never read as it", () => {
    const iis = parseText(fixture("u_ex-header-repeated-after-restart.log"), "u");
    expect(iis.inputs.map((i) => i.kind)).toEqual(["iis-w3c"]);
    const mixed = `${fixture("u_ex-iis10-default.log")}\n#Software: Microsoft HTTP API 2.0\n#Fields: date time c-ip c-port s-ip s-port cs-version cs-method cs-uri sc-status s-siteid s-reason s-queuename\n2024-03-12 14:05:00 10.0.0.9 5000 10.0.0.5 443 HTTP/1.1 GET /api 503 1 QueueFull Shop\n`;
    expect(parseText(mixed, "m").inputs.map((i) => i.kind)).toEqual(["iis-w3c", "httperr"]);
  });

  it("never throws", () => {
    for (const junk of [
      "",
      "#Fields:",
      "#Fields: date time\n2024-01-01 00:00:00",
      "2024-01-01 x",
      "-".repeat(5000),
    ]) {
      expect(() => parseIisW3c(junk, "j")).not.toThrow();
    }
  });
});
