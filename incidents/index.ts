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
export { type OpenStoreOptions, openStore, resolveDbPath } from "./lowdb-store.js";
export { decodeStoreFile, migrateV1toV2, StoreFileError } from "./migrate.js";
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
  STORE_VERSION,
  type StoreFile,
  StoreFileV1,
  StoreFileV2,
} from "./schema.js";
export {
  IncidentNotFoundError,
  type IncidentQuery,
  type IncidentStore,
  MAX_NOTE_LENGTH,
  StoreClosedError,
} from "./store.js";
