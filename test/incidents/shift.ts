// A shift of incidents for the handoff tests (the model's and the Markdown's): open ones of every
// severity, acknowledged, resolved early and late, and two stale ones outside a 12-hour window.
import { type Incident, newIncident } from "../../incidents/index.js";

export const NOW = Date.parse("2024-05-01T20:00:00.000Z");
export const H = 3_600_000;

export function incident(
  p: Partial<Incident> & { id: string; hoursAgo: number; updatedHoursAgo?: number },
): Incident {
  const { hoursAgo, updatedHoursAgo, ...rest } = p;
  const at = new Date(NOW - hoursAgo * H).toISOString();
  return {
    ...newIncident(
      { id: p.id, workspace: "T1", channel: `C_${p.id}`, threadTs: "1.1", user: "U_PASTER" },
      at,
    ),
    contributors: ["U_PASTER"],
    updatedAt: new Date(NOW - (updatedHoursAgo ?? hoursAgo) * H).toISOString(),
    diagnoses: 1,
    headline: `headline ${p.id}`,
    severity: "warning",
    ...rest,
  };
}

const resolvedAt = (hoursAgo: number, by: string) => [
  { at: new Date(NOW - hoursAgo * H).toISOString(), by, status: "resolved" as const, owner: null },
];

export const incidents: Incident[] = [
  incident({ id: "warn-old", hoursAgo: 10, severity: "warning" }),
  incident({ id: "info", hoursAgo: 11, severity: "info" }),
  incident({ id: "crit-new", hoursAgo: 1, severity: "critical", status: "acknowledged", owner: "U_ANN" }),
  incident({ id: "none", hoursAgo: 11.5, severity: "none", headline: null }),
  incident({ id: "crit-old", hoursAgo: 5, severity: "critical" }),
  incident({ id: "warn-new", hoursAgo: 2, severity: "warning" }),
  incident({
    id: "res-early",
    hoursAgo: 9,
    updatedHoursAgo: 8,
    severity: "critical",
    status: "resolved",
    history: resolvedAt(8, "U_BOB"),
  }),
  incident({
    id: "res-late",
    hoursAgo: 4,
    updatedHoursAgo: 3,
    severity: "info",
    status: "resolved",
    history: resolvedAt(3, "U_CY"),
  }),
  incident({ id: "stale-open", hoursAgo: 40, severity: "critical" }),
  incident({ id: "stale-resolved", hoursAgo: 40, status: "resolved", history: resolvedAt(39, "U_BOB") }),
];
