// The embedded incident store: one lowdb JSON file, written atomically and durably
// (durable-file.ts), every write serialised through one queue, old incidents pruned.
import { copyFile, rename } from "node:fs/promises";
import { join } from "node:path";
import { Low } from "lowdb";
import { DurableJSONFile } from "./durable-file.js";
import { decodeStoreFile, StoreFileError } from "./migrate.js";
import { GroupCommitQueue } from "./queue.js";
import { emptyStoreFile, Incident, type StoreFile } from "./schema.js";
import {
  IncidentNotFoundError,
  type IncidentQuery,
  type IncidentStore,
  MAX_NOTE_LENGTH,
  StoreClosedError,
} from "./store.js";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Pruning runs on open and then on the first write after this much time. */
const PRUNE_EVERY_MS = 60 * 60 * 1000;

export interface OpenStoreOptions {
  path: string;
  /** Incidents not updated for this many days are deleted. Default 30. */
  retentionDays?: number;
  /** Keep the pasted text (Incident.rawText). Default false: kinds and sizes only. */
  keepRawText?: boolean;
  now?: () => number;
  /** Never write, rename or prune on disk (the CLI reading the bot's file). */
  readOnly?: boolean;
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

export async function openStore(opts: OpenStoreOptions): Promise<IncidentStore> {
  const now = opts.now ?? Date.now;
  const retentionDays = opts.retentionDays ?? 30;
  if (!(retentionDays > 0))
    throw new Error(`retentionDays must be a positive number of days, got ${retentionDays}`);
  const retentionMs = retentionDays * DAY_MS;
  const keepRawText = opts.keepRawText ?? false;
  const readOnly = opts.readOnly ?? false;

  let migratedFrom: number | null = null;
  const adapter = new DurableJSONFile<StoreFile>(opts.path, (text) => {
    const decoded = decodeStoreFile(text);
    migratedFrom = decoded.migratedFrom;
    return decoded.file;
  });
  const db = new Low<StoreFile>(adapter, emptyStoreFile());

  /** Sticky problem found on open (the file was set aside, or could not be read at all). */
  let openProblem: string | undefined;
  /** The last write failed; cleared by the next good one. */
  let writeProblem: string | undefined;
  /** When the file could not be read and not be moved aside either, never write over it. */
  let canWrite = !readOnly;
  let closed = false;
  let lastPruneMs = now();

  try {
    await db.read();
  } catch (error) {
    const reason = error instanceof StoreFileError ? error.message : (error as Error).message;
    db.data = emptyStoreFile();
    if (error instanceof StoreFileError && !readOnly) {
      const aside = `${opts.path}.broken-${stamp(now())}`;
      try {
        await rename(opts.path, aside);
        openProblem = `incident file ${opts.path} could not be read (${reason}); it was set aside as ${aside} and a new, empty file is used`;
      } catch (moveError) {
        canWrite = false;
        openProblem = `incident file ${opts.path} could not be read (${reason}) nor set aside (${(moveError as Error).message}); incidents are kept in memory only until it is fixed`;
      }
    } else {
      canWrite = false;
      openProblem = readOnly
        ? `incident file ${opts.path} could not be read (${reason})`
        : `incident file ${opts.path} could not be read (${reason}); incidents are kept in memory only until it is fixed`;
    }
  }

  const expired = (incident: Incident, atMs: number) => Date.parse(incident.updatedAt) < atMs - retentionMs;

  function pruned(file: StoreFile, atMs: number): { file: StoreFile; removed: number } {
    const kept = Object.entries(file.incidents).filter(([, incident]) => !expired(incident, atMs));
    const removed = Object.keys(file.incidents).length - kept.length;
    return removed === 0
      ? { file, removed }
      : { file: { ...file, incidents: Object.fromEntries(kept) }, removed };
  }

  /** Writes `next` and only then makes it the current data, so a failed write changes nothing. */
  async function commit(next: StoreFile): Promise<void> {
    if (canWrite) {
      try {
        await adapter.write(next);
        writeProblem = undefined;
      } catch (error) {
        writeProblem = `writing ${opts.path} failed: ${(error as Error).message}`;
        throw error;
      }
    }
    db.data = next;
  }

  if (canWrite) {
    const atOpen = now();
    const { file, removed } = pruned(db.data, atOpen);
    if (migratedFrom !== null) {
      // Keep the old version for a person, in case the migration lost something they need.
      await copyFile(opts.path, `${opts.path}.v${migratedFrom}-${stamp(atOpen)}.bak`);
    }
    if (removed > 0 || migratedFrom !== null) await commit(file);
  }

  const clone = (incident: Incident): Incident => structuredClone(incident);
  const queue = new GroupCommitQueue<StoreFile>(() => db.data, commit);

  function upsert(id: string, update: (current: Incident | undefined) => Incident): Promise<Incident> {
    if (closed) return Promise.reject(new StoreClosedError());
    return queue.run((state) => {
      const current = state.incidents[id];
      const proposed = update(current === undefined ? undefined : clone(current));
      const atMs = now();
      const next = Incident.parse({ ...proposed, updatedAt: new Date(atMs).toISOString() });
      if (next.id !== id) throw new Error(`upsert("${id}") returned an incident with id "${next.id}"`);
      if (!keepRawText) delete next.rawText;
      let file: StoreFile = { ...state, incidents: { ...state.incidents, [id]: next } };
      if (atMs - lastPruneMs >= PRUNE_EVERY_MS) {
        file = pruned(file, atMs).file;
        lastPruneMs = atMs;
      }
      return { state: file, value: clone(next) };
    });
  }

  return {
    async get(id) {
      const incident = db.data.incidents[id];
      return incident === undefined || expired(incident, now()) ? undefined : clone(incident);
    },

    async list(query: IncidentQuery = {}) {
      const atMs = now();
      return Object.values(db.data.incidents)
        .filter((i) => !expired(i, atMs))
        .filter((i) => query.sinceMs === undefined || Date.parse(i.updatedAt) >= query.sinceMs)
        .filter((i) => query.status === undefined || query.status.includes(i.status))
        .filter((i) => query.owner === undefined || i.owner === query.owner)
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
        .map(clone);
    },

    upsert,

    appendNote(id, note) {
      const text = note.text.trim().slice(0, MAX_NOTE_LENGTH);
      if (text === "") return Promise.reject(new Error("a note needs some text"));
      return upsert(id, (current) => {
        if (!current) throw new IncidentNotFoundError(id);
        current.notes.push({ author: note.author, text, at: new Date(now()).toISOString() });
        return current;
      });
    },

    health() {
      const message = [openProblem, writeProblem].filter((m) => m !== undefined).join("; ");
      return message === "" ? { ok: true } : { ok: false, message };
    },

    async close() {
      // Changes already asked for are written; later ones are refused.
      closed = true;
      await queue.idle();
    },

    now,
  };
}
