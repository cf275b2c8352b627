// When a team's handoff is due: its local time in its own zone, once a local day, with a grace for
// a late start that may run past midnight, and through DST changes.
import { describe, expect, it } from "vitest";
import { dueShiftChange, localClock } from "../../incidents/index.js";

const team = (over: Partial<Parameters<typeof dueShiftChange>[0]> = {}) => ({
  handoffChannel: "C0HANDOFF",
  handoffTime: "08:00",
  timeZone: "Europe/Paris",
  lastPostedOn: null,
  ...over,
});
const at = (iso: string) => Date.parse(iso);

describe("localClock", () => {
  it("reads the wall clock of a zone", () => {
    expect(localClock(at("2024-01-15T07:00:00Z"), "Europe/Paris")).toEqual({
      date: "2024-01-15",
      minute: 480,
    });
    expect(localClock(at("2024-07-15T06:00:00Z"), "Europe/Paris")).toEqual({
      date: "2024-07-15",
      minute: 480,
    });
    expect(localClock(at("2024-01-15T03:30:00Z"), "America/New_York")).toEqual({
      date: "2024-01-14",
      minute: 1350,
    });
  });
});

describe("dueShiftChange", () => {
  it("is due from the team's local time, for an hour, and not once posted that day", () => {
    expect(dueShiftChange(team(), at("2024-01-15T06:59:00Z"))).toBeNull();
    expect(dueShiftChange(team(), at("2024-01-15T07:00:00Z"))).toBe("2024-01-15");
    expect(dueShiftChange(team(), at("2024-01-15T07:59:00Z"))).toBe("2024-01-15");
    expect(dueShiftChange(team(), at("2024-01-15T08:00:00Z"))).toBeNull();
    expect(dueShiftChange(team({ lastPostedOn: "2024-01-15" }), at("2024-01-15T07:30:00Z"))).toBeNull();
    expect(dueShiftChange(team({ lastPostedOn: "2024-01-14" }), at("2024-01-15T07:30:00Z"))).toBe(
      "2024-01-15",
    );
  });

  it("follows the zone through summer time", () => {
    expect(dueShiftChange(team(), at("2024-07-15T06:00:00Z"))).toBe("2024-07-15");
    expect(dueShiftChange(team(), at("2024-07-15T07:00:00Z"))).toBeNull();
    // 02:30 does not exist in Paris on 31 March 2024: it fires at 03:00, the first minute after.
    expect(dueShiftChange(team({ handoffTime: "02:30" }), at("2024-03-31T00:59:00Z"))).toBeNull();
    expect(dueShiftChange(team({ handoffTime: "02:30" }), at("2024-03-31T01:00:00Z"))).toBe("2024-03-31");
  });

  it("a late-evening time stays due past midnight, as the day it belongs to", () => {
    const late = team({ handoffTime: "23:30", timeZone: "UTC" });
    expect(dueShiftChange(late, at("2024-01-15T23:45:00Z"))).toBe("2024-01-15");
    expect(dueShiftChange(late, at("2024-01-16T00:20:00Z"))).toBe("2024-01-15");
    expect(dueShiftChange({ ...late, lastPostedOn: "2024-01-15" }, at("2024-01-16T00:20:00Z"))).toBeNull();
    expect(dueShiftChange(late, at("2024-01-16T00:31:00Z"))).toBeNull();
  });

  it("is never due without a channel or a time", () => {
    expect(dueShiftChange(team({ handoffChannel: null }), at("2024-01-15T07:00:00Z"))).toBeNull();
    expect(dueShiftChange(team({ handoffTime: null }), at("2024-01-15T07:00:00Z"))).toBeNull();
  });
});
