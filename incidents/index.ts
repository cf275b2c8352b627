// The incident store and the on-call handoff model: the one entry point the bot and the CLI import.
// Incident, Handoff, … are zod schemas and, under the same name, their types.
export {
  buildHandoff,
  formatAge,
  formatUtc,
  Handoff,
  HandoffItem,
  HandoffOutput,
  parseSince,
} from "./handoff.js";
export { incidentId } from "./id.js";
export { readStoreConsistently as readStoreFiles } from "./journal.js";
export { KeyedLock } from "./keyed-lock.js";
export {
  type LowdbStore,
  MAX_RAW_TEXT,
  type OpenStoreOptions,
  openStore,
  resolveDbPath,
} from "./lowdb-store.js";
export { decodeStoreFile, migrateV1toV2, migrateV2toV3, StoreFileError } from "./migrate.js";
export { isConnectionError } from "./postgres/connection.js";
export { MIGRATIONS, SCHEMA_VERSION, SchemaTooNewError } from "./postgres/migrations.js";
export { openPgStore, type PgStore, type PgStoreOptions } from "./postgres/store.js";
export {
  type DiagnosisContext,
  newIncident,
  recordDiagnosis,
  recordFeedback,
  setStatus,
  takeOver,
} from "./record.js";
export {
  Incident,
  IncidentSeverity,
  IncidentStatus,
  Note,
  OutboxTask,
  STORE_VERSION,
  type StoreFile,
  StoreFileV1,
  StoreFileV2,
  StoreFileV3,
} from "./schema.js";
export {
  BotId,
  ChannelSettings,
  ClockTime,
  canonicalTimeZone,
  channelSettings,
  channelsOfTeam,
  DEFAULT_CHANNEL_SETTINGS,
  emptySettings,
  Settings,
  TeamName,
  TeamSettings,
  TimeZone,
  teamSettings,
} from "./settings.js";
export { dayBefore, dueShiftChange, GRACE_MINUTES, localClock } from "./shift-change.js";
export {
  IncidentNotFoundError,
  type IncidentQuery,
  type IncidentStore,
  type Json,
  type Lease,
  type LeasedTask,
  LeaseLostError,
  MAX_NOTE_LENGTH,
  type NewTask,
  StoreClosedError,
  type StoreHealth,
  type StoreStats,
  StoreUnavailableError,
  StoreWriteError,
  type TaskLease,
  type UpsertOptions,
} from "./store.js";
export {
  type Audience,
  ConversationKind,
  isPublic,
  kindOfChannelId,
  kindOfChannelType,
  kindOfConversation,
  mayPostTo,
  mayView,
} from "./visibility.js";
export { acquireWriterLock, LockHolder, StoreLockedError, type WriterLock } from "./writer-lock.js";
