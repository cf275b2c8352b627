import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readInt, readKb, readNumber, toKb, unitOf } from "../../parsers/numbers.js";

describe("readNumber", () => {
  it("reads plain, signed and grouped numbers", () => {
    expect(readNumber("9632578")).toBe(9632578);
    expect(readNumber("-12")).toBe(-12);
    expect(readNumber("\u221212")).toBe(-12);
    expect(readNumber("+7")).toBe(7);
    expect(readNumber("-0")).toBe(0);
    expect(readNumber("1,234")).toBe(1234);
    expect(readNumber("114,294,784")).toBe(114294784);
    expect(readNumber("1.234.567")).toBe(1234567);
    expect(readNumber("1\u00a0234\u00a0567")).toBe(1234567);
    expect(readNumber("1'234'567")).toBe(1234567);
  });

  it("tells decimal points from thousands separators", () => {
    expect(readNumber("1,234.5")).toBe(1234.5);
    expect(readNumber("1.234,5")).toBe(1234.5);
    expect(readNumber("114294784.000000")).toBe(114294784);
    expect(readNumber("0,5")).toBe(0.5);
    expect(readNumber("16.0")).toBe(16);
    expect(readNumber(".5")).toBe(0.5);
    // A lone `.` before three digits: a decimal unless the value is known to be whole.
    expect(readNumber("1.234")).toBe(1.234);
    expect(readNumber("1.234", { integer: true })).toBe(1234);
    expect(readNumber("0.123", { integer: true })).toBe(0.123);
  });

  it("returns null for what is not a number", () => {
    for (const s of ["", " ", "-", "abc", "12a", "1,23,4", "1,234.567,8", "1,,2", "1.", "(3)", "1 2"]) {
      expect(readNumber(s), s).toBeNull();
    }
  });

  it("keeps values past 2^53 as the nearest double without throwing", () => {
    expect(readNumber("18446744073709551615")).toBe(18446744073709552000);
    expect(readNumber("9007199254740993")).toBe(9007199254740992);
    expect(readNumber("9".repeat(400))).toBeNull(); // Infinity is not a reading
  });

  it("round-trips every safe integer, grouped or not", () => {
    fc.assert(
      fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (n) => {
        expect(readNumber(String(n))).toBe(n);
        expect(readInt(n.toLocaleString("en-US"))).toBe(n);
        expect(readInt(n.toLocaleString("de-DE"))).toBe(n);
      }),
    );
  });

  it("never throws on any string", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const n = readNumber(s);
        expect(n === null || Number.isFinite(n)).toBe(true);
      }),
    );
  });
});

describe("readInt", () => {
  it("accepts whole numbers only", () => {
    expect(readInt("1.234")).toBe(1234);
    expect(readInt("1.5")).toBeNull();
    expect(readInt("-3")).toBe(-3);
  });
});

describe("readKb", () => {
  it("converts units to KB", () => {
    expect(readKb("111616K")).toBe(111616);
    expect(readKb("4193784 Kb")).toBe(4193784);
    expect(readKb("109 MB")).toBe(109 * 1024);
    expect(readKb("1.5 GB")).toBe(1.5 * 1024 * 1024);
    expect(readKb("114294784 bytes")).toBe(111616);
    expect(readKb("312 Mo")).toBe(312 * 1024);
    expect(readKb("2048")).toBe(2048);
    expect(readKb("2", "M")).toBe(2048);
  });

  it("returns null for unknown units or no number", () => {
    expect(readKb("2400 MHz")).toBeNull();
    expect(readKb("K")).toBeNull();
    expect(readKb("")).toBeNull();
  });
});

describe("unitOf / toKb", () => {
  it("names units case-insensitively", () => {
    expect(unitOf("kb")).toBe("K");
    expect(unitOf("KiB")).toBe("K");
    expect(unitOf("MB")).toBe("M");
    expect(unitOf("Bytes")).toBe("B");
    expect(unitOf("")).toBeNull();
    expect(unitOf("", "K")).toBe("K");
    expect(unitOf("Kbx")).toBeNull();
    expect(toKb(2048, "B")).toBe(2);
  });
});
