import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  IncidentNotFoundError,
  incidentId,
  openStore,
  recordDiagnosis,
  recordFeedback,
  resolveDbPath,
  StoreClosedError,
  setStatus,
  takeOver,
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

describe("lowdb store", () => {
  it("round-trips an incident through the file, with kinds and sizes but no raw text", async () => {
    const c = clock("2024-05-01T12:00:00.000Z");
    const path = join(dir, "sub", "incidents.json");
    const store = await openStore({ path, now: c.now });
    const created = await recordDiagnosis(store, ctx("C_OPS", "1714550400.000100", founding));
    c.advance(60_000);
    await store.appendNote(created.id, { author: "U_BOB", text: "  rebooted web03  " });
    await recordFeedback(store, created.id, { user: "U_BOB", answer: "right" });
    await store.close();

    const text = await readFile(path, "utf8");
    const raw = JSON.parse(text);
    expect(raw.version).toBe(2);
    expect(text).not.toContain("Connections_Refused -"); // the pasted text stayed out

    const again = await openStore({ path, now: c.now });
    expect(again.health()).toEqual({ ok: true });
    const loaded = await again.get(
      incidentId({ workspace: "T1", channel: "C_OPS", threadTs: "1714550400.000100" }),
    );
    expect(loaded).toMatchObject({
      id: "T1:C_OPS:1714550400.000100",
      workspace: "T1",
      channel: "C_OPS",
      threadTs: "1714550400.000100",
      permalink: "https://example.slack.com/archives/C_OPS/p1714550400000100",
      reportedBy: "U_PASTER",
      createdAt: "2024-05-01T12:00:00.000Z",
      updatedAt: "2024-05-01T12:01:00.000Z",
      inputs: [{ source: "message", kind: "httperr", records: 42, bytes: 5120 }],
      headline: founding.headline,
      severity: "critical",
      status: "open",
      owner: null,
      notes: [{ author: "U_BOB", text: "rebooted web03", at: "2024-05-01T12:01:00.000Z" }],
      feedback: [{ user: "U_BOB", answer: "right", findingId: null }],
    });
    expect(loaded?.rawText).toBeUndefined();
    expect(loaded?.findings.map((f) => [f.id, f.severity])).toEqual([
      ["httperr-connections-refused", "critical"],
      ["nonpaged-pool-exhaustion", "critical"],
      ["boot-3gb-switch", "warning"],
    ]);
    expect(loaded?.findings[1]?.numbers).toEqual({ limit_mb: 128, used_mb: 109, free_mb: 19 });
    // Nothing but the file itself is left in the folder (the temp file was renamed over it).
    expect(await readdir(join(dir, "sub"))).toEqual(["incidents.json"]);
    await again.close();
  });

  it("keeps the raw text only with keepRawText", async () => {
    const path = join(dir, "incidents.json");
    const store = await openStore({ path, keepRawText: true });
    const i = await recordDiagnosis(store, ctx("C1", "1.1", founding));
    expect(i.rawText).toContain("Connections_Refused");
    await store.close();
    expect(await readFile(path, "utf8")).toContain("Connections_Refused");
  });

  it("re-diagnosing a thread replaces findings, counts contributors, and reopens a resolved incident", async () => {
    const c = clock();
    const store = await openStore({ path: join(dir, "db.json"), now: c.now });
    const first = await recordDiagnosis(
      store,
      ctx("C1", "1.1", diagnosis([finding("httperr-connections-refused", "warning")])),
    );
    await setStatus(store, first.id, "resolved", "U_BOB");
    c.advance(1000);
    const second = await recordDiagnosis(store, ctx("C1", "1.1", founding, "U_CAROL"));
    expect(second.id).toBe(first.id);
    expect(second.diagnoses).toBe(2);
    expect(second.contributors).toEqual(["U_PASTER", "U_CAROL"]);
    expect(second.reportedBy).toBe("U_PASTER");
    expect(second.severity).toBe("critical");
    expect(second.findings).toHaveLength(3);
    expect(second.status).toBe("open");
    expect(second.history.map((h) => [h.status, h.by])).toEqual([
      ["resolved", "U_BOB"],
      ["open", "U_CAROL"],
    ]);
    expect(second.createdAt).toBe(first.createdAt);
    await store.close();
  });

  it("takes over, acknowledges, resolves, and records feedback once per user and finding", async () => {
    const store = await openStore({ path: join(dir, "db.json") });
    const { id } = await recordDiagnosis(store, ctx("C1", "1.1", founding));
    expect(await setStatus(store, id, "acknowledged", "U_ACK")).toMatchObject({
      status: "acknowledged",
      owner: "U_ACK",
    });
    expect(await takeOver(store, id, "U_NEW")).toMatchObject({ status: "acknowledged", owner: "U_NEW" });
    await recordFeedback(store, id, { user: "U1", answer: "right", findingId: "boot-3gb-switch" });
    await recordFeedback(store, id, { user: "U1", answer: "wrong", findingId: "boot-3gb-switch" });
    await recordFeedback(store, id, { user: "U2", answer: "right", findingId: "boot-3gb-switch" });
    const done = await setStatus(store, id, "resolved", "U_NEW");
    expect(done.status).toBe("resolved");
    expect(done.feedback.map((f) => [f.user, f.answer])).toEqual([
      ["U1", "wrong"],
      ["U2", "right"],
    ]);
    expect(done.history.map((h) => h.status)).toEqual(["acknowledged", "acknowledged", "resolved"]);
    await expect(takeOver(store, "T1:nope:1", "U1")).rejects.toBeInstanceOf(IncidentNotFoundError);
    await expect(store.appendNote("T1:nope:1", { author: "U1", text: "x" })).rejects.toBeInstanceOf(
      IncidentNotFoundError,
    );
    await expect(store.appendNote(id, { author: "U1", text: "   " })).rejects.toThrow(/needs some text/);
    await store.close();
  });

  it("lists by time, status and owner, oldest first", async () => {
    const c = clock();
    const store = await openStore({ path: join(dir, "db.json"), now: c.now });
    const a = await recordDiagnosis(store, ctx("C1", "1.1", founding));
    c.advance(3_600_000);
    const b = await recordDiagnosis(store, ctx("C2", "2.2", founding));
    await takeOver(store, b.id, "U_OWNER");
    c.advance(3_600_000);
    const cc = await recordDiagnosis(store, ctx("C3", "3.3", founding));
    await setStatus(store, cc.id, "resolved", "U1");
    expect((await store.list()).map((i) => i.id)).toEqual([a.id, b.id, cc.id]);
    expect((await store.list({ sinceMs: c.now() - 1000 })).map((i) => i.id)).toEqual([cc.id]);
    expect((await store.list({ status: ["open", "acknowledged"] })).map((i) => i.id)).toEqual([a.id, b.id]);
    expect((await store.list({ owner: "U_OWNER" })).map((i) => i.id)).toEqual([b.id]);
    // Callers get copies: changing one does not change the store.
    const [first] = await store.list();
    first?.notes.push({ author: "x", text: "x", at: new Date().toISOString() });
    expect((await store.get(a.id))?.notes).toEqual([]);
    await store.close();
  });

  it("rejects an invalid update without writing it, and carries on", async () => {
    const path = join(dir, "db.json");
    const store = await openStore({ path });
    const { id } = await recordDiagnosis(store, ctx("C1", "1.1", founding));
    const before = await readFile(path, "utf8");
    const current = await store.get(id);
    if (!current) throw new Error("recorded incident missing");
    await expect(store.upsert(id, () => ({ ...current, status: "closed" as never }))).rejects.toThrow();
    await expect(store.upsert(id, () => ({ ...current, id: "other" }))).rejects.toThrow(
      /returned an incident/,
    );
    await expect(
      store.upsert(id, () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await readFile(path, "utf8")).toBe(before);
    expect((await store.appendNote(id, { author: "U1", text: "still works" })).notes).toHaveLength(1);
    await store.close();
  });

  it("a failed write changes nothing, is reported by health(), and the next good write clears it", async () => {
    const path = join(dir, "db.json");
    const store = await openStore({ path });
    const { id } = await recordDiagnosis(store, ctx("C1", "1.1", founding));
    // The temp file's name taken by a folder: the write fails before touching the real file.
    await mkdir(join(dir, ".db.json.tmp"));
    await expect(store.appendNote(id, { author: "U1", text: "lost" })).rejects.toThrow();
    expect(store.health().ok).toBe(false);
    expect(store.health().message).toContain(path);
    expect((await store.get(id))?.notes).toEqual([]);
    await rm(join(dir, ".db.json.tmp"), { recursive: true });
    await store.appendNote(id, { author: "U1", text: "kept" });
    expect(store.health()).toEqual({ ok: true });
    const reread = await openStore({ path });
    expect((await reread.get(id))?.notes.map((n) => n.text)).toEqual(["kept"]);
    await store.close();
  });

  it("refuses writes after close, once queued writes are done", async () => {
    const store = await openStore({ path: join(dir, "db.json") });
    const pending = recordDiagnosis(store, ctx("C1", "1.1", founding));
    const closing = store.close();
    await expect(pending).resolves.toMatchObject({ channel: "C1" });
    await closing;
    await expect(recordDiagnosis(store, ctx("C2", "2.2", founding))).rejects.toBeInstanceOf(StoreClosedError);
  });

  it("a stray temp file from a killed writer does not matter", async () => {
    const path = join(dir, "db.json");
    await writeFile(join(dir, ".db.json.tmp"), '{"version": 2, "incid');
    const store = await openStore({ path });
    expect(store.health()).toEqual({ ok: true });
    await recordDiagnosis(store, ctx("C1", "1.1", founding));
    expect(JSON.parse(await readFile(path, "utf8")).version).toBe(2);
    await store.close();
  });

  it("uses TATTLETALE_DB, else .tattletale/incidents.json under the working folder", () => {
    expect(resolveDbPath({ TATTLETALE_DB: "/var/lib/tt.json" }, "/srv")).toBe("/var/lib/tt.json");
    expect(resolveDbPath({ TATTLETALE_DB: " " }, "/srv")).toBe(join("/srv", ".tattletale", "incidents.json"));
    expect(resolveDbPath({}, "/srv")).toBe(join("/srv", ".tattletale", "incidents.json"));
  });
});
