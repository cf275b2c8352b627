import { describe, expect, it } from "vitest";
import { GroupCommitQueue } from "../../incidents/queue.js";

function counterQueue(fail: () => boolean = () => false) {
  let committed: number[] = [];
  const commits: number[][] = [];
  const queue = new GroupCommitQueue<number[]>(
    () => committed,
    async (state) => {
      await new Promise((resolve) => setImmediate(resolve));
      if (fail()) throw new Error("disk full");
      commits.push(state);
      committed = state;
    },
  );
  const push = (n: number) => queue.run((state) => ({ state: [...state, n], value: n }));
  return { queue, push, commits, committed: () => committed };
}

describe("GroupCommitQueue", () => {
  it("applies changes in call order and writes a burst in few commits", async () => {
    const q = counterQueue();
    const answers = await Promise.all(Array.from({ length: 50 }, (_, n) => q.push(n)));
    expect(answers).toEqual([...Array(50).keys()]);
    expect(q.committed()).toEqual([...Array(50).keys()]);
    expect(q.commits.length).toBe(1);
  });

  it("changes arriving during a write go into the next one, after it", async () => {
    const q = counterQueue();
    const first = q.push(1);
    await Promise.resolve();
    await Promise.resolve(); // the first write is under way
    const later = [q.push(2), q.push(3)];
    await Promise.all([first, ...later]);
    expect(q.commits).toEqual([[1], [1, 2, 3]]);
  });

  it("a change that throws is rejected alone; a failed write rejects its whole batch and keeps nothing", async () => {
    let failing = false;
    const q = counterQueue(() => failing);
    const bad = q.queue.run(() => {
      throw new Error("invalid");
    });
    await expect(Promise.all([q.push(1), bad.catch((e: Error) => e.message)])).resolves.toEqual([
      1,
      "invalid",
    ]);
    failing = true;
    const batch = [q.push(2), q.push(3)];
    await expect(Promise.allSettled(batch)).resolves.toMatchObject([
      { status: "rejected" },
      { status: "rejected" },
    ]);
    failing = false;
    await q.push(4);
    expect(q.committed()).toEqual([1, 4]);
    await q.queue.idle();
  });
});
