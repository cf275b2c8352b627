// Migration of older files, files that cannot be read (set aside, never overwritten), retention.
import { copyFile, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  decodeStoreFile,
  migrateV1toV2,
  openStore,
  readStoreFiles,
  recordDiagnosis,
  StoreFileError,
} from "../../incidents/index.js";
import { clock, ctx, diagnosis, FIXTURES, finding, tempDir } from "./helpers.js";

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => {
  await cleanup();
});

const d = diagnosis([finding("httperr-connections-refused", "critical")]);

describe("migration", () => {
  it("reads a version 1 file as version 3, keeps a backup of it, and writes version 3", async () => {
    const path = join(dir, "incidents.json");
    await copyFile(join(FIXTURES, "incidents-v1.json"), path);
    const original = await readFile(path, "utf8");
    const c = clock("2024-05-01T12:00:00.000Z");
    const store = await openStore({ path, now: c.now });
    expect(await store.health()).toEqual({ ok: true });

    const [open, closed] = await store.list();
    expect(open).toMatchObject({
      id: "unknown:C_OPS:1714550400.000100",
      channel: "C_OPS",
      threadTs: "1714550400.000100",
      reportedBy: "U_ALICE",
      createdAt: "2024-05-01T08:00:00.000Z",
      headline: "http.sys refuses connections: non-paged pool nearly exhausted",
      severity: "critical",
      status: "open",
      notes: [{ author: "U_ALICE", text: "rebooted web03, watching", at: "2024-05-01T08:00:00.000Z" }],
    });
    expect(open?.findings.map((f) => f.id)).toEqual([
      "httperr-connections-refused",
      "nonpaged-pool-exhaustion",
    ]);
    expect(closed).toMatchObject({ channel: "C_WEB", status: "resolved", severity: "none", headline: null });
    expect(closed?.history).toEqual([
      { at: "2024-05-01T10:00:00.000Z", by: "U_BOB", status: "resolved", owner: null },
    ]);

    expect(JSON.parse(await readFile(path, "utf8")).version).toBe(3);
    const backups = (await readdir(dir)).filter((f) => f.startsWith("incidents.json.v1-"));
    expect(backups).toEqual(["incidents.json.v1-20240501T120000Z.bak"]);
    expect(await readFile(join(dir, backups[0] ?? ""), "utf8")).toBe(original);
    await store.close();
  });

  it("migrates a version 2 file (the whole-file store) to a snapshot and journal, losing nothing", async () => {
    const path = join(dir, "incidents.json");
    const c = clock("2024-05-01T12:00:00.000Z");
    // A v2 file as the previous Tattletale wrote it: take the v1 fixture through v1 → v2 only.
    const v1 = JSON.parse(await readFile(join(FIXTURES, "incidents-v1.json"), "utf8"));
    const v2 = migrateV1toV2(v1);
    await writeFile(path, `${JSON.stringify(v2, null, 2)}\n`);
    const original = await readFile(path, "utf8");
    const store = await openStore({ path, now: c.now });
    expect(await store.health()).toEqual({ ok: true });
    expect((await store.list()).map((i) => i.id)).toEqual(Object.keys(v2.incidents).sort());
    const [first] = await store.list();
    await store.appendNote(first?.id ?? "", { author: "U1", text: "after the upgrade" });
    await store.close();
    expect(JSON.parse(await readFile(path, "utf8")).version).toBe(3);
    expect(await readFile(join(dir, "incidents.json.v2-20240501T120000Z.bak"), "utf8")).toBe(original);
    const read = await readStoreFiles(path);
    expect(Object.keys(read.file?.incidents ?? {}).sort()).toEqual(Object.keys(v2.incidents).sort());
    expect(read.file?.incidents[first?.id ?? ""]?.notes.map((n) => n.text)).toContain("after the upgrade");
  });

  it("decodeStoreFile says which version it migrated from", () => {
    const v1 = JSON.stringify({ version: 1, incidents: [] });
    const empty = { version: 3, seq: 0, incidents: {}, claims: {}, tasks: {} };
    expect(decodeStoreFile(v1)).toEqual({ file: empty, migratedFrom: 1 });
    expect(decodeStoreFile(JSON.stringify({ version: 2, incidents: {} }))).toEqual({
      file: empty,
      migratedFrom: 2,
    });
    expect(decodeStoreFile(JSON.stringify(empty)).migratedFrom).toBeNull();
    expect(() => decodeStoreFile(JSON.stringify({ version: 4, incidents: {} }))).toThrow(/newer Tattletale/);
    expect(() => decodeStoreFile(JSON.stringify({ incidents: [] }))).toThrow(/version/);
    expect(() => decodeStoreFile(JSON.stringify({ version: 1, incidents: [{ channel: "C" }] }))).toThrow(
      StoreFileError,
    );
  });
});

