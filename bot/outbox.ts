// The outbox: runs the store's durable tasks (a paste to diagnose, a reply to post) until each is
// done. Every handler attempt runs under a lease; a failure is rescheduled in the store, with the
// error, for when Slack said (429 Retry-After) or after a back-off (5xx, resets, timeouts, a store
// that cannot write). The tasks survive restarts: what was not done is leased again at the next
// start. The outbox owns every retry of that work: the Web API client it uses never retries.
// When the store cannot write at all, a task runs in memory instead (same handlers, same retries,
// lost on restart), so that the bot still answers and says the incident was not saved.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Logger } from "@slack/bolt";
import {
  type IncidentStore,
  LeaseLostError,
  type NewTask,
  type OutboxTask,
  StoreUnavailableError,
  StoreWriteError,
  type TaskLease,
} from "../incidents/index.js";
import { slackFailure } from "./slack-errors.js";

/** Thrown by a handler: try again, after `afterMs` when given (else the back-off decides). */
export class RetryLater extends Error {
  constructor(
    message: string,
    readonly afterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "RetryLater";
  }
}

export interface RunningTask {
  task: OutboxTask;
  /** The store's lease; absent when the task runs in memory (the store cannot write). */
  lease?: TaskLease;
}

/**
 * Does the task's work. Resolves "done" (the outbox completes the task) or "completed" (the handler
 * completed it in the store itself, atomically with its own writes); throws to retry or give up.
 */
export type TaskHandler = (t: RunningTask) => Promise<"done" | "completed">;

export interface OutboxOptions {
  /**
   * Tasks of each kind run at once. Default: 4 pastes (each may hold a message's worth of text),
   * 16 of anything else (replies wait on Slack and the disk, and hold little).
   */
  concurrency?: Record<string, number>;
  /** How long a lease lasts; renewed while the handler runs. Default 60 s. */
  leaseMs?: number;
  /** How often the store is asked for due tasks besides the wake-ups. Default 1 s. */
  pollMs?: number;
  /** First back-off after a failure without Retry-After, doubling each attempt. Default 2 s. */
  retryBaseMs?: number;
  /** Longest back-off. Default 5 min. */
  retryMaxMs?: number;
  /** A task still failing this long after it was created is given up (logged). Default 24 h. */
  maxAgeMs?: number;
  /** Attempts allowed for a failure that is not Slack's nor the store's (a bug, a bad input). Default 5. */
  maxAttempts?: number;
}

interface Volatile {
  task: OutboxTask;
  timer?: NodeJS.Timeout;
}

export class Outbox {
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly handlers = new Map<string, TaskHandler>();
  private readonly running = new Set<Promise<void>>();
  private readonly volatile = new Set<Volatile>();
  private readonly concurrency: Record<string, number>;
  /** Tasks running, by kind. */
  private readonly runningByKind = new Map<string, number>();
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly maxAgeMs: number;
  private readonly maxAttempts: number;
  private pumping = false;
  private again = false;
  private started = false;
  private stopping = false;
  private poller?: NodeJS.Timeout;
  private wakeAt?: { at: number; timer: NodeJS.Timeout };

  constructor(
    private readonly store: IncidentStore | undefined,
    private readonly logger: Logger,
    opts: OutboxOptions = {},
  ) {
    this.concurrency = { paste: 4, "*": 16, ...opts.concurrency };
    this.leaseMs = opts.leaseMs ?? 60_000;
    this.pollMs = opts.pollMs ?? 1000;
    this.retryBaseMs = opts.retryBaseMs ?? 2000;
    this.retryMaxMs = opts.retryMaxMs ?? 5 * 60_000;
    this.maxAgeMs = opts.maxAgeMs ?? 24 * 60 * 60_000;
    this.maxAttempts = opts.maxAttempts ?? 5;
  }

  on(kind: string, handler: TaskHandler): void {
    this.handlers.set(kind, handler);
  }

  /** Tasks running now, durable and in memory. */
  get busy(): number {
    return this.running.size;
  }

