// The `tattletale` command as package.json declares it (what npx and an install run), for the tests
// that run it as a process: its path is written once, there.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PACKAGE_ROOT } from "../../kb/paths.js";

const manifest = JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as {
  bin: { tattletale: string };
};

/** The command's path inside the package. */
export const CLI_BIN_PATH = manifest.bin.tattletale;
/** The built command in this checkout. */
export const CLI_BIN = join(PACKAGE_ROOT, CLI_BIN_PATH);
