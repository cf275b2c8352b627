// The embedded store: lowdb holds the snapshot file, and a journal beside it takes every change as
// one appended, fsynced line (journal.ts), so a write costs what it changes, not the whole history.
// The journal is folded into a new snapshot in the background once it has grown (compaction, written
// a slice at a time so the event loop never waits for it). One process writes (writer-lock.ts);
// every write goes through one queue that groups concurrent changes into one append.
import { randomUUID } from "node:crypto";
import { copyFile, readdir, rename } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { Low } from "lowdb";
import { DurableJSONFile, makeFolder } from "./durable-file.js";
import {
  dropSegments,
  JournalWriter,
  journalPath,
  journalSegments,
  type ReplayedFile,
  readStoreConsistently,
  replayStore,
  type SnapshotRead,
} from "./journal.js";
import { KeyedLock } from "./keyed-lock.js";
import { decodeStoreFile, StoreFileError } from "./migrate.js";
import { GroupCommitQueue } from "./queue.js";
import { emptyStoreFile, Incident, type JournalChange, type OutboxTask, type StoreFile } from "./schema.js";
import { emptySettings, SETTINGS_ID, Settings } from "./settings.js";
import {
  annotations,
  type CommonStoreOptions,
  commonOptions,
  type IncidentQuery,
  type IncidentStore,
  type Lease,
  type LeasedTask,
  LeaseLostError,
  type NewTask,
  PRUNE_EVERY_MS,
  StoreClosedError,
  type StoreHealth,
  StoreWriteError,
  type TaskLease,
  type UpsertOptions,
} from "./store.js";
import { acquireWriterLock, type WriterLock } from "./writer-lock.js";

/** Expired claims are swept from memory at most this often (store clock). */
const SWEEP_EVERY_MS = 1000;
/** A journal this big (or half the snapshot, whichever is more) is compacted. */
const COMPACT_AT_BYTES = 8 * 1024 * 1024;
/** A journal with anything in it is compacted at least this often, so finished tasks leave the disk. */
const COMPACT_EVERY_MS = 60 * 60 * 1000;
/** Longest pasted text kept with an incident (TATTLETALE_KEEP_RAW_TEXT). */
export const MAX_RAW_TEXT = 1024 * 1024;

export interface OpenStoreOptions extends CommonStoreOptions {
  path: string;
  /** The journal size that starts a compaction (default 8 MB, or half the snapshot if more). */
  compactAtBytes?: number;
  /** A non-empty journal is compacted at least this often (default an hour). */
  compactEveryMs?: number;
  /** Test hook: an error returned here fails the next journal write, as a full or broken disk would. */
  writeFault?: () => Error | undefined;
}

/** The default file: TATTLETALE_DB, else .tattletale/incidents.json under the working folder. */
export function resolveDbPath(env: Record<string, string | undefined>, cwd: string): string {
  const fromEnv = env.TATTLETALE_DB?.trim();
  return fromEnv ? fromEnv : join(cwd, ".tattletale", "incidents.json");
}

function stamp(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
}

/** Stored records are shared with readers, never copied: frozen so that nobody changes them. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

interface Tables {
  incident: Map<string, Incident>;
  claim: Map<string, number>;
  task: Map<string, OutboxTask>;
  /** One record, SETTINGS_ID: every channel's and team's settings. */
  settings: Map<string, Settings>;
}
/** The id of the settings' one record. */
type Table = keyof Tables;
type ValueOf<T extends Table> = Tables[T] extends Map<string, infer V> ? V : never;

/** Changes queued in the current batch, one group per write (one journal line each). */
interface Staged {
  groups: JournalChange[][];
}

/** A read of the committed tables with the batch's earlier changes on top. */
interface Reader {
  get<T extends Table>(t: T, id: string): ValueOf<T> | undefined;
}

