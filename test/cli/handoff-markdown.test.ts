import { describe, expect, it } from "vitest";
import { renderHandoffMarkdown } from "../../cli/handoff-markdown.js";
import { buildHandoff } from "../../incidents/index.js";
import { H, incident, incidents, NOW } from "../incidents/shift.js";

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
