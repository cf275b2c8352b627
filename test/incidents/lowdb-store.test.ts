// What only the lowdb store has (the contract is in contract.ts): the snapshot and its journal on
// disk, what a write costs, compaction, a crash's torn line, a broken journal, readers that hold
// no lock, and the writer lock.
import { spawnSync } from "node:child_process";
import { appendFile, mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type Incident,
  incidentId,
  MAX_RAW_TEXT,
  newIncident,
  openStore,
  readStoreFiles,
  recordDiagnosis,
  resolveDbPath,
  StoreLockedError,
  StoreWriteError,
} from "../../incidents/index.js";
import { clock, ctx, diagnosis, finding, tempDir } from "./helpers.js";

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => {
  await cleanup();
});

const founding = diagnosis(
  [
    finding("httperr-connections-refused", "critical", { refused: 1200 }),
    finding("nonpaged-pool-exhaustion", "critical", { limit_mb: 128, used_mb: 109, free_mb: 19 }),
    finding("boot-3gb-switch", "warning"),
  ],
  "http.sys refuses connections: non-paged pool at 109 of 128 MB (/3GB)",
);

/** A v3 snapshot holding `n` incidents, as a store would have compacted it. */
async function snapshotWith(path: string, n: number): Promise<string[]> {
  const incidents: Record<string, Incident> = {};
  const at = new Date().toISOString();
  for (let k = 0; k < n; k++) {
    const id = incidentId({ workspace: "T1", channel: `C${k % 50}`, threadTs: `${1700000000 + k}.000100` });
    incidents[id] = {
      ...newIncident(
        { id, workspace: "T1", channel: `C${k % 50}`, threadTs: `${1700000000 + k}.000100`, user: "U1" },
        at,
      ),
      headline: `incident number ${k}: http.sys refuses connections, non-paged pool nearly exhausted`,
      severity: "critical",
      findings: [
        {
          id: "httperr-connections-refused",
          title: "Connections refused",
          severity: "critical",
          confidence: 0.9,
          numbers: { refused: k },
        },
      ],
    };
  }
  await writeFile(path, JSON.stringify({ version: 3, seq: 0, incidents, claims: {}, tasks: {} }));
  return Object.keys(incidents);
}