  /** Tasks held in memory only (the store could not take them). */
  get inMemory(): number {
    return this.volatile.size;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.poller = setInterval(() => this.wake(), this.pollMs);
    this.poller.unref();
    this.wake();
  }

  /** Looks for due tasks now (after an enqueue, a finished task, a back-off ending). */
  wake(): void {
    if (!this.started || this.stopping) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    void this.pump();
  }

  private async pump(): Promise<void> {
    const store = this.store;
    if (!store) return;
    this.pumping = true;
    try {
      do {
        this.again = false;
        // Each kind of task its own slots: replies never wait behind a few big pastes.
        const kinds = [...this.handlers.keys()];
        for (const kind of kinds) {
          while (!this.stopping) {
            const free = this.slots(kind) - (this.runningByKind.get(kind) ?? 0);
            if (free <= 0) break;
            const tasks = await store.lease(this.owner, {
              limit: free,
              leaseMs: this.leaseMs,
              kinds: [kind],
            });
            if (tasks.length === 0) break;
            for (const t of tasks) {
              this.logger.debug(`outbox: running ${t.kind} task ${t.id} (attempt ${t.attempts})`);
              this.launch({ task: t, lease: { id: t.id, lease: t.lease } });
            }
          }
        }
      } while (this.again && !this.stopping);
    } catch (err) {
      this.logger.warn(`outbox: could not lease tasks (${(err as Error).message}); trying again shortly`);
    } finally {
      this.pumping = false;
    }
  }

  /** Runs a task now, in memory only: for when the store cannot take it. */
  runInMemory(task: NewTask): void {
    const at = Date.now();
    const v: Volatile = {
      task: {
        id: task.id ?? randomUUID(),
        kind: task.kind,
        payload: task.payload,
        createdAt: at,
        notBefore: task.notBefore ?? at,
        attempts: 0,
        lastError: null,
      },
    };
    this.volatile.add(v);
    this.runVolatile(v);
  }

  private runVolatile(v: Volatile): void {
    if (this.stopping) return;
    v.task = { ...v.task, attempts: v.task.attempts + 1 };
    this.launch({ task: v.task }, v);
  }

  private slots(kind: string): number {
    return this.concurrency[kind] ?? this.concurrency["*"] ?? 16;
  }

  private launch(t: RunningTask, v?: Volatile): void {
    const kind = t.task.kind;
    this.runningByKind.set(kind, (this.runningByKind.get(kind) ?? 0) + 1);
    const run = this.execute(t, v).finally(() => {
      this.running.delete(run);
      this.runningByKind.set(kind, (this.runningByKind.get(kind) ?? 1) - 1);
      this.wake();
    });
    this.running.add(run);
  }

  private async execute(t: RunningTask, v?: Volatile): Promise<void> {
    const { task, lease } = t;
    const handler = this.handlers.get(task.kind);
    const store = this.store;
    // Renew the lease while the handler runs (a big download can take minutes).
    const renewal =
      lease && store
        ? setInterval(() => {
            void store.renew(lease, this.leaseMs).catch(() => undefined);
          }, this.leaseMs / 3)
        : undefined;
    renewal?.unref();
    try {
      if (!handler) throw new Error(`no handler for tasks of kind "${task.kind}"`);
      const result = await handler(t);
      if (result === "done") await this.finish(t, v);
      else if (v) this.volatile.delete(v);
    } catch (err) {
      await this.failed(t, err, v);
    } finally {
      if (renewal) clearInterval(renewal);
    }
  }

  private async finish(t: RunningTask, v?: Volatile): Promise<void> {
    if (v) {
      this.volatile.delete(v);
      return;
    }
    if (!t.lease || !this.store) return;
    try {
      if (!(await this.store.complete(t.lease)))
        this.logger.warn(`outbox: task ${t.task.id} was done, but its lease had been lost`);
    } catch (err) {
      // Done but not recorded as done: it will run again once its lease expires; the handlers make
      // a second run harmless (a reply looks for itself before posting again).
      this.logger.error(`outbox: could not mark task ${t.task.id} done: ${(err as Error).message}`);
    }
  }

