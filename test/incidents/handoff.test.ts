import { describe, expect, it } from "vitest";
import {
  buildHandoff,
  formatAge,
  Handoff,
  type Incident,
  newIncident,
  parseSince,
  renderHandoffMarkdown,
} from "../../bot/store/index.js";

const NOW = Date.parse("2024-05-01T20:00:00.000Z");
const H = 3_600_000;

function incident(
  p: Partial<Incident> & { id: string; hoursAgo: number; updatedHoursAgo?: number },
): Incident {
  const { hoursAgo, updatedHoursAgo, ...rest } = p;
  const at = new Date(NOW - hoursAgo * H).toISOString();
  return {
    ...newIncident(
      { id: p.id, workspace: "T1", channel: `C_${p.id}`, threadTs: "1.1", user: "U_PASTER" },
      at,
    ),
    contributors: ["U_PASTER"],
    updatedAt: new Date(NOW - (updatedHoursAgo ?? hoursAgo) * H).toISOString(),
    diagnoses: 1,
    headline: `headline ${p.id}`,
    severity: "warning",
    ...rest,
  };
}

const resolvedAt = (hoursAgo: number, by: string) => [
  { at: new Date(NOW - hoursAgo * H).toISOString(), by, status: "resolved" as const, owner: null },
];

const incidents: Incident[] = [
  incident({ id: "warn-old", hoursAgo: 10, severity: "warning" }),
  incident({ id: "info", hoursAgo: 11, severity: "info" }),
  incident({ id: "crit-new", hoursAgo: 1, severity: "critical", status: "acknowledged", owner: "U_ANN" }),
  incident({ id: "none", hoursAgo: 11.5, severity: "none", headline: null }),
  incident({ id: "crit-old", hoursAgo: 5, severity: "critical" }),
  incident({ id: "warn-new", hoursAgo: 2, severity: "warning" }),
  incident({
    id: "res-early",
    hoursAgo: 9,
    updatedHoursAgo: 8,
    severity: "critical",
    status: "resolved",
    history: resolvedAt(8, "U_BOB"),
  }),
  incident({
    id: "res-late",
    hoursAgo: 4,
    updatedHoursAgo: 3,
    severity: "info",
    status: "resolved",
    history: resolvedAt(3, "U_CY"),
  }),
  incident({ id: "stale-open", hoursAgo: 40, severity: "critical" }),
  incident({ id: "stale-resolved", hoursAgo: 40, status: "resolved", history: resolvedAt(39, "U_BOB") }),
];

describe("buildHandoff", () => {
  const h = buildHandoff(incidents, { sinceMs: NOW - 12 * H, nowMs: NOW });

  it("puts open and acknowledged first, by severity then oldest first; resolved after, latest first", () => {
    expect(h.active.map((i) => i.id)).toEqual([
      "crit-old",
      "crit-new",
      "warn-old",
      "warn-new",
      "info",
      "none",
    ]);
    expect(h.resolved.map((i) => i.id)).toEqual(["res-late", "res-early"]);
    expect(h.counts).toEqual({ open: 5, acknowledged: 1, resolved: 2 });
  });

  it("leaves out what had no activity in the window, counting the open ones", () => {
    expect([...h.active, ...h.resolved].map((i) => i.id)).not.toContain("stale-open");
    expect(h.olderActive).toBe(1);
  });

  it("gives each item its age, owner, resolver, and matches its schema", () => {
    expect(h.active[1]).toMatchObject({ id: "crit-new", ageMs: H, owner: "U_ANN", status: "acknowledged" });
    expect(h.resolved[0]).toMatchObject({ resolvedBy: "U_CY", resolvedAt: "2024-05-01T17:00:00.000Z" });
    expect(Handoff.parse(h)).toEqual(h);
    expect(h.since).toBe("2024-05-01T08:00:00.000Z");
  });

  it("does not depend on the order it is given", () => {
    const reversed = buildHandoff([...incidents].reverse(), { sinceMs: NOW - 12 * H, nowMs: NOW });
    expect(reversed).toEqual(h);
  });
});

