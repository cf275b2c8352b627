// A @slack/logger Logger for Bolt, the Web API and Socket Mode clients that redacts every line.
import { type Logger, LogLevel } from "@slack/bolt";
import { redactSecrets } from "./redact.js";

const RANK: Record<LogLevel, number> = {
  [LogLevel.DEBUG]: 0,
  [LogLevel.INFO]: 1,
  [LogLevel.WARN]: 2,
  [LogLevel.ERROR]: 3,
};

export type LogSink = (line: string) => void;

function show(arg: unknown): string {
  if (arg instanceof Error) return arg.stack ?? `${arg.name}: ${arg.message}`;
  if (typeof arg === "string") return arg;
  try {
    return JSON.stringify(arg);
  } catch {
    return String(arg);
  }
}

export class RedactingLogger implements Logger {
  private level: LogLevel;
  private name = "tattletale";

  constructor(
    private readonly secrets: readonly string[],
    level: LogLevel = LogLevel.INFO,
    private readonly sink: LogSink = (line) => process.stderr.write(`${line}\n`),
  ) {
    this.level = level;
  }

  private write(level: LogLevel, msg: unknown[]): void {
    if (RANK[level] < RANK[this.level]) return;
    const text = redactSecrets(msg.map(show).join(" "), this.secrets);
    this.sink(`${new Date().toISOString()} ${level.toUpperCase()} [${this.name}] ${text}`);
  }

  debug(...msg: unknown[]): void {
    this.write(LogLevel.DEBUG, msg);
  }
  info(...msg: unknown[]): void {
    this.write(LogLevel.INFO, msg);
  }
  warn(...msg: unknown[]): void {
    this.write(LogLevel.WARN, msg);
  }
  error(...msg: unknown[]): void {
    this.write(LogLevel.ERROR, msg);
  }
  setLevel(level: LogLevel): void {
    this.level = level;
  }
  getLevel(): LogLevel {
    return this.level;
  }
  setName(name: string): void {
    this.name = name;
  }
}

export function logLevelOf(level: "debug" | "info" | "warn" | "error"): LogLevel {
  return { debug: LogLevel.DEBUG, info: LogLevel.INFO, warn: LogLevel.WARN, error: LogLevel.ERROR }[level];
}
