// The on-call handoff: which incidents to hand over and in what order (pure, render-independent,
// shared by the CLI and Slack). Each surface renders it: Markdown in cli/, Block Kit in bot/render/.
import { z } from "zod";
import { type Incident, IncidentSeverity, IncidentStatus, Note, SEVERITY_RANK } from "./schema.js";

const Iso = z.iso.datetime();

export const HandoffItem = z.object({
  id: z.string(),
  status: IncidentStatus,
  severity: IncidentSeverity,
  createdAt: Iso,
  updatedAt: Iso,
  /** nowMs − createdAt. */
  ageMs: z.number().int().min(0),
  workspace: z.string(),
  channel: z.string(),
  threadTs: z.string(),
  permalink: z.string().nullable(),
  reportedBy: z.string(),
  owner: z.string().nullable(),
  headline: z.string().nullable(),
  findings: z.array(z.object({ id: z.string(), title: z.string(), severity: IncidentSeverity })),
  /** Oldest first. */
  notes: z.array(Note),
  resolvedBy: z.string().nullable(),
  resolvedAt: Iso.nullable(),
});
export type HandoffItem = z.infer<typeof HandoffItem>;

export const Handoff = z.object({
  version: z.literal(1),
  since: Iso,
  generatedAt: Iso,
  /** Open and acknowledged: most severe first, then oldest first. */
  active: z.array(HandoffItem),
  /** Resolved, most recently resolved first. */
  resolved: z.array(HandoffItem),
  counts: z.object({ open: z.number().int(), acknowledged: z.number().int(), resolved: z.number().int() }),
  /** Open or acknowledged incidents with no activity since `since` (left out; a wider window shows them). */
  olderActive: z.number().int(),
});
export type Handoff = z.infer<typeof Handoff>;

/** `tattletale handoff --json` prints a Handoff as is (schema/handoff.schema.json, npm run schema). */
export const HandoffOutput = Handoff.meta({
  title: "tattletale handoff --json",
  description: "The on-call handoff: incidents with activity since `since`, open ones first.",
});

function resolution(incident: Incident): { by: string | null; at: string | null } {
  if (incident.status !== "resolved") return { by: null, at: null };
  const last = incident.history.findLast((h) => h.status === "resolved");
  return { by: last?.by ?? null, at: last?.at ?? incident.updatedAt };
}

function toItem(incident: Incident, nowMs: number): HandoffItem {
  const { by, at } = resolution(incident);
  return {
    id: incident.id,
    status: incident.status,
    severity: incident.severity,
    createdAt: incident.createdAt,
    updatedAt: incident.updatedAt,
    ageMs: Math.max(0, nowMs - Date.parse(incident.createdAt)),
    workspace: incident.workspace,
    channel: incident.channel,
    threadTs: incident.threadTs,
    permalink: incident.permalink,
    reportedBy: incident.reportedBy,
    owner: incident.owner,
    headline: incident.headline,
    findings: incident.findings.map((f) => ({ id: f.id, title: f.title, severity: f.severity })),
    notes: [...incident.notes].sort((a, b) => a.at.localeCompare(b.at)),
    resolvedBy: by,
    resolvedAt: at,
  };
}

/**
 * The incidents with activity (updatedAt) since `sinceMs`: open and acknowledged first, by
 * severity (critical > warning > info > none), then oldest first; resolved after, latest first.
 */
export function buildHandoff(incidents: Incident[], opts: { sinceMs: number; nowMs: number }): Handoff {
  const inWindow = (i: Incident) => Date.parse(i.updatedAt) >= opts.sinceMs;
  const isActive = (i: Incident) => i.status !== "resolved";
  const active = incidents
    .filter((i) => isActive(i) && inWindow(i))
    .map((i) => toItem(i, opts.nowMs))
    .sort(
      (a, b) =>
        SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
        a.createdAt.localeCompare(b.createdAt) ||
        a.id.localeCompare(b.id),
    );
  const resolved = incidents
    .filter((i) => !isActive(i) && inWindow(i))
    .map((i) => toItem(i, opts.nowMs))
    .sort((a, b) => (b.resolvedAt ?? "").localeCompare(a.resolvedAt ?? "") || a.id.localeCompare(b.id));
  return {
    version: 1,
    since: new Date(opts.sinceMs).toISOString(),
    generatedAt: new Date(opts.nowMs).toISOString(),
    active,
    resolved,
    counts: {
      open: active.filter((i) => i.status === "open").length,
      acknowledged: active.filter((i) => i.status === "acknowledged").length,
      resolved: resolved.length,
    },
    olderActive: incidents.filter((i) => isActive(i) && !inWindow(i)).length,
  };
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const UNITS: Record<string, number> = {
  m: MINUTE,
  min: MINUTE,
  mins: MINUTE,
  minute: MINUTE,
  minutes: MINUTE,
  h: HOUR,
  hr: HOUR,
  hrs: HOUR,
  hour: HOUR,
  hours: HOUR,
  d: DAY,
  day: DAY,
  days: DAY,
  w: 7 * DAY,
  week: 7 * DAY,
  weeks: 7 * DAY,
};

/**
 * How far back a handoff looks, in ms: "12h", "90m", "2d", "1w", "1h30m", a bare number of hours
 * ("12"), or an ISO date/time ("2024-05-01", "2024-05-01T08:00Z": the span from then to now).
 * Empty or undefined gives `defaultHours`. Anything else throws an Error that says what is accepted.
 */
export function parseSince(text: string | undefined, defaultHours = 12, nowMs = Date.now()): number {
  const s = (text ?? "").trim().toLowerCase();
  if (s === "") return defaultHours * HOUR;
  const fail = (why: string): never => {
    throw new Error(
      `cannot read "${text}" as a time span (${why}): use e.g. 12h, 90m, 2d, 1w, or an ISO date such as 2024-05-01T08:00Z`,
    );
  };
  if (/^\d+(\.\d+)?$/.test(s)) {
    const hours = Number(s);
    return hours > 0 ? hours * HOUR : fail("it must be more than zero");
  }
  const parts = [...s.matchAll(/(\d+(?:\.\d+)?)\s*([a-z]+)\s*/g)];
  if (parts.length > 0 && parts.map((p) => p[0]).join("") === s.replace(/^\s+/, "")) {
    let total = 0;
    for (const [, amount, unit] of parts) {
      const size = UNITS[unit ?? ""];
      if (size === undefined) return fail(`unknown unit "${unit}"`);
      total += Number(amount) * size;
    }
    return total > 0 ? total : fail("it must be more than zero");
  }
  if (/^\d{4}-\d{2}-\d{2}([t ][\d:.]+(z|[+-]\d{2}:?\d{2})?)?$/.test(s)) {
    const at = Date.parse(s.toUpperCase().replace(" ", "T"));
    if (Number.isNaN(at)) return fail("not a valid date");
    return at < nowMs ? nowMs - at : fail("that is in the future");
  }
  return fail("not a span or a date");
}

/** "45m", "3h 12m", "2d 4h"; "<1m" under a minute. */
export function formatAge(ms: number): string {
  if (ms < MINUTE) return "<1m";
  const days = Math.floor(ms / DAY);
  const hours = Math.floor((ms % DAY) / HOUR);
  const minutes = Math.floor((ms % HOUR) / MINUTE);
  if (days > 0) return hours > 0 ? `${days}d ${hours}h` : `${days}d`;
  if (hours > 0) return minutes > 0 ? `${hours}h ${minutes}m` : `${hours}h`;
  return `${minutes}m`;
}

/** "2024-05-01 08:00 UTC": handoffs cross time zones, so always UTC. */
export function formatUtc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
