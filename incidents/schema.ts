// The shape of the incident file. Versioned: `version` names the file shape, and older shapes are
// migrated on load (migrate.ts). Times are ISO-8601 UTC strings so a person can read the file.
import { z } from "zod";
import { Settings } from "./settings.js";
import { ConversationKind } from "./visibility.js";

/** The snapshot shape this code writes. Bump it (and add a migration) when the shape changes. */
export const STORE_VERSION = 3;

const Iso = z.iso.datetime();

export const IncidentStatus = z.enum(["open", "acknowledged", "resolved"]);
export type IncidentStatus = z.infer<typeof IncidentStatus>;

/** A finding's severity, plus "none" for an incident where nothing fired. */
export const IncidentSeverity = z.enum(["critical", "warning", "info", "none"]);
export type IncidentSeverity = z.infer<typeof IncidentSeverity>;

export const StoredFinding = z.object({
  id: z.string().min(1),
  title: z.string(),
  severity: z.enum(["critical", "warning", "info"]),
  confidence: z.number().min(0).max(1),
  /** Key numbers (Finding.numbers), e.g. free non-paged pool in MB. */
  numbers: z.record(z.string(), z.union([z.number(), z.string()])),
});
export type StoredFinding = z.infer<typeof StoredFinding>;

/** What was pasted: kind and size only, never the text (see Incident.rawText). */
export const StoredInput = z.object({
  source: z.string(),
  kind: z.string(),
  records: z.number().int().min(0),
  bytes: z.number().int().min(0),
});
export type StoredInput = z.infer<typeof StoredInput>;

export const Note = z.object({ author: z.string().min(1), text: z.string().min(1), at: Iso });
export type Note = z.infer<typeof Note>;

export const FeedbackAnswer = z.object({
  user: z.string().min(1),
  answer: z.enum(["right", "wrong"]),
  /** The finding the answer is about; null for the diagnosis as a whole. */
  findingId: z.string().nullable(),
  at: Iso,
});
export type FeedbackAnswer = z.infer<typeof FeedbackAnswer>;

/** One change of status or owner: who did it, when, and the state after it. */
export const StatusChange = z.object({
  at: Iso,
  by: z.string().min(1),
  status: IncidentStatus,
  owner: z.string().nullable(),
});
export type StatusChange = z.infer<typeof StatusChange>;

export const Incident = z.object({
  /** incidentId(workspace, channel, threadTs). */
  id: z.string().min(1),
  workspace: z.string(),
  channel: z.string().min(1),
  /** Slack `ts` of the thread's parent message. */
  threadTs: z.string().min(1),
  /** Public channel, private channel, DM or group DM: who may see the incident (visibility.ts); null unknown. */
  /**
   * Public channel, private channel, DM or group DM: who may see the incident (visibility.ts); null
   * unknown. Absent in records written before it existed (read as unknown, so shown only to members).
   */
  conversationKind: ConversationKind.nullable().default(null),
  permalink: z.string().nullable(),
  /** Who pasted first, and everyone who pasted into the thread since. */
  reportedBy: z.string().min(1),
  contributors: z.array(z.string()),
  createdAt: Iso,
  updatedAt: Iso,
  /** Time of the latest diagnosis. */
  diagnosedAt: Iso,
  /** How many times the thread was diagnosed (each paste re-diagnoses the whole thread). */
  diagnoses: z.number().int().min(0),
  /** Inputs of the latest diagnosis (which covers the whole thread). */
  inputs: z.array(StoredInput),
  /** The pasted text; only kept when the store is opened with keepRawText. */
  rawText: z.string().optional(),
  headline: z.string().nullable(),
  /** The most severe finding's severity. */
  severity: IncidentSeverity,
  /** Ranked as the engine ranked them. */
  findings: z.array(StoredFinding),
  chains: z.array(z.array(z.string())),
  status: IncidentStatus,
  owner: z.string().nullable(),
  notes: z.array(Note),
  feedback: z.array(FeedbackAnswer),
  history: z.array(StatusChange),
  /**
   * Slack `ts` of our latest full reply in the thread, so that a replica other than the one that
   * posted it finds it before Slack's history shows it (and updates it instead of posting another).
   */
  replyTs: z.string().optional(),
});
export type Incident = z.infer<typeof Incident>;