describe("renderHandoffMarkdown", () => {
  it("lists open incidents with age, channel, owner, headline and notes, then resolved ones briefly", () => {
    const withNotes = incidents.map((i) =>
      i.id === "crit-old"
        ? {
            ...i,
            permalink: "https://example.slack.com/archives/C1/p1",
            notes: [
              {
                author: "U_BOB",
                text: "rebooted *web03*\nwatching <!channel>",
                at: "2024-05-01T16:05:00.000Z",
              },
              { author: "U_ANN", text: "first", at: "2024-05-01T15:30:00.000Z" },
            ],
          }
        : i,
    );
    const md = renderHandoffMarkdown(buildHandoff(withNotes, { sinceMs: NOW - 12 * H, nowMs: NOW }));
    const lines = md.split("\n");
    expect(lines[0]).toBe("# On-call handoff");
    expect(md).toContain(
      "Since 2024-05-01 08:00 UTC (12h ago), generated 2024-05-01 20:00 UTC: 5 open, 1 acknowledged, 2 resolved.",
    );
    const first = lines.indexOf(
      "1. **CRITICAL** · open 5h · #C\\_crit-old · owner: nobody · [thread](https://example.slack.com/archives/C1/p1)",
    );
    expect(first).toBeGreaterThan(0);
    expect(lines.slice(first + 1, first + 4)).toEqual([
      "   headline crit-old",
      "   - 15:30 UTC @U\\_ANN: first",
      "   - 16:05 UTC @U\\_BOB: rebooted \\*web03\\* watching \\<!channel\\>",
    ]);
    expect(md).toContain("2. **CRITICAL** · acknowledged 1h · #C\\_crit-new · owner: @U\\_ANN");
    expect(md).toContain("6. **NO FINDINGS** · open 11h 30m");
    expect(md).toContain("_Nothing recognised in the paste._");
    const resolvedStart = lines.indexOf("## Resolved");
    expect(resolvedStart).toBeGreaterThan(first);
    expect(lines.slice(resolvedStart + 2, resolvedStart + 4)).toEqual([
      "- resolved 3h ago by @U\\_CY · #C\\_res-late · headline res-late",
      "- resolved 8h ago by @U\\_BOB · #C\\_res-early · headline res-early",
    ]);
    expect(md).toContain("1 older open incident has had no activity in this window");
  });

  it("says so when there is nothing", () => {
    const md = renderHandoffMarkdown(buildHandoff([], { sinceMs: NOW - 12 * H, nowMs: NOW }));
    expect(md).toBe("No incidents since 2024-05-01 08:00 UTC (12h ago).\n");
  });

  it("shows the latest five notes and counts the rest", () => {
    const notes = Array.from({ length: 7 }, (_, n) => ({
      author: "U1",
      text: `n${n}`,
      at: new Date(NOW - (7 - n) * 60_000).toISOString(),
    }));
    const md = renderHandoffMarkdown(
      buildHandoff([incident({ id: "x", hoursAgo: 1, notes })], { sinceMs: NOW - H * 2, nowMs: NOW }),
    );
    expect(md).toContain("   - _2 earlier notes_");
    expect(md).not.toContain(": n1\n");
    expect(md).toContain(": n2\n");
    expect(md).toContain(": n6\n");
  });
});

describe("parseSince", () => {
  it.each([
    [undefined, 12 * H],
    ["", 12 * H],
    ["12h", 12 * H],
    ["90m", 90 * 60_000],
    ["2d", 48 * H],
    ["1w", 168 * H],
    ["1h30m", 1.5 * H],
    ["1.5h", 1.5 * H],
    ["3 hours", 3 * H],
    [" 8H ", 8 * H],
    ["6", 6 * H],
    ["2024-05-01T08:00Z", 12 * H],
    ["2024-05-01", 20 * H],
  ])("%s → %d ms", (text, ms) => {
    expect(parseSince(text, 12, NOW)).toBe(ms);
  });

  it("uses the default span", () => {
    expect(parseSince(undefined, 24, NOW)).toBe(24 * H);
  });

  it.each(["yesterday", "12x", "0h", "-3h", "h", "12h foo", "2024-13-45", "2099-01-01"])(
    "refuses %s with a message saying what it accepts",
    (text) => {
      expect(() => parseSince(text, 12, NOW)).toThrow(/cannot read ".*" as a time span .*12h, 90m, 2d/);
    },
  );
});

describe("formatAge", () => {
  it.each([
    [30_000, "<1m"],
    [45 * 60_000, "45m"],
    [H, "1h"],
    [3 * H + 12 * 60_000, "3h 12m"],
    [52 * H, "2d 4h"],
    [48 * H, "2d"],
  ])("%d ms → %s", (ms, text) => {
    expect(formatAge(ms)).toBe(text);
  });
});