  /** How long to wait before the next attempt, or null to give up. */
  private nextDelay(task: OutboxTask, err: unknown): { afterMs: number | null; why: string } {
    const backoff = Math.min(this.retryMaxMs, this.retryBaseMs * 2 ** Math.max(0, task.attempts - 1));
    const tooOld = Date.now() - task.createdAt > this.maxAgeMs;
    const message = (err as Error)?.message ?? String(err);
    if (err instanceof LeaseLostError) return { afterMs: null, why: message };
    if (err instanceof RetryLater) {
      return { afterMs: tooOld ? null : (err.afterMs ?? backoff), why: message };
    }
    if (err instanceof StoreWriteError || err instanceof StoreUnavailableError)
      return { afterMs: tooOld ? null : backoff, why: message };
    const code = (err as { code?: unknown })?.code;
    if (typeof code === "string" && code.startsWith("slack_webapi_")) {
      const f = slackFailure(err);
      if (f.kind === "refused") return { afterMs: null, why: `Slack refused it (${f.code})` };
      if (tooOld) return { afterMs: null, why: message };
      return f.kind === "rate-limited"
        ? { afterMs: f.afterMs, why: `rate limited (Retry-After ${f.afterMs / 1000} s)` }
        : { afterMs: backoff, why: f.why };
    }
    return { afterMs: task.attempts < this.maxAttempts && !tooOld ? backoff : null, why: message };
  }

  private async failed(t: RunningTask, err: unknown, v?: Volatile): Promise<void> {
    const { task, lease } = t;
    const { afterMs, why } = this.nextDelay(task, err);
    if (afterMs === null) {
      if (!(err instanceof LeaseLostError))
        this.logger.error(
          `outbox: gave up ${task.kind} task ${task.id} after ${task.attempts} attempt(s): ${why}`,
        );
      if (v) this.volatile.delete(v);
      else if (lease && this.store && !(err instanceof LeaseLostError))
        await this.store.complete(lease).catch(() => undefined);
      return;
    }
    this.logger.warn(
      `outbox: ${task.kind} task ${task.id} failed (attempt ${task.attempts}: ${why}); next try in ${Math.round(afterMs)} ms`,
    );
    const notBefore = Date.now() + afterMs;
    if (v) {
      v.timer = setTimeout(() => this.runVolatile(v), afterMs);
      return;
    }
    if (!lease || !this.store) return;
    try {
      await this.store.reschedule(lease, { notBefore, error: why });
      this.wakeBy(notBefore);
    } catch (rescheduleErr) {
      // The store cannot write: the lease runs out and the task is taken again then.
      this.logger.error(`outbox: could not reschedule task ${task.id}: ${(rescheduleErr as Error).message}`);
    }
  }

  /** A wake-up at `at`, so that a Retry-After of one second is not stretched to the poll interval. */
  private wakeBy(at: number): void {
    if (this.wakeAt && this.wakeAt.at <= at && this.wakeAt.at > Date.now()) return;
    if (this.wakeAt) clearTimeout(this.wakeAt.timer);
    const timer = setTimeout(
      () => {
        this.wakeAt = undefined;
        this.wake();
      },
      Math.max(0, at - Date.now()) + 5,
    );
    timer.unref();
    this.wakeAt = { at, timer };
  }

  /**
   * Stops taking tasks and waits for those running, up to `deadlineMs`. Tasks still running then,
   * or waiting for their next try, stay in the store for the next start. Resolves true when nothing
   * was left running.
   */
  async stop(deadlineMs = 10_000): Promise<boolean> {
    this.stopping = true;
    if (this.poller) clearInterval(this.poller);
    if (this.wakeAt) clearTimeout(this.wakeAt.timer);
    for (const v of this.volatile) if (v.timer) clearTimeout(v.timer);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), deadlineMs);
    });
    const drained = (async () => {
      while (this.running.size > 0) await Promise.allSettled([...this.running]);
      return true as const;
    })();
    const done = await Promise.race([drained, deadline]);
    clearTimeout(timer);
    if (this.volatile.size > 0)
      this.logger.error(`outbox: ${this.volatile.size} task(s) held in memory only are lost with this stop`);
    return done;
  }
}
