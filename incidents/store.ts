// The store behind the bot and the CLI: incidents, event dedupe, per-thread serialisation and the
// outbox of durable tasks, in one backend-neutral interface. lowdb on a file (lowdb-store.ts) is the
// embedded default, for one process; a shared database (PostgreSQL) implements the same interface so
// that several replicas can take any event. test/incidents/contract.ts is the interface's contract:
// an implementation is done when that suite passes against it (one factory to add).
//
// Rules every implementation keeps:
// - Values in and out are plain JSON-able data; times are epoch ms (`now()`), ISO strings inside
//   incidents. Nothing of the backend (lowdb, pg) appears in a signature.
// - A method that resolves has made its change durable (on disk, committed); one that rejects has
//   changed nothing. Changes grouped in one call (an upsert with its follow-up tasks) are atomic.
// - Objects handed out are the caller's to read, not to change (lowdb shares them: it freezes them).
//
// How to add a record type (per-channel settings, say):
// 1. Its zod schema in schema.ts; the snapshot (StoreFileV3) gains a field for it, optional with a
//    default so older snapshots still read, and JournalChange a variant (`{ t: "settings", id, v }`).
// 2. Its methods here, each a whole operation with its atomicity spelled out (a read-modify-write
//    takes an `update` function, as `upsert` does, never a get-then-put pair across two calls).
// 3. lowdb-store.ts: a table in TABLES (a Map by id, kept in the snapshot and replayed from the
//    journal); the methods stage their changes through `write()`, which journals them atomically.
// 4. Contract tests in test/incidents/contract.ts (they run against every backend); PostgreSQL gets
//    a table and a migration.
import type { FeedbackAnswer, Incident, IncidentStatus, OutboxTask } from "./schema.js";
import type { Settings } from "./settings.js";

export interface IncidentQuery {
  /** Only incidents updated at or after this time (epoch ms). */
  sinceMs?: number;
  status?: IncidentStatus[];
  owner?: string;
}

/** What may be stored in a task's payload. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface NewTask {
  /** Chosen by the store when absent; give one to make a follow-up task idempotent. */
  id?: string;
  /** Which handler runs it (`paste`, `reply`…). */
  kind: string;
  payload: Json;
  /** Not before this time (epoch ms); default now. */
  notBefore?: number;
}

/** A task handed to one owner until `until`; after that any owner may take it over. */
export interface Lease {
  owner: string;
  /** Unique per lease: a stale owner's complete/reschedule is refused. */
  token: string;
  until: number;
}

export interface LeasedTask extends OutboxTask {
  lease: Lease;
}

/** What complete/renew/reschedule need to know of a leased task. */
export type TaskLease = Pick<LeasedTask, "id" | "lease">;

export interface UpsertOptions {
  /**
   * Follow-up tasks, enqueued in the same atomic write as the incident (recording a diagnosis and
   * the reply that announces it: both or neither). Gets the incident as stored.
   */
  enqueue?: (incident: Incident) => NewTask[];
  /**
   * A leased task completed in the same atomic write (the paste that produced this diagnosis);
   * LeaseLostError, and nothing written, when that lease was lost.
   */
  complete?: TaskLease;
}

export interface StoreHealth {
  ok: boolean;
  /** Why not, for the log: may name files and errors, so never shown to Slack users. */
  reason?: string;
}

export interface StoreStats {
  /** Tasks not completed, due or not, leased or not. */
  pendingTasks: number;
  /** Dedupe keys held (expired ones are purged, see `claim`). */
  claims: number;
}

export interface IncidentStore {
  // ---- incidents ------------------------------------------------------------------------------

