// Which lines belong to a netsh-servicestate piece: the `Snapshot of HTTP service state` title, a
// `Request queue name:`, a queue's 503 verbosity or counters, and session / URL group ids prove it;
// the other `Key: value` lines, process ids and registered URLs inside it can belong to one.
import type { Continuation, LineAt, LineRecogniser, Strength } from "../module.js";

const STRONG: readonly RegExp[] = [
  /^\s*Snapshot of HTTP service state\b/i,
  /^\s*Request queue name:\s*\S/i,
  /^\s*Request queue 503 verbosity level:/i,
  /^\s*(?:Queued requests|Max queued request age|Number of active processes attached):\s*\d/i,
  /^\s*(?:Server session ID|URL group ID):\s*[0-9A-F]{16}\s*$/i,
];

const WEAK: readonly RegExp[] = [
  /^\s*(?:[A-Za-z]:\\[^>]{0,200}>|PS[^>]{0,200}>|netsh http>)\s*(?:netsh\s+)?http\s+show\s+servicestate\b/i,
  /^\s*(?:Request queues|URL groups|Registered URLs|Properties|Timeouts|Processes|Process IDs|Requests):\s*$/i,
];

/** Inside a piece: any `Key: value`, a bare pid, a URL, the title's underline. */
const INSIDE: readonly RegExp[] = [
  /^\s*[A-Za-z][A-Za-z0-9 ()/.-]{0,60}:(?:\s|$)/,
  /^\s*\d{1,10}\s*$/,
  /^\s*HTTPS?:\/\/\S/i,
  /^\s*-{10,}\s*$/,
  /^\s*(?:Timeout values inherited|Negotiate|NTLM|Kerberos|Basic|Digest)\s*$/i,
];

function matches(res: readonly RegExp[], line: string): boolean {
  for (const re of res) if (re.test(line)) return true;
  return false;
}

function netshLine(line: string): Strength {
  if (matches(STRONG, line)) return 2;
  return matches(WEAK, line) ? 1 : 0;
}

function continuesNetsh({ line }: LineAt, { provesOther }: Continuation<undefined>): Strength {
  const s = netshLine(line);
  if (s === 2) return 2;
  if (provesOther()) return 0;
  return s === 1 || matches(INSIDE, line) ? 1 : 0;
}

export const netshServicestateLines: LineRecogniser<undefined> = {
  start: ({ line }) => netshLine(line),
  continues: continuesNetsh,
};
