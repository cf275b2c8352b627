// The times people paste above a poolmon table, read for the growth rate between two snapshots.
import { describe, expect, it } from "vitest";
import { minutesBetween, parseLooseTime } from "../../kb/time.js";

describe("parseLooseTime", () => {
  it.each([
    ["2024-03-01 09:00:04", Date.UTC(2024, 2, 1, 9, 0, 4)],
    ["Fri 03/01/2024  9:00:04.17", Date.UTC(2024, 2, 1, 9, 0, 4)],
    ["3/1/2024 9:05 PM", Date.UTC(2024, 2, 1, 21, 5, 0)],
    ["3/1/2024 12:05 AM", Date.UTC(2024, 2, 1, 0, 5, 0)],
  ])("%s", (text, expected) => {
    expect(parseLooseTime(text)).toBe(expected);
  });

  it("returns null for text without a time", () => {
    expect(parseLooseTime("no time here")).toBeNull();
  });
});

describe("minutesBetween", () => {
  it("counts whole minutes between two log times", () => {
    expect(minutesBetween("2007-11-13 19:58:12", "2007-11-13 20:09:59")).toBe(12);
    expect(minutesBetween("2007-11-13 23:50:00", "2007-11-14 00:10:00")).toBe(20);
  });

  it("is null when a time is missing or unreadable", () => {
    expect(minutesBetween(null, "2007-11-13 20:09:59")).toBeNull();
    expect(minutesBetween("yesterday", "2007-11-13 20:09:59")).toBeNull();
  });
});
