// The store interface's contract (incidents/store.ts), run against every backend: a backend is done
// when `storeContract("its name", factory)` passes. The factory opens an empty store on the clock it
// is given (every time the store stamps or compares must come from it), and can reopen it on the
// same data, as a restart would. Nothing here knows which backend it runs against.
import { afterEach, describe, expect, it } from "vitest";
import {
  type ChannelSettings,
  channelSettings,
  channelsOfTeam,
  DEFAULT_CHANNEL_SETTINGS,
  type Incident,
  IncidentNotFoundError,
  type IncidentStore,
  LeaseLostError,
  MAX_NOTE_LENGTH,
  recordDiagnosis,
  setStatus,
  type TeamSettings,
  takeOver,
} from "../../incidents/index.js";
import { clock, ctx, diagnosis, finding } from "./helpers.js";

export interface StoreUnderTest {
  store: IncidentStore;
  /** Closes the store and opens it again on the same data (a restart). */
  reopen(): Promise<IncidentStore>;
  /** Closes whatever is open and deletes the data. */
  cleanup(): Promise<void>;
}

export type StoreFactory = (opts: { now: () => number }) => Promise<StoreUnderTest>;

const founding = diagnosis(
  [
    finding("httperr-connections-refused", "critical", { refused: 1200 }),
    finding("nonpaged-pool-exhaustion", "critical", { limit_mb: 128, used_mb: 109, free_mb: 19 }),
  ],
  "http.sys refuses connections: non-paged pool at 109 of 128 MB",
);

const MINUTE = 60_000;

