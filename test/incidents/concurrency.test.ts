// Many events at once (one process), and a writer killed with SIGKILL mid-way (another process).
import { spawn } from "node:child_process";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore, readStoreFiles, recordDiagnosis, setStatus, takeOver } from "../../incidents/index.js";
import { ctx, DIST, diagnosis, FIXTURES, finding, tempDir } from "./helpers.js";

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => {
  await cleanup();
});

describe("concurrent writes in one process", () => {
  it("loses none of 200 upserts and notes fired at once, across 20 incidents", async () => {
    const path = join(dir, "incidents.json");
    const store = await openStore({ path });
    const d = diagnosis([finding("pool-tag-leak", "warning")]);
    const ops: Promise<unknown>[] = [];
    for (let n = 0; n < 200; n++) {
      const thread = `${n % 20}.0`;
      const id = `T1:C1:${thread}`;
      // Incident creation races with notes, status changes and owner changes on the same incident.
      if (n < 20) ops.push(recordDiagnosis(store, ctx("C1", thread, d)));
      else if (n % 10 === 3) ops.push(takeOver(store, id, `U_OWNER_${n}`));
      else if (n % 10 === 7) ops.push(setStatus(store, id, "acknowledged", `U_${n}`));
      else ops.push(store.appendNote(id, { author: `U_${n}`, text: `note ${n}` }));
      // Let I/O run now and then, so that changes also arrive while a write is under way.
      if (n % 7 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(ops);
    await store.close();

    const file = (await readStoreFiles(path)).file;
    const incidents = Object.values(file?.incidents ?? {});
    expect(incidents).toHaveLength(20);
    const notes = incidents.flatMap((i) => i.notes.map((note) => note.text)).sort();
    const expected = Array.from({ length: 200 }, (_, n) => n)
      .filter((n) => n >= 20 && n % 10 !== 3 && n % 10 !== 7)
      .map((n) => `note ${n}`)
      .sort();
    expect(notes).toEqual(expected);
    // Queue order is call order: the last take-over wins; the first acknowledger becomes owner.
    const byThread = new Map(incidents.map((i) => [i.threadTs, i]));
    for (let k = 0; k < 20; k++) {
      const i = byThread.get(`${k}.0`);
      if (k === 3 || k === 13)
        expect(i).toMatchObject({ status: "acknowledged", owner: `U_OWNER_${180 + k}` });
      else if (k === 7 || k === 17) expect(i).toMatchObject({ status: "acknowledged", owner: `U_${20 + k}` });
      else expect(i).toMatchObject({ status: "open", owner: null });
    }
  });
});

describe("a writer killed with SIGKILL", () => {
  /**
   * Runs the writer until it has acknowledged `killAfter` writes, then SIGKILLs it `delayMs` later:
   * the small delays spread the kill over the write cycle (right after an acknowledgement the
   * writer is usually still in JavaScript, a few ms later often inside a file write).
   */
  async function writeUntilKilled(path: string, prefix: string, killAfter: number, delayMs: number) {
    const child = spawn(
      process.execPath,
      [join(FIXTURES, "writer.mjs"), join(DIST, "incidents/index.js"), path, prefix, "100000"],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const incidents = new Set<string>();
    const notes: string[] = [];
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on("exit", (_code, signal) => resolve(signal)),
    );
    let acks = 0;
    for await (const line of createInterface({ input: child.stdout })) {
      const [kind, id, ...rest] = line.split(" ");
      if (kind === "I" && id) incidents.add(id);
      if (kind === "N" && id) notes.push(`${id} ${rest.join(" ")}`);
      if (++acks === killAfter) setTimeout(() => child.kill("SIGKILL"), delayMs);
    }
    expect(await exited, stderr).toBe("SIGKILL");
    return { incidents, notes };
  }

  it("leaves a file that parses and holds every acknowledged write", async () => {
    const path = join(dir, "incidents.json");
    const acked = { incidents: new Set<string>(), notes: [] as string[] };
    // Five writers in turn on the same file, each killed at a different point.
    for (const [round, killAfter, delayMs] of [
      ["a", 150, 0],
      ["b", 233, 1],
      ["c", 91, 2],
      ["d", 120, 3],
      ["e", 77, 4],
    ] as const) {
      const r = await writeUntilKilled(path, round, killAfter, delayMs);
      for (const id of r.incidents) acked.incidents.add(id);
      acked.notes.push(...r.notes);

      const store = await openStore({ path, readOnly: true });
      expect(await store.health()).toEqual({ ok: true });
      const byId = new Map((await store.list()).map((i) => [i.id, i]));
      const missing = [...acked.incidents].filter((id) => !byId.has(id));
      expect(missing).toEqual([]);
      const missingNotes = acked.notes.filter((n) => {
        const [id, ...text] = n.split(" ");
        return !byId.get(id ?? "")?.notes.some((note) => note.text === text.join(" "));
      });
      expect(missingNotes).toEqual([]);
    }
    expect(acked.incidents.size).toBeGreaterThan(100);
    expect((await readdir(dir)).filter((f) => f.includes("broken"))).toEqual([]);
  });
});
