// The one small interface the bot and the CLI use. lowdb (lowdb-store.ts) is the embedded default;
// a shared database can implement the same interface when several bot replicas run.
import type { Incident, IncidentStatus } from "./schema.js";

export interface IncidentQuery {
  /** Only incidents updated at or after this time (epoch ms). */
  sinceMs?: number;
  status?: IncidentStatus[];
  owner?: string;
}

export interface IncidentStore {
  get(id: string): Promise<Incident | undefined>;
  /** Oldest first (createdAt, then id). */
  list(query?: IncidentQuery): Promise<Incident[]>;
  /**
   * Read-modify-write of one incident, serialised with every other write. `update` gets a copy of
   * the current incident (undefined when new) and returns the new one, which is validated; the
   * store stamps updatedAt. Resolves once the change is on disk.
   */
  upsert(id: string, update: (current: Incident | undefined) => Incident): Promise<Incident>;
  appendNote(id: string, note: { author: string; text: string }): Promise<Incident>;
  /** Health of the backing file: ok, or the reason it is not (e.g. file failed to parse and was set aside). */
  health(): { ok: boolean; message?: string };
  close(): Promise<void>;
  /** The store's clock (epoch ms), so helpers stamp times the way the store does. */
  now?(): number;
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

/** Longest note kept; Slack's plain-text input tops out at 3,000 characters. */
export const MAX_NOTE_LENGTH = 3000;
