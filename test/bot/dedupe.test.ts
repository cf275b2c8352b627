import { describe, expect, it } from "vitest";
import { TtlSet } from "../../bot/dedupe.js";
import { KeyedLock } from "../../bot/keyed-lock.js";

describe("TtlSet", () => {
  it("remembers a key for its TTL and forgets it after", () => {
    let now = 0;
    const s = new TtlSet(1000, 100, () => now);
    expect(s.checkAndAdd("a")).toBe(false);
    expect(s.checkAndAdd("a")).toBe(true);
    now = 1500;
    expect(s.checkAndAdd("a")).toBe(false);
  });

  it("stays bounded", () => {
    const s = new TtlSet(60_000, 10, () => 0);
    for (let i = 0; i < 100; i++) s.checkAndAdd(`k${i}`);
    expect(s.has("k0")).toBe(false);
    expect(s.has("k99")).toBe(true);
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