  get(id: string): Promise<Incident | undefined>;
  /** Oldest first (createdAt, then id). Incidents past retention are never returned. */
  list(query?: IncidentQuery): Promise<Incident[]>;
  /**
   * Read-modify-write of one incident, a transaction: `update` gets a copy of the current incident
   * (undefined when new) and returns the new one, which is validated; the store stamps updatedAt.
   * Concurrent upserts of one incident are applied one after the other, each seeing the one before
   * (none is lost, also across processes for a shared store). `update` may throw to refuse: nothing
   * is written, the call rejects with that error. It may run more than once (a shared store retries
   * a transaction that lost a race), so it must not have side effects.
   */
  upsert(
    id: string,
    update: (current: Incident | undefined) => Incident,
    options?: UpsertOptions,
  ): Promise<Incident>;
  /** Appends a note (trimmed, cut at MAX_NOTE_LENGTH); IncidentNotFoundError when there is no incident. */
  appendNote(id: string, note: { author: string; text: string }): Promise<Incident>;
  /** "Was this right?": one answer per user and finding, a later one replacing it. */
  addFeedback(id: string, answer: Omit<FeedbackAnswer, "at">): Promise<Incident>;

  // ---- dedupe ---------------------------------------------------------------------------------

  /**
   * Claims `key` (an event id, a message's channel and ts) for `ttlMs`: true the first time, false
   * while an earlier claim holds, whatever happened in between (no count limit: a key is kept for
   * its whole ttl at any event rate). Expired keys are purged, no later than the first claim made
   * a second (store clock) after they expired, so space stays proportional to rate × ttl.
   */
  claim(key: string, ttlMs: number): Promise<boolean>;

  // ---- per-thread serialisation ---------------------------------------------------------------

  /**
   * Runs `task` while no other task holding `key` (a thread's incident id) runs, here or (for a
   * shared store) in another process: pastes into one thread are diagnosed one at a time. Tasks of
   * one key start in call order within a process. The lock is released however `task` ends.
   */
  withThreadLock<T>(key: string, task: () => Promise<T>): Promise<T>;

  // ---- the outbox: durable tasks --------------------------------------------------------------

  /**
   * Stores a task. With `claim`, only if that key is not claimed, claiming it in the same atomic
   * write (an event accepted exactly once): null when it was claimed already. A task whose id is
   * that of a pending task is not stored again (null).
   */
  enqueue(task: NewTask, options?: { claim?: { key: string; ttlMs: number } }): Promise<OutboxTask | null>;
  /**
   * Leases up to `limit` due tasks (notBefore ≤ now, not leased or lease expired; of `kinds` only,
   * when given), oldest notBefore first, to `owner` for `leaseMs`. Each one's `attempts` goes up by one, durably, before it is
   * returned. A lease that expires (its owner died or hung) lets any owner take the task over.
   */
  lease(owner: string, options: { limit: number; leaseMs: number; kinds?: string[] }): Promise<LeasedTask[]>;
  /** Extends a lease still held; false when it was lost (expired and taken, or the task is gone). */
  renew(lease: TaskLease, leaseMs: number): Promise<boolean>;
  /**
   * Done: the task is deleted, and `enqueue`'s follow-up tasks stored in the same atomic write.
   * False (nothing written) when the lease was lost: someone else may run it again.
   */
  complete(lease: TaskLease, options?: { enqueue?: NewTask[] }): Promise<boolean>;
  /** Failed for now: released, due again at `notBefore`, `error` kept as lastError. */
  reschedule(lease: TaskLease, retry: { notBefore: number; error: string }): Promise<boolean>;

  // ---- settings -------------------------------------------------------------------------------

  // Per-channel and per-team settings (settings.ts) are one small document (a few kilobytes) kept
  // beside the incidents: lowdb keeps it as one record (`settings` table, id `all`); a database as
  // one row (a JSONB column, say), `updateSettings` then a transaction that locks it (`SELECT … FOR
  // UPDATE`), as `upsert` does an incident's row.

  /** Every channel's and team's settings; `{ channels: {}, teams: {} }` when nobody set any. */
  getSettings(): Promise<Settings>;
  /**
   * Read-modify-write of the settings, a transaction: `update` gets a copy and returns the new
   * settings, which are validated (`Settings`); concurrent updates are applied one after the other,
   * each seeing the one before. Like `upsert`'s, `update` may throw to refuse (nothing written) and
   * may run more than once, so it must not have side effects. Resolves once they are stored.
   */
  updateSettings(update: (current: Settings) => Settings): Promise<Settings>;

