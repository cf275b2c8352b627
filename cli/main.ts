// tattletale: the command-line surface on the same core as the Slack bot.
// Exit codes: 0 ran (findings or not), 1 I/O error, 2 usage error, 3 `diagnose --fail-on` tripped.
import { readFileSync } from "node:fs";
import { join } from "node:path";
// Only light modules here: each command loads the rest when it runs (see loadCore), so `--version`
// and `help` answer at once and `diagnose` starts scanning a big log before the knowledge base loads.
import { readInputs, STDIN } from "../ingest/files.js";
import { InputError } from "../ingest/input-error.js";
import { resolveCommands } from "../kb/commands.js";
import type { Diagnosis, Severity } from "../kb/index.js";
import { KbError } from "../kb/kb-error.js";
import { PACKAGE_ROOT } from "../kb/paths.js";
import type { ParsedInput } from "../parsers/evidence.js";
import { asksForHelp, parseCommandArgs, UsageError, usageLine } from "./args.js";
import { wantsColor } from "./color.js";
import { commandHelp, overview } from "./help.js";
import { createProgress } from "./progress.js";
import { ANSI, PLAIN, renderDiagnosisText } from "./render-text.js";

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

/** Exit code of `diagnose --fail-on` when a finding at or above the level was found. */
export const EXIT_FINDINGS = 3;

/** Standard input as bytes (a stream set to an encoding gives strings). */
async function* readStdin(stdin: Io["stdin"]): AsyncGenerator<Uint8Array> {
  for await (const chunk of stdin) yield typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
}

interface Gathered {
  inputs: ParsedInput[];
  /** Sources that held nothing readable, with what was seen there instead. */
  unreadable: string[];
}

interface GatherOptions {
  json: boolean;
  keepRecords?: boolean;
  /** Called as bytes of big inputs are read (their scan is under way, on worker threads if big). */
  onBytes?: () => void;
}

async function gatherInputs(paths: string[], io: Io, opts: GatherOptions): Promise<Gathered> {
  const unreadable: string[] = [];
  // No path: stdin, unless it is a terminal (then nobody is piping anything).
  if (paths.length === 0 && io.stdin.isTTY)
    throw new UsageError("no input: give files or folders, or pipe text on stdin (or give -)");
  // `-` is stdin, in its place among the files; stdin can be read once.
  if (paths.indexOf(STDIN) !== paths.lastIndexOf(STDIN))
    throw new UsageError("- (standard input) can be given only once");
  const progress = createProgress({ stream: io.stderr, enabled: !opts.json });
  try {
    const inputs = await readInputs(paths.length === 0 ? [STDIN] : paths, {
      onProgress: (done, total) => {
        opts.onBytes?.();
        progress.update(done, total);
      },
      keepRecords: opts.keepRecords,
      onUnreadable: (source, seen) => unreadable.push(`${source}: ${seen}`),
      stdin: readStdin(io.stdin),
    });
    return { inputs, unreadable };
  } finally {
    progress.done();
  }
}

/** The knowledge base's code and data and the JSON contract (zod and natural come with them). */
async function loadCore() {
  const [core, contract] = await Promise.all([import("../kb/index.js"), import("../kb/contract.js")]);
  return { core, contract, kb: core.loadKnowledgeBase() };
}

/** A diagnosis with its command tokens named as CLI commands (`tattletale lookup …`). */
function forCli(d: Diagnosis): Diagnosis {
  const steps = (list: string[]) => list.map((s) => resolveCommands(s, "cli"));
  return {
    ...d,
    findings: d.findings.map((f) => ({ ...f, next_steps: steps(f.next_steps) })),
    next_steps: steps(d.next_steps),
  };
}

function write(stream: NodeJS.WritableStream, text: string): void {
  stream.write(text);
}

function writeJson(stream: NodeJS.WritableStream, value: unknown): void {
  write(stream, `${JSON.stringify(value, null, 2)}\n`);
}

/** Severities at or above each `--fail-on` level. */
const FAIL_ON: Record<string, readonly Severity[]> = {
  critical: ["critical"],
  warning: ["critical", "warning"],
};

