import { describe, expect, it } from "vitest";
import { TtlSet } from "../../bot/dedupe.js";
import { KeyedLock } from "../../incidents/index.js";

describe("TtlSet", () => {
  it("remembers a key for its TTL and forgets it after", () => {
    let now = 0;
    const s = new TtlSet(1000, () => now);
    expect(s.checkAndAdd("a")).toBe(false);
    expect(s.checkAndAdd("a")).toBe(true);
    now = 1500;
    expect(s.checkAndAdd("a")).toBe(false);
  });

  it("keeps every key for the whole window whatever the rate, and drops them once expired", () => {
    let now = 0;
    const s = new TtlSet(11 * 60_000, () => now);
    s.checkAndAdd("msg:C1:1.1");
    // A retry after 30,000 other events (two keys each, as before) is still caught.
    for (let i = 0; i < 30_000; i++) {
      now += 10;
      s.checkAndAdd(`event:Ev${i}`);
      s.checkAndAdd(`msg:C1:${i}.2`);
    }
    expect(now).toBeLessThan(11 * 60_000);
    expect(s.checkAndAdd("msg:C1:1.1")).toBe(true);
    // Memory is what the window holds: past it, everything goes.
    now += 11 * 60_000;
    expect(s.size).toBe(0);
  });
});

describe("KeyedLock", () => {
  it("runs same-key tasks one after another, in order, even when one fails", async () => {
    const lock = new KeyedLock();
    const order: string[] = [];
    const slow =
      (name: string, fail = false) =>
      async () => {
        order.push(`${name}:start`);
        await new Promise((r) => setImmediate(r));
        order.push(`${name}:end`);
        if (fail) throw new Error(name);
      };
    const a = lock.run("t", slow("a", true));
    const b = lock.run("t", slow("b"));
    await expect(a).rejects.toThrow("a");
    await b;
    expect(order).toEqual(["a:start", "a:end", "b:start", "b:end"]);
  });
});
