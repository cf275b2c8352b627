// The tests' PostgreSQL server (test/support/pg-global-setup.ts), and a schema of their own for
// each store a test opens, so that test files run in parallel on one server without meeting.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";

/** The test server's URL; throws, saying how to get one, when there is none (never a skip). */
export function testDatabaseUrl(): string {
  const url = inject("pgUrl");
  if (!url) throw new Error(inject("pgProblem") ?? "no PostgreSQL server for the tests");
  return url;
}

/** A schema name nobody else uses (created by the store's migrations). */
export function freshSchemaName(prefix = "t"): string {
  return `${prefix}_${randomBytes(6).toString("hex")}`;
}

/** Drops a test's schema and everything in it. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}
