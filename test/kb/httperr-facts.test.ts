// HTTPERR facts: each reason has its own time span, queues, sites and URIs (so "Refusals from" is the
// first refusal's time and QueueFull names the queue that was full); distinct counts are given with
// their error; top lists merged from several logs carry the bounds the logs left open.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateHttperr } from "../../bench/generate.js";
import { diagnose } from "../../kb/engine.js";
import { distinctText } from "../../kb/facts/httperr.js";
import { loadKnowledgeBaseFrom } from "../../kb/load.js";
import { PACKAGE_ROOT } from "../../kb/paths.js";
import { fill } from "../../kb/template.js";
import { parseText } from "../../parsers/index.js";
import { parseHttperr } from "../../parsers/kinds/httperr/parse.js";

const kb = loadKnowledgeBaseFrom();
const fixture = readFileSync(join(PACKAGE_ROOT, "test/parsers/kinds/httperr/per-reason.log"), "utf8");

function diagnoseTexts(...texts: string[]) {
  return diagnose(
    kb,
    texts.flatMap((text, i) => parseText(text, `paste ${i}`).inputs.map((input) => ({ input }))),
  );
}

const dir = mkdtempSync(join(tmpdir(), "tattle-facts-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("per-reason facts", () => {
  // Read as a file is (the paste splitter leaves out the fixture's line without a date).
  const d = diagnose(kb, [{ input: parseHttperr(fixture, "per-reason.log") }]);
  const h = d.facts.httperr;

  it("give each reason its own first and last time, queues, sites and URIs", () => {
    expect(h?.firstTime).toBe("2024-05-06 14:00:16");
    expect(h?.perReason.Connections_Refused).toMatchObject({
      count: 3,
      firstTime: "2024-05-06 14:05:11",
      lastTime: "2024-05-06 14:06:40",
      durationMinutes: 1,
      topQueue: null,
    });
    // The log's busiest queue is MainPool; the queue that was full is ReportPool.
    expect(h?.topQueues[0]?.key).toBe("MainPool");
    expect(h?.perReason.QueueFull).toMatchObject({
      count: 4,
      firstTime: "2024-05-06 14:03:01",
      lastTime: "2024-05-06 14:05:00",
      topQueue: "ReportPool",
      topSite: "2",
      topUris: [
        { key: "/report", count: 2, overcount: 0 },
        { key: "/export", count: 1, overcount: 0 },
        { key: "/home", count: 1, overcount: 0 },
      ],
    });
    expect(h?.perReason.AppOffline?.topQueue).toBe("ShopPool");
  });

  it("are what the entries print", () => {
    const finding = (id: string) => d.findings.find((f) => f.id === id);
    const refused = finding("httperr-connections-refused");
    expect(refused?.evidence).toContain(
      "Refusals from 2024-05-06 14:05:11 to 2024-05-06 14:06:40 UTC, peak 3 per minute",
    );
    expect(d.headline).toContain("between 2024-05-06 14:05:11 and 2024-05-06 14:06:40");
    const full = finding("httperr-queue-full");
    expect(full?.title).toBeDefined();
    expect(full?.evidence).toContain(
      "4 QueueFull lines (33% of 12) from 2024-05-06 14:03:01 to 2024-05-06 14:05:00 UTC",
    );
    expect(full?.evidence).toContain("Queues of the QueueFull lines: ReportPool (3), MainPool (1)");
    expect(full?.evidence).toContain("Most affected URIs: /report (2), /export (1), /home (1)");
    const offline = finding("httperr-app-offline");
    expect(offline?.evidence).toContain(
      "1 AppOffline lines from 2024-05-06 14:07:00 to 2024-05-06 14:07:00 UTC",
    );
    expect(offline?.evidence).toContain("Queues of the AppOffline lines: ShopPool (1)");
  });

  it("reach the reason entries that print a time range and queues", () => {
    const lines = [
      "#Fields: date time c-ip c-port s-ip s-port cs-version cs-method cs-uri sc-status s-siteid s-reason s-queuename",
      "2024-05-06 09:00:00 10.0.0.1 1 10.0.0.9 80 HTTP/1.1 GET /a 200 1 Hostname MainPool",
      ...Array.from(
        { length: 4 },
        (_, i) =>
          `2024-05-06 10:0${i}:00 10.0.0.2 1 10.0.0.9 80 HTTP/1.1 GET /slow - 1 Timer_AppPool SlowPool`,
      ),
    ];
    const timer = diagnoseTexts(lines.join("\n")).findings.find((f) => f.id === "httperr-timer-app-pool");
    expect(timer?.evidence).toContain(
      "Timer_AppPool lines from 2024-05-06 10:00:00 to 2024-05-06 10:03:00 UTC",
    );
    expect(timer?.evidence).toContain("Queues (application pools) of those lines: SlowPool (4)");
    expect(timer?.evidence).toContain("Top URIs of those lines: /slow (4)");
  });
});

