// The bot's configuration, read from the environment once at start and validated with zod.
// Errors name the variable and say what is expected; they never print a value.
import { z } from "zod";
import { resolveDbPath } from "../incidents/index.js";
import { defaultParseWorkers } from "./services/parse-worker.js";

const MB = 1024 * 1024;

const flag = z
  .enum(["1", "0", "true", "false", "yes", "no", ""])
  .optional()
  .transform((v) => v === "1" || v === "true" || v === "yes");

const positiveInt = (fallback: number, what: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n <= 0) {
        ctx.addIssue({ code: "custom", message: `must be a positive whole number (${what})` });
        return z.NEVER;
      }
      return n;
    });

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v?.trim() ? v.trim() : undefined));

export const Env = z.object({
  SLACK_BOT_TOKEN: z
    .string({ error: "is missing: set it to the Bot User OAuth Token (xoxb-…) from OAuth & Permissions" })
    .trim()
    .min(1, "is empty: set it to the Bot User OAuth Token (xoxb-…) from OAuth & Permissions")
    .refine((v) => v.startsWith("xoxb-"), "must be a bot token, starting with xoxb-"),
  SLACK_APP_TOKEN: optionalText.refine(
    (v) => v === undefined || v.startsWith("xapp-"),
    "must be an app-level token with connections:write, starting with xapp-",
  ),
  SLACK_SIGNING_SECRET: optionalText,
  PORT: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return 3000;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 65535) {
        ctx.addIssue({ code: "custom", message: "must be a TCP port number (0-65535)" });
        return z.NEVER;
      }
      return n;
    }),
  SLACK_API_URL: optionalText
    .refine(
      (v) => v === undefined || (/^https?:\/\/[^\s]+$/.test(v) && URL.canParse(v)),
      "must be an http(s) URL such as https://slack.com/api/",
    )
    // A URL with user:password@ would put a credential in every error message that quotes the URL.
    .refine(
      (v) =>
        v === undefined || !URL.canParse(v) || (new URL(v).username === "" && new URL(v).password === ""),
      "must not carry credentials (user:password@): the bot token goes in SLACK_BOT_TOKEN",
    ),
  TATTLETALE_DB: optionalText,
  TATTLETALE_DATABASE_URL: optionalText.refine(
    (v) => v === undefined || (/^postgres(ql)?:\/\/\S+$/.test(v) && URL.canParse(v)),
    "must be a PostgreSQL URL, postgres://USER:PASSWORD@HOST:PORT/DATABASE",
  ),
  TATTLETALE_DATABASE_SCHEMA: optionalText.refine(
    (v) => v === undefined || /^[a-z_][a-z0-9_]{0,62}$/.test(v),
    "must be a plain lower-case identifier (letters, digits, _)",
  ),
  TATTLETALE_RETENTION_DAYS: positiveInt(30, "days incidents are kept"),
  TATTLETALE_KEEP_RAW_TEXT: flag,
  TATTLETALE_MAX_FILE_BYTES: positiveInt(25 * MB, "largest file read, in bytes"),
  TATTLETALE_MAX_STREAM_BYTES: positiveInt(
    1024 * MB,
    "largest HTTPERR upload summarised as a stream, in bytes",
  ),
  TATTLETALE_MAX_THREAD_BYTES: positiveInt(50 * MB, "most text read for one diagnosis, in bytes"),
  TATTLETALE_MAX_MESSAGE_BYTES: positiveInt(50 * MB, "most text read from one message, in bytes"),
  TATTLETALE_PARSE_WORKERS: positiveInt(defaultParseWorkers(), "worker threads that parse big texts"),
  TATTLETALE_STOP_TIMEOUT_MS: positiveInt(
    25_000,
    "time a stop may take before it is forced, in milliseconds",
  ),
  TATTLETALE_TASK_LEASE_MS: positiveInt(
    60_000,
    "how long a task is held by the replica running it, in milliseconds",
  ),
  TATTLETALE_MAX_CONNECTIONS: positiveInt(256, "open HTTP connections accepted at once"),
  TATTLETALE_DOWNLOAD_TIMEOUT_MS: positiveInt(30_000, "file download time limit, in milliseconds"),
  LOG_LEVEL: z
    .enum(["debug", "info", "warn", "error", ""], { error: "must be one of debug, info, warn, error" })
    .optional()
    .transform((v) => (v ? v : "info")),
});

export type Mode = "socket" | "http";

