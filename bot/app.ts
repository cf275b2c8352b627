// Builds the Bolt app for either mode: Socket Mode (default) or HTTP with signed requests at
// POST /slack/events (behind http-guard.ts) and a health check at GET /healthz. Listeners live in
// listeners/; pastes become durable tasks run by the outbox (outbox.ts); stop() is the graceful stop.

import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { App, HTTPReceiver, type Logger, type Receiver, SocketModeReceiver, webApi } from "@slack/bolt";
import type { IncidentStore } from "../incidents/index.js";
import { buildLookupIndex, type KnowledgeBase, loadKnowledgeBase, readableKindsText } from "../kb/index.js";
import type { Config } from "./config.js";
import { TtlSet } from "./dedupe.js";
import type { BotDeps } from "./deps.js";
import { type GuardLimits, HttpGuard } from "./http-guard.js";
import { EventIntake } from "./intake.js";
import { registerListeners } from "./listeners/index.js";
import { logLevelOf, RedactingLogger } from "./logger.js";
import { Outbox, type OutboxOptions } from "./outbox.js";
import { postOnceFetch } from "./post-once.js";
import { FileCache } from "./services/files.js";
import { ParseWorkers } from "./services/parse-worker.js";
import { ThreadDiagnoser } from "./services/thread-diagnosis.js";
import { keepReconnecting, type ReconnectGuard } from "./socket-reconnect.js";

export const EVENTS_PATH = "/slack/events";
export const HEALTH_PATH = "/healthz";
export { MAX_REQUEST_SKEW_SEC } from "./http-guard.js";

/**
 * Web API retries of the app's own client, which serves people waiting on a button, a command or
 * App Home (short-lived work, tied to a trigger or a response URL): 429s wait the Retry-After Slack
 * sends, 5xx and network errors back off, a few tries within about half a minute. Pastes and replies
 * are not retried here: they are outbox tasks, whose client never retries (the outbox does, durably).
 */
export const DEFAULT_RETRY: webApi.RetryOptions = {
  retries: 3,
  factor: 2,
  minTimeout: 1000,
  maxTimeout: 10_000,
  randomize: true,
};

export interface HttpOptions extends Partial<GuardLimits> {
  /** Time to receive a request's headers. Default 10 s. */
  headersTimeoutMs?: number;
  /** A connection with no traffic for this long is closed. Default 30 s. */
  idleTimeoutMs?: number;
  /** Keep-alive between requests. Default 5 s. */
  keepAliveTimeoutMs?: number;
}

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
  outbox?: OutboxOptions;
  http?: HttpOptions;
}

export interface Bot {
  app: App;
  deps: BotDeps;
  receiver: Receiver;
  outbox: Outbox;
  /** HTTP mode: the front door's counters and limits. */
  guard?: HttpGuard;
  parsers: ParseWorkers;
  /** HTTP mode, once started: the server. */
  readonly server: Server | undefined;
  /** Starts receiving and running tasks; in HTTP mode resolves with the port listened on. */
  start(): Promise<{ port?: number }>;
  /**
   * The graceful stop: stops taking events (HTTP: new requests get 503 and the listener closes;
   * Socket Mode: disconnects), waits for the events being handled and the tasks running, up to
   * `deadlineMs` in all. Tasks not done stay in the store for the next start. Resolves whether
   * everything finished in time. The store is the caller's to close.
   */
  stop(opts?: { deadlineMs?: number }): Promise<{ drained: boolean }>;
}

function healthRoute(config: Config, store: IncidentStore | undefined, logger: Logger) {
  let lastReason: string | undefined;
  return {
    path: HEALTH_PATH,
    method: ["GET"],
    handler: (_req: IncomingMessage, res: ServerResponse) => {
      void (async () => {
        const health = store
          ? await store.health().catch((err: Error) => ({ ok: false, reason: err.message }))
          : { ok: false, reason: "the incident store could not be opened" };
        // The reason names files: it goes to the log (once per change), never into the answer.
        const reason = health.ok ? undefined : (health.reason ?? "not healthy");
        if (reason !== lastReason) {
          if (reason) logger.error(`health check failing: ${reason}`);
          else logger.info("health check passing again");
          lastReason = reason;
        }
        res.writeHead(health.ok ? 200 : 503, {
          "Content-Type": "application/json",
          "Cache-Control": "no-store",
        });
        res.end(JSON.stringify({ ok: health.ok, mode: config.mode }));
      })();
    },
  };
}

