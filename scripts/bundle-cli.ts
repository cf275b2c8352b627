// The build's last step (`npm run build`): the `tattletale` command as a bundle in dist/bin/. Its ~70
// compiled modules (and zod's, natural's and yaml's) come in a few files, so a run does not resolve
// and instantiate each one: a small file's diagnosis takes 0.40 s instead of 0.55, a 1 GB log 5–7%
// less wall and CPU. tsc's dist/ stays as it is for the bot, the tests and the benchmarks. Through
// rolldown's API rather than its CLI, which lists every chunk on each install.
import { chmodSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "rolldown";

const dist = join(dirname(fileURLToPath(import.meta.url)), "..");

await build({
  input: {
    tattletale: join(dist, "cli", "bin.js"),
    // ingest/worker-start.ts starts the scan workers from "./workers.js" beside itself.
    workers: join(dist, "ingest", "workers.js"),
  },
  platform: "node",
  // Charts' renderers stay packages: big, loaded only by --chart, and resvg is a native addon.
  external: ["vega", "vega-lite", "@resvg/resvg-js"],
  logLevel: "warn",
  // Chunk names carry hashes: an old build's chunks must not pile up.
  output: { dir: join(dist, "bin"), format: "esm", cleanDir: true },
});
// Executable, as its #! line says: `npx tattletale` finds a cached link to it, made by an earlier
// install, and runs it without npm setting the mode again.
chmodSync(join(dist, "bin", "tattletale.js"), 0o755);