/** The snapshot's text, a slice at a time: the event loop runs between slices. */
async function* snapshotText(seq: number, tables: { [T in Table]: Array<[string, ValueOf<T>]> }) {
  const SLICE_MS = 8;
  const out: string[] = [];
  let size = 0;
  let started = performance.now();
  const flush = async function* (force: boolean) {
    if (!force && size < 1024 * 1024 && performance.now() - started < SLICE_MS) return;
    yield out.join("");
    out.length = 0;
    size = 0;
    await new Promise((resolve) => setImmediate(resolve));
    started = performance.now();
  };
  out.push(`{"version":3,"seq":${seq},\n`);
  for (const [key, t] of [
    ["claims", "claim"],
    ["tasks", "task"],
    ["settings", "settings"],
    ["incidents", "incident"],
  ] as const) {
    out.push(`${JSON.stringify(key)}:{`);
    let first = true;
    for (const [id, v] of tables[t]) {
      const part = `${first ? "\n" : ",\n"}${JSON.stringify(id)}:${JSON.stringify(v)}`;
      first = false;
      out.push(part);
      size += part.length;
      yield* flush(false);
    }
    out.push(key === "incidents" ? "\n}}\n" : "\n},\n");
  }
  yield* flush(true);
}

/** The lowdb store, with what only it has. */
export interface LowdbStore extends IncidentStore {
  /** Folds the journal into a new snapshot now (or waits for the compaction under way). */
  compact(): Promise<void>;
}