describe("lowdb store on disk", () => {
  it("keeps a snapshot and a journal, with kinds and sizes but never the raw text", async () => {
    const path = join(dir, "sub", "incidents.json");
    const store = await openStore({ path });
    const created = await recordDiagnosis(store, ctx("C_OPS", "1714550400.000100", founding));
    await store.appendNote(created.id, { author: "U_BOB", text: "rebooted web03" });
    await store.close();
    expect((await readdir(join(dir, "sub"))).sort()).toEqual(["incidents.json", "incidents.json.journal"]);
    const text = (await readFile(path, "utf8")) + (await readFile(`${path}.journal`, "utf8"));
    expect(text).toContain("rebooted web03");
    expect(text).not.toContain("Connections_Refused -");
    const read = await readStoreFiles(path);
    expect(read.file?.incidents[created.id]?.notes.map((n) => n.text)).toEqual(["rebooted web03"]);
    expect(read.file?.version).toBe(3);
  });

  it("keeps the raw text only with keepRawText, and at most MAX_RAW_TEXT of it", async () => {
    const path = join(dir, "incidents.json");
    const store = await openStore({ path, keepRawText: true });
    const i = await recordDiagnosis(store, ctx("C1", "1.1", founding));
    expect(i.rawText).toContain("Connections_Refused");
    const big = await recordDiagnosis(store, {
      ...ctx("C2", "2.2", founding),
      rawText: "x".repeat(MAX_RAW_TEXT + 10),
    });
    expect(big.rawText?.length).toBeLessThan(MAX_RAW_TEXT + 100);
    expect(big.rawText).toContain("(cut: longer than");
    await store.close();
    expect(await readFile(`${path}.journal`, "utf8")).toContain("Connections_Refused");
  });

  it("a write appends what it changes, whatever is stored: the snapshot of 10,000 incidents is not rewritten", async () => {
    const path = join(dir, "incidents.json");
    const ids = await snapshotWith(path, 10_000);
    const snapshotBefore = await stat(path);
    const store = await openStore({ path });
    expect((await store.list()).length).toBe(10_000);
    await store.appendNote(ids[1234] as string, { author: "U1", text: "one more note" });
    await recordDiagnosis(store, ctx("CNEW", "1.1", founding));
    const journal = await stat(`${path}.journal`);
    // Two incidents written, each about a kilobyte: nothing like the 10,000 stored.
    expect(journal.size).toBeLessThan(8 * 1024);
    expect((await stat(path)).mtimeMs).toBe(snapshotBefore.mtimeMs);
    expect((await stat(path)).size).toBe(snapshotBefore.size);
    await store.close();
    const read = await readStoreFiles(path);
    expect(Object.keys(read.file?.incidents ?? {})).toHaveLength(10_001);
  });

  it("compacts the journal into a new snapshot, while writes go on, losing none", async () => {
    const path = join(dir, "incidents.json");
    const store = await openStore({ path, compactAtBytes: 64 * 1024 });
    const writes: Promise<unknown>[] = [];
    for (let n = 0; n < 300; n++) {
      writes.push(recordDiagnosis(store, ctx(`C${n % 7}`, `${n}.1`, founding)));
      if (n % 50 === 0) writes.push(store.compact());
      if (n % 10 === 0) await new Promise((r) => setImmediate(r));
    }
    await Promise.all(writes);
    await store.compact();
    await store.close();
    const files = await readdir(dir);
    // Segments set aside by compactions are gone once a snapshot holds them.
    expect(files.filter((f) => f.includes(".journal.upto-"))).toEqual([]);
    const snapshot = JSON.parse(await readFile(path, "utf8"));
    expect(Object.keys(snapshot.incidents)).toHaveLength(300);
    const reopened = await openStore({ path });
    expect((await reopened.list()).length).toBe(300);
    await reopened.close();
  });

  it("a reader that holds no lock sees every committed write while compactions move files under it", async () => {
    const path = join(dir, "incidents.json");
    const store = await openStore({ path, compactAtBytes: 16 * 1024 });
    let done = false;
    const writer = (async () => {
      for (let n = 0; n < 200; n++) {
        await recordDiagnosis(store, ctx("C1", `${n}.1`, founding));
        if (n % 25 === 0) void store.compact();
      }
      done = true;
    })();
    let reads = 0;
    while (!done) {
      const committed = (await store.list()).length;
      const cli = await openStore({ path, readOnly: true });
      expect(await cli.health()).toEqual({ ok: true });
      expect((await cli.list()).length).toBeGreaterThanOrEqual(committed);
      await cli.close();
      reads++;
    }
    await writer;
    await store.close();
    expect(reads).toBeGreaterThan(0);
  });

  it("a line cut short by a crash is not a write: ignored, cut off, and the store goes on", async () => {
    const path = join(dir, "incidents.json");
    let store = await openStore({ path });
    const kept = await recordDiagnosis(store, ctx("C1", "1.1", founding));
    await store.close();
    await appendFile(
      `${path}.journal`,
      '{"seq":99,"changes":[{"t":"incident","id":"T1:C9:9.9","v":{"id":"T1:C9',
    );
    store = await openStore({ path });
    expect(await store.health()).toEqual({ ok: true });
    expect(await store.get(kept.id)).toBeDefined();
    await store.appendNote(kept.id, { author: "U1", text: "after the crash" });
    await store.close();
    expect((await readFile(`${path}.journal`, "utf8")).endsWith("\n")).toBe(true);
    const again = await openStore({ path, readOnly: true });
    expect((await again.get(kept.id))?.notes.map((n) => n.text)).toEqual(["after the crash"]);
  });

  it("a broken line inside the journal: what came before is kept, the rest set aside, and said", async () => {
    const path = join(dir, "incidents.json");
    const c = clock("2024-05-01T12:00:00.000Z");
    let store = await openStore({ path, now: c.now });
    const first = await recordDiagnosis(store, ctx("C1", "1.1", founding));
    await store.close();
    await appendFile(`${path}.journal`, "this is not JSON\n");
    const notices: string[] = [];
    store = await openStore({ path, now: c.now, notice: (m) => notices.push(m) });
    const health = await store.health();
    expect(health.ok).toBe(false);
    expect(health.reason).toContain("set aside");
    expect(notices.join("\n")).toContain("could not be read");
    expect(await store.get(first.id)).toBeDefined();
    expect((await readdir(dir)).filter((f) => f.includes("broken"))).toEqual([
      "incidents.json.journal.broken-20240501T120000Z",
    ]);
    await store.appendNote(first.id, { author: "U1", text: "still going" });
    await store.close();
    const reopened = await openStore({ path, now: c.now });
    expect(await reopened.health()).toEqual({ ok: true });
    expect((await reopened.get(first.id))?.notes).toHaveLength(1);
    await reopened.close();
  });

  it("a failed write changes nothing, leaves no partial line, is reported by health(), and the next good write clears it", async () => {
    const path = join(dir, "db.json");
    let failing = false;
    const store = await openStore({
      path,
      writeFault: () =>
        failing ? Object.assign(new Error("no space left on device"), { code: "ENOSPC" }) : undefined,
    });
    const { id } = await recordDiagnosis(store, ctx("C1", "1.1", founding));
    failing = true;
    await expect(store.appendNote(id, { author: "U1", text: "lost" })).rejects.toBeInstanceOf(
      StoreWriteError,
    );
    await expect(store.enqueue({ kind: "paste", payload: {} })).rejects.toBeInstanceOf(StoreWriteError);
    const health = await store.health();
    expect(health.ok).toBe(false);
    expect(health.reason).toContain("no space left");
    expect((await store.get(id))?.notes).toEqual([]);
    failing = false;
    await store.appendNote(id, { author: "U1", text: "kept" });
    expect(await store.health()).toEqual({ ok: true });
    await store.close();
    const reread = await openStore({ path });
    expect((await reread.get(id))?.notes.map((n) => n.text)).toEqual(["kept"]);
    expect(await reread.stats()).toMatchObject({ pendingTasks: 0 });
    await reread.close();
  });

  it("a folder it cannot create: not healthy, every write refused, nothing thrown at open", async () => {
    // A file where the folder should be (root may write anywhere, but not under a file).
    await writeFile(join(dir, "not-a-folder"), "x");
    const store = await openStore({ path: join(dir, "not-a-folder", "incidents.json") });
    const health = await store.health();
    expect(health.ok).toBe(false);
    expect(health.reason).toContain("cannot be written");
    await expect(recordDiagnosis(store, ctx("C1", "1.1", founding))).rejects.toBeInstanceOf(StoreWriteError);
    await store.close();
  });

  it("a stray temp file from a killed writer does not matter", async () => {
    const path = join(dir, "db.json");
    await writeFile(join(dir, ".db.json.tmp"), '{"version": 3, "incid');
    const store = await openStore({ path });
    expect(await store.health()).toEqual({ ok: true });
    await recordDiagnosis(store, ctx("C1", "1.1", founding));
    await store.compact();
    expect(JSON.parse(await readFile(path, "utf8")).version).toBe(3);
    await store.close();
  });

  it("uses TATTLETALE_DB, else .tattletale/incidents.json under the working folder", () => {
    expect(resolveDbPath({ TATTLETALE_DB: "/var/lib/tt.json" }, "/srv")).toBe("/var/lib/tt.json");
    expect(resolveDbPath({ TATTLETALE_DB: " " }, "/srv")).toBe(join("/srv", ".tattletale", "incidents.json"));
    expect(resolveDbPath({}, "/srv")).toBe(join("/srv", ".tattletale", "incidents.json"));
  });
});

