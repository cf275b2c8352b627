// Shared by the store tests: temp folders, diagnoses shaped like the engine's, and a private build
// of the store for child processes (which cannot load .ts, and must not depend on a stale dist/).
import { execFile } from "node:child_process";
import { mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import type { DiagnosisContext } from "../../bot/store/index.js";
import type { Diagnosis, Finding } from "../../kb/diagnosis.js";

export const ROOT = resolve(import.meta.dirname, "../..");
export const FIXTURES = join(ROOT, "test/fixtures/store");

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

const run = promisify(execFile);

/**
 * Compiles bot/store and cli/handoff.ts (with what they import) into a temp folder whose
 * node_modules links to the project's, and returns that folder. A private output folder per call,
 * so test files running in parallel never read each other's half-written build.
 */
export async function buildStore(): Promise<{ out: string; cleanup: () => Promise<void> }> {
  const { dir, cleanup } = await tempDir();
  try {
    return { out: await compileInto(dir), cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

async function compileInto(dir: string): Promise<string> {
  const out = join(dir, "out");
  const config = join(dir, "tsconfig.json");
  await writeFile(
    config,
    JSON.stringify({
      extends: join(ROOT, "tsconfig.json"),
      compilerOptions: {
        outDir: out,
        rootDir: ROOT,
        typeRoots: [join(ROOT, "node_modules/@types")],
        sourceMap: false,
        noEmitOnError: true,
      },
      files: [join(ROOT, "bot/store/index.ts"), join(ROOT, "cli/handoff.ts")],
      include: [],
    }),
  );
  try {
    await run(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", config], { cwd: ROOT });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`building the store for child processes failed:\n${stdout ?? ""}${stderr ?? ""}`);
  }
  await symlink(join(ROOT, "node_modules"), join(out, "node_modules"), "dir");
  return out;
}
