// Builds the Bolt app for either mode: Socket Mode (default) or HTTP with signed requests at
// POST /slack/events and a health check at GET /healthz. Listeners live in listeners/.

import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { App, HTTPReceiver, type Logger, type Receiver, SocketModeReceiver, type webApi } from "@slack/bolt";
import type { IncidentStore } from "../incidents/index.js";
import { buildLookupIndex, type KnowledgeBase, loadKnowledgeBase, readableKindsText } from "../kb/index.js";
import type { Config } from "./config.js";
import { TtlSet } from "./dedupe.js";
import type { BotDeps } from "./deps.js";
import { KeyedLock } from "./keyed-lock.js";
import { registerListeners } from "./listeners/index.js";
import { logLevelOf, RedactingLogger } from "./logger.js";
import { postOnceFetch } from "./post-once.js";
import { FileCache } from "./services/files.js";
import { ThreadDiagnoser } from "./services/thread-diagnosis.js";
import { keepReconnecting, type ReconnectGuard } from "./socket-reconnect.js";

export const EVENTS_PATH = "/slack/events";
export const HEALTH_PATH = "/healthz";

/**
 * Web API retries: 429s wait the Retry-After Slack sends (the client pauses its queue for it),
 * 5xx and network errors back off; five tries over about a minute, then the call fails and is logged.
 */
export const DEFAULT_RETRY: webApi.RetryOptions = {
  retries: 5,
  factor: 2,
  minTimeout: 1000,
  maxTimeout: 20_000,
  randomize: true,
};

export interface BotOptions {
  logger?: Logger;
  store?: IncidentStore;
  kb?: KnowledgeBase;
  retryConfig?: webApi.RetryOptions;
  /** Per Web API request, milliseconds. */
  requestTimeoutMs?: number;
  fetch?: typeof fetch;
  /** Socket Mode: how long to wait for the server's pings before reconnecting. */
  serverPingTimeoutMs?: number;
  /** Socket Mode: the client's ping timeout, also the reconnect back-off step. */
  clientPingTimeoutMs?: number;
  /** Socket Mode: first pause after a failed reconnect (doubling up to a minute). */
  reconnectDelayMs?: number;
  /** chat.postMessage after a timeout or 5xx: pause between looking for it (see post-once.ts). */
  postLookupPauseMs?: number;
}

export interface Bot {
  app: App;
  deps: BotDeps;
  receiver: Receiver;
  /** Starts receiving; in HTTP mode resolves with the port listened on. */
  start(): Promise<{ port?: number }>;
  stop(): Promise<void>;
}

function healthRoute(config: Config, store: IncidentStore | undefined) {
  return {
    path: HEALTH_PATH,
    method: ["GET"],
    handler: (_req: unknown, res: import("node:http").ServerResponse) => {
      const storeHealth = store ? store.health() : { ok: false, message: "no incident store" };
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ ok: true, mode: config.mode, store: storeHealth }));
    },
  };
}

/** Slack's rule: a request's timestamp within five minutes of local time, either way. */
export const MAX_REQUEST_SKEW_SEC = 5 * 60;

/**
 * Bolt refuses a request signed more than five minutes ago but not one dated more than five minutes
 * ahead, which would stay replayable for longer than Slack intends. Checked before Bolt's own
 * verification (which still checks the signature of everything else).
 */
function refuseFutureTimestamps(receiver: HTTPReceiver, logger: Logger): void {
  const listener = receiver.requestListener;
  receiver.requestListener = (req, res) => {
    const ts = Number(req.headers["x-slack-request-timestamp"]);
    if (req.method === "POST" && Number.isFinite(ts) && ts - Date.now() / 1000 > MAX_REQUEST_SKEW_SEC) {
      logger.info("refused a request dated more than five minutes ahead (clock skew or forgery)");
      res.writeHead(401);
      res.end();
      return;
    }
    listener(req, res);
  };
}

