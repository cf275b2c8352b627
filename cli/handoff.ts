// `tattletale handoff [--since 12h] [--format md|json] [--db FILE|postgres://…]`: the shift's
// incidents from the bot's store (its lowdb file, or the replicas' PostgreSQL database), as Markdown
// for a ticket or an email, or JSON. Reads only: never writes, never migrates.
import { parseArgs } from "node:util";
import {
  buildHandoff,
  type IncidentStore,
  openPgStore,
  openStore,
  parseSince,
  resolveDbPath,
} from "../incidents/index.js";
import { renderHandoffMarkdown } from "./handoff-markdown.js";

export interface HandoffIo {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  env: Record<string, string | undefined>;
  /** Working folder for the default file; process.cwd() when absent. */
  cwd?: string;
  /** Clock (epoch ms), for tests; Date.now when absent. */
  now?: () => number;
}

const USAGE =
  "usage: tattletale handoff [--since 12h|90m|2d|ISO-DATE] [--format md|json] [--json] [--db FILE|postgres://…]";

const isDatabaseUrl = (db: string) => /^postgres(ql)?:\/\//.test(db);

/** Exit code: 0 printed (incidents or not), 1 the file could not be read, 2 usage error. */
export async function runHandoff(argv: string[], io: HandoffIo): Promise<number> {
  let values: { since?: string; format?: string; json?: boolean; db?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        since: { type: "string" },
        format: { type: "string", default: "md" },
        json: { type: "boolean" },
        db: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      allowPositionals: false,
      strict: true,
    }));
  } catch (error) {
    io.stderr.write(`tattletale handoff: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const format = values.json ? "json" : values.format === "markdown" ? "md" : values.format;
  if (format !== "md" && format !== "json") {
    io.stderr.write(`tattletale handoff: --format must be md or json, not "${values.format}"\n${USAGE}\n`);
    return 2;
  }
  const nowMs = (io.now ?? Date.now)();
  let spanMs: number;
  try {
    spanMs = parseSince(values.since, 12, nowMs);
  } catch (error) {
    io.stderr.write(`tattletale handoff: --since: ${(error as Error).message}\n`);
    return 2;
  }
  // The bot's retention setting, so the CLI hides exactly what the bot would prune.
  const retentionText = io.env.TATTLETALE_RETENTION_DAYS?.trim();
  const retentionDays = retentionText ? Number(retentionText) : 30;
  if (!Number.isInteger(retentionDays) || retentionDays <= 0) {
    io.stderr.write(
      `tattletale handoff: TATTLETALE_RETENTION_DAYS must be a whole number of days, not "${retentionText}"\n`,
    );
    return 2;
  }
  // The bot's store: --db, else the database the bot is configured with, else its file.
  const db = values.db ?? io.env.TATTLETALE_DATABASE_URL?.trim() ?? "";
  let store: IncidentStore;
  if (isDatabaseUrl(db)) {
    const schema = io.env.TATTLETALE_DATABASE_SCHEMA?.trim() || "tattletale";
    try {
      store = await openPgStore({ url: db, schema, readOnly: true, retentionDays, now: () => nowMs });
    } catch (error) {
      io.stderr.write(`tattletale handoff: ${(error as Error).message}\n`);
      return 1;
    }
  } else {
    const path = db || resolveDbPath(io.env, io.cwd ?? process.cwd());
    store = await openStore({ path, readOnly: true, retentionDays, now: () => nowMs });
  }
  try {
    const health = await store.health();
    if (!health.ok) {
      io.stderr.write(`tattletale handoff: ${health.reason}\n`);
      return 1;
    }
    const handoff = buildHandoff(await store.list(), { sinceMs: nowMs - spanMs, nowMs });
    io.stdout.write(
      format === "json" ? `${JSON.stringify(handoff, null, 2)}\n` : renderHandoffMarkdown(handoff),
    );
    return 0;
  } finally {
    await store.close();
  }
}
