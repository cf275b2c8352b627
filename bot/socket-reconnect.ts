// Socket Mode's client reconnects on its own after a dropped connection or a `disconnect`, but when
// apps.connections.open keeps failing during that reconnect (a Slack outage longer than the Web API
// client's retries), its reconnect promise rejects with nobody to catch it and it never tries again:
// the process lives on, deaf. This keeps trying, with a growing pause, until it is connected again
// or the bot is stopped. The first start still fails fast, so a bad token is reported at once.
import type { Logger } from "@slack/bolt";

/** The one method of @slack/socket-mode's SocketModeClient used here (it calls it to reconnect). */
export interface Restartable<T> {
  start(): Promise<T>;
}

export interface ReconnectOptions {
  /** Pause after the first failed reconnect, milliseconds; it doubles up to maxDelayMs. */
  firstDelayMs?: number;
  maxDelayMs?: number;
}

export interface ReconnectGuard {
  /** Stops the retrying (call before disconnecting the client). */
  stop(): void;
}

export function keepReconnecting<T>(
  client: Restartable<T>,
  logger: Logger,
  opts: ReconnectOptions = {},
): ReconnectGuard {
  const firstDelayMs = opts.firstDelayMs ?? 1000;
  const maxDelayMs = opts.maxDelayMs ?? 60_000;
  const start = client.start.bind(client);
  let connectedOnce = false;
  let stopped = false;
  const sleepers = new Set<() => void>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      sleepers.add(wake);
    });

  // The client's close handler calls `this.start` to reconnect, so replacing it on the instance
  // puts this loop under every reconnect.
  client.start = async (): Promise<T> => {
    let delay = firstDelayMs;
    for (;;) {
      try {
        const connected = await start();
        connectedOnce = true;
        return connected;
      } catch (err) {
        if (!connectedOnce) throw err;
        // After stop() nobody waits for this promise: settle it quietly.
        if (stopped) return undefined as T;
        const code = (err as { data?: { error?: string } }).data?.error;
        const why = code ?? (err as Error).message ?? String(err);
        const log = code === "invalid_auth" || code === "not_authed" ? logger.error : logger.warn;
        log.call(logger, `Socket Mode: reconnecting failed (${why}); trying again in ${delay} ms`);
        await sleep(delay);
        if (stopped) return undefined as T;
        delay = Math.min(delay * 2, maxDelayMs);
      }
    }
  };

  return {
    stop() {
      stopped = true;
      for (const wake of [...sleepers]) wake();
    },
  };
}
