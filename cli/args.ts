// Command-line options read with node's own tokenizer, but checked here, so that every mistake gets
// one line that names the option and the command (never node's ERR_PARSE_ARGS text).
import { type ParseArgsConfig, parseArgs } from "node:util";

/** A mistake in how the CLI was called (exit 2). `command` points the reader at its help. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
    this.name = "UsageError";
  }
}

/** `tattletale: unknown option --foo for diagnose (see tattletale help diagnose)`. */
export function usageLine(error: UsageError): string {
  const hint = error.command ? `see tattletale help ${error.command}` : "see tattletale help";
  return `tattletale: ${error.message} (${hint})\n`;
}

export interface OptionSpec {
  type: "boolean" | "string";
  short?: string;
}

export type OptionSpecs = Record<string, OptionSpec>;

export type OptionValues<S extends OptionSpecs> = {
  [K in keyof S]?: S[K]["type"] extends "boolean" ? boolean : string;
};

export interface ParsedArgs<S extends OptionSpecs> {
  values: OptionValues<S>;
  positionals: string[];
}

/**
 * Reads `args` for `command` against `specs`. `-` and everything after `--` are positionals. An
 * unknown option, a value given to a flag (`--json=yes`) or a missing value (`--since` at the end)
 * throws a UsageError naming the option. A repeated option keeps its last value.
 */
export function parseCommandArgs<S extends OptionSpecs>(
  command: string,
  args: string[],
  specs: S,
): ParsedArgs<S> {
  const { tokens } = parseArgs({
    args,
    options: specs as ParseArgsConfig["options"],
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const values: Record<string, boolean | string> = {};
  const positionals: string[] = [];
  for (const token of tokens ?? []) {
    if (token.kind === "positional") {
      positionals.push(token.value);
      continue;
    }
    if (token.kind !== "option") continue;
    const spec = Object.hasOwn(specs, token.name) ? specs[token.name] : undefined;
    if (spec === undefined) throw new UsageError(`unknown option ${token.rawName} for ${command}`, command);
    if (spec.type === "boolean") {
      if (token.value !== undefined) throw new UsageError(`option ${token.rawName} takes no value`, command);
      values[token.name] = true;
    } else {
      if (token.value === undefined) throw new UsageError(`option ${token.rawName} needs a value`, command);
      values[token.name] = token.value;
    }
  }
  return { values: values as OptionValues<S>, positionals };
}

/** Whether `args` ask for help (`-h`, `--help`) before any `--`. */
export function asksForHelp(args: readonly string[]): boolean {
  for (const a of args) {
    if (a === "--") return false;
    if (a === "--help" || a === "-h") return true;
  }
  return false;
}
