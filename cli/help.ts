// What `tattletale help [COMMAND]` and `COMMAND --help` print. One text per command, so the
// overview and the command's own help cannot disagree on its options.

export const EXIT_CODES = `Exit codes:
  0  it ran (with or without findings)
  1  an input or the incident file could not be read
  2  usage error (unknown command or option, bad value)
  3  diagnose --fail-on: a finding of that severity or worse was found`;

interface CommandHelp {
  /** Its synopsis, for the overview. */
  line: string;
  /** What it does, in a few words, for the overview. */
  summary: string;
  /** The command's own help, after its usage line. */
  text: string;
}

const STDIN_NOTE = "With no FILE, or with `-` among them, reads standard input.";

export const COMMANDS: Record<string, CommandHelp> = {
  diagnose: {
    summary: "Diagnose HTTPERR logs, poolmon tables, boot.ini, bcdedit, Event Log text (one incident)",
    line: "diagnose [--json] [--fail-on LEVEL] [--chart DIR] [FILE|FOLDER|-]...",
    text: `Usage: tattletale diagnose [--json] [--fail-on critical|warning] [--chart DIR] [--no-color] [FILE|FOLDER|-]...

Diagnoses HTTPERR logs, poolmon tables, boot.ini, bcdedit output, Event Log text and pool counters
together, as one incident: what is wrong, the numbers that prove it, what to do next, where to read more.
${STDIN_NOTE}
A folder is read as an incident: its httperr*.log (and .log.gz) files in name order as one log,
every other file in it as a paste of its own.

Options:
  --json              print the diagnosis as JSON (schema/diagnose.schema.json, docs/json-output.md)
  --fail-on LEVEL     exit 3 when a finding of LEVEL or worse is found: critical, or warning
                      (warning or critical); for scripts and schedulers that alert
  --chart DIR         also write the diagnosis's charts (PNG and SVG) into DIR and print their paths
                      (on stderr with --json)
  --no-color          no colours; NO_COLOR=1 does the same, FORCE_COLOR=1 forces them when piped
  -h, --help          this help

${EXIT_CODES}

Examples:
  tattletale diagnose samples/founding-incident
  tattletale diagnose httperr1.log poolmon-b.txt boot.ini
  tattletale diagnose --fail-on critical --json /mnt/web01/LogFiles/HTTPERR > report.json
  xclip -o | tattletale diagnose - boot.ini`,
  },
  parse: {
    summary: "Print the parsed records of every piece found, as JSON",
    line: "parse [--json] [FILE|FOLDER|-]...",
    text: `Usage: tattletale parse [--json] [FILE|FOLDER|-]...

Prints, as JSON, the records of every piece found: HTTPERR lines keyed by their W3C field names,
poolmon rows, boot entries, events, pool counters (schema/parse.schema.json, docs/json-output.md).
${STDIN_NOTE}
The output is always JSON; --json is accepted for symmetry with the other commands.

Options:
  --json              JSON output (the only output of parse)
  -h, --help          this help

${EXIT_CODES}`,
  },
  lookup: {
    summary: "Look up a reason phrase, event id, pool tag or topic",
    line: "lookup [--json] [--limit N] QUERY...",
    text: `Usage: tattletale lookup [--json] [--limit N] QUERY...

Looks up an http.sys reason phrase, an event id, a pool tag or a topic in the knowledge base;
typos welcome (\`tattletale lookup conection refused\`, \`tattletale lookup MFeS\`).

Options:
  --json              print the hits as JSON (schema/lookup.schema.json)
  --limit N           at most N hits (default 10)
  -h, --help          this help

${EXIT_CODES}`,
  },
  kb: {
    summary: "List the knowledge base, or check every entry",
    line: "kb list [--json] | kb validate",
    text: `Usage: tattletale kb list [--json]
       tattletale kb validate

kb list       lists the knowledge base entries: id, severity, title (--json: schema/kb-list.schema.json)
kb validate   checks every entry: schema, references, cross-links, and runs its examples; exit 1 on a problem

Options:
  --json              (kb list) print the entries as JSON
  -h, --help          this help

${EXIT_CODES}`,
  },
  handoff: {
    summary: "Summarise the shift's incidents for the next person on call",
    line: "handoff [--since 12h] [--team NAME] [--include-private] [--json | --format md|json] [--db FILE|postgres://…]",
    text: `Usage: tattletale handoff [--since 12h|90m|2d|ISO-DATE] [--team NAME] [--include-private]
                         [--json | --format md|json] [--db FILE|postgres://…]

Summarises the incidents of the shift from the bot's store (its incident file, or the PostgreSQL
database its replicas share), for the next person on call: open ones first (by severity, then
age), then the resolved ones. Reads the store, never writes it. Only incidents of public channels
are listed: the command line cannot tell who in Slack may see a private channel's or a direct
message's, so those are counted, not listed, unless --include-private.

Options:
  --since SPAN        how far back: 12h (default), 90m, 2d, 1w, or an ISO date such as 2024-05-01T08:00Z
  --team NAME         only the channels of this handoff team (/tattle settings in Slack)
  --include-private   list private channels' and direct messages' incidents too
  --json              print JSON (schema/handoff.schema.json); the same as --format json
  --format md|json    Markdown for a ticket or an email (default), or JSON
  --db FILE|URL       the incident file, or a postgres:// URL (schema TATTLETALE_DATABASE_SCHEMA, default
                      tattletale); default: TATTLETALE_DATABASE_URL, else TATTLETALE_DB, else
                      .tattletale/incidents.json
  -h, --help          this help

${EXIT_CODES}`,
  },
  help: {
    summary: "Show this overview, or a command's help",
    line: "help [COMMAND]",
    text: `Usage: tattletale help [COMMAND]

Prints the overview, or the help of COMMAND (the same as \`tattletale COMMAND --help\`).`,
  },
};

export function overview(): string {
  const lines = Object.values(COMMANDS).map((c) => `  ${c.line}\n      ${c.summary}`);
  return `Usage: tattletale <command> [options]

Reads what a sick Windows/IIS server tattles and answers with a diagnosis.

Commands:
${lines.join("\n")}

Options:
  -h, --help          this overview (tattletale help COMMAND: that command's options)
  -V, --version       the version

${EXIT_CODES}
`;
}

/** The help of one command, or null when there is no such command. */
export function commandHelp(command: string): string | null {
  return Object.hasOwn(COMMANDS, command) ? `${COMMANDS[command]?.text}\n` : null;
}
