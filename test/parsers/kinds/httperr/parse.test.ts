import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { HttperrSummary } from "../../../../parsers/evidence.js";
import {
  DEFAULT_FIELDS,
  isHttperrLine,
  parseHttperr,
  readHttperrLine,
} from "../../../../parsers/kinds/httperr/parse.js";
import { HttperrScanner } from "../../../../parsers/kinds/httperr/scan.js";
import {
  HttperrSummaryBuilder,
  minuteKey,
  reasonKey,
  refusalCount,
} from "../../../../parsers/kinds/httperr/summary.js";

const fixture = (name: string): string => readFileSync(fileURLToPath(new URL(name, import.meta.url)), "utf8");

describe("parseHttperr", () => {
  it("reads an HTTP API 1.0 log with CRLF line endings by its #Fields line", () => {
    const text = fixture("http-api-1.0.log");
    expect(text).toContain("\r\n");
    const parsed = parseHttperr(text, "httperr1.log");
    expect(parsed.kind).toBe("httperr");
    expect(parsed.source).toBe("httperr1.log");
    expect(parsed.warnings).toEqual([]);
    expect(parsed.data.records).toHaveLength(8);
    expect(parsed.data.records[0]).toEqual({
      date: "2007-11-13",
      time: "19:55:12",
      "c-ip": "10.1.2.30",
      "c-port": 3417,
      "s-ip": "10.1.2.5",
      "s-port": 80,
      "cs-version": "HTTP/1.1",
      "cs-method": "GET",
      "cs-uri": "/default.aspx",
      "sc-status": 503,
      "s-siteid": 1,
      "s-reason": "QueueFull",
      "s-queuename": "DefaultAppPool",
    });
    expect(parsed.data.records[4]).toMatchObject({
      "c-ip": null,
      "c-port": null,
      "s-reason": "Connections_Refused",
    });
    expect(parsed.data.records[5]?.["s-reason"]).toBe("3_Connections_Refused");
  });

  it("summarises refusals, 503s, reasons, sites and queues", () => {
    const { summary } = parseHttperr(fixture("http-api-1.0.log"), "httperr1.log").data;
    expect(HttperrSummary.parse(summary)).toEqual(summary);
    expect(summary).toMatchObject({
      lines: 8,
      skipped: 0,
      byReason: { AppOffline: 1, Connections_Refused: 4, QueueFull: 2, Timer_ConnectionIdle: 1 },
      byStatus: { "503": 3 },
      bySite: { "1": 3 },
      byQueue: { DefaultAppPool: 3 },
      firstTime: "2007-11-13 19:55:12",
      lastTime: "2007-11-13 20:02:04",
      // 1 (plain Connections_Refused) + 3 + 4 in minute 20:01, 3 in 20:02.
      refusalsPerMinute: { "2007-11-13 20:01": 8, "2007-11-13 20:02": 3 },
      status503PerMinute: { "2007-11-13 19:55": 1, "2007-11-13 20:00": 2 },
      refusedConnections: 11,
      topQueues: [{ key: "DefaultAppPool", count: 3, overcount: 0 }],
    });
    expect(summary.topClients[0]).toEqual({ key: "10.1.2.30", count: 2, overcount: 0 });
    expect(summary.topUris).toEqual([
      { key: "/default.aspx", count: 2, overcount: 0 },
      { key: "/login.aspx", count: 1, overcount: 0 },
    ]);
  });

  it("reads HTTP API 2.0 logs with streamid and IPv6 addresses with zone ids", () => {
    const parsed = parseHttperr(fixture("http-api-2.0-streamid.log"), "h2.log");
    expect(parsed.data.records).toHaveLength(4);
    expect(parsed.data.records[0]).toMatchObject({
      "c-ip": "fe80::1c2b:3d4e:5f60:7182%12",
      "c-port": 50321,
      "s-ip": "fe80::a1b2:c3d4:e5f6:789a%12",
      streamid: "3",
      "sc-status": 503,
      "s-siteid": 2,
      "s-queuename": "OrdersPool",
    });
    expect(parsed.data.records[2]).toMatchObject({
      "c-ip": "::1%0",
      streamid: null,
      "s-reason": "Timer_ConnectionIdle",
    });
    expect(parsed.data.records[3]).toMatchObject({
      streamid: null,
      "sc-status": 400,
      "s-reason": "BadRequest",
    });
    expect(parsed.data.summary.topClients.map((c) => c.key)).toContain("::1%0");
  });

  it("switches field lists at each #Fields line of concatenated logs", () => {
    const parsed = parseHttperr(fixture("concatenated.log"), "all.log");
    expect(parsed.data.summary.skipped).toBe(0);
    expect(parsed.data.records.map((r) => Object.keys(r).length)).toEqual([13, 14, 14]);
    expect(parsed.data.records[0]).not.toHaveProperty("streamid");
    expect(parsed.data.records[1]).toMatchObject({ streamid: "1", "sc-status": 503, "s-port": 443 });
    expect(parsed.data.summary.firstTime).toBe("2007-11-12 23:59:01");
    expect(parsed.data.summary.lastTime).toBe("2007-11-13 00:00:06");
  });

  it("skips a line cut short at the end (no final newline), counts it and warns", () => {
    const parsed = parseHttperr(fixture("truncated.log"), "cut.log");
    expect(parsed.data.records).toHaveLength(2);
    expect(parsed.data.summary.skipped).toBe(1);
    expect(parsed.data.summary.lines).toBe(2);
    expect(parsed.warnings).toHaveLength(1);
    expect(parsed.warnings[0]).toMatch(/^line 7: 9 of 13 fields/);
    expect(parsed.data.summary.refusedConnections).toBe(7);
  });

  it("reads the founding incident's headerless lines in the default order", () => {
    const parsed = parseHttperr(fixture("founding-paste.txt"), "paste");
    expect(parsed.data.records).toHaveLength(6);
    expect(Object.keys(parsed.data.records[0] ?? {})).toEqual([...DEFAULT_FIELDS]);
    expect(parsed.data.records.every((r) => r["c-ip"] === null && r["s-queuename"] === null)).toBe(true);
    expect(parsed.data.summary.refusedConnections).toBe(21);
    expect(parsed.data.summary.refusalsPerMinute).toEqual({ "2007-11-13 20:01": 14, "2007-11-13 20:02": 7 });
    expect(parsed.data.summary.byReason).toEqual({ Connections_Refused: 6 });
  });

  it("tolerates tabs, runs of spaces, NBSP, narrow NBSP and zero-width spaces; 14 fields mean streamid", () => {
    const parsed = parseHttperr(fixture("mangled-whitespace.txt"), "paste");
    expect(parsed.warnings).toEqual([]);
    expect(parsed.data.records).toHaveLength(3);
    expect(parsed.data.records[0]).toMatchObject({
      time: "20:01:44",
      "c-port": 3417,
      "s-queuename": "DefaultAppPool",
    });
    expect(parsed.data.records[1]).toMatchObject({ time: "20:01:45", "s-reason": "3_Connections_Refused" });
    expect(parsed.data.records[2]).toMatchObject({ time: "20:01:46", streamid: "7", "sc-status": 503 });
  });

  it("ignores #Software/#Version/#Date lines and blank lines, skips prose", () => {
    const text = [
      "\uFEFF#Software: Microsoft HTTP API 2.0",
      "#Version: 1.0",
      "#Date: 2018-01-01 08:09:10",
      "",
      "here is what I found:",
      "2018-01-01 08:09:10 172.31.77.6 2094 172.31.77.6 80 HTTP/1.1 GET /q 503 - ConnLimit -",
    ].join("\n");
    const parsed = parseHttperr(text, "x");
    expect(parsed.data.records).toHaveLength(1);
    expect(parsed.data.summary.skipped).toBe(1);
    expect(parsed.warnings[0]).toMatch(/^line 5:/);
  });

  it("rejects malformed values instead of inventing numbers", () => {
    expect(
      readHttperrLine("2018-01-01 08:09:10 1.2.3.4 port 1.2.3.5 80 - - - - - Timer_Idle -", null),
    ).toEqual({
      problem: "c-port is not a number (port)",
    });
    expect(
      readHttperrLine("2018-13 08:09:10 1.2.3.4 1 1.2.3.5 80 - - - - - Timer_Idle -", null),
    ).toMatchObject({
      problem: expect.stringMatching(/^date/),
    });
    expect(readHttperrLine("a b c d e f g h i j k l m n o", null)).toMatchObject({
      problem: "15 fields where 13 were expected",
    });
  });

  it("keeps a summary of warnings when many lines are skipped", () => {
    const text = Array.from({ length: 12 }, () => "2007-11-13 20:01:44 - -").join("\n");
    const parsed = parseHttperr(text, "x");
    expect(parsed.data.summary.skipped).toBe(12);
    expect(parsed.warnings).toHaveLength(6);
    expect(parsed.warnings[5]).toBe("7 more lines skipped (12 in all)");
  });

  it("does not let a #Fields name reach the record's prototype", () => {
    const parsed = parseHttperr("#Fields: date __proto__ time\n2018-01-01 x 08:09:10", "x");
    expect(parsed.data.records).toEqual([]);
    expect(Object.getPrototypeOf(parsed.data.records)).toBe(Array.prototype);
    const ok = parseHttperr("#Fields: date time s-reason\n2018-01-01 08:09:10 Hostname", "x");
    expect(ok.data.records).toEqual([{ date: "2018-01-01", time: "08:09:10", "s-reason": "Hostname" }]);
  });

  it("stays linear on a large log", () => {
    const line =
      "2007-11-13 20:01:44 10.1.2.30 3417 10.1.2.5 80 HTTP/1.1 GET /default.aspx 503 1 QueueFull DefaultAppPool";
    const text = Array.from({ length: 50_000 }, () => line).join("\n");
    const parsed = parseHttperr(text, "big");
    expect(parsed.data.summary.lines).toBe(50_000);
    expect(parsed.data.summary.status503PerMinute).toEqual({ "2007-11-13 20:01": 50_000 });
  });
});

