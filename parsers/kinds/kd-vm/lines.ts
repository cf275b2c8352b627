// Which lines belong to a kd-vm piece: `!vm` typed at a debugger prompt, its heading and its pool
// lines, and the debugger's banner (`Windows … Kernel Version …`), prove it; the other `!vm` lines,
// the banner's companions (Product, Built by, Kernel base…) can belong to one, and the debugger's
// own chatter between them (symbol loading, the bugcheck box) continues one.
import type { Continuation, LineAt, LineRecogniser, Strength } from "../module.js";

const STRONG: readonly RegExp[] = [
  /^\s*(?:\d{1,3}: ?)?l?kd> ?!vm\b/i,
  /^\s*\*{3} ?Virtual Memory Usage ?\*{3}/i,
  /^\s*(?:NonPagedPool(?:Nx)?|PagedPool) (?:Usage|Max|Maximum):\s*\d+\s*\(\s*\d+\s*Kb\s*\)/i,
  /^\s*Physical Memory:\s*\d+\s*\(\s*\d+\s*Kb\s*\)/i,
  /^\s*Windows [A-Za-z0-9 .]{1,40} Kernel Version \d{3,5}\b/,
];

const WEAK: readonly RegExp[] = [
  /^\s*[A-Za-z][A-Za-z0-9 /]{1,40}:\s*\d+\s*\(\s*\d+\s*Kb\s*\)/i,
  /^\s*(?:Page File:|Current:\s*\d+\s*Kb|Minimum:\s*\d+\s*Kb|No Name for Paging File)/i,
  /^\s*\*{3,}[^*]{1,80}\*{3,}\s*$/,
  /^\s*[0-9a-f]{4} \S{1,60}\s+\d+\s*\(\s*\d+\s*Kb\s*\)/i,
  /^\s*(?:Product: \w+, suite:|Built by:|Edition build lab:|Machine Name:|Kernel base = 0x|Debug session time:|System Uptime:|Total Private:)/,
];

/** What the debugger prints between the banner and the commands: continues a piece, never starts one. */
const CHATTER: readonly RegExp[] = [
  /^\s*\.{3,}\s*$/,
  /^\s*(?:Loading |Symbol search path|Executable search path|Microsoft \(R\) Windows Debugger|Copyright \(c\)|LiveKd v|Sysinternals|Launching .{0,200}kd\.exe|Use !analyze|BugCheck [0-9A-Fa-f]+,|Probably caused by|Followup:|WARNING:|\*\*\* )/,
  /^\s*(?:Kernel|User) \w+ Dump File/,
  /^\s*\*.{0,120}\*\s*$/,
  /^\s*-{3,}\s*$/,
  /^\s*(?:\d{1,3}: ?)?l?kd>/,
];

function matches(res: readonly RegExp[], line: string): boolean {
  for (const re of res) if (re.test(line)) return true;
  return false;
}

function kdVmLine(line: string): Strength {
  if (matches(STRONG, line)) return 2;
  return matches(WEAK, line) ? 1 : 0;
}

function continuesKdVm({ line }: LineAt, { provesOther }: Continuation<undefined>): Strength {
  const s = kdVmLine(line);
  if (s === 2) return 2;
  if (provesOther()) return 0;
  if (s === 1 || matches(CHATTER, line)) return 1;
  return 0;
}

export const kdVmLines: LineRecogniser<undefined> = {
  start: ({ line }) => kdVmLine(line),
  continues: continuesKdVm,
};
