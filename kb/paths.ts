// Where the curated files live, whether we run from the sources (vitest) or from dist/.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function findPackageRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`package.json not found above ${start}`);
    dir = parent;
  }
  return dir;
}

export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));
export const ENTRIES_DIR = join(PACKAGE_ROOT, "kb", "entries");
export const DATA_DIR = join(PACKAGE_ROOT, "kb", "data");
/** Input files of the entries' examples, one folder per entry. */
export const EXAMPLES_DIR = join(PACKAGE_ROOT, "kb", "examples");
