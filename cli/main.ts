// tattletale: the command-line surface on the same core as the Slack bot.
// Exit codes: 0 ran (findings or not), 1 I/O error, 2 usage error.
import { parseArgs } from "node:util";
import {
  type Diagnosis,
  diagnose,
  KbError,
  loadKnowledgeBase,
  lookup,
  readableKindsText,
} from "../kb/index.js";
import { validateKnowledgeBase } from "../kb/validate.js";
import type { ParsedInput } from "../parsers/evidence.js";
import { describeUnreadable, parseText, recordsOf } from "../parsers/index.js";
import { InputError, readInputs } from "../parsers/sources.js";
import { runHandoff } from "./handoff.js";
import { createProgress } from "./progress.js";
import { ANSI, PLAIN, renderDiagnosisText } from "./render-text.js";

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

class UsageError extends Error {}

const USAGE = `Usage: tattletale <command> [options]

Commands:
  diagnose [--json] [FILE|FOLDER...]   Diagnose HTTPERR logs, poolmon tables, boot.ini, bcdedit output,
                                       Event Log text (stdin when no file). Several files are one incident.
  parse --json [FILE...]               Print the parsed records of every piece found.
  lookup [--json] QUERY...             Look up a reason phrase, event id, pool tag or topic.
  kb list [--json]                     List the knowledge base entries.
  kb validate                          Check every entry: schema, references, examples.
  handoff [--since 12h] [--format md|json] [--json] [--db FILE|postgres://…]
                                       Summarise the shift's incidents for the next person on call.
  help                                 Show this help.
`;

async function readStdin(stdin: Io["stdin"]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin)
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

interface Gathered {
  inputs: ParsedInput[];
  /** Sources that held nothing readable, with what was seen there instead. */
  unreadable: string[];
}

async function gatherInputs(files: string[], io: Io, json: boolean, keepRecords = false): Promise<Gathered> {
  const unreadable: string[] = [];
  if (files.length === 0) {
    if (io.stdin.isTTY) throw new UsageError("no input: give files or folders, or pipe text on stdin");
    const bytes = await readStdin(io.stdin);
    const text = new TextDecoder().decode(bytes);
    const { inputs } = parseText(text, "stdin");
    if (inputs.length === 0) unreadable.push(`stdin: ${describeUnreadable(text, false, bytes.length)}`);
    return { inputs, unreadable };
  }
  const progress = createProgress({ stream: io.stderr, enabled: !json });
  try {
    const inputs = await readInputs(files, {
      onProgress: progress.update,
      keepRecords,
      onUnreadable: (source, seen) => unreadable.push(`${source}: ${seen}`),
    });
    return { inputs, unreadable };
  } finally {
    progress.done();
  }
}

function diagnosisJson(d: Diagnosis): object {
  return {
    findings: d.findings.map((f) => ({
      id: f.id,
      title: f.title,
      severity: f.severity,
      confidence: f.confidence,
      evidence: f.evidence,
      next_steps: f.next_steps,
      references: f.references,
      caused_by: f.caused_by,
      paste_next: f.paste_next,
    })),
    headline: d.headline,
    chains: d.chains,
    inputs: d.inputs,
    facts: d.facts,
  };
}

function write(stream: NodeJS.WritableStream, text: string): void {
  stream.write(text);
}

async function cmdDiagnose(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { json: { type: "boolean", default: false } },
    allowPositionals: true,
  });
  const json = values.json === true;
  const { inputs, unreadable } = await gatherInputs(positionals, io, json);
  // What was seen instead goes with the answer in text mode, and to stderr beside JSON.
  for (const note of unreadable) write(json ? io.stderr : io.stdout, `Nothing readable in ${note}\n`);
  const kb = loadKnowledgeBase();
  const d = diagnose(
    kb,
    inputs.map((input) => ({ input })),
  );
  if (json) {
    write(io.stdout, `${JSON.stringify(diagnosisJson(d), null, 2)}\n`);
  } else {
    const color = io.stdout.isTTY === true && io.env.NO_COLOR === undefined;
    write(io.stdout, renderDiagnosisText(d, readableKindsText(), color ? ANSI : PLAIN));
  }
  if (d.inputs.length === 0 && json) write(io.stderr, `${readableKindsText()}\n`);
  return 0;
}