export function createBot(config: Config, opts: BotOptions = {}): Bot {
  const logger = opts.logger ?? new RedactingLogger(config.secrets, logLevelOf(config.logLevel));
  const requestTimeoutMs = opts.requestTimeoutMs ?? 30_000;
  const clientOptions: webApi.WebClientOptions = {
    ...(config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {}),
    retryConfig: opts.retryConfig ?? DEFAULT_RETRY,
    timeout: requestTimeoutMs,
    rejectRateLimitedCalls: false,
    // Retries must not post a message twice when Slack took the first attempt (see post-once.ts).
    fetch: postOnceFetch(opts.fetch ?? globalThis.fetch, logger, {
      ...(opts.postLookupPauseMs !== undefined ? { lookupPauseMs: opts.postLookupPauseMs } : {}),
    }),
  };
  // The outbox's client: one attempt per call, a 429 comes back at once with its Retry-After; the
  // outbox decides when to try again, and it keeps that decision in the store.
  const taskClient = new webApi.WebClient(config.botToken, {
    ...(config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: requestTimeoutMs,
    logger,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });

  const guard =
    config.mode === "http"
      ? new HttpGuard({
          signingSecret: config.signingSecret as string,
          path: EVENTS_PATH,
          logger,
          limits: opts.http ?? {},
        })
      : undefined;

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
          // Ack (the HTTP 200) goes out as soon as a listener acks; pastes ack once stored (intake.ts).
          processBeforeResponse: false,
          customRoutes: [healthRoute(config, opts.store, logger)],
        });

  if (receiver instanceof HTTPReceiver && guard) guard.wrap(receiver);

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

  const intake = new EventIntake(logger);
  intake.install(app);

  const seen = new TtlSet();
  const kb = opts.kb ?? loadKnowledgeBase();
  // Built now rather than on the first /tattle, so that lookup answers within Slack's 3 seconds.
  buildLookupIndex(kb);
  const readable = readableKindsText();
  const outbox = new Outbox(opts.store, logger, opts.outbox);
  const parsers = new ParseWorkers(config.parseWorkers);
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
      outbox,
      client: taskClient,
      files: new FileCache(Math.min(config.maxThreadBytes * 2, 256 * 1024 * 1024)),
      readable,
      parsers,
      fetch: opts.fetch,
      lookupPauseMs: opts.postLookupPauseMs,
    }),
  };

  // Slack retries an event it thinks we missed (X-Slack-Retry-Num; Socket Mode's retry_attempt):
  // the same event is handled once. Pastes are claimed once per message by accept(); other events
  // by their event_id here. Events are acked before this runs, so the retry stops.
  app.use(async ({ body, context, next }) => {
    const b = body as { event_id?: unknown; event?: { type?: unknown } };
    const type = b.event?.type;
    if (typeof b.event_id === "string" && type !== "message" && type !== "app_mention") {
      if (!(await deps.diagnoser.claim(`event:${b.event_id}`))) {
        logger.info(`ignoring a repeat of event ${b.event_id} (retry ${context.retryNum ?? "?"})`);
        return;
      }
    }
    await next();
  });
  registerListeners(app, deps);
  app.error(async (error) => {
    logger.error("unhandled error in a listener:", error);
  });

  let server: Server | undefined;
  let stopped: Promise<{ drained: boolean }> | undefined;
  const http = opts.http ?? {};

  return {
    app,
    deps,
    receiver,
    outbox,
    guard,
    parsers,
    get server() {
      return server;
    },
    async start() {
      await app.init();
      // The workspace's address, for the permalinks of incidents (once, not per paste).
      await taskClient.auth
        .test()
        .then((r) => {
          if (typeof r.url === "string" && r.url.startsWith("https://"))
            deps.diagnoser.recorder.workspaceUrl = r.url.endsWith("/") ? r.url : `${r.url}/`;
        })
        .catch((err: Error) => logger.warn(`auth.test failed, incidents get no permalink: ${err.message}`));
      outbox.start();
      if (config.mode === "http") {
        server = (await app.start(config.port, {
          requestTimeout: (http.bodyTimeoutMs ?? 10_000) + (http.headersTimeoutMs ?? 10_000),
          headersTimeout: http.headersTimeoutMs ?? 10_000,
          keepAliveTimeout: http.keepAliveTimeoutMs ?? 5000,
          // How often Node checks requestTimeout and headersTimeout (its default is 30 s).
          connectionsCheckingInterval: Math.min(1000, http.headersTimeoutMs ?? 1000),
        })) as Server;
        server.maxConnections = config.maxConnections;
        // Without a 'timeout' listener, a connection idle for this long is destroyed.
        server.setTimeout(http.idleTimeoutMs ?? 30_000);
        return { port: (server.address() as AddressInfo).port };
      }
      await app.start();
      return {};
    },
    stop({ deadlineMs = config.stopTimeoutMs } = {}) {
      stopped ??= (async () => {
        const until = Date.now() + deadlineMs;
        const left = () => Math.max(0, until - Date.now());
        reconnect?.stop();
        // 1. No new events: HTTP answers 503 and stops accepting; Socket Mode disconnects.
        if (guard) guard.stopping = true;
        const closing = server
          ? new Promise<void>((resolve) => (server as Server).close(() => resolve()))
          : app.stop().catch((err: Error) => logger.warn(`stop: ${err.message}`));
        server?.closeIdleConnections();
        // 2. The events being handled finish (each paste ends stored in the outbox).
        const handled = await intake.drain(left());
        // 3. Running tasks finish their attempt; what is left stays in the store.
        const tasks = await outbox.stop(left());
        await parsers.close();
        server?.closeAllConnections();
        await closing;
        return { drained: handled && tasks };
      })();
      return stopped;
    },
  };
}
