// The CLI behaves like a well-made Unix tool: help for every command, `-` for stdin, one clear line
// for a wrong option, the colour conventions (NO_COLOR, FORCE_COLOR, --no-color), counts that say
// what they count, and an exit code scripts can alert on (--fail-on). In this process, through
// main() with streams that can pretend to be a terminal; conventions.process.test.ts runs the
// built CLI as a real process for the same conventions.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { parseCommandArgs, UsageError } from "../../cli/args.js";
import { wantsColor } from "../../cli/color.js";
import { runHandoff } from "../../cli/handoff.js";
import { COMMANDS } from "../../cli/help.js";
import { type Io, main } from "../../cli/main.js";
import { PACKAGE_ROOT } from "../../kb/paths.js";

const sample = (...p: string[]) => join(PACKAGE_ROOT, "samples", ...p);
const FOUNDING = sample("founding-incident");
const ESC = "\u001b[";
const tmp = mkdtempSync(join(tmpdir(), "tattletale-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The CLI in this process, with streams that can pretend to be a terminal. */
async function inProcess(
  argv: string[],
  opts: { env?: Record<string, string>; tty?: boolean; input?: string } = {},
) {
  const stdout = Object.assign(new PassThrough(), { isTTY: opts.tty === true });
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  stdin.end(opts.input ?? "");
  let out = "";
  let err = "";
  stdout.on("data", (c) => (out += String(c)));
  stderr.on("data", (c) => (err += String(c)));
  const code = await main(argv, { stdout, stderr, stdin, env: opts.env ?? {} } as Io);
  return { code, stdout: out, stderr: err };
}

describe("help", () => {
  const commands = Object.keys(COMMANDS).filter((c) => c !== "help");

  it.each(commands)("tattletale help %s = its --help = its -h: that command's help, exit 0", async (cmd) => {
    const viaHelp = await inProcess(["help", cmd]);
    expect(viaHelp.code).toBe(0);
    expect(viaHelp.stderr).toBe("");
    expect(viaHelp.stdout).toMatch(new RegExp(`^Usage: tattletale ${cmd}\\b`));
    expect(viaHelp.stdout).toContain("Exit codes:");
    for (const flag of ["--help", "-h"]) {
      const direct = await inProcess(cmd === "kb" ? ["kb", "list", flag] : [cmd, flag]);
      expect(direct).toEqual(viaHelp);
    }
  });

  it("help for a command that does not exist is a usage error", async () => {
    expect(await inProcess(["help", "frobnicate"])).toEqual({
      code: 2,
      stdout: "",
      stderr: 'tattletale: no command "frobnicate" (see tattletale help)\n',
    });
  });
});

describe("wrong options get one clear line, never the parser's own message", () => {
  it.each([
    [["diagnose", "--foo"], "unknown option --foo for diagnose (see tattletale help diagnose)"],
    [["parse", "-x", "a.log"], "unknown option -x for parse (see tattletale help parse)"],
    [["lookup", "--fuzzy", "refused"], "unknown option --fuzzy for lookup (see tattletale help lookup)"],
    [["kb", "list", "--all"], "unknown option --all for kb (see tattletale help kb)"],
    [["handoff", "--foo"], "unknown option --foo for handoff (see tattletale help handoff)"],
    [["diagnose", "--json=yes"], "option --json takes no value (see tattletale help diagnose)"],
    [["lookup", "x", "--limit"], "option --limit needs a value (see tattletale help lookup)"],
    [["handoff", "--since"], "option --since needs a value (see tattletale help handoff)"],
    [
      ["diagnose", "--fail-on", "info"],
      '--fail-on must be critical or warning, not "info" (see tattletale help diagnose)',
    ],
    [
      ["handoff", "--json", "--format", "md"],
      "--json and --format md disagree (see tattletale help handoff)",
    ],
  ])("%j", async (argv, line) => {
    const r = await inProcess(argv);
    expect(r).toEqual({ code: 2, stdout: "", stderr: `tattletale: ${line}\n` });
  });

  it("parseCommandArgs: flags, values, last one wins, - and -- are positionals", () => {
    const specs = { json: { type: "boolean" }, since: { type: "string" } } as const;
    expect(
      parseCommandArgs("x", ["--json", "a", "-", "--since", "2h", "--since=3h", "--", "--json"], specs),
    ).toEqual({
      values: { json: true, since: "3h" },
      positionals: ["a", "-", "--json"],
    });
    expect(() => parseCommandArgs("x", ["--nope"], specs)).toThrow(UsageError);
  });
});

describe("- is standard input, alone or among files", () => {
  const boot = readFileSync(join(FOUNDING, "boot.ini"), "utf8");

  it("diagnose reads stdin where - stands, between the files", async () => {
    const r = await inProcess(
      ["diagnose", "--json", join(FOUNDING, "poolmon-b.txt"), "-", join(FOUNDING, "httperr1.log")],
      {
        input: boot,
      },
    );
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { inputs: Array<{ kind: string; source: string }> };
    expect(out.inputs.map((i) => [i.kind, i.source])).toEqual([
      ["poolmon", join(FOUNDING, "poolmon-b.txt")],
      ["boot-ini", "stdin"],
      ["httperr", join(FOUNDING, "httperr1.log")],
    ]);
  });

  it("parse - reads stdin; stdin given twice is a usage error", async () => {
    const r = await inProcess(["parse", "-"], { input: boot });
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { inputs: Array<{ kind: string }> }).inputs.map((i) => i.kind)).toEqual([
      "boot-ini",
    ]);
    expect(await inProcess(["parse", "-", "-"], { input: boot })).toEqual({
      code: 2,
      stdout: "",
      stderr: "tattletale: - (standard input) can be given only once (see tattletale help parse)\n",
    });
  });
});

