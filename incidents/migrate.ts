// Reads the incident file's text into the current shape, migrating older versions step by step.
// Anything that cannot be read is a StoreFileError: the store then sets the file aside untouched.
import type { z } from "zod";
import { incidentId } from "./id.js";
import {
  type Incident,
  STORE_VERSION,
  type StoreFile,
  StoreFileV1,
  StoreFileV2,
  StoreFileV3,
} from "./schema.js";

export class StoreFileError extends Error {}

/** v1 → v2: keyed by id, ISO times, workspace (unknown in v1), notes list, status history. */
export function migrateV1toV2(v1: StoreFileV1): StoreFileV2 {
  const incidents: Record<string, Incident> = {};
  for (const old of v1.incidents) {
    const at = new Date(old.ts).toISOString();
    const workspace = "unknown";
    const id = incidentId({ workspace, channel: old.channel, threadTs: old.thread_ts });
    const status = old.status === "closed" ? "resolved" : "open";
    incidents[id] = {
      id,
      workspace,
      channel: old.channel,
      threadTs: old.thread_ts,
      permalink: null,
      reportedBy: old.user,
      contributors: [old.user],
      createdAt: at,
      updatedAt: at,
      diagnosedAt: at,
      diagnoses: 1,
      inputs: [],
      headline: old.headline,
      severity: old.severity ?? "none",
      // v1 kept ids only; the id stands in for the title, and every finding gets the incident's severity.
      findings: old.finding_ids.map((fid) => ({
        id: fid,
        title: fid,
        severity: old.severity ?? "info",
        confidence: 1,
        numbers: {},
      })),
      chains: [],
      status,
      owner: null,
      notes: old.note ? [{ author: old.user, text: old.note, at }] : [],
      feedback: [],
      history: status === "resolved" ? [{ at, by: old.user, status, owner: null }] : [],
    };
  }
  return { version: 2, incidents };
}

/** v2 → v3: the same incidents, as the snapshot of an empty journal; no claims, no tasks yet. */
export function migrateV2toV3(v2: StoreFileV2): StoreFile {
  return { version: 3, seq: 0, incidents: v2.incidents, claims: {}, tasks: {} };
}

type Step = { from: number; schema: z.ZodType; up: (doc: never) => unknown };
const STEPS: Step[] = [
  { from: 1, schema: StoreFileV1, up: migrateV1toV2 as (doc: never) => unknown },
  { from: 2, schema: StoreFileV2, up: migrateV2toV3 as (doc: never) => unknown },
];

function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
    .join("; ");
}

/** Parses and validates the file's text; `migratedFrom` is the version it was in when older. */
export function decodeStoreFile(text: string): { file: StoreFile; migratedFrom: number | null } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new StoreFileError(`not valid JSON (${(error as Error).message})`);
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    throw new StoreFileError("not a JSON object");
  }
  const version = (doc as { version?: unknown }).version;
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1) {
    throw new StoreFileError(`no valid "version" field (found ${JSON.stringify(version) ?? "none"})`);
  }
  if (version > STORE_VERSION) {
    throw new StoreFileError(
      `written by a newer Tattletale (file version ${version}, this one reads up to ${STORE_VERSION})`,
    );
  }
  let current: unknown = doc;
  for (let v = version; v < STORE_VERSION; v++) {
    const step = STEPS.find((s) => s.from === v);
    if (!step) throw new StoreFileError(`no migration from version ${v}`);
    const parsed = step.schema.safeParse(current);
    if (!parsed.success)
      throw new StoreFileError(`version ${v} file does not match its schema: ${describe(parsed.error)}`);
    current = step.up(parsed.data as never);
  }
  const parsed = StoreFileV3.safeParse(current);
  if (!parsed.success)
    throw new StoreFileError(`does not match the incident schema: ${describe(parsed.error)}`);
  for (const [key, incident] of Object.entries(parsed.data.incidents)) {
    if (key !== incident.id) throw new StoreFileError(`incident keyed "${key}" has id "${incident.id}"`);
  }
  return { file: parsed.data, migratedFrom: version < STORE_VERSION ? version : null };
}
