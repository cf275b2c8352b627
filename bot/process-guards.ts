// What the process does with errors nobody caught. A rejected promise nobody awaited (a library's
// reconnect, a fire-and-forget call) is logged, redacted, and the bot carries on: one bad event
// must not take the bot away from everyone. An uncaught exception leaves the process in an unknown
// state, so it is logged, redacted, and the process exits for its supervisor to restart it.
import type { Logger } from "@slack/bolt";

/** The part of `process` used here, so tests can hand in an EventEmitter. */
export interface GuardedProcess {
  on(event: "unhandledRejection", listener: (reason: unknown) => void): unknown;
  on(event: "uncaughtException", listener: (err: Error) => void): unknown;
}

export function guardProcess(
  proc: GuardedProcess,
  logger: Logger,
  exit: (code: number) => void = (code) => process.exit(code),
): void {
  proc.on("unhandledRejection", (reason) => {
    logger.error("unhandled rejection (carrying on):", reason);
  });
  proc.on("uncaughtException", (err) => {
    logger.error("uncaught exception, exiting:", err);
    exit(1);
  });
}