describe("colour", () => {
  it.each([
    ["a terminal", { isTTY: true, env: {}, noColorFlag: false }, true],
    ["a pipe", { isTTY: false, env: {}, noColorFlag: false }, false],
    ["NO_COLOR=1 on a terminal", { isTTY: true, env: { NO_COLOR: "1" }, noColorFlag: false }, false],
    [
      "NO_COLOR empty on a terminal (does not count)",
      { isTTY: true, env: { NO_COLOR: "" }, noColorFlag: false },
      true,
    ],
    ["FORCE_COLOR=1 on a pipe", { isTTY: false, env: { FORCE_COLOR: "1" }, noColorFlag: false }, true],
    ["FORCE_COLOR=0 on a terminal", { isTTY: true, env: { FORCE_COLOR: "0" }, noColorFlag: false }, false],
    [
      "FORCE_COLOR empty on a pipe (does not count)",
      { isTTY: false, env: { FORCE_COLOR: "" }, noColorFlag: false },
      false,
    ],
    [
      "FORCE_COLOR=1 and NO_COLOR=1",
      { isTTY: false, env: { FORCE_COLOR: "1", NO_COLOR: "1" }, noColorFlag: false },
      true,
    ],
    [
      "--no-color with FORCE_COLOR=1 on a terminal",
      { isTTY: true, env: { FORCE_COLOR: "1" }, noColorFlag: true },
      false,
    ],
  ])("%s", (_name, ctx, expected) => {
    expect(wantsColor(ctx)).toBe(expected);
  });

  it("diagnose colours a terminal unless NO_COLOR is set and not empty, or --no-color is given", async () => {
    const args = ["diagnose", FOUNDING];
    expect((await inProcess(args, { tty: true })).stdout).toContain(ESC);
    expect((await inProcess(args, { tty: true, env: { NO_COLOR: "" } })).stdout).toContain(ESC);
    expect((await inProcess(args, { tty: true, env: { NO_COLOR: "1" } })).stdout).not.toContain(ESC);
    expect((await inProcess([...args, "--no-color"], { tty: true })).stdout).not.toContain(ESC);
  });
});