export interface Config {
  mode: Mode;
  botToken: string;
  appToken?: string;
  signingSecret?: string;
  port: number;
  /** Base URL of the Web API, ending in `/`; undefined = Slack's own. */
  slackApiUrl?: string;
  dbPath: string;
  /** A shared PostgreSQL store (TATTLETALE_DATABASE_URL) instead of the lowdb file: for replicas. */
  databaseUrl?: string;
  /** The schema holding its tables. */
  databaseSchema: string;
  retentionDays: number;
  keepRawText: boolean;
  maxFileBytes: number;
  /** Big HTTPERR uploads are streamed through the scanner (summary only) up to this many bytes. */
  maxStreamBytes: number;
  maxThreadBytes: number;
  /** Most text read from one message (its text and files together). */
  maxMessageBytes: number;
  /** Worker threads parsing big texts. */
  parseWorkers: number;
  /** A graceful stop (SIGTERM) is forced after this long. */
  stopTimeoutMs: number;
  /** How long a running task is held (renewed while it runs); a dead replica's tasks are taken over after it. */
  taskLeaseMs: number;
  /** HTTP mode: connections open at once; more are refused. */
  maxConnections: number;
  downloadTimeoutMs: number;
  logLevel: "debug" | "info" | "warn" | "error";
  /** Every secret value, for the log redactor. */
  secrets: string[];
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Tattletale cannot start:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Validates the environment. Socket Mode when SLACK_APP_TOKEN is set, else HTTP mode. */
export function loadConfig(env: Record<string, string | undefined>, cwd: string = process.cwd()): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    // Path and message only: zod's issue never gets to print the offending value here.
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join(".") || "environment"} ${i.message}`),
    );
  }
  const e = parsed.data;
  const mode: Mode = e.SLACK_APP_TOKEN ? "socket" : "http";
  if (mode === "http" && !e.SLACK_SIGNING_SECRET)
    throw new ConfigError([
      "SLACK_APP_TOKEN is missing (Socket Mode, the default) and so is SLACK_SIGNING_SECRET (HTTP mode): " +
        "set SLACK_APP_TOKEN to the app-level token (xapp-…), or SLACK_SIGNING_SECRET (Basic Information) and PORT",
    ]);
  let slackApiUrl = e.SLACK_API_URL;
  if (slackApiUrl && !slackApiUrl.endsWith("/")) slackApiUrl = `${slackApiUrl}/`;
  return {
    mode,
    botToken: e.SLACK_BOT_TOKEN,
    appToken: e.SLACK_APP_TOKEN,
    signingSecret: e.SLACK_SIGNING_SECRET,
    port: e.PORT,
    slackApiUrl,
    dbPath: resolveDbPath({ TATTLETALE_DB: e.TATTLETALE_DB }, cwd),
    ...(e.TATTLETALE_DATABASE_URL ? { databaseUrl: e.TATTLETALE_DATABASE_URL } : {}),
    databaseSchema: e.TATTLETALE_DATABASE_SCHEMA ?? "tattletale",
    retentionDays: e.TATTLETALE_RETENTION_DAYS,
    keepRawText: e.TATTLETALE_KEEP_RAW_TEXT,
    maxFileBytes: e.TATTLETALE_MAX_FILE_BYTES,
    maxStreamBytes: e.TATTLETALE_MAX_STREAM_BYTES,
    maxThreadBytes: e.TATTLETALE_MAX_THREAD_BYTES,
    maxMessageBytes: e.TATTLETALE_MAX_MESSAGE_BYTES,
    parseWorkers: e.TATTLETALE_PARSE_WORKERS,
    stopTimeoutMs: e.TATTLETALE_STOP_TIMEOUT_MS,
    taskLeaseMs: e.TATTLETALE_TASK_LEASE_MS,
    maxConnections: e.TATTLETALE_MAX_CONNECTIONS,
    downloadTimeoutMs: e.TATTLETALE_DOWNLOAD_TIMEOUT_MS,
    logLevel: e.LOG_LEVEL,
    secrets: [
      e.SLACK_BOT_TOKEN,
      e.SLACK_APP_TOKEN,
      e.SLACK_SIGNING_SECRET,
      ...databasePasswords(e.TATTLETALE_DATABASE_URL),
    ].filter((s): s is string => typeof s === "string" && s.length > 0),
  };
}

/** The database URL's password, as written and decoded, for the log redactor. */
function databasePasswords(url: string | undefined): string[] {
  if (!url) return [];
  const password = new URL(url).password;
  if (!password) return [];
  try {
    return [password, decodeURIComponent(password)];
  } catch {
    return [password];
  }
}
