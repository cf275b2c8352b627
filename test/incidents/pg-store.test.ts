// What the PostgreSQL store promises beyond the contract: several stores on one schema (replicas)
// share claims, leases, thread locks and read-modify-writes without losing or doubling anything;
// migrations run once when replicas start together and refuse a newer schema; a database that goes
// away makes the store unhealthy and its calls fail as StoreUnavailableError, and it recovers.

import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import {
  type IncidentStore,
  openPgStore,
  type PgStore,
  recordDiagnosis,
  SchemaTooNewError,
  StoreUnavailableError,
} from "../../incidents/index.js";
import { MIGRATIONS } from "../../incidents/postgres/migrations.js";
import { dropSchema, freshSchemaName, testDatabaseUrl } from "../support/pg.js";
import { startTcpCut, type TcpCut, viaRelay } from "../support/tcp-cut.js";
import { clock, ctx, diagnosis, finding } from "./helpers.js";

const MINUTE = 60_000;
const opened: IncidentStore[] = [];
const schemas: string[] = [];
let relay: TcpCut | undefined;

afterEach(async () => {
  relay?.restore();
  await Promise.allSettled(opened.splice(0).map((s) => s.close()));
  await relay?.close();
  relay = undefined;
  for (const s of schemas.splice(0)) await dropSchema(testDatabaseUrl(), s);
});

async function replicas(n: number, opts: { now?: () => number; url?: string } = {}): Promise<PgStore[]> {
  const schema = freshSchemaName("replica");
  schemas.push(schema);
  const url = opts.url ?? testDatabaseUrl();
  // Opened together: their migrations meet.
  const stores = await Promise.all(
    Array.from({ length: n }, () => openPgStore({ url, schema, ...(opts.now ? { now: opts.now } : {}) })),
  );
  opened.push(...stores);
  return stores;
}

async function sql<T extends pg.QueryResultRow>(text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

const founding = diagnosis([finding("httperr-connections-refused", "critical", { refused: 420 })]);

describe("replicas on one schema", () => {
  it("migrate once when they start together", async () => {
    const [a] = await replicas(4);
    const rows = await sql<{ version: number }>(
      `SELECT version FROM ${a?.schema}.migrations ORDER BY version`,
    );
    // Each migration recorded once.
    expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version })));
  });

  it("claim each key once between them", async () => {
    const [a, b] = (await replicas(2)) as [PgStore, PgStore];
    const keys = Array.from({ length: 150 }, (_, n) => `event:Ev${n}`);
    const results = await Promise.all(
      keys.flatMap((k) => [a.claim(k, 11 * MINUTE), b.claim(k, 11 * MINUTE), a.claim(k, 11 * MINUTE)]),
    );
    for (let n = 0; n < keys.length; n++)
      expect(results.slice(n * 3, n * 3 + 3).filter(Boolean), keys[n]).toHaveLength(1);
  });

  it("lease each task to one of them at a time, and every task is run", async () => {
    const stores = await replicas(3);
    const a = stores[0] as PgStore;
    for (let n = 0; n < 120; n++) await a.enqueue({ id: `t${n}`, kind: "paste", payload: { n } });
    const runs = new Map<string, number>();
    await Promise.all(
      stores.map(async (s, r) => {
        for (;;) {
          const leased = await s.lease(`replica-${r}`, { limit: 4, leaseMs: MINUTE, kinds: ["paste"] });
          if (leased.length === 0) return;
          for (const t of leased) {
            runs.set(t.id, (runs.get(t.id) ?? 0) + 1);
            expect(await s.complete(t)).toBe(true);
          }
        }
      }),
    );
    expect(runs.size).toBe(120);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    expect(await a.stats()).toMatchObject({ pendingTasks: 0 });
  });

  it("give a dead replica's task to another when its lease runs out, and refuse the dead one's completion", async () => {
    const c = clock();
    const [a, b] = (await replicas(2, { now: c.now })) as [PgStore, PgStore];
    await a.enqueue({ id: "reply-1", kind: "reply", payload: {} });
    const [mine] = await a.lease("a", { limit: 1, leaseMs: MINUTE });
    expect(await b.lease("b", { limit: 1, leaseMs: MINUTE })).toEqual([]);
    await a.close(); // the replica dies without completing
    c.advance(MINUTE + 1);
    const [theirs] = await b.lease("b", { limit: 1, leaseMs: MINUTE });
    expect(theirs).toMatchObject({ id: "reply-1", attempts: 2 });
    expect(await b.complete(mine as NonNullable<typeof mine>)).toBe(false);
    expect(await b.complete(theirs as NonNullable<typeof theirs>)).toBe(true);
  });

  it("run one task per thread at a time across them", async () => {
    const stores = await replicas(3);
    let inside = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 12 }, (_, n) =>
        (stores[n % 3] as PgStore).withThreadLock("T1:C1:1.1", async () => {
          inside += 1;
          most = Math.max(most, inside);
          await new Promise((r) => setTimeout(r, 10));
          order.push(n);
          inside -= 1;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(order).toHaveLength(12);
  });

  it("lose none of the notes, takeovers and diagnoses they write to one incident at once", async () => {
    const [a, b, c] = (await replicas(3)) as [PgStore, PgStore, PgStore];
    const { id } = await recordDiagnosis(a, ctx("C1", "1.1", founding));
    await Promise.all([
      ...Array.from({ length: 30 }, (_, n) =>
        (n % 2 ? a : b).appendNote(id, { author: `U${n}`, text: `note ${n}` }),
      ),
      ...Array.from({ length: 10 }, () => recordDiagnosis(c, ctx("C1", "1.1", founding))),
      ...Array.from({ length: 10 }, (_, n) =>
        c.addFeedback(id, { user: `UF${n}`, answer: "right", findingId: null }),
      ),
    ]);
    const got = await b.get(id);
    expect(got?.notes).toHaveLength(30);
    expect(got?.diagnoses).toBe(11);
    expect(got?.feedback).toHaveLength(10);
  });
});

