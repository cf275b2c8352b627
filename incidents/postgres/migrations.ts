// The PostgreSQL schema, as numbered migrations run at start. Each runs in its own transaction and
// is recorded in `migrations`; all of them run under one advisory lock, so replicas starting at the
// same moment migrate once, the others waiting and then finding nothing left to do. A migration is
// never edited once released: a change of shape is a new one at the end of the list.
import type { PoolClient } from "pg";

export interface Migration {
  version: number;
  name: string;
  /** SQL with `{s}` standing for the quoted schema name. */
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "incidents, dedupe claims and the outbox",
    sql: `
      CREATE TABLE {s}.incidents (
        id text PRIMARY KEY,
        created_at text COLLATE "C" NOT NULL,
        updated_ms bigint NOT NULL,
        status text NOT NULL,
        owner text,
        doc jsonb NOT NULL
      );
      CREATE INDEX incidents_list ON {s}.incidents (created_at, id);
      CREATE INDEX incidents_updated ON {s}.incidents (updated_ms);
      CREATE TABLE {s}.claims (
        key text PRIMARY KEY,
        until_ms bigint NOT NULL
      );
      CREATE INDEX claims_until ON {s}.claims (until_ms);
      CREATE TABLE {s}.tasks (
        id text PRIMARY KEY,
        kind text NOT NULL,
        payload jsonb NOT NULL,
        created_ms bigint NOT NULL,
        not_before_ms bigint NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        lease_owner text,
        lease_token text,
        lease_until_ms bigint
      );
      CREATE INDEX tasks_due ON {s}.tasks (not_before_ms, created_ms);
    `,
  },
  {
    version: 2,
    name: "per-channel and per-team settings",
    // One document, as the lowdb store keeps it: settings are few and read whole.
    sql: `
      CREATE TABLE {s}.settings (
        id text PRIMARY KEY,
        doc jsonb NOT NULL
      );
    `,
  },
];

export const SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));

/** A schema name used unquoted in SQL: plain lower-case identifiers only. */
export function checkSchemaName(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema))
    throw new Error(
      `the schema name must be a plain lower-case identifier (letters, digits, _), not "${schema}"`,
    );
  return schema;
}

/** Thrown when the database was migrated by a newer Tattletale than this one. */
export class SchemaTooNewError extends Error {
  constructor(
    readonly found: number,
    readonly known: number,
  ) {
    super(
      `the database schema is at version ${found}, this Tattletale knows versions up to ${known}: run the newer version`,
    );
    this.name = "SchemaTooNewError";
  }
}

/** The database's version (0 when it was never migrated). */
export async function schemaVersion(client: PoolClient, schema: string): Promise<number> {
  const exists = await client.query<{ t: string | null }>("SELECT to_regclass($1) AS t", [
    `${schema}.migrations`,
  ]);
  if (!exists.rows[0]?.t) return 0;
  const r = await client.query<{ v: number | null }>(`SELECT max(version) AS v FROM ${schema}.migrations`);
  return Number(r.rows[0]?.v ?? 0);
}

/**
 * Brings the schema up to SCHEMA_VERSION. Safe to run from several processes at once: an advisory
 * lock (per schema) lets one migrate while the others wait. Returns the versions it applied.
 */
export async function migrate(client: PoolClient, schema: string): Promise<number[]> {
  const s = checkSchemaName(schema);
  const lockKey = `tattletale:migrate:${s}`;
  await client.query("SELECT pg_advisory_lock(hashtext($1))", [lockKey]);
  try {
    // Created only when missing: CREATE SCHEMA needs CREATE on the database, even with IF NOT EXISTS.
    const has = await client.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [s]);
    if (has.rowCount === 0) await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${s}.migrations (
         version integer PRIMARY KEY,
         name text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const found = await schemaVersion(client, s);
    if (found > SCHEMA_VERSION) throw new SchemaTooNewError(found, SCHEMA_VERSION);
    const applied: number[] = [];
    for (const m of MIGRATIONS) {
      if (m.version <= found) continue;
      await client.query("BEGIN");
      try {
        await client.query(m.sql.replaceAll("{s}", s));
        await client.query(`INSERT INTO ${s}.migrations (version, name) VALUES ($1, $2)`, [
          m.version,
          m.name,
        ]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw new Error(`migration ${m.version} (${m.name}) failed: ${(error as Error).message}`, {
          cause: error,
        });
      }
      applied.push(m.version);
    }
    return applied;
  } finally {
    await client.query("SELECT pg_advisory_unlock(hashtext($1))", [lockKey]).catch(() => undefined);
  }
}