  // ---- health and lifecycle -------------------------------------------------------------------

  /** Counts for health checks and tests. */
  stats(): Promise<StoreStats>;
  /** Whether the store can read and write now; `reason` says why not (for the log, not for users). */
  health(): Promise<StoreHealth>;
  /** Finishes the writes already asked for, refuses later ones, releases what it holds. */
  close(): Promise<void>;
  /** The store's clock (epoch ms), so helpers stamp times the way the store does. */
  now(): number;
}

export class IncidentNotFoundError extends Error {
  constructor(readonly id: string) {
    super(`no incident "${id}"`);
  }
}

export class StoreClosedError extends Error {
  constructor() {
    super("the incident store is closed");
  }
}

/** The store cannot write (disk full, folder not writable, journal broken): nothing was changed. */
export class StoreWriteError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StoreWriteError";
  }
}

/**
 * A shared store's database cannot be reached now (connection refused or lost): try again later.
 * Unlike StoreWriteError, the bot does not fall back to memory: the caller leaves the work where it
 * is durable (Slack redelivers an event not acknowledged; the outbox retries a task). When the
 * connection was lost during a commit, whether the change landed is unknown: every operation the bot
 * retries is written so that a second run of it is harmless (claims, task ids, leases).
 */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StoreUnavailableError";
  }
}

/** A change that needed a task's lease (an upsert completing it) found the lease lost: nothing written. */
export class LeaseLostError extends Error {
  constructor(readonly taskId: string) {
    super(`the lease on task ${taskId} was lost`);
    this.name = "LeaseLostError";
  }
}

/** Longest note kept; Slack's plain-text input tops out at 3,000 characters. */
export const MAX_NOTE_LENGTH = 3000;

/** appendNote and addFeedback, the same on every store: read-modify-writes through its `upsert`. */
export function annotations(
  upsert: IncidentStore["upsert"],
  now: () => number,
): Pick<IncidentStore, "appendNote" | "addFeedback"> {
  return {
    appendNote(id, note) {
      const text = note.text.trim().slice(0, MAX_NOTE_LENGTH);
      if (text === "") return Promise.reject(new Error("a note needs some text"));
      return upsert(id, (current) => {
        if (!current) throw new IncidentNotFoundError(id);
        current.notes.push({ author: note.author, text, at: new Date(now()).toISOString() });
        return current;
      });
    },

    addFeedback(id, answer) {
      return upsert(id, (current) => {
        if (!current) throw new IncidentNotFoundError(id);
        const others = current.feedback.filter(
          (a) => !(a.user === answer.user && a.findingId === answer.findingId),
        );
        return { ...current, feedback: [...others, { ...answer, at: new Date(now()).toISOString() }] };
      });
    },
  };
}

/** Options every store takes, whatever holds it. */
export interface CommonStoreOptions {
  /** Incidents not updated for this many days are deleted. Default 30. */
  retentionDays?: number;
  /** Keep the pasted text (Incident.rawText, up to MAX_RAW_TEXT). Default false: kinds and sizes only. */
  keepRawText?: boolean;
  now?: () => number;
  /** Never write, migrate, lock or prune (the CLI reading the bot's store). */
  readOnly?: boolean;
  /** Told what a person running the bot should know (a lock taken over, a connection lost…). */
  notice?: (message: string) => void;
}

/** How often a store prunes incidents past their retention (store clock). */
export const PRUNE_EVERY_MS = 60 * 60 * 1000;

/** CommonStoreOptions with their defaults, the retention as milliseconds; a bad retention throws. */
export function commonOptions(opts: CommonStoreOptions) {
  const retentionDays = opts.retentionDays ?? 30;
  if (!(retentionDays > 0))
    throw new Error(`retentionDays must be a positive number of days, got ${retentionDays}`);
  return {
    now: opts.now ?? Date.now,
    retentionMs: retentionDays * 24 * 60 * 60 * 1000,
    keepRawText: opts.keepRawText ?? false,
    readOnly: opts.readOnly ?? false,
    notice: opts.notice ?? ((_message: string) => undefined),
  };
}