describe("schema versions", () => {
  it("refuses a database migrated by a newer Tattletale", async () => {
    const [a] = await replicas(1);
    await sql(`INSERT INTO ${a?.schema}.migrations (version, name) VALUES (99, 'from the future')`);
    await expect(openPgStore({ url: testDatabaseUrl(), schema: a?.schema })).rejects.toBeInstanceOf(
      SchemaTooNewError,
    );
  });

  it("read-only: says so when the schema was never created, and never creates it", async () => {
    const schema = freshSchemaName("empty");
    await expect(openPgStore({ url: testDatabaseUrl(), schema, readOnly: true })).rejects.toThrow(
      /has no Tattletale tables in schema/,
    );
    expect(await sql(`SELECT 1 FROM pg_namespace WHERE nspname = '${schema}'`)).toEqual([]);
  });

  it("refuses a schema name that is not a plain identifier", async () => {
    await expect(openPgStore({ url: testDatabaseUrl(), schema: "x; DROP TABLE y" })).rejects.toThrow(
      /plain lower-case identifier/,
    );
  });
});

describe("the database going away", () => {
  it("unhealthy and StoreUnavailableError while it is gone; recovers, with nothing lost, when it is back", async () => {
    const real = new URL(testDatabaseUrl());
    relay = await startTcpCut({ host: real.hostname, port: Number(real.port) });
    const [store] = (await replicas(1, { url: viaRelay(testDatabaseUrl(), relay) })) as [PgStore];
    await store.enqueue({ id: "before", kind: "paste", payload: {} });
    expect(await store.health()).toEqual({ ok: true });

    relay.cut();
    const health = await store.health();
    expect(health.ok).toBe(false);
    expect(health.reason).toMatch(/database/);
    expect(health.reason).not.toContain("password");
    await expect(store.enqueue({ id: "during", kind: "paste", payload: {} })).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );
    await expect(store.claim("event:Ev1", MINUTE)).rejects.toBeInstanceOf(StoreUnavailableError);

    relay.restore();
    expect(await store.health()).toEqual({ ok: true });
    expect(await store.claim("event:Ev1", MINUTE)).toBe(true);
    await store.enqueue({ id: "after", kind: "paste", payload: {} });
    const leased = await store.lease("me", { limit: 10, leaseMs: MINUTE });
    expect(leased.map((t) => t.id).sort()).toEqual(["after", "before"]);
  });
});
