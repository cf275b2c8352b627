// The progress bar: drawn on a terminal for big inputs only; never in --json mode or when piped.
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createProgress, PROGRESS_MIN_BYTES, progressLine } from "../../cli/progress.js";

function fakeStderr(isTTY: boolean) {
  const s = new PassThrough() as PassThrough & { isTTY?: boolean; columns?: number };
  s.isTTY = isTTY;
  s.columns = 80;
  let out = "";
  s.on("data", (d: Buffer) => {
    out += d.toString();
  });
  return { s, out: () => out };
}

describe("progress", () => {
  const big = PROGRESS_MIN_BYTES * 4;
  it("draws and clears on a terminal for a big input", () => {
    const { s, out } = fakeStderr(true);
    let t = 0;
    const p = createProgress({ stream: s, enabled: true, now: () => t });
    t = 1000;
    p.update(big / 2, big);
    t = 2000;
    p.update(big, big);
    p.done();
    expect(out()).toContain(" 50%");
    expect(out()).toContain("100%");
    expect(out().endsWith("\r\x1b[K")).toBe(true);
  });

  it.each([
    ["piped", false, true, big],
    ["--json", true, false, big],
    ["small input", true, true, PROGRESS_MIN_BYTES - 1],
  ])("draws nothing when %s", (_name, tty, enabled, total) => {
    const { s, out } = fakeStderr(tty);
    const p = createProgress({ stream: s, enabled, now: () => 5000 });
    p.update(total / 2, total);
    p.done();
    expect(out()).toBe("");
  });

  it("formats a line that fits the terminal", () => {
    const line = progressLine(250_000_000, 500_000_000, 1000, 60);
    expect(line).toMatch(/^\[#+\.+\] {2}50% {2}250\/500 MB {2}250 MB\/s$/);
    expect(line.length).toBeLessThanOrEqual(60);
  });
});
