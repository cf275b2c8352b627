// The times people paste above a poolmon table, read for the growth rate between two snapshots.
import { describe, expect, it } from "vitest";
import { minutesBetween, parseLooseTime, parseTimes } from "../../kb/time.js";

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

  it.each([
    // Get-Date's default long form (en-US, en-GB) and a prompt line around it
    ["Tuesday, March 12, 2024 9:02:41 AM", Date.UTC(2024, 2, 12, 9, 2, 41)],
    ["Tuesday, 12 March 2024 09:02:41", Date.UTC(2024, 2, 12, 9, 2, 41)],
    ["PS C:\\> Get-Date   Tuesday, March 12, 2024 1:02:55 PM", Date.UTC(2024, 2, 12, 13, 2, 55)],
    ["12-Mar-2024 09:02:41", Date.UTC(2024, 2, 12, 9, 2, 41)],
    // Get-Date -Format o / s / u, with an offset moved to UTC
    ["2024-03-12T09:02:41.1234567+01:00", Date.UTC(2024, 2, 12, 8, 2, 41)],
    ["2024-03-12T09:02:41", Date.UTC(2024, 2, 12, 9, 2, 41)],
    ["2024-03-12 09:02:41Z", Date.UTC(2024, 2, 12, 9, 2, 41)],
    // day-first forms: a field over 12 is the day; d.m.y is always day first
    ["13/03/2024 09:14:03", Date.UTC(2024, 2, 13, 9, 14, 3)],
    ["05.03.2024 09:14:03", Date.UTC(2024, 2, 5, 9, 14, 3)],
    // typeperf and pool-tag CSV timestamps
    ['"10/03/2007 08:05:00.234"', Date.UTC(2007, 9, 3, 8, 5, 0)],
    ["3/14/2024 9:00:04 AM", Date.UTC(2024, 2, 14, 9, 0, 4)],
    // a time of day alone (`time /t`), on the epoch's day
    ["09:02 AM", Date.UTC(1970, 0, 1, 9, 2, 0)],
  ])("%s", (text, expected) => {
    expect(parseLooseTime(text)).toBe(expected);
  });

  it("rejects dates that do not exist", () => {
    expect(parseLooseTime("02/30/2024 09:00:00")).toBeNull();
  });
});

describe("parseTimes: one series read together", () => {
  it("reads an ambiguous series day first when that keeps it short (05/03 → 06/03 is a day, not a month)", () => {
    const [a, b] = parseTimes(["05/03/2024 23:00:00", "06/03/2024 01:00:00"]);
    expect(((b as number) - (a as number)) / 3_600_000).toBe(2);
  });

  it("reads it month first when only that is valid or it is the shorter", () => {
    const [a, b] = parseTimes(["03/05/2024 23:00:00", "03/06/2024 01:00:00"]);
    expect(((b as number) - (a as number)) / 3_600_000).toBe(2);
    expect(parseTimes(["05/30/2024 10:00", "05/31/2024 10:00"])[1]).toBe(Date.UTC(2024, 4, 31, 10, 0));
  });

  it("rolls times of day over midnight (`time /t` before each snapshot)", () => {
    const ts = parseTimes(["11:30 PM", "12:30 AM", "01:30 AM"]) as number[];
    expect(ts.map((t) => (t - (ts[0] as number)) / 3_600_000)).toEqual([0, 1, 2]);
  });

  it("keeps nulls for texts without a time", () => {
    expect(parseTimes([null, "no time", "2024-01-01 00:00"])).toEqual([null, null, Date.UTC(2024, 0, 1)]);
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
