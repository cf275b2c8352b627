// `tattletale handoff [--since 12h] [--team NAME] [--include-private] [--json | --format md|json]
// [--db FILE|postgres://…]`: the shift's incidents from the bot's store (its file, or the replicas'
// PostgreSQL database), as Markdown for a ticket or an email, or JSON. Reads only: never writes,
// never migrates.
//
// Visibility: the CLI has no Slack identity, so it cannot tell who may see an incident of a private
// channel, a DM or a group DM. It lists public channels' incidents only and counts the others
// (`notListed`); `--include-private` lists them all, for whoever may read the whole store anyway.
import {
  buildHandoff,
  channelsOfTeam,
  HandoffOutput,
  type IncidentStore,
  isPublic,
  openPgStore,
  openStore,
  parseSince,
  resolveDbPath,
} from "../incidents/index.js";
import { asksForHelp, parseCommandArgs, UsageError, usageLine } from "./args.js";
import { renderHandoffMarkdown } from "./handoff-markdown.js";
import { commandHelp } from "./help.js";

export interface HandoffIo {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  env: Record<string, string | undefined>;
  /** Working folder for the default file; process.cwd() when absent. */
  cwd?: string;
  /** Clock (epoch ms), for tests; Date.now when absent. */
  now?: () => number;
}

/** `md` or `json` from `--json` / `--format`; a usage error when they disagree or the format is unknown. */
function outputFormat(values: { json?: boolean; format?: string }): "md" | "json" {
  const format =
    values.format === undefined ? undefined : values.format === "markdown" ? "md" : values.format;
  if (format !== undefined && format !== "md" && format !== "json")
    throw new UsageError(`--format must be md or json, not "${values.format}"`, "handoff");
  if (values.json === true && format === "md")
    throw new UsageError("--json and --format md disagree", "handoff");
  return values.json === true ? "json" : (format ?? "md");
}

/** Exit code: 0 printed (incidents or not), 1 the file could not be read, 2 usage error. */
export async function runHandoff(argv: string[], io: HandoffIo): Promise<number> {
  if (asksForHelp(argv)) {
    io.stdout.write(commandHelp("handoff") ?? "");
    return 0;
  }
  let values: {
    since?: string;
    format?: string;
    db?: string;
    json?: boolean;
    team?: string;
    "include-private"?: boolean;
  };
  let format: "md" | "json";
  try {
    const parsed = parseCommandArgs("handoff", argv, {
      since: { type: "string" },
      format: { type: "string" },
      json: { type: "boolean" },
      db: { type: "string" },
      team: { type: "string" },
      "include-private": { type: "boolean" },
    });
    if (parsed.positionals.length > 0)
      throw new UsageError(`handoff takes no arguments, not "${parsed.positionals[0]}"`, "handoff");
    values = parsed.values;
    format = outputFormat(values);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(usageLine(error));
    return 2;
  }
  const nowMs = (io.now ?? Date.now)();
  let spanMs: number;
  try {
    spanMs = parseSince(values.since, 12, nowMs);
  } catch (error) {
    io.stderr.write(usageLine(new UsageError(`--since: ${(error as Error).message}`, "handoff")));
    return 2;
  }
  // The bot's retention setting, so the CLI hides exactly what the bot would prune.
  const retentionText = io.env.TATTLETALE_RETENTION_DAYS?.trim();
  const retentionDays = retentionText ? Number(retentionText) : 30;
  if (!Number.isInteger(retentionDays) || retentionDays <= 0) {
    io.stderr.write(
      `tattletale: TATTLETALE_RETENTION_DAYS must be a whole number of days, not "${retentionText}"\n`,
    );
    return 2;
  }
  // The bot's store: --db, else the database the bot is configured with, else its file.
  const db = values.db ?? io.env.TATTLETALE_DATABASE_URL?.trim() ?? "";
  let store: IncidentStore;
  if (/^postgres(ql)?:\/\//.test(db)) {
    const schema = io.env.TATTLETALE_DATABASE_SCHEMA?.trim() || "tattletale";
    try {
      store = await openPgStore({ url: db, schema, readOnly: true, retentionDays, now: () => nowMs });
    } catch (error) {
      io.stderr.write(`tattletale: ${(error as Error).message}\n`);
      return 1;
    }
  } else {
    const path = db || resolveDbPath(io.env, io.cwd ?? process.cwd());
    store = await openStore({ path, readOnly: true, retentionDays, now: () => nowMs });
  }
  try {
    const health = await store.health();
    if (!health.ok) {
      io.stderr.write(`tattletale: ${health.reason}\n`);
      return 1;
    }
    let incidents = await store.list();
    if (values.team !== undefined) {
      const channels = new Set(channelsOfTeam(await store.getSettings(), values.team.trim()));
      incidents = incidents.filter((i) => channels.has(i.channel));
    }
    const includePrivate = values["include-private"] === true;
    const handoff = buildHandoff(incidents, {
      sinceMs: nowMs - spanMs,
      nowMs,
      ...(includePrivate ? {} : { listed: (i) => isPublic(i.conversationKind) }),
    });
    io.stdout.write(
      format === "json"
        ? `${JSON.stringify(HandoffOutput.parse(handoff), null, 2)}\n`
        : renderHandoffMarkdown(handoff),
    );
    return 0;
  } finally {
    await store.close();
  }
}
