// A PostgreSQL server for the tests of the shared store: TATTLETALE_TEST_DATABASE_URL when set
// (.ci/run starts a throwaway cluster and sets it), else a throwaway cluster started here with the
// same script (scripts/pg-test-cluster.sh) when the server binaries are installed, stopped at the
// end. With neither, the PostgreSQL tests fail and say how to get one: they are never skipped.
import { execFile } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { TestProject } from "vitest/node";
import { PACKAGE_ROOT } from "../../kb/paths.js";

const run = promisify(execFile);
const SCRIPT = join(PACKAGE_ROOT, "scripts", "pg-test-cluster.sh");

declare module "vitest" {
  export interface ProvidedContext {
    /** The test server's URL (its `postgres` database); undefined when there is none. */
    pgUrl: string | undefined;
    /** Why there is no server, for the tests' failure message. */
    pgProblem: string | undefined;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const given = process.env.TATTLETALE_TEST_DATABASE_URL?.trim();
  if (given) {
    project.provide("pgUrl", given);
    project.provide("pgProblem", undefined);
    return undefined;
  }
  const dir = await mkdtemp(join(tmpdir(), "tattletale-pg-"));
  try {
    const { stdout } = await run("bash", [SCRIPT, "start", dir], { timeout: 120_000 });
    project.provide("pgUrl", stdout.trim());
    project.provide("pgProblem", undefined);
    return async () => {
      await run("bash", [SCRIPT, "stop", dir]).catch(() => undefined);
    };
  } catch (error) {
    await run("bash", [SCRIPT, "stop", dir]).catch(() => undefined);
    project.provide("pgUrl", undefined);
    project.provide(
      "pgProblem",
      `no PostgreSQL server for the tests: TATTLETALE_TEST_DATABASE_URL is not set, and a throwaway cluster could not be started (${(error as { stderr?: string }).stderr?.trim() || (error as Error).message}). Install the server (Debian: \`bash scripts/pg-test-cluster.sh install\`, which runs apt-get install postgresql) or set TATTLETALE_TEST_DATABASE_URL to a database where the tests may create schemas.`,
    );
    return undefined;
  }
}