describe("a file that cannot be read", () => {
  for (const [name, content] of [
    ["truncated JSON", null],
    ["empty file", ""],
    ["valid JSON, wrong shape", JSON.stringify({ version: 2, incidents: { a: { id: "a" } } })],
    ["a newer version", JSON.stringify({ version: 9, incidents: {} })],
  ] as const) {
    it(`is set aside untouched, reported, and the store keeps working (${name})`, async () => {
      const path = join(dir, "incidents.json");
      if (content === null) await copyFile(join(FIXTURES, "incidents-truncated.json"), path);
      else await writeFile(path, content);
      const original = await readFile(path);
      const c = clock("2024-05-01T12:00:00.000Z");
      const store = await openStore({ path, now: c.now });

      const aside = join(dir, "incidents.json.broken-20240501T120000Z");
      const health = await store.health();
      expect(health.ok).toBe(false);
      expect(health.reason).toContain(path);
      expect(health.reason).toContain(aside);
      expect(await readFile(aside)).toEqual(original);

      const incident = await recordDiagnosis(store, ctx("C1", "1.1", d));
      await store.appendNote(incident.id, { author: "U1", text: "after the break" });
      expect(await readFile(aside)).toEqual(original);
      await store.close();
      const reopened = await openStore({ path, now: c.now });
      expect(await reopened.health()).toEqual({ ok: true });
      expect((await reopened.get(incident.id))?.notes.map((n) => n.text)).toEqual(["after the break"]);
      await reopened.close();
    });
  }

  it("read-only (the CLI): reported, but neither moved nor written", async () => {
    const path = join(dir, "incidents.json");
    await writeFile(path, "{ nope");
    const store = await openStore({ path, readOnly: true });
    expect(await store.health()).toMatchObject({
      ok: false,
      reason: expect.stringContaining("not valid JSON"),
    });
    expect(await readdir(dir)).toEqual(["incidents.json"]);
    expect(await readFile(path, "utf8")).toBe("{ nope");
  });
});

describe("retention", () => {
  const DAY = 86_400_000;

  it("prunes incidents not updated for retentionDays, on open and on a write an hour later", async () => {
    const path = join(dir, "incidents.json");
    const c = clock("2024-05-01T00:00:00.000Z");
    let store = await openStore({ path, now: c.now, retentionDays: 7 });
    const old = await recordDiagnosis(store, ctx("C1", "1.1", d));
    c.advance(3 * DAY);
    const mid = await recordDiagnosis(store, ctx("C2", "2.2", d));
    await store.close();

    // 8 days after the first: it is gone from the file as soon as the store opens.
    c.advance(5 * DAY);
    store = await openStore({ path, now: c.now, retentionDays: 7 });
    expect((await store.list()).map((i) => i.id)).toEqual([mid.id]);
    expect(Object.keys((await readStoreFiles(path)).file?.incidents ?? {})).toEqual([mid.id]);

    // 4.5 more days: `mid` has expired; hidden at once, deleted from the file by the next write
    // that comes an hour or more after the last pruning.
    c.advance(4.5 * DAY);
    expect(await store.get(mid.id)).toBeUndefined();
    const fresh = await recordDiagnosis(store, ctx("C3", "3.3", d));
    expect(Object.keys((await readStoreFiles(path)).file?.incidents ?? {})).toEqual([fresh.id]);
    expect(old.id).not.toBe(fresh.id);
    await store.close();
  });

  it("counts from the last update, so a busy incident is kept", async () => {
    const path = join(dir, "incidents.json");
    const c = clock();
    const store = await openStore({ path, now: c.now, retentionDays: 2 });
    const { id } = await recordDiagnosis(store, ctx("C1", "1.1", d));
    c.advance(1.5 * DAY);
    await store.appendNote(id, { author: "U1", text: "still on it" });
    c.advance(1.5 * DAY);
    expect(await store.get(id)).toBeDefined();
    await store.close();
  });

  it("refuses a retention that is not a positive number of days", async () => {
    await expect(openStore({ path: join(dir, "x.json"), retentionDays: 0 })).rejects.toThrow(/retentionDays/);
  });
});
