// The CLI's conventions as a real process (the built dist/bin/tattletale.js): --version, help, a wrong
// option, colour when piped. conventions.test.ts covers the rest in this process.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../cli/help.js";
import { PACKAGE_ROOT } from "../../kb/paths.js";
import { CLI_BIN as BIN } from "../support/cli-bin.js";

const FOUNDING = join(PACKAGE_ROOT, "samples", "founding-incident");
const VERSION = (JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string })
  .version;
const ESC = "\u001b[";

/** The CLI as a real process; NO_COLOR and FORCE_COLOR of the test runner are not passed on. */
function run(args: string[], opts: { input?: string; env?: Record<string, string> } = {}) {
  const { NO_COLOR: _n, FORCE_COLOR: _f, ...env } = process.env;
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: PACKAGE_ROOT,
    input: opts.input ?? "",
    encoding: "utf8",
    env: { ...env, ...opts.env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("--version", () => {
  it.each([["--version"], ["-V"]])("%s prints the package's version and exits 0", (flag) => {
    const r = run([flag]);
    expect(r).toEqual({ code: 0, stdout: `tattletale ${VERSION}\n`, stderr: "" });
  });

  it("runs as a program of its own, by its #! line (what npx and a PATH find)", () => {
    const r = spawnSync(BIN, ["--version"], { encoding: "utf8" });
    expect(r.error).toBeUndefined();
    expect(r.stdout).toBe(`tattletale ${VERSION}\n`);
  });
});

describe("help", () => {
  const commands = Object.keys(COMMANDS).filter((c) => c !== "help");

  it("as a real process too, and the overview names every command and the exit codes", () => {
    const r = run(["diagnose", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: tattletale diagnose/);
    expect(r.stdout).toContain("--fail-on");
    const overview = run(["help"]);
    expect(overview.code).toBe(0);
    for (const cmd of commands) expect(overview.stdout).toContain(`  ${cmd} `);
    expect(overview.stdout).toMatch(/0 .*\n.*1 .*\n.*2 .*usage.*\n.*3 .*--fail-on/);
    expect(run(["--help"]).stdout).toBe(overview.stdout);
  });
});

describe("a wrong option", () => {
  it("as a real process: exit 2, one line on stderr, nothing on stdout", () => {
    const r = run(["diagnose", "--foo", FOUNDING]);
    expect(r).toEqual({
      code: 2,
      stdout: "",
      stderr: "tattletale: unknown option --foo for diagnose (see tattletale help diagnose)\n",
    });
    expect(r.stderr).not.toMatch(/ERR_PARSE_ARGS|Unknown option '/);
  });
});

describe("colour", () => {
  it("a real process: plain when piped, coloured with FORCE_COLOR=1, plain again with --no-color", () => {
    expect(run(["diagnose", FOUNDING]).stdout).not.toContain(ESC);
    expect(run(["diagnose", FOUNDING], { env: { FORCE_COLOR: "1" } }).stdout).toContain(ESC);
    expect(run(["diagnose", "--no-color", FOUNDING], { env: { FORCE_COLOR: "1" } }).stdout).not.toContain(
      ESC,
    );
  });
});

describe("- is standard input", () => {
  it("among files, piped into a real process", () => {
    const boot = readFileSync(join(FOUNDING, "boot.ini"), "utf8");
    const r = run(["diagnose", "--json", join(FOUNDING, "poolmon-b.txt"), "-"], { input: boot });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { inputs: Array<{ kind: string; source: string }> };
    expect(out.inputs.map((i) => [i.kind, i.source])).toEqual([
      ["poolmon", join(FOUNDING, "poolmon-b.txt")],
      ["boot-ini", "stdin"],
    ]);
  });
});
