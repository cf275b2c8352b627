// The shared store: the IncidentStore interface on PostgreSQL, for several bot replicas on one
// database. Every time it stamps or compares comes from `now()` (the store's clock, as in lowdb),
// passed to SQL as a parameter. How each promise of the interface holds across processes:
// - upsert: a transaction under a transaction-level advisory lock on the incident id, so that
//   read-modify-writes of one incident, its creation included, run one after the other;
// - claim: `INSERT … ON CONFLICT DO UPDATE … WHERE expired`, one statement, one winner;
// - withThreadLock: a session advisory lock held on a connection of its own while the task runs
//   (and an in-process queue in front of it, for call order and to hold one connection per key);
// - lease: `FOR UPDATE SKIP LOCKED` picks due tasks nobody holds; a lease is a token with an expiry
//   in the row, so a dead replica's tasks are taken over when it runs out.
import { randomUUID } from "node:crypto";
import type pg from "pg";
import type { PoolClient } from "pg";
import { KeyedLock } from "../keyed-lock.js";
import { MAX_RAW_TEXT } from "../lowdb-store.js";
import { Incident, type OutboxTask } from "../schema.js";
import { emptySettings, SETTINGS_ID, Settings } from "../settings.js";
import {
  annotations,
  type CommonStoreOptions,
  commonOptions,
  type IncidentQuery,
  type IncidentStore,
  type LeasedTask,
  LeaseLostError,
  type NewTask,
  PRUNE_EVERY_MS,
  StoreClosedError,
  type StoreHealth,
  StoreUnavailableError,
  StoreWriteError,
  type TaskLease,
  type UpsertOptions,
} from "../store.js";
import { connect, createPool, describeUrl, isConnectionError } from "./connection.js";
import { checkSchemaName, migrate, SCHEMA_VERSION, schemaVersion } from "./migrations.js";

const PURGE_CLAIMS_EVERY_MS = 1000;
/** Advisory lock classes (the first key of pg_advisory_lock(int, int)). */
const LOCK_INCIDENT = 7401;
const LOCK_THREAD = 7402;

export interface PgStoreOptions extends CommonStoreOptions {
  /** postgres://user:password@host:port/database */
  url: string;
  /** The schema holding the tables (created by the migrations when missing). Default `tattletale`. */
  schema?: string;
  /** Connections for statements. Default 10. */
  poolSize?: number;
  /** Connections that hold thread locks while a thread is diagnosed or answered. Default 20. */
  lockPoolSize?: number;
  /** How long an operation keeps trying to get a connection before it fails. Default 2 s. */
  connectBudgetMs?: number;
}

export interface PgStore extends IncidentStore {
  readonly schema: string;
}

interface TaskRow {
  id: string;
  kind: string;
  payload: OutboxTask["payload"];
  created_ms: string;
  not_before_ms: string;
  attempts: number;
  last_error: string | null;
  lease_owner: string | null;
  lease_token: string | null;
  lease_until_ms: string | null;
}

function taskOf(row: TaskRow): OutboxTask {
  return {
    id: row.id,
    kind: row.kind,
    payload: row.payload,
    createdAt: Number(row.created_ms),
    notBefore: Number(row.not_before_ms),
    attempts: row.attempts,
    lastError: row.last_error,
  };
}

