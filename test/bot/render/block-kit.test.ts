// Block Kit rendering: the founding reply reads right, and whatever goes in, what comes out stays
// within Slack's limits and pings nobody.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chainLines, renderDiagnosis } from "../../../bot/render/diagnosis.js";
import { escapeMrkdwn, mrkdwnLink } from "../../../bot/render/escape.js";
import { renderHome } from "../../../bot/render/home.js";
import { type Block, truncate } from "../../../bot/render/limits.js";
import { renderLookup } from "../../../bot/render/lookup.js";
import { renderNothingReadable } from "../../../bot/render/messages.js";
import { minuteSeries, sparkline } from "../../../bot/render/sparkline.js";
import type { Incident } from "../../../incidents/index.js";
import { type Diagnosis, diagnoseTexts, type Finding, loadKnowledgeBase } from "../../../kb/index.js";
import { PACKAGE_ROOT } from "../../../kb/paths.js";
import { blockTexts, expectWithinLimits } from "../../support/slack-limits.js";

const RUNS = Number(process.env.FAST_CHECK_RUNS ?? 100);
const INJECTIONS = [
  "<!channel>",
  "<!here>",
  "<!everyone>",
  "<@U123>",
  "<#C1|x>",
  "<https://evil.example|click>",
  "&lt;",
  "`",
  "*",
  "|",
  ">",
];

function sample(name: string): string {
  return readFileSync(join(PACKAGE_ROOT, "samples", "founding-incident", name), "utf8");
}

function founding(): Diagnosis {
  const texts = ["httperr1.log", "poolmon-b.txt", "boot.ini"].map((f, i) => ({
    text: sample(f),
    source: `message ${i + 1}`,
  }));
  return diagnoseTexts(loadKnowledgeBase(), texts);
}

/** Any `<` in mrkdwn must open a link to https or a channel reference we built. */
function expectNoPings(blocks: Block[], text: string): void {
  for (const [t] of [
    ...blockTexts(blocks.filter((b) => b.type !== "header" && b.type !== "actions")),
    [text, 0] as const,
  ]) {
    const opens = t.match(/<[^>]*>?/g) ?? [];
    for (const o of opens) expect(o).toMatch(/^<https?:\/\/[^\s<>|]*\|[^<>]*>$/);
  }
}

describe("renderDiagnosis, founding incident", () => {
  const d = founding();
  const r = renderDiagnosis(d, { incidentId: "T:C:1.2" });

  it("has a severity header, the chain as a tree, the sparkline and feedback buttons", () => {
    const header = r.blocks[0];
    expect(header?.type === "header" && header.text.text).toMatch(/^🔴 Critical: /);
    const chain = chainLines(d);
    expect(chain[0]).toContain("httperr-connections-refused");
    expect(chain.slice(1).every((l) => l.includes("↳ because"))).toBe(true);
    for (const id of ["nonpaged-pool-exhaustion", "boot-3gb-switch", "antivirus-pool-leak"])
      expect(chain.join("\n")).toContain(id);
    const json = JSON.stringify(r.blocks);
    expect(json).toContain("██████████");
    expect(json).toContain("`128 MB`");
    expect(json).toContain("feedback_right");
    expect(r.text).toContain("Critical:");
  });

  it("puts the root causes' fixes before the symptom's checks", () => {
    const steps = d.next_steps;
    const av = d.findings.find((f) => f.id === "antivirus-pool-leak") as Finding;
    const symptom = d.findings.find((f) => f.id === "httperr-connections-refused") as Finding;
    expect(steps.indexOf(av.next_steps[0] as string)).toBeLessThan(
      steps.indexOf(symptom.next_steps[0] as string),
    );
  });
});

describe("small pieces", () => {
  it("draws one bar per minute, zero lowest, the peak highest", () => {
    expect(sparkline([0, 1, 5, 10])).toBe("▁▂▅█");
    const s = minuteSeries({ "2007-11-13 20:00": 4, "2007-11-13 20:03": 8 });
    expect(s?.values).toEqual([4, 0, 0, 8]);
    const long = minuteSeries(
      Object.fromEntries(
        Array.from({ length: 600 }, (_, i) => [
          `2024-01-01 ${String(10 + Math.floor(i / 60)).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}`,
          1,
        ]),
      ),
    );
    expect(long?.values.length).toBeLessThanOrEqual(60);
    expect(long?.total).toBe(600);
  });

  it("escapes, links safely and truncates without breaking an entity or a character", () => {
    expect(escapeMrkdwn("<!here> & <@U1>")).toBe("&lt;!here&gt; &amp; &lt;@U1&gt;");
    expect(mrkdwnLink("https://x.test/a|b>c", "<!here>")).toBe("<https://x.test/a%7Cb%3Ec|&lt;!here&gt;>");
    expect(mrkdwnLink("javascript:alert(1)", "x")).toBe("x");
    expect(truncate("abc &amp; def", 8)).toBe("abc …");
    expect(truncate("ab😀cd", 4)).toBe("ab…");
  });
});

