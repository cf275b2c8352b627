// `npm run build` step: write dist/kb-snapshot.json. An invalid KB writes none (start-up then reads
// the YAML and reports the problems), so a KB author is never blocked from building.
import { KbError } from "./load.js";
import { SNAPSHOT_PATH, writeSnapshot } from "./snapshot.js";

try {
  writeSnapshot();
} catch (error) {
  if (!(error instanceof KbError)) throw error;
  process.stderr.write(`kb snapshot not written (run \`tattletale kb validate\`):\n${error.message}\n`);
}
process.stdout.write(`kb snapshot: ${SNAPSHOT_PATH}\n`);
