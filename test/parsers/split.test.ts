import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseHttperr } from "../../parsers/kinds/httperr/parse.js";
import { normalizePaste, splitPieces } from "../../parsers/split.js";

const fixture = (name: string): string =>
  readFileSync(fileURLToPath(new URL(`split/${name}`, import.meta.url)), "utf8");

const piecesOf = (text: string) => splitPieces(normalizePaste(text));
const kindsOf = (text: string) => piecesOf(text).map((p) => p.kind);

describe("normalizePaste", () => {
  it("turns CRLF and CR into LF", () => {
    expect(normalizePaste("a\r\nb\rc\n")).toBe("a\nb\nc\n");
  });

  it("turns NBSP, narrow NBSP and figure space into spaces and keeps tabs", () => {
    expect(normalizePaste("a\u00a0b\u202fc\u2007d\te")).toBe("a b c d\te");
  });

  it("removes zero-width characters", () => {
    expect(normalizePaste("\ufeffTm\u200bfs\u200c \u200dNonp\u2060")).toBe("Tmfs Nonp");
  });

  it("decodes only Slack's three entities, &amp; last", () => {
    expect(normalizePaste("a &lt;b&gt; &amp; c")).toBe("a <b> & c");
    expect(normalizePaste("&amp;gt; &amp;lt; &quot; &#39;")).toBe("&gt; &lt; &quot; &#39;");
  });

  it("strips Slack quote markers, raw or escaped", () => {
    expect(normalizePaste("&gt; [boot loader]\n&gt; timeout=30\n&gt;\n> x\n>>> y")).toBe(
      "[boot loader]\ntimeout=30\n\nx\ny",
    );
  });

  it("unwraps Slack link markup to its label", () => {
    expect(normalizePaste("<http://boot.ini|boot.ini> and <https://example.com/a?b=c>")).toBe(
      "boot.ini and https://example.com/a?b=c",
    );
    expect(normalizePaste("<@U123> <#C42|general>")).toBe("<@U123> <#C42|general>");
  });

  it("unwraps fences on their own lines without moving later lines", () => {
    const text = "look:\n```\nline a\nline b\n```\nafter";
    const out = normalizePaste(text);
    expect(out).toBe("look:\n\nline a\nline b\n\nafter");
    expect(out.split("\n")).toHaveLength(text.split("\n").length);
  });

  it("unwraps inline fences (as Slack sends them) and drops a language tag", () => {
    expect(normalizePaste("HTTPERR:```2007-11-13 20:01:44 x\n2007-11-13 20:01:49 y```thanks")).toBe(
      "HTTPERR:\n\n2007-11-13 20:01:44 x\n2007-11-13 20:01:49 y\n\nthanks",
    );
    expect(normalizePaste("```log\n#Version: 1.0\n```")).toBe("\n#Version: 1.0\n");
    // Not a tag: the first line of the block has content after the word.
    expect(normalizePaste("```NonPagedPool Usage: 1 ( 4 Kb)```")).toBe("\nNonPagedPool Usage: 1 ( 4 Kb)\n");
  });

  it("unwraps a line wrapped whole in single backticks", () => {
    expect(normalizePaste("`2007-11-13 20:01:44 - - -`\nuse `poolmon -b` here")).toBe(
      "2007-11-13 20:01:44 - - -\nuse `poolmon -b` here",
    );
  });
});