/** Opens the store: connects, migrates (unless read-only), and checks the schema version. */
export async function openPgStore(opts: PgStoreOptions): Promise<PgStore> {
  const s = checkSchemaName(opts.schema ?? "tattletale");
  const { now, retentionMs, keepRawText, readOnly, notice } = commonOptions(opts);
  const budgetMs = opts.connectBudgetMs ?? 2000;
  const where = describeUrl(opts.url);

  /** The last connection problem, cleared by the next statement that works. */
  let connectionProblem: string | undefined;
  const onIdleError = (error: Error) => {
    connectionProblem = `the database connection failed (${error.message})`;
    notice(`${connectionProblem}; reconnecting as needed`);
  };
  const pool = createPool({ url: opts.url, max: opts.poolSize ?? 10, onIdleError });
  const lockPool = createPool({ url: opts.url, max: opts.lockPoolSize ?? 20, onIdleError });

  try {
    const client = await connect(pool, budgetMs);
    try {
      if (readOnly) {
        const found = await schemaVersion(client, s);
        if (found === 0)
          throw new Error(
            `the database ${where} has no Tattletale tables in schema "${s}" (start the bot on it once to create them)`,
          );
        if (found > SCHEMA_VERSION)
          throw new Error(
            `the database schema is at version ${found}, this Tattletale knows versions up to ${SCHEMA_VERSION}: run the newer version`,
          );
      } else {
        const applied = await migrate(client, s);
        if (applied.length > 0) notice(`database schema "${s}" migrated to version ${applied.at(-1)}`);
      }
    } finally {
      client.release();
    }
  } catch (error) {
    await Promise.allSettled([pool.end(), lockPool.end()]);
    throw error;
  }

  let closed = false;
  const inFlight = new Set<Promise<unknown>>();
  function track<T>(run: () => Promise<T>): Promise<T> {
    if (closed) return Promise.reject(new StoreClosedError());
    const p = run();
    inFlight.add(p);
    void p.then(
      () => inFlight.delete(p),
      () => inFlight.delete(p),
    );
    return p;
  }

  /** Runs `fn` on a connection; a lost connection becomes StoreUnavailableError (and the connection is dropped). */
  async function withClient<T>(from: pg.Pool, fn: (c: PoolClient) => Promise<T>): Promise<T> {
    const client = await connect(from, budgetMs).catch((error: unknown) => {
      if (error instanceof StoreUnavailableError) connectionProblem = error.message;
      throw error;
    });
    // A checked-out connection that fails emits 'error': handled here, the statement rejects.
    const onError = () => undefined;
    client.on("error", onError);
    let broken: Error | undefined;
    try {
      const value = await fn(client);
      connectionProblem = undefined;
      return value;
    } catch (error) {
      if (isConnectionError(error)) {
        broken = error as Error;
        connectionProblem = `the database connection was lost (${(error as Error).message})`;
        throw new StoreUnavailableError(connectionProblem, { cause: error });
      }
      throw error;
    } finally {
      client.removeListener("error", onError);
      client.release(broken);
    }
  }

  function read<T>(fn: (c: PoolClient) => Promise<T>): Promise<T> {
    return track(() => withClient(pool, fn));
  }

  function write<T>(fn: (c: PoolClient, atMs: number) => Promise<T>): Promise<T> {
    if (readOnly) return Promise.reject(new StoreWriteError("the store was opened read-only"));
    return track(() =>
      withClient(pool, async (c) => {
        await c.query("BEGIN");
        try {
          const value = await fn(c, now());
          await c.query("COMMIT");
          return value;
        } catch (error) {
          await c.query("ROLLBACK").catch(() => undefined);
          throw error;
        }
      }),
    );
  }

  /** One statement, atomic on its own (no BEGIN/COMMIT round trips): the outbox's hot path. */
  function statement<T>(fn: (c: PoolClient, atMs: number) => Promise<T>): Promise<T> {
    if (readOnly) return Promise.reject(new StoreWriteError("the store was opened read-only"));
    return track(() => withClient(pool, (c) => fn(c, now())));
  }

  const insertTask = async (c: PoolClient, t: NewTask, atMs: number): Promise<TaskRow | undefined> => {
    const r = await c.query<TaskRow>(
      `INSERT INTO ${s}.tasks (id, kind, payload, created_ms, not_before_ms)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING RETURNING *`,
      [t.id ?? randomUUID(), t.kind, JSON.stringify(t.payload), atMs, t.notBefore ?? atMs],
    );
    return r.rows[0];
  };

  const takeClaim = async (c: PoolClient, key: string, ttlMs: number, atMs: number): Promise<boolean> => {
    const r = await c.query(
      `INSERT INTO ${s}.claims (key, until_ms) VALUES ($1, $2)
       ON CONFLICT (key) DO UPDATE SET until_ms = EXCLUDED.until_ms WHERE ${s}.claims.until_ms <= $3
       RETURNING key`,
      [key, atMs + ttlMs, atMs],
    );
    return r.rowCount === 1;
  };

  let lastPurge = Number.NEGATIVE_INFINITY;
  async function purgeClaims(atMs: number): Promise<void> {
    if (atMs - lastPurge < PURGE_CLAIMS_EVERY_MS) return;
    lastPurge = atMs;
    await read((c) => c.query(`DELETE FROM ${s}.claims WHERE until_ms <= $1`, [atMs])).catch(() => undefined);
  }

  let lastPrune = Number.NEGATIVE_INFINITY;
  async function prune(atMs: number): Promise<void> {
    if (readOnly || atMs - lastPrune < PRUNE_EVERY_MS) return;
    lastPrune = atMs;
    await read((c) =>
      c.query(`DELETE FROM ${s}.incidents WHERE updated_ms < $1`, [atMs - retentionMs]),
    ).catch((error: Error) =>
      notice(`pruning old incidents failed (tried again in an hour): ${error.message}`),
    );
  }
  await prune(now());

  function upsert(
    id: string,
    update: (current: Incident | undefined) => Incident,
    options: UpsertOptions = {},
  ): Promise<Incident> {
    return write(async (c, atMs) => {
      await c.query("SELECT pg_advisory_xact_lock($1, hashtext($2))", [LOCK_INCIDENT, id]);
      const found = await c.query<{ doc: Incident }>(`SELECT doc FROM ${s}.incidents WHERE id = $1`, [id]);
      const proposed = update(found.rows[0]?.doc);
      const next = Incident.parse({ ...proposed, updatedAt: new Date(atMs).toISOString() });
      if (next.id !== id) throw new Error(`upsert("${id}") returned an incident with id "${next.id}"`);
      if (!keepRawText) delete next.rawText;
      else if (next.rawText !== undefined && next.rawText.length > MAX_RAW_TEXT)
        next.rawText = `${next.rawText.slice(0, MAX_RAW_TEXT)}\n…(cut: longer than ${MAX_RAW_TEXT} characters)`;
      if (options.complete) {
        const done = await c.query(`DELETE FROM ${s}.tasks WHERE id = $1 AND lease_token = $2`, [
          options.complete.id,
          options.complete.lease.token,
        ]);
        if (done.rowCount !== 1) throw new LeaseLostError(options.complete.id);
      }
      await c.query(
        `INSERT INTO ${s}.incidents (id, created_at, updated_ms, status, owner, doc)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (id) DO UPDATE SET created_at = EXCLUDED.created_at, updated_ms = EXCLUDED.updated_ms,
           status = EXCLUDED.status, owner = EXCLUDED.owner, doc = EXCLUDED.doc`,
        [id, next.createdAt, atMs, next.status, next.owner, JSON.stringify(next)],
      );
      for (const t of options.enqueue?.(structuredClone(next)) ?? []) await insertTask(c, t, atMs);
      return next;
    }).then((incident) => {
      void prune(now());
      return incident;
    });
  }

  const threadLocks = new KeyedLock();

  return {
    schema: s,

    getSettings() {
      return read(async (c) => {
        const r = await c.query<{ doc: Settings }>(`SELECT doc FROM ${s}.settings WHERE id = $1`, [
          SETTINGS_ID,
        ]);
        return r.rows[0] ? Settings.parse(r.rows[0].doc) : emptySettings();
      });
    },

    updateSettings(update) {
      return write(async (c) => {
        // The row is created once, then locked: concurrent updates from any replica run one by one.
        await c.query(`INSERT INTO ${s}.settings (id, doc) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING`, [
          SETTINGS_ID,
          JSON.stringify(emptySettings()),
        ]);
        const r = await c.query<{ doc: Settings }>(`SELECT doc FROM ${s}.settings WHERE id = $1 FOR UPDATE`, [
          SETTINGS_ID,
        ]);
        const next = Settings.parse(update(Settings.parse(r.rows[0]?.doc ?? emptySettings())));
        await c.query(`UPDATE ${s}.settings SET doc = $2 WHERE id = $1`, [SETTINGS_ID, JSON.stringify(next)]);
        return next;
      });
    },

    get(id) {
      return read(async (c) => {
        const r = await c.query<{ doc: Incident }>(
          `SELECT doc FROM ${s}.incidents WHERE id = $1 AND updated_ms >= $2`,
          [id, now() - retentionMs],
        );
        return r.rows[0]?.doc;
      });
    },

    list(query: IncidentQuery = {}) {
      return read(async (c) => {
        const params: unknown[] = [now() - retentionMs];
        const conditions = ["updated_ms >= $1"];
        if (query.sinceMs !== undefined) {
          params.push(query.sinceMs);
          conditions.push(`updated_ms >= $${params.length}`);
        }
        if (query.status !== undefined) {
          params.push(query.status);
          conditions.push(`status = ANY($${params.length})`);
        }
        if (query.owner !== undefined) {
          params.push(query.owner);
          conditions.push(`owner = $${params.length}`);
        }
        const r = await c.query<{ doc: Incident }>(
          `SELECT doc FROM ${s}.incidents WHERE ${conditions.join(" AND ")} ORDER BY created_at, id COLLATE "C"`,
          params,
        );
        return r.rows.map((row) => row.doc);
      });
    },

    upsert,

    ...annotations(upsert, now),

    async claim(key, ttlMs) {
      if (readOnly) throw new StoreWriteError("the store was opened read-only");
      void purgeClaims(now());
      return track(() => withClient(pool, (c) => takeClaim(c, key, ttlMs, now())));
    },

    withThreadLock(key, task) {
      // In-process first (call order, one waiting connection per key), then across processes.
      return threadLocks.run(key, () =>
        track(() =>
          withClient(lockPool, async (c) => {
            await c.query("SELECT pg_advisory_lock($1, hashtext($2))", [LOCK_THREAD, key]);
            try {
              return await task();
            } finally {
              // A connection lost meanwhile released the lock already; withClient drops it.
              await c.query("SELECT pg_advisory_unlock($1, hashtext($2))", [LOCK_THREAD, key]);
            }
          }),
        ),
      );
    },

    async enqueue(task, options = {}) {
      const claim = options.claim;
      // In the background: a database out of reach costs an enqueue one connection budget, not two.
      if (claim) void purgeClaims(now());
      if (!claim || task.id === undefined)
        return statement(async (c, atMs) => {
          const row = claim
            ? (
                await c.query<TaskRow>(
                  `WITH claimed AS (
                     INSERT INTO ${s}.claims (key, until_ms) VALUES ($6, $7)
                     ON CONFLICT (key) DO UPDATE SET until_ms = EXCLUDED.until_ms WHERE ${s}.claims.until_ms <= $4
                     RETURNING key)
                   INSERT INTO ${s}.tasks (id, kind, payload, created_ms, not_before_ms)
                   SELECT $1, $2, $3, $4, $5 WHERE EXISTS (SELECT 1 FROM claimed)
                   ON CONFLICT (id) DO NOTHING RETURNING *`,
                  [
                    randomUUID(),
                    task.kind,
                    JSON.stringify(task.payload),
                    atMs,
                    task.notBefore ?? atMs,
                    claim.key,
                    atMs + claim.ttlMs,
                  ],
                )
              ).rows[0]
            : await insertTask(c, task, atMs);
          return row ? taskOf(row) : null;
        });
      return write(async (c, atMs) => {
        if (claim && !(await takeClaim(c, claim.key, claim.ttlMs, atMs))) return null;
        const row = await insertTask(c, task, atMs);
        // A pending task of that id: nothing stored, the claim not taken either.
        if (!row) throw new NotStored();
        return taskOf(row);
      }).catch((error) => {
        if (error instanceof NotStored) return null;
        throw error;
      });
    },

    lease(owner, { limit, leaseMs, kinds }) {
      if (limit <= 0) return Promise.resolve([]);
      return statement(async (c, atMs) => {
        const r = await c.query<TaskRow>(
          `UPDATE ${s}.tasks SET attempts = attempts + 1, lease_owner = $1,
             lease_token = gen_random_uuid()::text, lease_until_ms = $2
           WHERE id IN (
             SELECT id FROM ${s}.tasks
             WHERE not_before_ms <= $3 AND (lease_until_ms IS NULL OR lease_until_ms <= $3)
               AND ($4::text[] IS NULL OR kind = ANY($4::text[]))
             ORDER BY not_before_ms, created_ms LIMIT $5
             FOR UPDATE SKIP LOCKED)
           RETURNING *`,
          [owner, atMs + leaseMs, atMs, kinds ?? null, limit],
        );
        return r.rows
          .sort(
            (a, b) =>
              Number(a.not_before_ms) - Number(b.not_before_ms) ||
              Number(a.created_ms) - Number(b.created_ms),
          )
          .map(
            (row): LeasedTask => ({
              ...taskOf(row),
              lease: { owner, token: row.lease_token as string, until: Number(row.lease_until_ms) },
            }),
          );
      });
    },

    renew(lease, leaseMs) {
      return statement(async (c, atMs) => {
        const r = await c.query(
          `UPDATE ${s}.tasks SET lease_until_ms = $1 WHERE id = $2 AND lease_token = $3`,
          [atMs + leaseMs, lease.id, lease.lease.token],
        );
        return r.rowCount === 1;
      });
    },

    complete(lease: TaskLease, options = {}) {
      return (options.enqueue?.length ? write : statement)(async (c, atMs) => {
        const r = await c.query(`DELETE FROM ${s}.tasks WHERE id = $1 AND lease_token = $2`, [
          lease.id,
          lease.lease.token,
        ]);
        if (r.rowCount !== 1) return false;
        for (const t of options.enqueue ?? []) await insertTask(c, t, atMs);
        return true;
      });
    },

    reschedule(lease, retry) {
      return statement(async (c) => {
        const r = await c.query(
          `UPDATE ${s}.tasks SET not_before_ms = $1, last_error = $2,
             lease_owner = NULL, lease_token = NULL, lease_until_ms = NULL
           WHERE id = $3 AND lease_token = $4`,
          [retry.notBefore, retry.error.slice(0, 2000), lease.id, lease.lease.token],
        );
        return r.rowCount === 1;
      });
    },

    stats() {
      return read(async (c) => {
        const r = await c.query<{ tasks: string; claims: string }>(
          `SELECT (SELECT count(*) FROM ${s}.tasks) AS tasks,
                  (SELECT count(*) FROM ${s}.claims WHERE until_ms > $1) AS claims`,
          [now()],
        );
        return { pendingTasks: Number(r.rows[0]?.tasks ?? 0), claims: Number(r.rows[0]?.claims ?? 0) };
      });
    },

    async health(): Promise<StoreHealth> {
      if (closed) return { ok: false, reason: "the incident store is closed" };
      try {
        await read((c) => c.query("SELECT 1"));
        return { ok: true };
      } catch (error) {
        return {
          ok: false,
          reason: `database ${where}: ${connectionProblem ?? (error as Error).message}`,
        };
      }
    },

    async close() {
      if (closed) return;
      closed = true;
      // Operations already asked for finish (thread locks included); later ones are refused.
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      await Promise.allSettled([pool.end(), lockPool.end()]);
    },

    now,
  };
}

/** Internal: an enqueue that found its task id pending rolls back its claim too. */
class NotStored extends Error {}