/**
 * A durable task of the outbox (a paste to diagnose, a reply to post): what to do (`kind`, and a
 * `payload` of JSON), when it may run next, and how it went so far. Times are epoch ms.
 */
export const OutboxTask = z.object({
  id: z.string().min(1),
  kind: z.string().min(1),
  payload: z.json(),
  createdAt: z.number().int(),
  /** Not run before this time (a retry's back-off, a 429's Retry-After). */
  notBefore: z.number().int(),
  /** Times it was leased (each lease counts, so a handler can tell a retry, also after a crash). */
  attempts: z.number().int().min(0),
  lastError: z.string().nullable(),
});
export type OutboxTask = z.infer<typeof OutboxTask>;

/** Version 2 (kept for migration only): the incidents alone, rewritten whole on every change. */
export const StoreFileV2 = z.object({
  version: z.literal(2),
  incidents: z.record(z.string(), Incident),
});
export type StoreFileV2 = z.infer<typeof StoreFileV2>;

/**
 * Version 3, the snapshot: every record as of journal line `seq` (the journal beside it holds the
 * changes since). `claims` are dedupe keys with their expiry (epoch ms); `tasks` the outbox.
 */
export const StoreFileV3 = z.object({
  version: z.literal(3),
  seq: z.number().int().min(0),
  incidents: z.record(z.string(), Incident),
  claims: z.record(z.string(), z.number()),
  tasks: z.record(z.string(), OutboxTask),
  /**
   * Per-channel and per-team settings (settings.ts), one record under the id `all`; absent in
   * snapshots written before settings existed (every channel then behaves as by default).
   */
  settings: z.record(z.string(), Settings).default({}),
});
export type StoreFile = z.infer<typeof StoreFileV3>;

/**
 * One change in the journal: record `id` of table `t` becomes `v`, or is deleted (`v` null).
 * A journal line holds the changes of one write, applied together or not at all.
 */
export const JournalChange = z.discriminatedUnion("t", [
  z.object({ t: z.literal("incident"), id: z.string().min(1), v: Incident.nullable() }),
  z.object({ t: z.literal("claim"), id: z.string().min(1), v: z.number().nullable() }),
  z.object({ t: z.literal("task"), id: z.string().min(1), v: OutboxTask.nullable() }),
  z.object({ t: z.literal("settings"), id: z.string().min(1), v: Settings.nullable() }),
]);
export type JournalChange = z.infer<typeof JournalChange>;

export const JournalLine = z.object({ seq: z.number().int().min(1), changes: z.array(JournalChange) });
export type JournalLine = z.infer<typeof JournalLine>;

/**
 * Version 1, the first shape (kept for migration only): a flat list, epoch-ms times, no
 * workspace, finding ids without titles, "closed" for resolved, a single free-text note.
 */
export const IncidentV1 = z.object({
  channel: z.string().min(1),
  thread_ts: z.string().min(1),
  user: z.string().min(1),
  ts: z.number(),
  headline: z.string().nullable(),
  severity: z.enum(["critical", "warning", "info"]).nullable(),
  finding_ids: z.array(z.string()),
  status: z.enum(["open", "closed"]),
  note: z.string().optional(),
});
export type IncidentV1 = z.infer<typeof IncidentV1>;

export const StoreFileV1 = z.object({
  version: z.literal(1),
  incidents: z.array(IncidentV1),
});
export type StoreFileV1 = z.infer<typeof StoreFileV1>;

export const SEVERITY_RANK: Record<IncidentSeverity, number> = { critical: 3, warning: 2, info: 1, none: 0 };

export function emptyStoreFile(): StoreFile {
  return { version: STORE_VERSION as 3, seq: 0, incidents: {}, claims: {}, tasks: {}, settings: {} };
}