describe("splitPieces", () => {
  it("finds the founding incident's four kinds in one Slack message and drops the chat", () => {
    const pieces = piecesOf(fixture("slack-founding-incident.txt"));
    expect(pieces.map((p) => p.kind)).toEqual(["httperr", "poolmon", "boot-ini", "event"]);
    const [httperr, poolmon, boot, event] = pieces;
    expect(httperr?.text.split("\n")).toHaveLength(3);
    expect(parseHttperr(httperr?.text ?? "", "x").data.summary.refusedConnections).toBe(10);
    expect(poolmon?.text).toMatch(/^ Memory: 2096696K/);
    expect(poolmon?.text).toMatch(/Irp {2}Nonp .*249$/);
    expect(boot?.text).toBe(
      [
        "[boot loader]",
        "timeout=30",
        "default=multi(0)disk(0)rdisk(0)partition(1)\\WINDOWS",
        "[operating systems]",
        'multi(0)disk(0)rdisk(0)partition(1)\\WINDOWS="Windows Server 2003, Enterprise" /fastdetect /3GB',
      ].join("\n"),
    );
    expect(event?.text).toMatch(/^Event Type:\tError\n/);
    expect(event?.text).toMatch(/fwlink\/events\.asp\.$/);
    for (const piece of pieces) {
      expect(piece.text).not.toMatch(/any ideas|thanks|poolmon -b says|on that box/);
    }
  });

  it("gives each piece its first line in the normalised text", () => {
    const text = normalizePaste(fixture("slack-founding-incident.txt"));
    const lines = text.split("\n");
    for (const piece of splitPieces(text)) {
      expect(lines[piece.line - 1]).toBe(piece.text.split("\n")[0]);
    }
  });

  it("splits bcdedit blocks and PowerShell event output, dropping prompts and prose", () => {
    const pieces = piecesOf(fixture("bcdedit-and-get-winevent.txt"));
    expect(pieces.map((p) => p.kind)).toEqual(["bcdedit", "event", "event"]);
    const [bcd, table, list] = pieces;
    expect(bcd?.text).toMatch(/^Windows Boot Manager\n-{20}\n/);
    expect(bcd?.text).toContain("\n                        {7d5b3f50-1a2b-11e0-9c3d-001e4f8a2b3c}\n");
    expect(bcd?.text).toContain("Windows Boot Loader\n-------------------");
    expect(bcd?.text).toMatch(/increaseuserva {10}3072$/);
    expect(table?.text).toMatch(/^ {3}ProviderName: Srv\n\nTimeCreated/);
    expect(table?.text.split("\n")).toHaveLength(6);
    expect(list?.text).toMatch(/^TimeCreated {2}: /);
    expect(list?.text).toMatch(/\n {15}was empty\.$/);
    expect(pieces.some((p) => p.text.includes("PS C:"))).toBe(false);
  });

  it("splits Event Viewer text (with its XML) from wevtutil records", () => {
    const pieces = piecesOf(fixture("event-viewer-and-wevtutil.txt"));
    expect(pieces.map((p) => p.kind)).toEqual(["event", "event"]);
    const [viewer, wevtutil] = pieces;
    expect(viewer?.text).toMatch(/^Log Name: {6}System\n/);
    expect(viewer?.text).toMatch(/<\/Event>$/);
    expect(wevtutil?.text).toMatch(/^Event\[0\]:\n/);
    expect(wevtutil?.text).toContain("\n\nEvent[1]:\n");
  });

  it("finds Task Manager, !vm and perfmon pool counters", () => {
    const pieces = piecesOf(fixture("pool-counters.txt"));
    expect(pieces.map((p) => p.kind)).toEqual(["pool-counters", "pool-counters", "pool-counters"]);
    const [taskManager, vm, perfmon] = pieces;
    expect(taskManager?.text).toBe(
      "Kernel Memory (K)\nTotal      139496\nPaged       29676\nNonpaged   109820",
    );
    expect(vm?.text).toMatch(/^\*\*\* Virtual Memory Usage \*\*\*\n/);
    expect(vm?.text).toContain("NonPagedPool Max:      32768 (    131072 Kb)");
    expect(vm?.text).toMatch(/PagedPool Maximum: {5}38912 \( {4}155648 Kb\)$/);
    expect(perfmon?.text.split("\n")).toHaveLength(3);
    expect(perfmon?.text).toMatch(/^"\(PDH-CSV 4\.0\)"/);
  });

  it("keeps two mangled poolmon snapshots, with blank lines inside, as one piece", () => {
    const pieces = piecesOf(fixture("two-poolmon-mangled.txt"));
    expect(pieces).toHaveLength(1);
    expect(pieces[0]?.kind).toBe("poolmon");
    expect(pieces[0]?.text.match(/Memory:/g)).toHaveLength(2);
    expect(pieces[0]?.text).toContain(" Irp  Nonp\t8734290");
    expect(pieces[0]?.text).not.toContain("grew");
  });

  it("separates kinds that follow each other without a blank line", () => {
    const text = [
      "2007-11-13 20:01:44 - - - - - - - - - 3_Connections_Refused -",
      " Memory: 2096696K Avail: 1328660K  PageFlts:   523   InRam Krnl: 2764K P:26240K",
      " Tmfs Nonp   1423458 (   0)   1399213 (   0)    24245 69874384 (    0)   2882",
      "[boot loader]",
      "default=multi(0)disk(0)rdisk(0)partition(1)\\WINDOWS",
      "Windows Boot Loader",
      "-------------------",
      "identifier              {current}",
      "NonPagedPool Usage:    27910 (    111640 Kb)",
    ].join("\n");
    const pieces = piecesOf(text);
    expect(pieces.map((p) => [p.kind, p.line])).toEqual([
      ["httperr", 1],
      ["poolmon", 2],
      ["boot-ini", 4],
      ["bcdedit", 6],
      ["pool-counters", 9],
    ]);
  });

  it("keeps a cut-short HTTPERR line and the #Fields header in the piece", () => {
    const text = [
      "#Software: Microsoft HTTP API 1.0",
      "#Fields: date time c-ip c-port s-ip s-port cs-version cs-method cs-uri sc-status s-siteid s-reason s-queuename",
      "2007-11-13 20:01:44 - - - - - - - - - 3_Connections_Refused -",
      "2007-11-13 20:01:49 - - - -",
    ].join("\n");
    const pieces = piecesOf(text);
    expect(pieces).toEqual([{ kind: "httperr", text, line: 1 }]);
  });

  it("makes two pieces of HTTPERR lines separated by prose", () => {
    const text = [
      "2007-11-13 20:01:44 - - - - - - - - - 3_Connections_Refused -",
      "[..snip..]",
      "2007-11-13 20:09:44 - - - - - - - - - 4_Connections_Refused -",
    ].join("\n");
    expect(piecesOf(text).map((p) => p.line)).toEqual([1, 3]);
  });

  it("reads headerless HTTPERR lines quoted in Slack with collapsed spaces and NBSP", () => {
    const text =
      "&gt; 2007-11-13\u00a020:01:44 - - - - - - - - - 3_Connections_Refused -\n" +
      "&gt; 2007-11-13 20:01:49 10.0.0.7 1234 10.0.0.1 80 HTTP/1.1 GET /a?x=1&amp;y=2 503 1 QueueFull DefaultAppPool\n";
    const pieces = piecesOf(text);
    expect(pieces.map((p) => p.kind)).toEqual(["httperr"]);
    const parsed = parseHttperr(pieces[0]?.text ?? "", "x");
    expect(parsed.data.records[1]?.["cs-uri"]).toBe("/a?x=1&y=2");
    expect(parsed.data.summary.skipped).toBe(0);
  });

  it("finds nothing in prose, and ignores pieces with only weak lines", () => {
    expect(kindsOf("the site is down since 8pm, any idea?\nI rebooted it twice.")).toEqual([]);
    expect(kindsOf("timeout=30\nDate: yesterday\nSource: the vendor\nUser: me\nTotal 3")).toEqual([]);
    expect(kindsOf("")).toEqual([]);
  });

  it("does not read an IIS access log as HTTPERR", () => {
    const text = [
      "#Software: Microsoft Internet Information Services 10.0",
      "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken",
      "2019-03-04 10:00:07 10.0.0.5 GET /default.htm - 80 - 10.0.0.9 Mozilla/5.0 - 200 0 0 15",
    ].join("\n");
    expect(kindsOf(text)).toEqual([]);
  });

  it("never throws, and gives ordered, non-overlapping pieces that are runs of the input's lines", () => {
    const line = fc.constantFrom(
      "",
      "   ",
      "prose here",
      "2007-11-13 20:01:44 - - - - - - - - - 3_Connections_Refused -",
      "2007-11-13 20:01:44 - -",
      " Memory: 2096696K Avail: 1328660K",
      " Tmfs Nonp   1423458 (   0)   1399213 (   0)    24245 69874384 (    0)   2882",
      "[boot loader]",
      "timeout=30",
      "Windows Boot Manager",
      "--------------------",
      "identifier              {bootmgr}",
      "Event ID: 2019",
      "Description:",
      "NonPagedPool Usage:    27910 (    111640 Kb)",
      "```",
      "&gt; x",
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 40 }), (lines) => {
        const text = normalizePaste(lines.join("\n"));
        const all = text.split("\n");
        let next = 1;
        for (const piece of splitPieces(text)) {
          expect(piece.line).toBeGreaterThanOrEqual(next);
          const own = piece.text.split("\n");
          expect(all.slice(piece.line - 1, piece.line - 1 + own.length)).toEqual(own);
          expect(own[0]?.trim()).not.toBe("");
          expect(own.at(-1)?.trim()).not.toBe("");
          next = piece.line + own.length;
        }
      }),
    );
  });

  it("stays linear on large and hostile input", () => {
    const httperr = "2007-11-13 20:01:44 - - - - - - - - - 3_Connections_Refused -";
    const big = Array.from({ length: 100_000 }, () => httperr).join("\n");
    expect(piecesOf(big)).toHaveLength(1);
    // Shapes that make naive patterns backtrack: unclosed Slack links, long runs of spaces and
    // blank lines, fences without ends, a megabyte on one line.
    const hostile = [
      "<http:".repeat(20_000),
      " ".repeat(200_000),
      "\n".repeat(200_000),
      "`".repeat(50_001),
      "a".repeat(1_000_000),
      `Event ID: 1\nDescription:\n${"x ".repeat(100_000)}`,
    ].join("\n");
    expect(() => piecesOf(hostile)).not.toThrow();
  });
});
