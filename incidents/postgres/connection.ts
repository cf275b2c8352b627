// Connections to PostgreSQL: a pool, and what counts as the database being unreachable (as opposed
// to a bug or a refused statement). Getting a connection is retried with a back-off within a time
// budget; a statement is never retried here, since whether a lost COMMIT landed cannot be known:
// the caller (the outbox, Slack's own retries) tries the whole operation again.
import pg, { type PoolClient } from "pg";
import { StoreUnavailableError } from "../store.js";

const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  // SQLSTATE: admin shutdown, crash shutdown, cannot connect now, too many connections.
  "57P01",
  "57P02",
  "57P03",
  "53300",
]);

/** Whether `error` says the database cannot be reached now (worth trying again later). */
export function isConnectionError(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  if (!e) return false;
  if (typeof e.code === "string" && (CONNECTION_CODES.has(e.code) || e.code.startsWith("08"))) return true;
  const message = typeof e.message === "string" ? e.message : "";
  return /Connection terminated|connection error|timeout exceeded when trying to connect|Client was closed|not queryable/i.test(
    message,
  );
}

/** The URL without its password, for messages. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(a database URL that does not parse)";
  }
}

export interface PoolOptions {
  url: string;
  max: number;
  /** Told when an idle connection fails (the server went away): for the log. */
  onIdleError: (error: Error) => void;
}

export function createPool(opts: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.max,
    connectionTimeoutMillis: 3000,
    idleTimeoutMillis: 30_000,
    application_name: "tattletale",
    keepAlive: true,
  });
  // Without a listener an idle connection's failure would crash the process.
  pool.on("error", (error) => opts.onIdleError(error));
  return pool;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A connection from `pool`, retried with a back-off (50 ms doubling) while the database cannot be
 * reached, for up to `budgetMs`; then StoreUnavailableError. Other errors are thrown as they are.
 */
export async function connect(pool: pg.Pool, budgetMs: number): Promise<PoolClient> {
  const start = Date.now();
  let delay = 50;
  for (;;) {
    try {
      return await pool.connect();
    } catch (error) {
      if (!isConnectionError(error)) throw error;
      const left = budgetMs - (Date.now() - start);
      if (left <= 0)
        throw new StoreUnavailableError(`the database cannot be reached: ${(error as Error).message}`, {
          cause: error,
        });
      await sleep(Math.min(delay, left));
      delay = Math.min(delay * 2, 1000);
    }
  }
}