export function createBot(config: Config, opts: BotOptions = {}): Bot {
  const logger = opts.logger ?? new RedactingLogger(config.secrets, logLevelOf(config.logLevel));
  const clientOptions: webApi.WebClientOptions = {
    ...(config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {}),
    retryConfig: opts.retryConfig ?? DEFAULT_RETRY,
    timeout: opts.requestTimeoutMs ?? 30_000,
    rejectRateLimitedCalls: false,
    // Retries must not post a reply twice when Slack took the first attempt (see post-once.ts).
    fetch: postOnceFetch(opts.fetch ?? globalThis.fetch, logger, {
      ...(opts.postLookupPauseMs !== undefined ? { lookupPauseMs: opts.postLookupPauseMs } : {}),
    }),
  };

  const receiver: Receiver =
    config.mode === "socket"
      ? new SocketModeReceiver({
          appToken: config.appToken as string,
          logger,
          installerOptions: { clientOptions: { ...clientOptions } },
          ...(opts.serverPingTimeoutMs ? { serverPingTimeout: opts.serverPingTimeoutMs } : {}),
          ...(opts.clientPingTimeoutMs ? { clientPingTimeout: opts.clientPingTimeoutMs } : {}),
        })
      : new HTTPReceiver({
          signingSecret: config.signingSecret as string,
          endpoints: EVENTS_PATH,
          logger,
          // Ack (the HTTP 200) goes out as soon as a listener acks; the work continues after it.
          processBeforeResponse: false,
          customRoutes: [healthRoute(config, opts.store)],
        });

  if (receiver instanceof HTTPReceiver) refuseFutureTimestamps(receiver, logger);

  const reconnect: ReconnectGuard | undefined =
    receiver instanceof SocketModeReceiver
      ? keepReconnecting(receiver.client, logger, {
          ...(opts.reconnectDelayMs ? { firstDelayMs: opts.reconnectDelayMs } : {}),
        })
      : undefined;

  const app = new App({
    token: config.botToken,
    receiver,
    logger,
    // Without it Bolt resets the logger to INFO, and LOG_LEVEL=debug would do nothing.
    logLevel: logger.getLevel(),
    clientOptions,
    deferInitialization: true,
    ...(config.mode === "socket" ? { socketMode: true } : {}),
  });

  const seen = new TtlSet();
  const kb = opts.kb ?? loadKnowledgeBase();
  // Built now rather than on the first /tattle, so that lookup answers within Slack's 3 seconds.
  buildLookupIndex(kb);
  const readable = readableKindsText();
  const deps: BotDeps = {
    config,
    kb,
    store: opts.store,
    logger,
    seen,
    readable,
    diagnoser: new ThreadDiagnoser({
      config,
      kb,
      store: opts.store,
      logger,
      seen,
      locks: new KeyedLock(),
      files: new FileCache(Math.min(config.maxThreadBytes * 2, 256 * 1024 * 1024)),
      readable,
      fetch: opts.fetch,
    }),
  };

  // Slack retries an event it thinks we missed (X-Slack-Retry-Num; Socket Mode's retry_attempt):
  // the same event_id is handled once. Events are acked before this runs, so the retry stops.
  app.use(async ({ body, context, next }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (typeof eventId === "string" && seen.checkAndAdd(`event:${eventId}`)) {
      logger.info(`ignoring a repeat of event ${eventId} (retry ${context.retryNum ?? "?"})`);
      return;
    }
    await next();
  });
  registerListeners(app, deps);
  app.error(async (error) => {
    logger.error("unhandled error in a listener:", error);
  });

  return {
    app,
    deps,
    receiver,
    async start() {
      await app.init();
      if (config.mode === "http") {
        const server = (await app.start(config.port)) as Server;
        return { port: (server.address() as AddressInfo).port };
      }
      await app.start();
      return {};
    },
    async stop() {
      reconnect?.stop();
      await app.stop();
    },
  };
}