async function cmdDiagnose(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs("diagnose", args, {
    json: { type: "boolean" },
    "fail-on": { type: "string" },
    "no-color": { type: "boolean" },
    chart: { type: "string" },
  });
  const failOn = values["fail-on"];
  if (failOn !== undefined && !Object.hasOwn(FAIL_ON, failOn))
    throw new UsageError(`--fail-on must be critical or warning, not "${failOn}"`, "diagnose");
  const json = values.json === true;
  const charts =
    values.chart === undefined ? null : await (await import("./charts.js")).openChartDir(values.chart);
  // The knowledge base loads beside the scan of a big log (from its first bytes: between this
  // thread's blocks, while the worker goes on); for small inputs, after reading them.
  let loading: Promise<Awaited<ReturnType<typeof loadCore>>> | null = null;
  const load = () => {
    if (loading === null) {
      loading = loadCore();
      loading.catch(() => {}); // awaited below; a failed read must not leave it unhandled
    }
    return loading;
  };
  const { inputs, unreadable } = await gatherInputs(positionals, io, { json, onBytes: load });
  // What was seen instead goes with the answer in text mode, and to stderr beside JSON.
  for (const note of unreadable) write(json ? io.stderr : io.stdout, `Nothing readable in ${note}\n`);
  const { core, contract, kb } = await load();
  const { readableKindsText } = core;
  const d = core.diagnose(
    kb,
    inputs.map((input) => ({ input })),
  );
  if (json) {
    writeJson(io.stdout, contract.DiagnoseOutput.parse(forCli(d)));
  } else {
    const color = wantsColor({
      isTTY: io.stdout.isTTY,
      env: io.env,
      noColorFlag: values["no-color"] === true,
    });
    write(io.stdout, renderDiagnosisText(d, readableKindsText(), color ? ANSI : PLAIN));
  }
  if (d.inputs.length === 0 && json) write(io.stderr, `${readableKindsText()}\n`);
  // The paths go to stderr beside JSON, so stdout stays the JSON contract.
  if (charts !== null) write(json ? io.stderr : io.stdout, await charts.write(d));
  const failing = failOn === undefined ? [] : (FAIL_ON[failOn] ?? []);
  return d.findings.some((f) => failing.includes(f.severity)) ? EXIT_FINDINGS : 0;
}

async function cmdParse(args: string[], io: Io): Promise<number> {
  const { positionals } = parseCommandArgs("parse", args, { json: { type: "boolean" } });
  const { inputs, unreadable } = await gatherInputs(positionals, io, { json: true, keepRecords: true });
  for (const note of unreadable) write(io.stderr, `tattletale: nothing readable in ${note}\n`);
  const { parseOutput } = await import("../parsers/contract.js");
  writeJson(io.stdout, parseOutput(inputs));
  return 0;
}

