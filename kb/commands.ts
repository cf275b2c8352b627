// Commands named in next steps. An entry writes `{cmd:lookup tag <TAG>}` once; the diagnosis keeps
// that neutral token, and each surface prints its own form when it renders the step:
// `tattletale lookup tag <TAG>` on the command line, `/tattle tag <TAG>` in Slack.

export type Surface = "cli" | "slack";

export interface Command {
  /** One line for authors: what the command does. */
  doc: string;
  /** The command line for the surface, given the token's arguments (possibly empty). */
  cli(args: string): string;
  slack(args: string): string;
}

const withArgs = (command: string, args: string) => (args === "" ? command : `${command} ${args}`);

export const COMMANDS: Readonly<Record<string, Command>> = {
  lookup: {
    doc: "look up a reason phrase, event id, pool tag (`tag MFeS`) or topic",
    cli: (args) => withArgs("tattletale lookup", args),
    slack: (args) => withArgs("/tattle", args),
  },
  handoff: {
    doc: "the shift's incidents for the next person on call, over a span (`12h`)",
    cli: (args) => (args === "" ? "tattletale handoff" : `tattletale handoff --since ${args}`),
    slack: (args) => withArgs("/tattle handoff", args),
  },
};

/** `{cmd:NAME}` or `{cmd:NAME ARGS}`; ARGS hold no braces (fact placeholders are filled first). */
export const COMMAND_TOKEN = /\{cmd:([A-Za-z0-9_-]*)(?: ([^{}]*))?\}/g;

export interface CommandToken {
  name: string;
  args: string;
}

/** Every command token of a text, in order. */
export function commandTokens(text: string): CommandToken[] {
  return [...text.matchAll(COMMAND_TOKEN)].map((m) => ({ name: m[1] ?? "", args: (m[2] ?? "").trim() }));
}

/** Surface-specific command names that neutral text must not contain (write a token instead). */
export const SURFACE_COMMAND = /(^|[\s`(])(\/tattle\b|tattletale (lookup|handoff|diagnose|kb)\b)/;

/** The text as the surface prints it. An unknown command keeps its token (kb validate reports it). */
export function resolveCommands(text: string, surface: Surface): string {
  return text.replace(COMMAND_TOKEN, (token, name: string, args: string | undefined) => {
    const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    return command ? command[surface]((args ?? "").trim()) : token;
  });
}