async function cmdParse(args: string[], io: Io): Promise<number> {
  const { positionals } = parseArgs({
    args,
    options: { json: { type: "boolean", default: true } },
    allowPositionals: true,
  });
  const { inputs, unreadable } = await gatherInputs(positionals, io, true, true);
  for (const note of unreadable) write(io.stderr, `tattletale: nothing readable in ${note}\n`);
  const out = inputs.map((input) => {
    const { kind, source, warnings } = input;
    const records = recordsOf(input);
    const extra =
      input.kind === "httperr"
        ? { summary: input.summary }
        : input.kind === "poolmon"
          ? { header: input.snapshot.header, tool: input.snapshot.tool, time: input.snapshot.time }
          : input.kind === "boot-ini"
            ? { timeout: input.boot.timeout }
            : {};
    return { source, kind, records, ...extra, warnings };
  });
  write(io.stdout, `${JSON.stringify({ inputs: out }, null, 2)}\n`);
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

function cmdLookup(args: string[], io: Io): number {
  const { values, positionals } = parseArgs({
    args,
    options: { json: { type: "boolean", default: false }, limit: { type: "string", default: "10" } },
    allowPositionals: true,
  });
  const query = positionals.join(" ").trim();
  if (query === "")
    throw new UsageError("lookup needs a query, e.g. `tattletale lookup Connections_Refused`");
  const limit = Number.parseInt(values.limit ?? "10", 10);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError("--limit must be a positive whole number");
  const result = lookup(loadKnowledgeBase(), query, limit);
  if (values.json) {
    write(io.stdout, `${JSON.stringify(result, null, 2)}\n`);
    return 0;
  }
  if (result.hits.length === 0) {
    const near = result.suggestions.length > 0 ? ` Did you mean: ${result.suggestions.join(", ")}?` : "";
    write(io.stdout, `No entry matches "${query}".${near}\n`);
    return 0;
  }
  for (const hit of result.hits) {
    write(io.stdout, `${hit.title}  [${hit.id}]\n  ${clip(hit.summary.split("\n")[0] ?? "", 300)}\n`);
    for (const r of hit.references.slice(0, 3)) write(io.stdout, `  → ${r.title}: ${r.url}\n`);
    write(io.stdout, "\n");
  }
  return 0;
}

function cmdKb(args: string[], io: Io): number {
  const [sub, ...rest] = args;
  if (sub === "list") {
    const { values } = parseArgs({ args: rest, options: { json: { type: "boolean", default: false } } });
    const kb = loadKnowledgeBase();
    const entries = kb.entries.map((e) => ({
      id: e.id,
      title: e.title,
      severity: e.severity,
      references: e.references,
    }));
    if (values.json) write(io.stdout, `${JSON.stringify({ entries }, null, 2)}\n`);
    else for (const e of entries) write(io.stdout, `${e.id.padEnd(48)} ${e.severity.padEnd(9)} ${e.title}\n`);
    return 0;
  }
  if (sub === "validate") {
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
  throw new UsageError(`unknown kb command "${sub ?? ""}": use \`kb list\` or \`kb validate\``);
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case "diagnose":
        return await cmdDiagnose(args, io);
      case "parse":
        return await cmdParse(args, io);
      case "lookup":
        return cmdLookup(args, io);
      case "kb":
        return cmdKb(args, io);
      case "handoff":
        return await runHandoff(args, { stdout: io.stdout, stderr: io.stderr, env: io.env });
      case undefined:
      case "help":
      case "--help":
      case "-h":
        write(command === undefined ? io.stderr : io.stdout, USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (
      error instanceof UsageError ||
      (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS") === true
    ) {
      write(io.stderr, `tattletale: ${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof InputError) {
      write(io.stderr, `tattletale: ${error.message}\n`);
      return 1;
    }
    if (error instanceof KbError) {
      write(io.stderr, `tattletale: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