describe("distinct counts and sketched lists", () => {
  it("say when a number is an estimate, and how close it is", () => {
    expect(distinctText({ estimate: 1, relativeError: 0 }, "client")).toBe("1 distinct client");
    expect(distinctText({ estimate: 1234, relativeError: 0 }, "client")).toBe("1,234 distinct clients");
    expect(distinctText({ estimate: 1_234_567, relativeError: 0.018 }, "client")).toBe(
      "about 1.2 million distinct clients, ±2%",
    );
    expect(distinctText({ estimate: 45_321, relativeError: 0.018 }, "URI")).toBe(
      "about 45,300 distinct URIs, ±2%",
    );
    expect(distinctText({ estimate: 5000, relativeError: 0.004 }, "client")).toBe(
      "about 5,000 distinct clients, ±0.4%",
    );
  });

  it("a public server's log: an estimated client count, and no sketch noise named as a top client", () => {
    const path = join(dir, "public.log");
    generateHttperr(path, 1_500_000, { seed: 7, cardinality: "high" });
    const h = diagnoseTexts(readFileSync(path, "utf8")).facts.httperr;
    expect(h?.distinctClients.relativeError).toBeGreaterThan(0);
    expect(h?.distinctClientsText).toMatch(/^about [\d,]+ distinct clients, ±2%$/);
    // Every client is new: no count is known well enough to name.
    expect(h?.topClients).toEqual([]);
  });

  it("a public server's log with one heavy client names it, with its bounds", () => {
    const path = join(dir, "hammered.log");
    generateHttperr(path, 1_500_000, { seed: 8, cardinality: "high" });
    // Someone hammering the server: 2,000 lines among some 17,000 new clients.
    const attack = Array.from(
      { length: 2000 },
      (_, i) =>
        `2024-03-02 00:00:${String(i % 60).padStart(2, "0")} 203.0.113.7 4000 10.0.0.5 443 HTTP/1.1 GET /login 400 1 BadRequest -`,
    );
    const h = diagnoseTexts(`${readFileSync(path, "utf8")}${attack.join("\r\n")}\r\n`).facts.httperr;
    expect(h?.distinctClients.relativeError).toBeGreaterThan(0);
    expect(h?.topClients[0]?.key).toBe("203.0.113.7");
    const top = h?.topClients[0];
    expect((top?.count ?? 0) - (top?.overcount ?? 0)).toBeLessThanOrEqual(2000);
    expect(top?.count).toBeGreaterThanOrEqual(2000);
    for (const e of h?.topClients ?? []) expect(e.count - e.overcount).toBeGreaterThan(e.overcount);
  });

  it("merge several logs' top lists with the bounds each log leaves open", () => {
    const line = (ip: string) =>
      `2024-05-06 09:00:00 ${ip} 1 10.0.0.9 80 HTTP/1.1 GET /a 400 1 Hostname Pool`;
    const header =
      "#Fields: date time c-ip c-port s-ip s-port cs-version cs-method cs-uri sc-status s-siteid s-reason s-queuename";
    // Log A: 10.0.0.1 five times, ten others once (the eleventh-best has 1: A's unlisted bound).
    const a = [
      header,
      ...Array(5).fill(line("10.0.0.1")),
      ...Array.from({ length: 10 }, (_, i) => line(`10.0.1.${i}`)),
    ];
    // Log B: 10.0.0.1 twice, 10.0.0.2 four times (complete: unlisted 0).
    const b = [header, ...Array(2).fill(line("10.0.0.1")), ...Array(4).fill(line("10.0.0.2"))];
    const parsedA = parseHttperr(a.join("\n"), "a");
    expect(parsedA.data.summary.unlisted.clients).toBe(1);
    const d = diagnose(kb, [{ input: parsedA }, { input: parseHttperr(b.join("\n"), "b") }]);
    const top = d.facts.httperr?.topClients ?? [];
    expect(top[0]).toEqual({ key: "10.0.0.1", count: 7, overcount: 0 });
    // A might have had 10.0.0.2 once without listing it: 4 to 5.
    expect(top[1]).toEqual({ key: "10.0.0.2", count: 5, overcount: 1 });
    expect(fill("{httperr.topClients|list}", d.facts)).toMatch(/^10\.0\.0\.1 \(7\), 10\.0\.0\.2 \(4–5\)/);
    // Two logs may share clients: between 11 (A's) and 13 (A's and B's) distinct, so 12 ± 1.
    expect(d.facts.httperr?.distinctClients.estimate).toBe(12);
    expect(d.facts.httperr?.distinctClients.relativeError).toBeCloseTo(1 / 12, 2);
  });
});