export function storeContract(name: string, factory: StoreFactory): void {
  describe(`store contract: ${name}`, () => {
    let opened: StoreUnderTest | undefined;
    afterEach(async () => {
      await opened?.cleanup();
      opened = undefined;
    });
    async function open(c = clock()) {
      opened = await factory({ now: c.now });
      return { ...opened, c };
    }

    describe("incidents", () => {
      it("round-trips through upsert, get and a restart, stamped by the store's clock", async () => {
        const { store, reopen, c } = await open(clock("2024-05-01T12:00:00.000Z"));
        const created = await recordDiagnosis(store, ctx("C1", "1.1", founding));
        expect(created).toMatchObject({
          id: "T1:C1:1.1",
          createdAt: "2024-05-01T12:00:00.000Z",
          updatedAt: "2024-05-01T12:00:00.000Z",
          status: "open",
          diagnoses: 1,
        });
        c.advance(MINUTE);
        await store.appendNote(created.id, { author: "U_BOB", text: "  rebooted web03  " });
        expect(await store.get("T1:C1:nothing")).toBeUndefined();
        const again = await reopen();
        const loaded = await again.get(created.id);
        expect(loaded).toMatchObject({
          updatedAt: "2024-05-01T12:01:00.000Z",
          notes: [{ author: "U_BOB", text: "rebooted web03", at: "2024-05-01T12:01:00.000Z" }],
        });
        expect(loaded?.findings.map((f) => f.id)).toEqual([
          "httperr-connections-refused",
          "nonpaged-pool-exhaustion",
        ]);
      });

      it("lists oldest first, by time, status and owner", async () => {
        const { store, c } = await open();
        const a = await recordDiagnosis(store, ctx("C1", "1.1", founding));
        c.advance(60 * MINUTE);
        const b = await recordDiagnosis(store, ctx("C2", "2.2", founding));
        await takeOver(store, b.id, "U_OWNER");
        c.advance(60 * MINUTE);
        const d = await recordDiagnosis(store, ctx("C3", "3.3", founding));
        await setStatus(store, d.id, "resolved", "U1");
        expect((await store.list()).map((i) => i.id)).toEqual([a.id, b.id, d.id]);
        expect((await store.list({ sinceMs: c.now() - 1000 })).map((i) => i.id)).toEqual([d.id]);
        expect((await store.list({ status: ["open", "acknowledged"] })).map((i) => i.id)).toEqual([
          a.id,
          b.id,
        ]);
        expect((await store.list({ owner: "U_OWNER" })).map((i) => i.id)).toEqual([b.id]);
      });

      it("hands out incidents whose changes do not reach the store", async () => {
        const { store } = await open();
        const a = await recordDiagnosis(store, ctx("C1", "1.1", founding));
        for (const got of [await store.get(a.id), (await store.list())[0]]) {
          try {
            got?.notes.push({ author: "x", text: "x", at: new Date().toISOString() });
          } catch {
            // a store may hand out frozen objects
          }
        }
        expect((await store.get(a.id))?.notes).toEqual([]);
      });

      it("refuses an invalid update, one with another id, and one that throws, writing nothing", async () => {
        const { store, reopen } = await open();
        const { id } = await recordDiagnosis(store, ctx("C1", "1.1", founding));
        const current = (await store.get(id)) as Incident;
        await expect(store.upsert(id, () => ({ ...current, status: "closed" as never }))).rejects.toThrow();
        await expect(store.upsert(id, () => ({ ...current, id: "other" }))).rejects.toThrow(
          /returned an incident/,
        );
        await expect(
          store.upsert(id, () => {
            throw new Error("boom");
          }),
        ).rejects.toThrow("boom");
        expect((await store.appendNote(id, { author: "U1", text: "still works" })).notes).toHaveLength(1);
        const again = await reopen();
        expect((await again.get(id))?.status).toBe("open");
        expect(await again.get("other")).toBeUndefined();
      });

      it("notes: trimmed, cut at MAX_NOTE_LENGTH, never empty, only on an incident that exists", async () => {
        const { store } = await open();
        const { id } = await recordDiagnosis(store, ctx("C1", "1.1", founding));
        const long = await store.appendNote(id, { author: "U1", text: "x".repeat(MAX_NOTE_LENGTH + 50) });
        expect(long.notes[0]?.text).toHaveLength(MAX_NOTE_LENGTH);
        await expect(store.appendNote(id, { author: "U1", text: "   " })).rejects.toThrow(/needs some text/);
        await expect(store.appendNote("T1:nope:1", { author: "U1", text: "x" })).rejects.toBeInstanceOf(
          IncidentNotFoundError,
        );
      });

      it("feedback: one answer per user and finding, the latest kept", async () => {
        const { store } = await open();
        const { id } = await recordDiagnosis(store, ctx("C1", "1.1", founding));
        await store.addFeedback(id, { user: "U1", answer: "right", findingId: "boot-3gb-switch" });
        await store.addFeedback(id, { user: "U1", answer: "wrong", findingId: "boot-3gb-switch" });
        await store.addFeedback(id, { user: "U2", answer: "right", findingId: null });
        const got = await store.get(id);
        expect(got?.feedback.map((f) => [f.user, f.answer, f.findingId])).toEqual([
          ["U1", "wrong", "boot-3gb-switch"],
          ["U2", "right", null],
        ]);
        await expect(
          store.addFeedback("T1:nope:1", { user: "U1", answer: "right", findingId: null }),
        ).rejects.toBeInstanceOf(IncidentNotFoundError);
      });

      it("loses none of many read-modify-writes of one incident made at once", async () => {
        const { store, reopen } = await open();
        const { id } = await recordDiagnosis(store, ctx("C1", "1.1", founding));
        await Promise.all(
          Array.from({ length: 60 }, (_, n) => store.appendNote(id, { author: "U1", text: `n${n}` })),
        );
        const again = await reopen();
        expect((await again.get(id))?.notes.map((n) => n.text).sort()).toEqual(
          Array.from({ length: 60 }, (_, n) => `n${n}`).sort(),
        );
      });
    });

    describe("an upsert with its follow-ups", () => {
      it("stores the incident and its tasks together, and completes the task it names", async () => {
        const { store, reopen } = await open();
        await store.enqueue({ id: "paste-1", kind: "paste", payload: { n: 1 } });
        const [paste] = await store.lease("me", { limit: 1, leaseMs: MINUTE });
        if (!paste) throw new Error("no task leased");
        let seen: Incident | undefined;
        const incident = await recordDiagnosis(store, ctx("C1", "1.1", founding), {
          enqueue: (i) => {
            seen = i;
            return [{ id: "reply-1", kind: "reply", payload: { diagnoses: i.diagnoses } }];
          },
          complete: paste,
        });
        expect(seen?.diagnoses).toBe(incident.diagnoses);
        const again = await reopen();
        expect(await again.stats()).toMatchObject({ pendingTasks: 1 });
        const [reply] = await again.lease("me", { limit: 5, leaseMs: MINUTE });
        expect(reply).toMatchObject({ id: "reply-1", kind: "reply", payload: { diagnoses: 1 } });
        expect(await again.get(incident.id)).toBeDefined();
      });

      it("writes nothing when the task it completes is no longer its own", async () => {
        const { store, c } = await open();
        await store.enqueue({ id: "paste-1", kind: "paste", payload: {} });
        const [mine] = await store.lease("me", { limit: 1, leaseMs: MINUTE });
        c.advance(2 * MINUTE);
        const [theirs] = await store.lease("them", { limit: 1, leaseMs: MINUTE });
        expect(theirs?.id).toBe("paste-1");
        await expect(
          recordDiagnosis(store, ctx("C1", "1.1", founding), {
            enqueue: () => [{ id: "reply-1", kind: "reply", payload: {} }],
            complete: mine as NonNullable<typeof mine>,
          }),
        ).rejects.toBeInstanceOf(LeaseLostError);
        expect(await store.get("T1:C1:1.1")).toBeUndefined();
        expect(await store.stats()).toMatchObject({ pendingTasks: 1 });
      });
    });

    describe("claims (dedupe)", () => {
      it("claims a key once for its ttl, then again, also across a restart", async () => {
        const { store, reopen, c } = await open();
        expect(await store.claim("event:Ev1", 11 * MINUTE)).toBe(true);
        expect(await store.claim("event:Ev1", 11 * MINUTE)).toBe(false);
        expect(await store.claim("event:Ev2", 11 * MINUTE)).toBe(true);
        const again = await reopen();
        c.advance(10 * MINUTE);
        expect(await again.claim("event:Ev1", 11 * MINUTE)).toBe(false);
        c.advance(2 * MINUTE);
        expect(await again.claim("event:Ev1", 11 * MINUTE)).toBe(true);
      });

      it("holds every key for its ttl whatever the number of keys, and purges expired ones", async () => {
        const { store, c } = await open();
        expect(await store.claim("first", 11 * MINUTE)).toBe(true);
        // Far more keys than any count cap would keep: the first is still held.
        for (let batch = 0; batch < 10; batch++)
          await Promise.all(
            Array.from({ length: 500 }, (_, n) => store.claim(`k${batch}:${n}`, 11 * MINUTE)),
          );
        c.advance(5 * MINUTE);
        expect(await store.claim("first", 11 * MINUTE)).toBe(false);
        expect((await store.stats()).claims).toBe(5001);
        c.advance(7 * MINUTE);
        expect(await store.claim("after", 11 * MINUTE)).toBe(true);
        expect((await store.stats()).claims).toBe(1);
      });
    });

    describe("the outbox", () => {
      it("enqueues a task as given, once per claim and once per pending id", async () => {
        const { store, c } = await open();
        const at = c.now();
        const t = await store.enqueue(
          { kind: "paste", payload: { text: "x" } },
          { claim: { key: "msg:C1:1", ttlMs: MINUTE } },
        );
        expect(t).toMatchObject({
          kind: "paste",
          payload: { text: "x" },
          createdAt: at,
          notBefore: at,
          attempts: 0,
          lastError: null,
        });
        expect(
          await store.enqueue({ kind: "paste", payload: {} }, { claim: { key: "msg:C1:1", ttlMs: MINUTE } }),
        ).toBeNull();
        expect(await store.claim("msg:C1:1", MINUTE)).toBe(false);
        expect(await store.enqueue({ id: "fixed", kind: "reply", payload: {} })).not.toBeNull();
        expect(await store.enqueue({ id: "fixed", kind: "reply", payload: {} })).toBeNull();
        expect(await store.stats()).toMatchObject({ pendingTasks: 2 });
      });

      it("leases due tasks only, oldest first, up to the limit, counting each attempt durably", async () => {
        const { store, reopen, c } = await open();
        await store.enqueue({ id: "later", kind: "k", payload: {}, notBefore: c.now() + MINUTE });
        await store.enqueue({ id: "a", kind: "k", payload: {}, notBefore: c.now() - 2000 });
        await store.enqueue({ id: "b", kind: "k", payload: {}, notBefore: c.now() - 1000 });
        const first = await store.lease("me", { limit: 1, leaseMs: 10 * MINUTE });
        expect(first.map((t) => [t.id, t.attempts, t.lease.owner])).toEqual([["a", 1, "me"]]);
        expect((await store.lease("me", { limit: 5, leaseMs: 10 * MINUTE })).map((t) => t.id)).toEqual(["b"]);
        c.advance(MINUTE);
        expect((await store.lease("me", { limit: 5, leaseMs: 10 * MINUTE })).map((t) => t.id)).toEqual([
          "later",
        ]);
        // A restart ends no lease early for another owner's sake, but an expired one is taken over.
        const again = await reopen();
        c.advance(11 * MINUTE);
        const after = await again.lease("next", { limit: 5, leaseMs: MINUTE });
        expect(after.map((t) => [t.id, t.attempts]).sort()).toEqual([
          ["a", 2],
          ["b", 2],
          ["later", 2],
        ]);
      });

      it("gives a leased task to nobody else until its lease runs out; then the old owner can do nothing", async () => {
        const { store, c } = await open();
        await store.enqueue({ id: "t", kind: "k", payload: {} });
        const [mine] = await store.lease("me", { limit: 1, leaseMs: MINUTE });
        if (!mine) throw new Error("no task leased");
        expect(await store.lease("them", { limit: 1, leaseMs: MINUTE })).toEqual([]);
        // Renewed: still mine past the first expiry.
        c.advance(50_000);
        expect(await store.renew(mine, MINUTE)).toBe(true);
        c.advance(50_000);
        expect(await store.lease("them", { limit: 1, leaseMs: MINUTE })).toEqual([]);
        c.advance(20_000);
        const [theirs] = await store.lease("them", { limit: 1, leaseMs: MINUTE });
        expect(theirs?.lease.owner).toBe("them");
        expect(await store.renew(mine, MINUTE)).toBe(false);
        expect(await store.complete(mine)).toBe(false);
        expect(await store.reschedule(mine, { notBefore: c.now(), error: "x" })).toBe(false);
        expect(await store.complete(theirs as NonNullable<typeof theirs>)).toBe(true);
        expect(await store.stats()).toMatchObject({ pendingTasks: 0 });
      });

      it("reschedules with the error, due again at notBefore", async () => {
        const { store, c } = await open();
        await store.enqueue({ id: "t", kind: "k", payload: { n: 1 } });
        const [t] = await store.lease("me", { limit: 1, leaseMs: MINUTE });
        expect(
          await store.reschedule(t as NonNullable<typeof t>, {
            notBefore: c.now() + 5000,
            error: "HTTP 503",
          }),
        ).toBe(true);
        expect(await store.lease("me", { limit: 1, leaseMs: MINUTE })).toEqual([]);
        c.advance(5000);
        const [again] = await store.lease("me", { limit: 1, leaseMs: MINUTE });
        expect(again).toMatchObject({ id: "t", attempts: 2, lastError: "HTTP 503", payload: { n: 1 } });
      });

      it("completes a task together with its follow-ups", async () => {
        const { store, reopen } = await open();
        await store.enqueue({ id: "t", kind: "paste", payload: {} });
        const [t] = await store.lease("me", { limit: 1, leaseMs: MINUTE });
        expect(
          await store.complete(t as NonNullable<typeof t>, {
            enqueue: [{ id: "t:reply", kind: "reply", payload: { ok: true } }],
          }),
        ).toBe(true);
        const again = await reopen();
        const leased = await again.lease("me", { limit: 5, leaseMs: MINUTE });
        expect(leased.map((x) => [x.id, x.kind])).toEqual([["t:reply", "reply"]]);
      });

      it("keeps pending tasks across a restart, done ones not", async () => {
        const { store, reopen } = await open();
        for (const id of ["1", "2", "3"]) await store.enqueue({ id, kind: "k", payload: { id } });
        const [one] = await store.lease("me", { limit: 1, leaseMs: MINUTE });
        await store.complete(one as NonNullable<typeof one>);
        const again = await reopen();
        expect(await again.stats()).toMatchObject({ pendingTasks: 2 });
      });
    });

    describe("settings", () => {
      it("keeps per-channel and per-team settings beside the incidents, across a restart; refuses invalid ones", async () => {
        const { store, reopen } = await open();
        await recordDiagnosis(store, ctx("C1", "1.1", founding));
        expect(await store.getSettings()).toEqual({ channels: {}, teams: {} });
        expect(channelSettings(await store.getSettings(), "C1")).toEqual(DEFAULT_CHANNEL_SETTINGS);
        await store.updateSettings((s) => {
          s.channels.C1 = {
            autoDiagnose: false,
            integrations: ["B0NAGIOS"],
            team: "web",
            updatedAt: "2024-05-01T12:00:00.000Z",
            updatedBy: "U_ANN",
          };
          s.teams.web = {
            handoffChannel: "C9",
            handoffTime: "08:00",
            timeZone: "Europe/Paris",
            lastPostedOn: null,
          };
          return s;
        });
        // Invalid settings are refused, and nothing of them is kept.
        await expect(
          store.updateSettings((s) => {
            s.teams.web = { ...(s.teams.web as TeamSettings), timeZone: "Mars/Olympus" };
            return s;
          }),
        ).rejects.toThrow(/time zone/);
        await expect(
          store.updateSettings((s) => {
            (s.channels.C1 as ChannelSettings).integrations = ["not a bot"];
            return s;
          }),
        ).rejects.toThrow(/bot id/);
        // What getSettings hands out is a copy: changing it changes nothing stored.
        (await store.getSettings()).channels.C1 = { ...DEFAULT_CHANNEL_SETTINGS };

        const again = await reopen();
        const s = await again.getSettings();
        expect(channelSettings(s, "C1")).toMatchObject({
          autoDiagnose: false,
          integrations: ["B0NAGIOS"],
          team: "web",
        });
        expect(s.teams.web).toMatchObject({ handoffChannel: "C9", timeZone: "Europe/Paris" });
        expect(channelsOfTeam(s, "web")).toEqual(["C1"]);
        expect(await again.list()).toHaveLength(1);
      });

      it("applies concurrent updates one after the other, none lost", async () => {
        const { store } = await open();
        await Promise.all(
          ["C1", "C2", "C3", "C4"].map((c) =>
            store.updateSettings((s) => {
              s.channels[c] = { ...DEFAULT_CHANNEL_SETTINGS, team: "web" };
              return s;
            }),
          ),
        );
        expect(channelsOfTeam(await store.getSettings(), "web")).toEqual(["C1", "C2", "C3", "C4"]);
      });

      it("keeps each incident's kind of conversation (who may see it)", async () => {
        const { store, reopen } = await open();
        await recordDiagnosis(store, { ...ctx("C1", "1.1", founding), conversationKind: "private" });
        await recordDiagnosis(store, { ...ctx("D1", "2.2", founding), conversationKind: null });
        const again = await reopen();
        expect((await again.get("T1:C1:1.1"))?.conversationKind).toBe("private");
        // Not said: as far as the id tells (a D… id is a DM).
        expect((await again.get("T1:D1:2.2"))?.conversationKind).toBe("im");
      });
    });

    describe("per-thread serialisation", () => {
      it("runs one task per key at a time, in call order, others alongside; a failure releases the key", async () => {
        const { store } = await open();
        const order: string[] = [];
        // The first task holds its key until the other key's task has started (or 10 s went by):
        // a shared store takes a moment to lock, and that must not decide the order checked below.
        let otherStarted: () => void = () => undefined;
        const started = new Promise<void>((resolve) => {
          otherStarted = resolve;
        });
        const step =
          (name: string, fail = false) =>
          async () => {
            order.push(`${name}:start`);
            if (name === "x") otherStarted();
            if (name === "a") await Promise.race([started, new Promise((r) => setTimeout(r, 10_000))]);
            await new Promise((r) => setTimeout(r, 5));
            order.push(`${name}:end`);
            if (fail) throw new Error(name);
          };
        const a = store.withThreadLock("T1:C1:1.1", step("a", true));
        const b = store.withThreadLock("T1:C1:1.1", step("b"));
        const other = store.withThreadLock("T1:C2:2.2", step("x"));
        await expect(a).rejects.toThrow("a");
        await Promise.all([b, other]);
        const same = order.filter((s) => !s.startsWith("x"));
        expect(same).toEqual(["a:start", "a:end", "b:start", "b:end"]);
        // The other thread did not wait for the first one's whole queue.
        expect(order.indexOf("x:start")).toBeLessThan(order.indexOf("b:start"));
      });
    });

    describe("health and closing", () => {
      it("is healthy when open, and refuses writes once closed", async () => {
        const { store } = await open();
        expect(await store.health()).toEqual({ ok: true });
        const pending = recordDiagnosis(store, ctx("C1", "1.1", founding));
        await store.close();
        await expect(pending).resolves.toMatchObject({ channel: "C1" });
        await expect(recordDiagnosis(store, ctx("C2", "2.2", founding))).rejects.toThrow();
        await expect(store.enqueue({ kind: "k", payload: {} })).rejects.toThrow();
      });
    });
  });
}
