// The projection the pool chart draws: a least-squares line through the samples and the time it
// crosses a level; and the times charts read (http.sys minutes, Event Log times).
import { describe, expect, it } from "vitest";
import type { Series } from "../../charts/series.js";
import { minuteKeyToIso, readEventTime } from "../../charts/time.js";
import { leastSquares, projectCrossing, valueAt } from "../../charts/trend.js";

const H = 3_600_000;
const at = (hours: number) => new Date(Date.UTC(2024, 2, 1, 9) + hours * H).toISOString().replace(".000", "");
const series = (points: Array<[number, number]>): Series => ({
  name: "Non-paged pool in use",
  unit: "MB",
  samples: points.map(([h, value]) => ({ t: at(h), value })),
});

describe("least squares", () => {
  it("recovers an exact line", () => {
    const fit = leastSquares(
      series([
        [0, 100],
        [1, 150],
        [2, 200],
      ]).samples,
    );
    expect(fit?.slopePerMs).toBeCloseTo(50 / H, 12);
    expect(valueAt(fit as NonNullable<typeof fit>, Date.parse(at(4)))).toBeCloseTo(300, 6);
  });

  it("fits noisy samples by least squares, not through the end points", () => {
    // Mean time 1.5 h, mean value 130; Σdx·dy = 120, Σdx² = 5: 24 MB/h (the end points say 20).
    const fit = leastSquares(
      series([
        [0, 100],
        [1, 100],
        [2, 160],
        [3, 160],
      ]).samples,
    );
    expect((fit?.slopePerMs ?? 0) * H).toBeCloseTo(24, 9);
  });

  it("needs two distinct times", () => {
    expect(leastSquares(series([[0, 100]]).samples)).toBeNull();
    expect(
      leastSquares(
        series([
          [1, 100],
          [1, 120],
        ]).samples,
      ),
    ).toBeNull();
  });
});

describe("projected crossing", () => {
  it("is where the fitted line meets the level, labelled with its time", () => {
    const p = projectCrossing(
      series([
        [0, 100],
        [1, 100],
        [2, 160],
        [3, 160],
      ]),
      214,
      {
        what: "http.sys threshold",
        clock: "utc",
      },
    );
    // The trend at 3 h is 130 + 24 × 1.5 = 166; 48 MB more at 24 MB/h is 2 h later: 5 h.
    expect(p).toMatchObject({
      reaches: true,
      level: 214,
      from: { t: at(3), value: 166 },
      to: { t: at(5), value: 214 },
    });
    expect(p?.label).toBe("At 24 MB/h: http.sys threshold at 2024-03-01 14:00 UTC");
  });

  it("matches the two pool-leak-growth snapshots (two points: the line through them)", () => {
    const s: Series = {
      name: "Non-paged pool in use",
      unit: "MB",
      samples: [
        { t: "2024-03-01T09:00:04Z", value: 402.4 },
        { t: "2024-03-01T10:00:09Z", value: 524.6 },
      ],
    };
    const p = projectCrossing(s, 2028, { what: "http.sys threshold", clock: "server" });
    const t0 = Date.parse("2024-03-01T09:00:04Z");
    const t1 = Date.parse("2024-03-01T10:00:09Z");
    const expected = t1 + ((2028 - 524.6) * (t1 - t0)) / (524.6 - 402.4);
    expect(Math.abs(Date.parse(p?.to.t ?? "") - expected)).toBeLessThan(1000);
    expect(p?.label).toMatch(/^At 122 MB\/h: http\.sys threshold at 2024-03-01 22:19 \(server clock\)$/);
  });

  it("stops at the horizon when the crossing is further, and says how far", () => {
    const p = projectCrossing(
      series([
        [0, 100],
        [1, 101],
      ]),
      2028,
      { what: "the limit", clock: "utc", horizonMs: 24 * H },
    );
    expect(p?.reaches).toBe(false);
    expect(p?.to.t).toBe(at(25));
    expect(p?.to.value).toBeCloseTo(125, 1);
    expect(p?.label).toMatch(/^At 1 MB\/h: the limit in 80 d/);
  });

  it("draws nothing for a flat or falling series, or one already past the level", () => {
    const opts = { what: "x", clock: "utc" as const };
    expect(
      projectCrossing(
        series([
          [0, 100],
          [1, 100],
        ]),
        200,
        opts,
      ),
    ).toBeNull();
    expect(
      projectCrossing(
        series([
          [0, 150],
          [1, 100],
        ]),
        200,
        opts,
      ),
    ).toBeNull();
    expect(
      projectCrossing(
        series([
          [0, 210],
          [1, 250],
        ]),
        200,
        opts,
      ),
    ).toBeNull();
  });
});

describe("chart times", () => {
  it("reads http.sys minute keys as UTC and rejects malformed ones", () => {
    expect(minuteKeyToIso("2007-11-13 20:01")).toBe("2007-11-13T20:01:00Z");
    expect(minuteKeyToIso("2007-13-13 20:01")).toBeNull();
    expect(minuteKeyToIso("20:01")).toBeNull();
  });

  it("reads Event Viewer and ISO event times, knowing which are UTC", () => {
    expect(readEventTime("11/13/2007 8:01:44 PM")).toEqual({
      t: Date.UTC(2007, 10, 13, 20, 1, 44),
      clock: "server",
    });
    expect(readEventTime("11/13/2007 12:05:00 AM")?.t).toBe(Date.UTC(2007, 10, 13, 0, 5));
    expect(readEventTime("2007-11-13T20:01:44.000")).toEqual({
      t: Date.UTC(2007, 10, 13, 20, 1, 44),
      clock: "server",
    });
    expect(readEventTime("2007-11-13T20:01:44.123Z")).toEqual({
      t: Date.UTC(2007, 10, 13, 20, 1, 44),
      clock: "utc",
    });
    expect(readEventTime("2007-11-13T21:01:44+01:00")).toEqual({
      t: Date.UTC(2007, 10, 13, 20, 1, 44),
      clock: "utc",
    });
  });

  it("does not guess day-first or impossible dates", () => {
    expect(readEventTime("13/11/2007 20:01:44")).toBeNull();
    expect(readEventTime("13.11.2007 20:01:44")).toBeNull();
    expect(readEventTime("2/30/2007 10:00")).toBeNull();
    expect(readEventTime("11/13/2007 13:00 PM")).toBeNull();
    expect(readEventTime("yesterday")).toBeNull();
  });
});
