import { describe, expect, it } from "vitest";
import { buildHandoff, formatAge, Handoff, parseSince } from "../../incidents/index.js";
import { H, incidents, NOW } from "./shift.js";

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
