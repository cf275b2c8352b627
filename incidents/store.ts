// The one small interface the bot and the CLI use. lowdb (lowdb-store.ts) is the embedded default;
// a shared database can implement the same interface when several bot replicas run.
import type { Incident, IncidentStatus } from "./schema.js";
import type { Settings } from "./settings.js";

export interface IncidentQuery {
  /** Only incidents updated at or after this time (epoch ms). */
  sinceMs?: number;
  status?: IncidentStatus[];
  owner?: string;
}

/**
 * Settings live beside the incidents, in the same store (one document: every channel's and team's
 * settings, a few kilobytes). A database store keeps it as one row (e.g. a JSONB column) and runs
 * `updateSettings` as a transaction that locks that row (`SELECT … FOR UPDATE`), like `upsert`.
 */
export interface SettingsStore {
  /** Every channel's and team's settings (a copy); empty (`{ channels: {}, teams: {} }`) when none. */
  getSettings(): Promise<Settings>;
  /**
   * Read-modify-write of the settings, serialised with every other write of them: `update` gets a
   * copy and returns the new settings, which are validated (`Settings` of settings.ts). Resolves
   * once they are stored.
   */
  updateSettings(update: (current: Settings) => Settings): Promise<Settings>;
}

export interface IncidentStore extends SettingsStore {
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