describe("field helpers", () => {
  it("refusalCount counts N for N_Connections_Refused, 1 for the plain phrase, 0 otherwise", () => {
    expect(refusalCount("3_Connections_Refused")).toBe(3);
    expect(refusalCount("120_Connections_Refused")).toBe(120);
    expect(refusalCount("Connections_Refused")).toBe(1);
    expect(refusalCount("QueueFull")).toBe(0);
    expect(refusalCount("x_Connections_Refused")).toBe(0);
    expect(refusalCount(null)).toBe(0);
  });

  it("reasonKey folds the N_ prefix of refusals", () => {
    expect(reasonKey("4_Connections_Refused")).toBe("Connections_Refused");
    expect(reasonKey("Timer_MinBytesPerSecond")).toBe("Timer_MinBytesPerSecond");
  });

  it("minuteKey needs a date and a time", () => {
    expect(minuteKey({ date: "2007-11-13", time: "20:01:44" })).toBe("2007-11-13 20:01");
    expect(minuteKey({ date: null, time: "20:01:44" })).toBeNull();
  });

  it("isHttperrLine accepts HTTPERR headers and data lines, rejects access-log lines and prose", () => {
    expect(isHttperrLine("#Software: Microsoft HTTP API 2.0")).toBe(true);
    expect(
      isHttperrLine(
        "#Fields: date time c-ip c-port s-ip s-port cs-version cs-method cs-uri sc-status s-siteid s-reason s-queuename",
      ),
    ).toBe(true);
    expect(isHttperrLine("2007-11-13 20:01:44 - - - - - - - - - 3_Connections_Refused -")).toBe(true);
    expect(isHttperrLine("2019-03-04 10:00:07 ::1%0 50330 ::1%0 80 - - - - - - Timer_ConnectionIdle -")).toBe(
      true,
    );
    // IIS access log (W3C, 14 fields) and its header.
    expect(isHttperrLine("#Software: Microsoft Internet Information Services 10.0")).toBe(false);
    expect(
      isHttperrLine("2019-03-04 10:00:07 10.0.0.5 GET /default.htm - 80 - 10.0.0.9 Mozilla/5.0 200 0 0 15"),
    ).toBe(false);
    expect(isHttperrLine("2007-11-13 was the day the site went down")).toBe(false);
    expect(isHttperrLine("")).toBe(false);
  });

  it("the builder gives the same summary as the parser, record by record", () => {
    const parsed = parseHttperr(fixture("truncated.log"), "cut.log");
    const builder = new HttperrSummaryBuilder();
    for (const record of parsed.data.records) builder.add(record);
    builder.skip();
    expect(builder.result()).toEqual(parsed.data.summary);
  });

  it("the builder counts a record like the parser, and a skipped line", () => {
    const builder = new HttperrSummaryBuilder();
    builder.add({
      date: "2024-01-02",
      time: "03:04:05.123",
      "c-ip": "::1",
      "s-reason": "5_Connections_Refused",
    });
    builder.skip();
    expect(builder.result()).toMatchObject({
      lines: 1,
      skipped: 1,
      byReason: { Connections_Refused: 1 },
      refusedConnections: 5,
      refusalsPerMinute: { "2024-01-02 03:04": 5 },
      topClients: [{ key: "::1", count: 1, overcount: 0 }],
      firstTime: "2024-01-02 03:04:05",
    });
  });
});