const nasty = fc.oneof(
  fc.constantFrom(...INJECTIONS),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ maxLength: 6000 }),
  fc.array(fc.constantFrom(...INJECTIONS), { maxLength: 400 }).map((a) => a.join(" ")),
);

const finding: fc.Arbitrary<Finding> = fc.record({
  id: nasty,
  title: nasty,
  severity: fc.constantFrom("critical" as const, "warning" as const, "info" as const),
  confidence: fc.double({ min: 0, max: 1, noNaN: true }),
  summary: nasty,
  evidence: fc.array(nasty, { maxLength: 12 }),
  next_steps: fc.array(nasty, { maxLength: 12 }),
  references: fc.array(fc.record({ title: nasty, url: fc.oneof(fc.webUrl(), nasty) }), { maxLength: 12 }),
  caused_by: fc.array(nasty, { maxLength: 3 }),
  paste_next: fc.array(nasty, { maxLength: 5 }),
  numbers: fc.constant({}),
});

const diagnosis: fc.Arbitrary<Diagnosis> = fc
  .record({
    findings: fc.array(finding, { maxLength: 80 }),
    steps: fc.array(nasty, { maxLength: 12 }),
    headline: fc.option(nasty, { nil: null }),
    sources: fc.array(nasty, { minLength: 1, maxLength: 60 }),
    perMinute: fc.dictionary(fc.oneof(nasty, fc.constant("2024-01-01 10:00")), fc.nat()),
  })
  .map(({ findings, steps, headline, sources, perMinute }) => {
    const ids = findings.map((f) => f.id);
    return {
      findings,
      headline,
      chains: ids.length > 1 ? [ids.slice(0, 40)] : [],
      next_steps: steps,
      inputs: sources.map((source) => ({ source, kind: "httperr", records: 1 })),
      facts: { httperr: { refusalsPerMinute: perMinute } },
    } as unknown as Diagnosis;
  });

describe("whatever the input", () => {
  it("a diagnosis reply stays within Slack's limits and pings nobody", () => {
    fc.assert(
      fc.property(diagnosis, fc.array(nasty, { maxLength: 20 }), (d, notes) => {
        const r = renderDiagnosis(d, { incidentId: "T:C:1.2", notes });
        expectWithinLimits(r.blocks);
        expect(r.text.length).toBeLessThanOrEqual(3000);
        expectNoPings(r.blocks, r.text);
      }),
      { numRuns: RUNS },
    );
  });

  it("a lookup, a 'nothing readable' answer and App Home too", () => {
    fc.assert(
      fc.property(
        nasty,
        fc.array(finding, { maxLength: 10 }),
        fc.array(nasty, { maxLength: 10 }),
        (q, hits, notes) => {
          const lookup = renderLookup(
            q,
            {
              hits: hits.map((h) => ({ ...h, score: 0.5, kind: "entry" as const })),
              suggestions: notes,
              tag: { tag: q.slice(0, 4), match: "unknown", family: null, findDriverCommand: q },
            },
            { share: true },
          );
          expectWithinLimits(lookup.blocks);
          expectNoPings(lookup.blocks, lookup.text);
          const none = renderNothingReadable(q, notes);
          expectWithinLimits(none.blocks);
          expectNoPings(none.blocks, none.text);
          const incidents = hits.map((h, n) => ({
            id: `i${n}`,
            channel: h.title,
            permalink: null,
            headline: h.summary,
            findings: [],
            status: "open",
            severity: h.severity,
            updatedAt: "2024-01-01T00:00:00.000Z",
          }));
          const home = renderHome({
            readable: q,
            latest: incidents as unknown as Incident[],
            mine: incidents as unknown as Incident[],
            storeProblem: q,
          });
          expectWithinLimits(home.blocks as Block[], 100);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
