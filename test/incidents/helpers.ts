// Shared by the store tests: temp folders, diagnoses shaped like the engine's, and where the
// compiled store is for child processes (which cannot load .ts).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { DiagnosisContext } from "../../incidents/index.js";
import type { Diagnosis, Finding } from "../../kb/diagnosis.js";

export const ROOT = resolve(import.meta.dirname, "../..");
export const FIXTURES = join(ROOT, "test/fixtures/incidents");
/** The build, made once per run by the global setup, which fails the run if it does not compile. */
export const DIST = join(ROOT, "dist");

export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "tattletale-store-"));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export function finding(
  id: string,
  severity: Finding["severity"],
  numbers: Finding["numbers"] = {},
): Finding {
  return {
    id,
    title: `Title of ${id}`,
    severity,
    confidence: 0.9,
    summary: `${id} happened.`,
    evidence: [],
    next_steps: [],
    references: [],
    caused_by: [],
    paste_next: [],
    numbers,
  };
}

export function diagnosis(
  findings: Finding[],
  headline: string | null = findings[0]?.title ?? null,
): Diagnosis {
  return {
    findings,
    chains: [findings.map((f) => f.id)],
    next_steps: [],
    headline,
    inputs: [],
    // The store never reads facts.
    facts: {} as Diagnosis["facts"],
  };
}

export function ctx(channel: string, threadTs: string, d: Diagnosis, user = "U_PASTER"): DiagnosisContext {
  return {
    workspace: "T1",
    channel,
    threadTs,
    permalink: `https://example.slack.com/archives/${channel}/p${threadTs.replace(".", "")}`,
    user,
    inputs: [{ source: "message", kind: "httperr", records: 42, bytes: 5120 }],
    diagnosis: d,
    rawText: "2007-06-01 10:00:00 10.0.0.1 - - - - - - - - - 1 Connections_Refused -",
  };
}

/** A clock the test moves by hand. */
export function clock(startIso = "2024-05-01T08:00:00.000Z") {
  let ms = Date.parse(startIso);
  return {
    now: () => ms,
    advance: (by: number) => {
      ms += by;
    },
    set: (iso: string) => {
      ms = Date.parse(iso);
    },
  };
}