describe("the summary of a hand-counted log (per-reason.log)", () => {
  // Every number below was counted by hand from the fixture's 12 lines, not by any code under test.
  const top = (...pairs: [string, number][]) => pairs.map(([key, count]) => ({ key, count, overcount: 0 }));
  const none = { queues: 0, sites: 0, uris: 0 };
  const expected = {
    lines: 12,
    skipped: 0,
    byReason: { AppOffline: 1, BadRequest: 4, Connections_Refused: 3, QueueFull: 4 },
    byStatus: { "400": 4, "503": 5 },
    bySite: { "1": 5, "2": 3, "3": 1 },
    byQueue: { MainPool: 5, ReportPool: 3, ShopPool: 1 },
    firstTime: "2024-05-06 14:00:16",
    lastTime: "2024-05-06 14:09:00",
    // The refusal line without a time counts in the total only.
    refusalsPerMinute: { "2024-05-06 14:05": 3, "2024-05-06 14:06": 1 },
    status503PerMinute: {
      "2024-05-06 14:03": 2,
      "2024-05-06 14:04": 1,
      "2024-05-06 14:05": 1,
      "2024-05-06 14:07": 1,
    },
    refusedConnections: 6,
    topClients: top(["10.0.0.1", 3], ["10.0.0.2", 2], ["10.0.0.3", 2], ["10.0.0.4", 1], ["10.0.0.7", 1]),
    topUris: top(["/home", 4], ["/report", 2], ["/cart", 1], ["/export", 1], ["/login", 1]),
    topQueues: top(["MainPool", 5], ["ReportPool", 3], ["ShopPool", 1]),
    unlisted: { clients: 0, uris: 0, queues: 0 },
    distinctClients: { estimate: 5, relativeError: 0 },
    distinctUris: { estimate: 5, relativeError: 0 },
    byReasonDetail: {
      AppOffline: {
        count: 1,
        firstTime: "2024-05-06 14:07:00",
        lastTime: "2024-05-06 14:07:00",
        topQueues: top(["ShopPool", 1]),
        topSites: top(["3", 1]),
        topUris: top(["/cart", 1]),
        unlisted: none,
      },
      BadRequest: {
        count: 4,
        firstTime: "2024-05-06 14:00:16",
        lastTime: "2024-05-06 14:09:00",
        topQueues: top(["MainPool", 4]),
        topSites: top(["1", 4]),
        topUris: top(["/home", 3], ["/login", 1]),
        unlisted: none,
      },
      // Refusals start at 14:05:11, not at the log's first line (14:00:16).
      Connections_Refused: {
        count: 3,
        firstTime: "2024-05-06 14:05:11",
        lastTime: "2024-05-06 14:06:40",
        topQueues: [],
        topSites: [],
        topUris: [],
        unlisted: none,
      },
      // The queue that was full is ReportPool, though MainPool is the log's busiest queue.
      QueueFull: {
        count: 4,
        firstTime: "2024-05-06 14:03:01",
        lastTime: "2024-05-06 14:05:00",
        topQueues: top(["ReportPool", 3], ["MainPool", 1]),
        topSites: top(["2", 3], ["1", 1]),
        topUris: top(["/report", 2], ["/export", 1], ["/home", 1]),
        unlisted: none,
      },
    },
  };

  it("the simple parser gives exactly the hand count", () => {
    const parsed = parseHttperr(fixture("per-reason.log"), "per-reason.log");
    expect(parsed.warnings).toEqual([]);
    expect(parsed.data.summary).toEqual(expected);
    expect(HttperrSummary.parse(parsed.data.summary)).toEqual(expected);
  });

  it("the byte scanner gives exactly the hand count, in any chunking", () => {
    const bytes = new TextEncoder().encode(fixture("per-reason.log"));
    for (const chunk of [1, 5, 64, bytes.length]) {
      const scanner = new HttperrScanner();
      for (let i = 0; i < bytes.length; i += chunk) scanner.push(bytes.subarray(i, i + chunk));
      expect(scanner.end(), `chunk ${chunk}`).toEqual(expected);
    }
  });

  it("top lists keep ten entries and say what the eleventh has", () => {
    const lines = ["#Fields: date time c-ip s-reason"];
    // Client k (1..12) sends k lines: the list keeps 12..3, and the unlisted ones have at most 2.
    for (let k = 1; k <= 12; k++)
      for (let j = 0; j < k; j++) lines.push(`2024-05-06 14:00:00 10.9.0.${k} Hostname`);
    const { summary } = parseHttperr(lines.join("\n"), "x").data;
    expect(summary.topClients.map((e) => [e.key, e.count])).toEqual(
      Array.from({ length: 10 }, (_, i) => [`10.9.0.${12 - i}`, 12 - i]),
    );
    expect(summary.unlisted.clients).toBe(2);
    expect(summary.distinctClients).toEqual({ estimate: 12, relativeError: 0 });
  });
});