/** At most `max` characters, cut after a sentence or at a word, never mid-word. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max);
  const sentence = head.lastIndexOf(". ");
  if (sentence > max / 2) return head.slice(0, sentence + 1);
  return `${head.slice(0, head.lastIndexOf(" "))}…`;
}

async function cmdLookup(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs("lookup", args, {
    json: { type: "boolean" },
    limit: { type: "string" },
  });
  const query = positionals.join(" ").trim();
  if (query === "")
    throw new UsageError("lookup needs a query, e.g. `tattletale lookup Connections_Refused`", "lookup");
  const limitText = values.limit ?? "10";
  const limit = /^\d+$/.test(limitText) ? Number(limitText) : Number.NaN;
  if (!Number.isInteger(limit) || limit < 1)
    throw new UsageError(`--limit must be a positive whole number, not "${limitText}"`, "lookup");
  const { core, contract, kb } = await loadCore();
  const result = contract.LookupOutput.parse(core.lookup(kb, query, limit));
  if (values.json) {
    writeJson(io.stdout, result);
    return 0;
  }
  const tag = result.tag;
  if (tag !== null && tag.match !== "exact") {
    const name = JSON.stringify(tag.tag);
    write(
      io.stdout,
      tag.match === "family"
        ? `Pool tag ${name} is not in the tag table by name; it falls in the family ${JSON.stringify(tag.family)} (below), a lead to confirm.\n`
        : `Pool tag ${name} is unknown: neither the tag table nor its families know it.\n`,
    );
  }
  if (tag?.findDriverCommand) {
    write(
      io.stdout,
      `Find the driver that holds it, on the server (tags are case-sensitive):\n  ${tag.findDriverCommand}\n\n`,
    );
  }
  if (result.hits.length === 0) {
    const near = result.suggestions.length > 0 ? ` Did you mean: ${result.suggestions.join(", ")}?` : "";
    if (tag === null || near !== "") write(io.stdout, `No entry matches "${query}".${near}\n`);
    return 0;
  }
  for (const hit of result.hits) {
    write(io.stdout, `${hit.title}  [${hit.id}]\n  ${clip(hit.summary.split("\n")[0] ?? "", 300)}\n`);
    for (const r of hit.references.slice(0, 3)) write(io.stdout, `  → ${r.title}: ${r.url}\n`);
    write(io.stdout, "\n");
  }
  return 0;
}

async function cmdKb(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === "list") {
    const { values, positionals } = parseCommandArgs("kb", rest, { json: { type: "boolean" } });
    if (positionals.length > 0)
      throw new UsageError(`kb list takes no arguments, not "${positionals[0]}"`, "kb");
    const { contract, kb } = await loadCore();
    const list = contract.KbListOutput.parse({ entries: kb.entries });
    if (values.json) writeJson(io.stdout, list);
    else
      for (const e of list.entries)
        write(io.stdout, `${e.id.padEnd(48)} ${e.severity.padEnd(9)} ${e.title}\n`);
    return 0;
  }
  if (sub === "validate") {
    const { positionals } = parseCommandArgs("kb", rest, {});
    if (positionals.length > 0)
      throw new UsageError(`kb validate takes no arguments, not "${positionals[0]}"`, "kb");
    const { validateKnowledgeBase } = await import("../kb/validate.js");
    const result = validateKnowledgeBase();
    for (const p of result.problems) write(io.stderr, `${p}\n`);
    write(
      io.stdout,
      result.ok
        ? `Knowledge base OK: ${result.entries} entries, every example behaves.\n`
        : `${result.problems.length} problem(s) in the knowledge base.\n`,
    );
    return result.ok ? 0 : 1;
  }
  throw new UsageError(
    sub === undefined
      ? "kb needs a command: list or validate"
      : `unknown kb command "${sub}": use list or validate`,
    "kb",
  );
}

/** `tattletale 0.1.0`, from the package's own package.json. */
function versionText(): string {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string };
  return `tattletale ${pkg.version}\n`;
}

function cmdHelp(args: string[], io: Io): number {
  const [topic] = args;
  if (topic === undefined) {
    write(io.stdout, overview());
    return 0;
  }
  const text = commandHelp(topic);
  if (text === null) throw new UsageError(`no command "${topic}"`);
  write(io.stdout, text);
  return 0;
}

async function run(command: string, args: string[], io: Io): Promise<number> {
  // `COMMAND --help` anywhere before `--`: that command's help, whatever else was given.
  if (asksForHelp(args) && commandHelp(command) !== null) return cmdHelp([command], io);
  try {
    return await dispatch(command, args, io);
  } catch (error) {
    // A usage error raised below the command (reading inputs) still points at the command's help.
    if (
      error instanceof UsageError &&
      error.command === undefined &&
      command !== "help" &&
      commandHelp(command) !== null
    )
      throw new UsageError(error.message, command);
    throw error;
  }
}

async function dispatch(command: string, args: string[], io: Io): Promise<number> {
  switch (command) {
    case "diagnose":
      return await cmdDiagnose(args, io);
    case "parse":
      return await cmdParse(args, io);
    case "lookup":
      return await cmdLookup(args, io);
    case "kb":
      return await cmdKb(args, io);
    case "handoff": {
      const { runHandoff } = await import("./handoff.js");
      return await runHandoff(args, { stdout: io.stdout, stderr: io.stderr, env: io.env });
    }
    case "help":
      return cmdHelp(args, io);
    default:
      throw new UsageError(
        command.startsWith("-") ? `unknown option ${command}` : `unknown command "${command}"`,
      );
  }
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case undefined:
        write(io.stderr, overview());
        return 2;
      case "--help":
      case "-h":
        return cmdHelp([], io);
      case "--version":
      case "-V":
        write(io.stdout, versionText());
        return 0;
      default:
        return await run(command, args, io);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      write(io.stderr, usageLine(error));
      return 2;
    }
    if (error instanceof InputError || error instanceof KbError) {
      write(io.stderr, `tattletale: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