describe("one writer per file", () => {
  it("a second writer is refused, naming the file and the holder; readers are not", async () => {
    const path = join(dir, "incidents.json");
    const first = await openStore({ path });
    const refused = await openStore({ path }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(StoreLockedError);
    const message = (refused as Error).message;
    expect(message).toContain(path);
    expect(message).toContain(`process ${process.pid} on ${hostname()}`);
    const reader = await openStore({ path, readOnly: true });
    expect(await reader.health()).toEqual({ ok: true });
    await reader.close();
    await first.close();
    // Released with the store: the next one starts.
    const next = await openStore({ path });
    await next.close();
  });

  it("takes over the lock of a process that died on this host, and says so", async () => {
    const path = join(dir, "incidents.json");
    const gone = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], {
      encoding: "utf8",
    });
    const deadPid = Number(gone.stdout);
    await mkdir(dir, { recursive: true });
    await writeFile(
      `${path}.lock`,
      JSON.stringify({ pid: deadPid, hostname: hostname(), startedAt: "2024-05-01T08:00:00.000Z" }),
    );
    const notices: string[] = [];
    const store = await openStore({ path, notice: (m) => notices.push(m) });
    expect(notices.join("\n")).toContain(`from process ${deadPid} on ${hostname()}`);
    expect(JSON.parse(await readFile(`${path}.lock`, "utf8"))).toMatchObject({ pid: process.pid });
    await store.close();
  });

  it("never takes over a lock held from another host", async () => {
    const path = join(dir, "incidents.json");
    await writeFile(
      `${path}.lock`,
      JSON.stringify({ pid: 4242, hostname: "some-other-host", startedAt: "2024-05-01T08:00:00.000Z" }),
    );
    await expect(openStore({ path })).rejects.toThrow(/process 4242 on some-other-host/);
  });
});