export async function openStore(opts: OpenStoreOptions): Promise<LowdbStore> {
  const { now, retentionMs, keepRawText, readOnly, notice } = commonOptions(opts);
  const path = opts.path;

  // lowdb reads and writes the snapshot (durably: durable-file.ts); the journal is ours.
  const adapter = new DurableJSONFile<SnapshotRead>(path, (text) => {
    const decoded = decodeStoreFile(text);
    return { file: decoded.file, migratedFrom: decoded.migratedFrom, bytes: Buffer.byteLength(text) };
  });
  const missing: SnapshotRead = { file: emptyStoreFile(), migratedFrom: null, bytes: 0 };
  const snapshot = async (): Promise<SnapshotRead | null> => {
    const db = new Low<SnapshotRead>(adapter, missing);
    await db.read();
    return db.data === missing ? null : db.data;
  };

  /** Sticky problem found on open (a file set aside, the store not writable at all). */
  let openProblem: string | undefined;
  /** The last write failed; cleared by the next good one. */
  let writeProblem: string | undefined;
  let canWrite = !readOnly;
  let lock: WriterLock | undefined;

  if (!readOnly) {
    try {
      await makeFolder(dirname(path));
      lock = await acquireWriterLock(path, notice);
    } catch (error) {
      if ((error as Error).name === "StoreLockedError") throw error;
      canWrite = false;
      openProblem = `incident store ${path} cannot be written (${(error as Error).message}): incidents are not saved until it is fixed`;
    }
  }

  /** Sets the snapshot and every journal file aside (…broken-<time>), untouched, for a person. */
  async function setAside(reason: string): Promise<void> {
    const suffix = `broken-${stamp(now())}`;
    const names = await readdir(dirname(path)).catch(() => [] as string[]);
    const ours = names.filter((n) => n === basename(path) || n.startsWith(`${basename(path)}.journal`));
    for (const n of ours) await rename(join(dirname(path), n), join(dirname(path), `${n}.${suffix}`));
    openProblem = `incident file ${path} could not be read (${reason}); it was set aside as ${path}.${suffix} and a new, empty store is used`;
    notice(openProblem);
  }

  let replayed: ReplayedFile | null = null;
  try {
    replayed = readOnly ? await readStoreConsistently(path, snapshot) : await replayStore(path, snapshot);
  } catch (error) {
    const reason = (error as Error).message;
    if (error instanceof StoreFileError && canWrite) {
      try {
        await setAside(reason);
      } catch (moveError) {
        canWrite = false;
        openProblem = `incident file ${path} could not be read (${reason}) nor set aside (${(moveError as Error).message}); incidents are not saved until it is fixed`;
      }
    } else {
      canWrite = false;
      openProblem ??= readOnly
        ? `incident file ${path} could not be read (${reason})`
        : `incident file ${path} could not be read (${reason}); incidents are not saved until it is fixed`;
    }
  }

  const data: StoreFile = replayed?.file ?? emptyStoreFile();
  const tables: Tables = {
    incident: new Map(
      Object.values(data.incidents)
        .sort((a, b) =>
          a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1,
        )
        .map((i) => [i.id, deepFreeze(i)]),
    ),
    claim: new Map(Object.entries(data.claims)),
    task: new Map(Object.entries(data.tasks).map(([id, t]) => [id, deepFreeze(t)])),
    settings: new Map(Object.entries(data.settings).map(([id, v]) => [id, deepFreeze(v)])),
  };
  /** The incidents Map is kept in list order (createdAt, id); false once an insert broke it. */
  let incidentsOrdered = true;
  let seq = data.seq;
  let snapshotBytes = replayed?.snapshotBytes ?? 0;
  let journal: JournalWriter | undefined;
  const compactAtBytes = opts.compactAtBytes ?? COMPACT_AT_BYTES;
  const compactEveryMs = opts.compactEveryMs ?? COMPACT_EVERY_MS;

  if (canWrite && replayed?.file) {
    try {
      if (replayed.broken) {
        // The lines before the broken one are kept (written into a new snapshot below); the
        // broken file and those after it are set aside for a person to look at.
        const suffix = `broken-${stamp(now())}`;
        const files = [...(await journalSegments(path)).map((s) => s.path), journalPath(path)];
        for (const f of files.slice(files.indexOf(replayed.broken.path)))
          await rename(f, `${f}.${suffix}`).catch(() => undefined);
        openProblem = `journal ${replayed.broken.path} line ${replayed.broken.line} could not be read (${replayed.broken.reason}); what came before it was kept, the rest set aside as ${replayed.broken.path}.${suffix}`;
        notice(openProblem);
      }
      if (replayed.migratedFrom !== null) {
        // Keep the old version for a person, in case the migration lost something they need.
        await copyFile(path, `${path}.v${replayed.migratedFrom}-${stamp(now())}.bak`);
      }
      if (replayed.broken || replayed.migratedFrom !== null) {
        snapshotBytes = await adapter.writeChunks(snapshotText(seq, captureTables()));
        await dropSegments(path, seq);
      }
      if (replayed.broken) {
        // The current journal was set aside with the broken one: a new one starts.
        journal = await JournalWriter.open(path, 0, false);
      } else {
        journal = await JournalWriter.open(path, replayed.journalBytes, replayed.tornTail);
      }
    } catch (error) {
      canWrite = false;
      openProblem = `incident store ${path} cannot be written (${(error as Error).message}): incidents are not saved until it is fixed`;
    }
  } else if (canWrite) {
    // A new store: an empty snapshot, so that the file a person (or the CLI) looks for is there.
    journal = await adapter
      .writeChunks(snapshotText(0, { incident: [], claim: [], task: [], settings: [] }))
      .then(() => JournalWriter.open(path, 0, false))
      .catch((error: Error) => {
        canWrite = false;
        openProblem = `incident store ${path} cannot be written (${error.message}): incidents are not saved until it is fixed`;
        return undefined;
      });
  }

  function captureTables(): { [T in Table]: Array<[string, ValueOf<T>]> } {
    const atMs = now();
    return {
      incident: [...tables.incident],
      claim: [...tables.claim].filter(([, until]) => until > atMs),
      task: [...tables.task],
      settings: [...tables.settings],
    };
  }

  // ---- writing ---------------------------------------------------------------------------------

  let closed = false;
  /** File operations on the journal (appends, rotation) one at a time. */
  let io: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = io.then(fn, fn);
    io = run.catch(() => undefined);
    return run;
  };

  function applyChange(c: JournalChange): void {
    if (c.t === "incident") {
      if (c.v === null) tables.incident.delete(c.id);
      else tables.incident.set(c.id, deepFreeze(c.v));
    } else if (c.t === "claim") {
      if (c.v === null) tables.claim.delete(c.id);
      else tables.claim.set(c.id, c.v);
    } else if (c.t === "settings") {
      if (c.v === null) tables.settings.delete(c.id);
      else tables.settings.set(c.id, deepFreeze(c.v));
    } else if (c.v === null) tables.task.delete(c.id);
    else tables.task.set(c.id, deepFreeze(c.v));
  }

  /** The newest incident's createdAt: a new one older than it means the Map is out of list order. */
  let newestCreated = "";
  for (const i of tables.incident.values()) newestCreated = i.createdAt;

  async function commit(staged: Staged): Promise<void> {
    if (staged.groups.length === 0) return;
    const first = seq + 1;
    const text = staged.groups
      .map((changes, n) => `${JSON.stringify({ seq: first + n, changes })}\n`)
      .join("");
    await exclusive(async () => {
      const fault = opts.writeFault?.();
      try {
        if (fault) throw fault;
        if (!journal) throw new Error("the journal is not open");
        await journal.append(text);
        writeProblem = undefined;
      } catch (error) {
        writeProblem = `writing ${journalPath(path)} failed: ${(error as Error).message}`;
        throw new StoreWriteError(writeProblem, { cause: error });
      }
    });
    seq = first + staged.groups.length - 1;
    for (const changes of staged.groups)
      for (const c of changes) {
        if (c.t === "incident" && c.v !== null && !tables.incident.has(c.id)) {
          if (c.v.createdAt < newestCreated) incidentsOrdered = false;
          else newestCreated = c.v.createdAt;
        }
        applyChange(c);
      }
    afterCommit();
  }

  const queue = new GroupCommitQueue<Staged>(() => ({ groups: [] }), commit);

  function readerOf(staged: Staged): Reader {
    return {
      get<T extends Table>(t: T, id: string): ValueOf<T> | undefined {
        for (let g = staged.groups.length - 1; g >= 0; g--) {
          const group = staged.groups[g] as JournalChange[];
          for (let n = group.length - 1; n >= 0; n--) {
            const c = group[n] as JournalChange;
            if (c.t === t && c.id === id) return (c.v ?? undefined) as ValueOf<T> | undefined;
          }
        }
        return tables[t].get(id) as ValueOf<T> | undefined;
      },
    };
  }

  /**
   * One atomic write: `fn` reads (committed state plus this batch's earlier changes) and returns
   * its changes, journaled as one line, and its answer, given once the line is on disk.
   */
  function write<T>(fn: (r: Reader, atMs: number) => { changes: JournalChange[]; value: T }): Promise<T> {
    if (closed) return Promise.reject(new StoreClosedError());
    if (!canWrite)
      return Promise.reject(
        new StoreWriteError(openProblem ?? (readOnly ? "the store was opened read-only" : "not writable")),
      );
    return queue.run((staged) => {
      const atMs = now();
      const r = readerOf(staged);
      const { changes, value } = fn(r, atMs);
      if (changes.length > 0 && atMs - lastPrune >= PRUNE_EVERY_MS) changes.push(...pruneChanges(r, atMs));
      return { state: changes.length > 0 ? { groups: [...staged.groups, changes] } : staged, value };
    });
  }

  // ---- background upkeep: claims swept, incidents pruned, journal compacted ----------------------

  let lastSweep = now();
  function sweepClaims(atMs: number): void {
    if (atMs - lastSweep < SWEEP_EVERY_MS) return;
    lastSweep = atMs;
    for (const [key, until] of tables.claim) if (until <= atMs) tables.claim.delete(key);
  }

  const expired = (incident: Incident, atMs: number) => Date.parse(incident.updatedAt) < atMs - retentionMs;
  let lastPrune = Number.NEGATIVE_INFINITY;
  /** Deletions of the incidents past retention, added to a write at most once an hour (store clock). */
  function pruneChanges(r: Reader, atMs: number): JournalChange[] {
    lastPrune = atMs;
    const gone: JournalChange[] = [];
    for (const i of tables.incident.values()) {
      const current = r.get("incident", i.id);
      if (current && expired(current, atMs)) gone.push({ t: "incident", id: i.id, v: null });
    }
    return gone;
  }

  let compacting: Promise<void> | null = null;
  let lastCompaction = now();
  async function compact(): Promise<void> {
    const captured = await exclusive(async () => {
      if (!journal || journal.bytes === 0) return null;
      await journal.rotate(seq);
      return { seq, tables: captureTables() };
    });
    lastCompaction = now();
    if (!captured) return;
    snapshotBytes = await adapter.writeChunks(snapshotText(captured.seq, captured.tables));
    await dropSegments(path, captured.seq);
  }
  function startCompaction(): void {
    if (compacting || closed || !canWrite) return;
    compacting = compact()
      .catch((error: Error) =>
        notice(`compacting ${path} failed (the journal keeps everything): ${error.message}`),
      )
      .finally(() => {
        compacting = null;
      });
  }
  function afterCommit(): void {
    if (journal && journal.bytes >= Math.max(compactAtBytes, snapshotBytes / 2)) startCompaction();
  }
  const timer = canWrite
    ? setInterval(
        () => {
          if (journal && journal.bytes > 0 && now() - lastCompaction >= compactEveryMs) startCompaction();
        },
        Math.min(compactEveryMs, 60_000),
      )
    : undefined;
  timer?.unref();

  // Incidents past retention go at once, in a write of their own; then again an hour later.
  if (canWrite && [...tables.incident.values()].some((i) => expired(i, now())))
    await write((r, atMs) => ({ changes: pruneChanges(r, atMs), value: undefined })).catch(() => undefined);
  lastPrune = now();

  // ---- the interface ---------------------------------------------------------------------------

  const clone = (incident: Incident): Incident => structuredClone(incident);
  const threadLocks = new KeyedLock();
  const leases = new Map<string, Lease>();

  function leaseHeld(r: Reader, lease: TaskLease): boolean {
    const held = leases.get(lease.id);
    return held !== undefined && held.token === lease.lease.token && r.get("task", lease.id) !== undefined;
  }

  function taskOf(t: NewTask, id: string, atMs: number): OutboxTask {
    return {
      id,
      kind: t.kind,
      payload: t.payload,
      createdAt: atMs,
      notBefore: t.notBefore ?? atMs,
      attempts: 0,
      lastError: null,
    };
  }

  function upsert(
    id: string,
    update: (current: Incident | undefined) => Incident,
    options: UpsertOptions = {},
  ): Promise<Incident> {
    return write((r, atMs) => {
      const current = r.get("incident", id);
      const proposed = update(current === undefined ? undefined : clone(current));
      const next = Incident.parse({ ...proposed, updatedAt: new Date(atMs).toISOString() });
      if (next.id !== id) throw new Error(`upsert("${id}") returned an incident with id "${next.id}"`);
      if (!keepRawText) delete next.rawText;
      else if (next.rawText !== undefined && next.rawText.length > MAX_RAW_TEXT)
        next.rawText = `${next.rawText.slice(0, MAX_RAW_TEXT)}\n…(cut: longer than ${MAX_RAW_TEXT} characters)`;
      const changes: JournalChange[] = [{ t: "incident", id, v: next }];
      if (options.complete) {
        if (!leaseHeld(r, options.complete)) throw new LeaseLostError(options.complete.id);
        changes.push({ t: "task", id: options.complete.id, v: null });
      }
      for (const t of options.enqueue?.(structuredClone(next)) ?? []) {
        const taskId = t.id ?? randomUUID();
        if (r.get("task", taskId) === undefined)
          changes.push({ t: "task", id: taskId, v: taskOf(t, taskId, atMs) });
      }
      return { changes, value: next };
    }).then((incident) => {
      if (options.complete) leases.delete(options.complete.id);
      return clone(incident);
    });
  }

  async function closeStore(): Promise<void> {
    if (closed) return;
    // Changes already asked for are written; later ones are refused.
    closed = true;
    if (timer) clearInterval(timer);
    await queue.idle();
    await compacting;
    await journal?.close();
    await lock?.release();
  }

  return {
    async get(id) {
      const incident = tables.incident.get(id);
      return incident === undefined || expired(incident, now()) ? undefined : incident;
    },

    async list(query: IncidentQuery = {}) {
      const atMs = now();
      if (!incidentsOrdered) {
        const sorted = [...tables.incident.values()].sort((a, b) =>
          a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1,
        );
        tables.incident.clear();
        for (const i of sorted) tables.incident.set(i.id, i);
        incidentsOrdered = true;
        newestCreated = sorted.at(-1)?.createdAt ?? "";
      }
      const out: Incident[] = [];
      for (const i of tables.incident.values()) {
        if (expired(i, atMs)) continue;
        if (query.sinceMs !== undefined && Date.parse(i.updatedAt) < query.sinceMs) continue;
        if (query.status !== undefined && !query.status.includes(i.status)) continue;
        if (query.owner !== undefined && i.owner !== query.owner) continue;
        out.push(i);
      }
      return out;
    },

    upsert,

    async getSettings() {
      return structuredClone(tables.settings.get(SETTINGS_ID) ?? emptySettings());
    },

    updateSettings(update) {
      return write((r) => {
        const current = r.get("settings", SETTINGS_ID) ?? emptySettings();
        const next = deepFreeze(Settings.parse(update(structuredClone(current))));
        return { changes: [{ t: "settings", id: SETTINGS_ID, v: next }], value: structuredClone(next) };
      });
    },

    ...annotations(upsert, now),

    claim(key, ttlMs) {
      return write((r, atMs) => {
        sweepClaims(atMs);
        const until = r.get("claim", key);
        if (until !== undefined && until > atMs) return { changes: [], value: false };
        return { changes: [{ t: "claim", id: key, v: atMs + ttlMs }], value: true };
      });
    },

    withThreadLock(key, task) {
      return threadLocks.run(key, task);
    },

    enqueue(task, options = {}) {
      return write((r, atMs) => {
        const changes: JournalChange[] = [];
        const claim = options.claim;
        if (claim) {
          sweepClaims(atMs);
          const until = r.get("claim", claim.key);
          if (until !== undefined && until > atMs) return { changes, value: null };
          changes.push({ t: "claim", id: claim.key, v: atMs + claim.ttlMs });
        }
        const id = task.id ?? randomUUID();
        if (r.get("task", id) !== undefined) return { changes: [], value: null };
        const stored = taskOf(task, id, atMs);
        changes.push({ t: "task", id, v: stored });
        return { changes, value: stored as OutboxTask | null };
      }).then((t) => (t === null ? null : structuredClone(t)));
    },

    lease(owner, { limit, leaseMs, kinds }) {
      const taken: LeasedTask[] = [];
      return write((r, atMs) => {
        const due: OutboxTask[] = [];
        for (const t of tables.task.values()) {
          if (t.notBefore > atMs || (kinds && !kinds.includes(t.kind)) || r.get("task", t.id) === undefined)
            continue;
          const held = leases.get(t.id);
          if (held && held.until > atMs) continue;
          due.push(t);
        }
        due.sort((a, b) => a.notBefore - b.notBefore || a.createdAt - b.createdAt);
        const changes: JournalChange[] = [];
        for (const t of due.slice(0, Math.max(0, limit))) {
          const lease: Lease = { owner, token: randomUUID(), until: atMs + leaseMs };
          leases.set(t.id, lease);
          const next = { ...t, attempts: t.attempts + 1 };
          changes.push({ t: "task", id: t.id, v: next });
          taken.push({ ...structuredClone(next), lease });
        }
        return { changes, value: taken };
      }).catch((error) => {
        for (const t of taken) if (leases.get(t.id)?.token === t.lease.token) leases.delete(t.id);
        throw error;
      });
    },

    async renew(lease, leaseMs) {
      const held = leases.get(lease.id);
      if (!held || held.token !== lease.lease.token || !tables.task.has(lease.id)) return false;
      held.until = now() + leaseMs;
      return true;
    },

    complete(lease, options = {}) {
      return write((r, atMs) => {
        if (!leaseHeld(r, lease)) return { changes: [], value: false };
        const changes: JournalChange[] = [{ t: "task", id: lease.id, v: null }];
        for (const t of options.enqueue ?? []) {
          const taskId = t.id ?? randomUUID();
          if (r.get("task", taskId) === undefined)
            changes.push({ t: "task", id: taskId, v: taskOf(t, taskId, atMs) });
        }
        return { changes, value: true };
      }).then((done) => {
        if (done) leases.delete(lease.id);
        return done;
      });
    },

    reschedule(lease, retry) {
      return write((r) => {
        const task = r.get("task", lease.id);
        if (!task || !leaseHeld(r, lease)) return { changes: [], value: false };
        const next = { ...task, notBefore: retry.notBefore, lastError: retry.error.slice(0, 2000) };
        return { changes: [{ t: "task", id: lease.id, v: next }], value: true };
      }).then((done) => {
        if (done) leases.delete(lease.id);
        return done;
      });
    },

    async stats() {
      lastSweep = Number.NEGATIVE_INFINITY;
      sweepClaims(now());
      return { pendingTasks: tables.task.size, claims: tables.claim.size };
    },

    async health(): Promise<StoreHealth> {
      if (closed) return { ok: false, reason: "the incident store is closed" };
      const reason = [openProblem, writeProblem].filter((m) => m !== undefined).join("; ");
      return reason === "" ? { ok: true } : { ok: false, reason };
    },

    close: closeStore,

    now,

    async compact() {
      if (!compacting) startCompaction();
      await compacting;
    },
  };
}
