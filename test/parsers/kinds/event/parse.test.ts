import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ParsedInput } from "../../../../parsers/evidence.js";
import { parseEvents } from "../../../../parsers/kinds/event/parse.js";

const dir = import.meta.dirname;
const fixture = (name: string): string => readFileSync(join(dir, name), "utf8");

const NONPAGED =
  "The server was unable to allocate from the system nonpaged pool because the pool was empty.";
const PAGED = "The server was unable to allocate from the system paged pool because the pool was empty.";

describe("parseEvents", () => {
  it("reads Event Viewer 'Copy details as text' (Vista+) and skips the Event Xml", () => {
    const p = parseEvents(fixture("vista-copy-details.txt"), "ev");
    expect(ParsedInput.parse(p)).toEqual(p);
    expect(p.warnings).toEqual([]);
    expect(p.data.events).toEqual([
      {
        id: 2019,
        source: "srv",
        level: "Error",
        time: "3/4/2019 2:17:09 PM",
        computer: "WEB02.contoso.local",
        message: NONPAGED,
      },
      {
        id: 5011,
        source: "Microsoft-Windows-WAS",
        level: "Warning",
        time: "3/4/2019 2:17:40 PM",
        computer: "WEB02.contoso.local",
        message:
          "A process serving application pool 'DefaultAppPool' suffered a fatal communication error with the Windows Process Activation Service. The process id was '4312'. The data field contains the error number.",
      },
    ]);
  });

  it("reads the Windows 2003 Event Viewer copy (CRLF, Date + Time, Data dump skipped)", () => {
    const p = parseEvents(fixture("eventvwr-2003.txt"), "2003");
    expect(p.warnings).toEqual([]);
    expect(p.data.events).toEqual([
      {
        id: 2019,
        source: "Srv",
        level: "Error",
        time: "11/13/2007 8:01:44 PM",
        computer: "WEB01",
        message: NONPAGED,
      },
      {
        id: 2020,
        source: "Srv",
        level: "Error",
        time: "11/13/2007 8:03:12 PM",
        computer: "WEB01",
        message: PAGED,
      },
    ]);
  });

  it("reads wevtutil qe /f:text blocks", () => {
    const p = parseEvents(fixture("wevtutil-text.txt"), "wevtutil");
    expect(p.warnings).toEqual([]);
    expect(p.data.events.map((e) => [e.id, e.source, e.level, e.time])).toEqual([
      [5002, "Microsoft-Windows-WAS", "Error", "2016-05-10T09:12:44.412"],
      [15021, "Microsoft-Windows-HttpEvent", "Error", "2016-05-10T09:12:45.001"],
      [5117, "Microsoft-Windows-WAS", "Information", "2016-05-10T09:13:02.776"],
    ]);
    expect(p.data.events[0]?.message).toMatch(/^Application pool 'Shop' is being automatically disabled/);
    expect(p.data.events[2]?.computer).toBe("IIS01.contoso.local");
  });

  it("reads the Get-WinEvent default table, source from each ProviderName group", () => {
    const p = parseEvents(fixture("get-winevent-table.txt"), "ps");
    expect(p.warnings).toEqual([]);
    expect(p.data.events.map((e) => [e.id, e.source, e.level, e.time])).toEqual([
      [2019, "srv", "Error", "3/4/2019 2:17:09 PM"],
      [2019, "srv", "Error", "3/4/2019 2:16:52 PM"],
      [2020, "srv", "Error", "3/4/2019 1:58:30 PM"],
      [5013, "Microsoft-Windows-WAS", "Warning", "3/4/2019 2:18:00 PM"],
    ]);
    expect(p.data.events[0]?.message).toBe(NONPAGED);
  });

  it("reads the Get-EventLog default table; the ID is the low 16 bits of InstanceID", () => {
    const p = parseEvents(fixture("get-eventlog-table.txt"), "ps");
    expect(p.warnings).toEqual([]);
    expect(p.data.events.map((e) => [e.id, e.source, e.level, e.time])).toEqual([
      [2019, "Srv", "Error", "Mar 04 14:17"],
      [2020, "Srv", "Error", "Mar 04 13:58"],
      [1013, "W3SVC", "Warning", "Mar 04 13:40"],
      [7023, "Service Control M...", "Error", "Mar 04 13:02"],
    ]);
    expect(p.data.events[0]?.message).toMatch(
      /^The server was unable to allocate from the system nonpaged pool/,
    );
  });

  it("reads Format-List output of Get-WinEvent and Get-EventLog, joining wrapped messages", () => {
    const p = parseEvents(fixture("format-list.txt"), "fl");
    expect(p.warnings).toEqual([]);
    expect(p.data.events.map((e) => [e.id, e.source, e.level, e.time])).toEqual([
      [2019, "srv", null, "3/4/2019 2:17:09 PM"],
      [15005, "Microsoft-Windows-HttpEvent", null, "3/4/2019 2:16:00 PM"],
      [1013, "W3SVC", "Warning", "3/4/2019 1:40:12 PM"],
    ]);
    expect(p.data.events[0]?.message).toBe(NONPAGED);
    expect(p.data.events[2]?.message).toBe(
      "A process serving application pool 'Shop' exceeded time limits during shut down. The process id was '3312'.",
    );
  });

  it("tolerates collapsed alignment in tables and lists", () => {
    const table = [
      "ProviderName: srv",
      "TimeCreated Id LevelDisplayName Message",
      "----------- -- ---------------- -------",
      `3/4/2019 2:17:09 PM 2019 Error ${NONPAGED}`,
    ].join("\n");
    expect(parseEvents(table, "t").data.events).toMatchObject([
      { id: 2019, source: "srv", level: "Error", message: NONPAGED },
    ]);
    const list = `TimeCreated : 3/4/2019 2:17:09 PM\nProviderName : srv\nId : 2019\nMessage : ${NONPAGED}\n`;
    expect(parseEvents(list, "l").data.events).toMatchObject([
      { id: 2019, source: "srv", message: NONPAGED },
    ]);
  });

  it("warns about events without an ID and stray text, and never throws", () => {
    const p = parseEvents("Log Name: System\nSource: srv\nEvent ID: many\nDescription:\nx\n", "bad");
    expect(p.data.events).toEqual([]);
    expect(p.warnings.join("|")).toMatch(/without a readable Event ID \("many"\)/);
    const q = parseEvents("hello there\n", "stray");
    expect(q.warnings.join("|")).toMatch(/hello there/);
    for (const junk of [
      "",
      ":",
      "Event[0]:",
      "Description:",
      "Index Time EntryType InstanceID Message\n1 2 3",
      "a:".repeat(5000),
    ]) {
      expect(() => parseEvents(junk, "j")).not.toThrow();
    }
  });
});