describe("the Read: line counts as the body does, and says what it counts", () => {
  it("1,234 lines, rows and boot entries, with thousands separators", async () => {
    const lines = readFileSync(join(FOUNDING, "httperr1.log"), "utf8").split("\n");
    const data = lines.filter((l) => /^\d{4}-/.test(l));
    const header = lines.filter((l) => l.startsWith("#"));
    const body = Array.from({ length: 1234 }, (_, i) => data[i % data.length]);
    const log = join(tmp, "httperr-big.log");
    writeFileSync(log, `${[...header, ...body].join("\n")}\n`);
    const r = await inProcess(["diagnose", log, join(FOUNDING, "poolmon-b.txt"), join(FOUNDING, "boot.ini")]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe(
      `Read: 1,234 lines from ${log}, 12 rows from ${join(FOUNDING, "poolmon-b.txt")}, 2 boot entries from ${join(FOUNDING, "boot.ini")}`,
    );
    const one = await inProcess(["diagnose", "-"], {
      input:
        '[boot loader]\ntimeout=5\n[operating systems]\nmulti(0)disk(0)rdisk(0)partition(1)\\WINDOWS="Windows Server 2003" /3GB\n',
    });
    expect(one.stdout.split("\n")[0]).toBe("Read: 1 boot entry from stdin");
  });

  it("sizes say kB and MB and mean powers of 1000", async () => {
    const r = await inProcess(["diagnose"], { input: `PK\u0003\u0004\u0000${"x".repeat(1_499_995)}` });
    expect(r.stdout).toContain("Nothing readable in stdin: binary data (NUL bytes), 1.5 MB");
  });
});

describe("diagnose --fail-on: exit 3 when a finding of that severity or worse is found", () => {
  it.each([
    ["critical", "founding-incident", 3],
    ["warning", "founding-incident", 3],
    ["critical", "pool-leak-growth", 0], // warnings only
    ["warning", "pool-leak-growth", 3],
    ["warning", "healthy", 0],
  ])("--fail-on %s on %s exits %i", async (level, dir, code) => {
    expect((await inProcess(["diagnose", "--fail-on", level, sample(dir)])).code).toBe(code);
  });

  it("still prints the whole diagnosis (JSON too) before exiting 3", async () => {
    const r = await inProcess(["diagnose", "--json", "--fail-on", "critical", FOUNDING]);
    expect(r.code).toBe(3);
    expect((JSON.parse(r.stdout) as { findings: unknown[] }).findings.length).toBeGreaterThan(0);
    expect((await inProcess(["diagnose", "--json", FOUNDING])).code).toBe(0);
  });
});

describe("handoff --json", () => {
  it("prints exactly what --format json prints; --format md stays the default", async () => {
    const db = join(tmp, "incidents.json");
    copyFileSync(join(PACKAGE_ROOT, "test", "fixtures", "incidents", "incidents-v1.json"), db);
    const env = { TATTLETALE_RETENTION_DAYS: "100000" };
    const outputs: string[] = [];
    for (const flags of [["--json"], ["--format", "json"], []]) {
      let out = "";
      const io = {
        stdout: { write: (s: string) => (out += s) },
        stderr: { write: () => true },
        env,
        now: () => Date.parse("2024-05-02T00:00:00Z"),
      };
      expect(await runHandoff([...flags, "--db", db, "--since", "2d"], io)).toBe(0);
      outputs.push(out);
    }
    const [json, format, md] = outputs;
    expect(json).toBe(format);
    expect((JSON.parse(json ?? "") as { counts: object }).counts).toEqual({
      open: 1,
      acknowledged: 0,
      resolved: 1,
    });
    expect(md).toMatch(/^# On-call handoff\n/);
  });
});
