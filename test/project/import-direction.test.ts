// Imports point one way: bot, cli → incidents, charts → kb → ingest → parsers, and only bot/ imports
// @slack/*. biome.json enforces it (noRestrictedImports, one override per folder), so a back-arrow
// fails `npm test` at its lint step. Proved here on a copy: the project's biome.json and .gitignore
// in a temp folder with one probe file per folder and import, checked by the project's Biome exactly
// as `npm run lint` checks the tree. Nothing is written in the repository, so an interrupted run
// leaves it clean. The table below is the rule written independently of biome.json.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../kb/paths.js";

/** The source folders, including those other branches are adding (ingest/, charts/). */
const LAYERS = ["parsers", "ingest", "kb", "incidents", "charts", "bot", "cli"] as const;
type Target = (typeof LAYERS)[number] | "test" | "bench" | "@slack";
const TARGETS: Target[] = [...LAYERS, "test", "bench", "@slack"];

/** What each source folder may import besides itself and packages. */
const ALLOWED: Record<(typeof LAYERS)[number], Target[]> = {
  parsers: [],
  ingest: ["parsers"],
  kb: ["parsers", "ingest"],
  incidents: ["kb", "parsers"],
  charts: ["kb", "parsers"],
  cli: ["parsers", "ingest", "kb", "incidents", "charts"],
  bot: ["parsers", "ingest", "kb", "incidents", "charts", "@slack"],
};
/** test/ and bench/ may import anything; any other place (a root file, a new folder) anything but @slack/*. */
const EXEMPT = ["test", "bench"];
const ELSEWHERE = ["tools", "."];

interface Probe {
  /** Path inside the copy, as Biome reports it. */
  path: string;
  from: string;
  to: Target;
  forbidden: boolean;
}

function specifier(to: Target, depth: number): string {
  return to === "@slack" ? "@slack/bolt" : `${"../".repeat(depth)}${to}/probe.js`;
}

/** One file per folder and target, at the folder's top and one level down (`../` and `../../`). */
function probes(): Probe[] {
  const out: Probe[] = [];
  for (const from of [...LAYERS, ...EXEMPT, ...ELSEWHERE]) {
    for (const to of TARGETS) {
      if (to === from) continue;
      const forbidden = (LAYERS as readonly string[]).includes(from)
        ? !ALLOWED[from as (typeof LAYERS)[number]].includes(to)
        : ELSEWHERE.includes(from) && to === "@slack";
      for (const sub of from === "." ? [""] : ["", "deep/"]) {
        const dir = from === "." ? "" : `${from}/`;
        out.push({ path: `${dir}${sub}to-${to.replace("@", "")}.ts`, from, to, forbidden });
      }
    }
  }
  return out;
}

function ruleMessageStart(from: string): string {
  return ELSEWHERE.includes(from) ? "Only bot/ imports @slack/*" : `${from}/ may import`;
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "tattletale-imports-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A fresh copy of the lint configuration with the given probe files; Biome's JSON report of it. */
function lintCopy(name: string, files: Probe[]) {
  const root = join(dir, name);
  mkdirSync(root);
  for (const config of ["biome.json", ".gitignore"])
    copyFileSync(join(PACKAGE_ROOT, config), join(root, config));
  for (const p of files) {
    const file = join(root, p.path);
    mkdirSync(dirname(file), { recursive: true });
    const depth = p.path.split("/").length - 1;
    writeFileSync(file, `export * from "${specifier(p.to, depth)}";\n`);
  }
  const biome = join(PACKAGE_ROOT, "node_modules", ".bin", "biome");
  const run = spawnSync(
    biome,
    ["check", "--reporter=json", "--max-diagnostics=none", `--config-path=${join(root, "biome.json")}`, "."],
    { cwd: root, encoding: "utf8" },
  );
  const report = JSON.parse(run.stdout) as {
    diagnostics: { category?: string; message: string; location: { path: string } }[];
  };
  return { status: run.status, stderr: run.stderr, diagnostics: report.diagnostics };
}

describe("the import direction lint rule", () => {
  const all = probes();

  it("passes every import the direction allows", () => {
    const { status, diagnostics, stderr } = lintCopy(
      "allowed",
      all.filter((p) => !p.forbidden),
    );
    expect(diagnostics).toEqual([]);
    expect(status, stderr).toBe(0);
  });

  it("keeps parsers/ pure: Node's file, compression, thread and stream modules fail there, not in ingest/", () => {
    const io = ["node:fs", "node:fs/promises", "node:zlib", "node:worker_threads", "node:stream"];
    const root = join(dir, "purity");
    for (const folder of ["parsers", "ingest"]) {
      mkdirSync(join(root, folder), { recursive: true });
      io.forEach((m, i) => {
        writeFileSync(join(root, folder, `io-${i}.ts`), `export * from "${m}";\n`);
      });
    }
    for (const config of ["biome.json", ".gitignore"])
      copyFileSync(join(PACKAGE_ROOT, config), join(root, config));
    const run = spawnSync(
      join(PACKAGE_ROOT, "node_modules", ".bin", "biome"),
      [
        "check",
        "--reporter=json",
        "--max-diagnostics=none",
        `--config-path=${join(root, "biome.json")}`,
        ".",
      ],
      { cwd: root, encoding: "utf8" },
    );
    const { diagnostics } = JSON.parse(run.stdout) as {
      diagnostics: { category?: string; message: string; location: { path: string } }[];
    };
    expect(run.status).toBe(1);
    const flagged = diagnostics
      .filter((d) => d.category === "lint/style/noRestrictedImports")
      .map((d) => d.location.path)
      .sort();
    expect(flagged).toEqual(io.map((_, i) => `parsers/io-${i}.ts`).sort());
    for (const d of diagnostics) expect(d.message).toMatch(/^parsers\/ is pure/);
  });

  it("fails on every back-import, with the rule of the folder it is in", () => {
    const { status, diagnostics } = lintCopy("all", all);
    expect(status).toBe(1);
    const restricted = diagnostics.filter((d) => d.category === "lint/style/noRestrictedImports");
    // Nothing else fires: the probes are clean but for their direction.
    expect(restricted).toEqual(diagnostics);
    const flagged = new Map(restricted.map((d) => [d.location.path, d.message]));
    expect(flagged.size).toBe(restricted.length);
    const expected = all.filter((p) => p.forbidden);
    expect([...flagged.keys()].sort()).toEqual(expected.map((p) => p.path).sort());
    for (const p of expected) expect(flagged.get(p.path)).toMatch(new RegExp(`^${ruleMessageStart(p.from)}`));
    // The case the rule exists for, spelled out: a parser importing the knowledge base.
    expect(flagged.get("parsers/to-kb.ts")).toMatch(/^parsers\/ may import no other folder of the project/);
    expect(flagged.get("cli/deep/to-bot.ts")).toMatch(
      /^cli\/ may import any folder of the project but bot\//,
    );
  });
});
