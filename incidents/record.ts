// What the bot does to incidents: record a diagnosis, feedback, status and owner changes. Each is
// one serialised upsert, so concurrent Slack events on the same thread never lose each other.
import type { Diagnosis, InputSummary } from "../kb/diagnosis.js";
import { incidentId } from "./id.js";
import { type Incident, type IncidentSeverity, type IncidentStatus, SEVERITY_RANK } from "./schema.js";
import { IncidentNotFoundError, type IncidentStore, type UpsertOptions } from "./store.js";

export interface DiagnosisContext {
  workspace: string;
  channel: string;
  threadTs: string;
  permalink?: string | null;
  /** Slack user id of who pasted. */
  user: string;
  /** The inputs of this diagnosis, with their size in bytes. */
  inputs: Array<InputSummary & { bytes: number }>;
  diagnosis: Diagnosis;
  /** Kept only when the store was opened with keepRawText. */
  rawText?: string;
}

function isoNow(store: IncidentStore): string {
  return new Date(store.now()).toISOString();
}

function topSeverity(severities: IncidentSeverity[]): IncidentSeverity {
  return severities.reduce<IncidentSeverity>(
    (top, s) => (SEVERITY_RANK[s] > SEVERITY_RANK[top] ? s : top),
    "none",
  );
}

/** A thread's incident before its first diagnosis: open, unowned, empty. */
export function newIncident(
  p: { id: string; workspace: string; channel: string; threadTs: string; user: string },
  at: string,
): Incident {
  return {
    id: p.id,
    workspace: p.workspace,
    channel: p.channel,
    threadTs: p.threadTs,
    permalink: null,
    reportedBy: p.user,
    contributors: [],
    createdAt: at,
    updatedAt: at,
    diagnosedAt: at,
    diagnoses: 0,
    inputs: [],
    headline: null,
    severity: "none",
    findings: [],
    chains: [],
    status: "open",
    owner: null,
    notes: [],
    feedback: [],
    history: [],
  };
}

/**
 * Records a diagnosis of a thread. The bot re-diagnoses the whole thread on each paste, so the
 * inputs, findings and headline replace the previous ones. A new paste into a resolved thread
 * reopens it. `options` adds follow-up tasks (the reply) to the same atomic write.
 */
export function recordDiagnosis(
  store: IncidentStore,
  ctx: DiagnosisContext,
  options?: UpsertOptions,
): Promise<Incident> {
  const id = incidentId(ctx);
  return store.upsert(
    id,
    (current) => {
      const at = isoNow(store);
      const findings = ctx.diagnosis.findings.map((f) => ({
        id: f.id,
        title: f.title,
        severity: f.severity,
        confidence: f.confidence,
        numbers: f.numbers,
      }));
      const base = current ?? newIncident({ ...ctx, id }, at);
      const reopen = base.status === "resolved";
      return {
        ...base,
        permalink: ctx.permalink ?? base.permalink,
        contributors: base.contributors.includes(ctx.user)
          ? base.contributors
          : [...base.contributors, ctx.user],
        diagnosedAt: at,
        diagnoses: base.diagnoses + 1,
        inputs: ctx.inputs.map((i) => ({
          source: i.source,
          kind: i.kind,
          records: i.records,
          bytes: i.bytes,
        })),
        rawText: ctx.rawText ?? base.rawText,
        headline: ctx.diagnosis.headline,
        severity: topSeverity(findings.map((f) => f.severity)),
        findings,
        chains: ctx.diagnosis.chains,
        status: reopen ? "open" : base.status,
        history: reopen
          ? [...base.history, { at, by: ctx.user, status: "open", owner: base.owner }]
          : base.history,
      };
    },
    options,
  );
}

/** "Was this right?": one answer per user and finding; answering again replaces the earlier one. */
export function recordFeedback(
  store: IncidentStore,
  id: string,
  f: { user: string; answer: "right" | "wrong"; findingId?: string | null },
): Promise<Incident> {
  return store.addFeedback(id, { user: f.user, answer: f.answer, findingId: f.findingId ?? null });
}

/** Acknowledge (the acknowledger becomes owner when there is none), resolve, or reopen. */
export function setStatus(
  store: IncidentStore,
  id: string,
  status: IncidentStatus,
  by: string,
): Promise<Incident> {
  return store.upsert(id, (current) => {
    if (!current) throw new IncidentNotFoundError(id);
    const owner = status === "acknowledged" ? (current.owner ?? by) : current.owner;
    if (current.status === status && current.owner === owner) return current;
    return {
      ...current,
      status,
      owner,
      history: [...current.history, { at: isoNow(store), by, status, owner }],
    };
  });
}

/** "Take over": the user becomes owner; an open incident becomes acknowledged. */
export function takeOver(store: IncidentStore, id: string, user: string): Promise<Incident> {
  return store.upsert(id, (current) => {
    if (!current) throw new IncidentNotFoundError(id);
    const status = current.status === "open" ? "acknowledged" : current.status;
    if (current.owner === user && current.status === status) return current;
    return {
      ...current,
      status,
      owner: user,
      history: [...current.history, { at: isoNow(store), by: user, status, owner: user }],
    };
  });
}
