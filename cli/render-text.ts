// A diagnosis as terminal text: headline, chain, findings with their numbers, next steps and
// references. Pure; colour only when asked.
import { resolveCommands } from "../kb/commands.js";
import type { Diagnosis, Finding, InputSummary } from "../kb/diagnosis.js";
import { groupThousands } from "../kb/format.js";

export interface TextStyle {
  bold(s: string): string;
  dim(s: string): string;
  severity(sev: Finding["severity"], s: string): string;
}

const ESC = "\u001b[";
export const PLAIN: TextStyle = { bold: (s) => s, dim: (s) => s, severity: (_, s) => s };
export const ANSI: TextStyle = {
  bold: (s) => `${ESC}1m${s}${ESC}22m`,
  dim: (s) => `${ESC}2m${s}${ESC}22m`,
  severity: (sev, s) => `${ESC}${sev === "critical" ? "31" : sev === "warning" ? "33" : "36"}m${s}${ESC}39m`,
};

const MARK = { critical: "✖ CRITICAL", warning: "▲ WARNING", info: "● INFO" } as const;

/** What one record of each input kind is, singular and plural, for the "Read:" line. */
const RECORD_NOUN: Record<string, [string, string]> = {
  httperr: ["line", "lines"],
  poolmon: ["row", "rows"],
  "boot-ini": ["boot entry", "boot entries"],
  bcdedit: ["BCD entry", "BCD entries"],
  event: ["event", "events"],
  "pool-counters": ["set of pool counters", "sets of pool counters"],
};

/** `1,234 lines from httperr1.log`: counted as in the body (thousands separators), and named. */
export function readText(input: InputSummary): string {
  const [one, many] = RECORD_NOUN[input.kind] ?? [`${input.kind} record`, `${input.kind} records`];
  return `${groupThousands(input.records)} ${input.records === 1 ? one : many} from ${input.source}`;
}

function chainText(d: Diagnosis): string[] {
  const title = new Map(d.findings.map((f) => [f.id, f.title]));
  return d.chains.map((chain) => chain.map((id) => title.get(id) ?? id).join("\n    ← "));
}

function findingText(f: Finding, style: TextStyle): string[] {
  const out = [
    `${style.severity(f.severity, MARK[f.severity])} ${style.bold(f.title)} ${style.dim(`[${f.id}, confidence ${Math.round(f.confidence * 100)}%]`)}`,
  ];
  for (const e of f.evidence) out.push(`  • ${e}`);
  if (f.caused_by.length > 0) out.push(`  ${style.dim(`explained by: ${f.caused_by.join(", ")}`)}`);
  for (const p of f.paste_next) out.push(`  ${style.dim("to confirm, paste:")} ${p}`);
  return out;
}

export function renderDiagnosisText(d: Diagnosis, readable: string, style: TextStyle = PLAIN): string {
  if (d.inputs.length === 0) {
    return `Nothing Tattletale can read was found in the input.\n\n${readable}\n`;
  }
  const lines: string[] = [];
  lines.push(style.dim(`Read: ${d.inputs.map(readText).join(", ")}`), "");
  if (d.findings.length === 0) {
    lines.push("No problems found in what was pasted.");
    const hint = d.facts.pool.usedMb !== null ? `Non-paged pool in use: ${d.facts.pool.usedMb} MB.` : null;
    if (hint) lines.push(hint);
    return `${lines.join("\n")}\n`;
  }
  lines.push(style.bold(d.headline ?? d.findings[0]?.title ?? ""), "");
  const chains = chainText(d);
  if (chains.length > 0) {
    lines.push(style.bold("Chain"));
    for (const c of chains) lines.push(`    ${c}`);
    lines.push("");
  }
  for (const f of d.findings) lines.push(...findingText(f, style), "");

  lines.push(style.bold("Next steps"));
  for (const [i, s] of d.next_steps.entries()) lines.push(`  ${i + 1}. ${resolveCommands(s, "cli")}`);
  lines.push("");

  const refs = new Map<string, string>();
  for (const f of d.findings) for (const r of f.references) if (!refs.has(r.url)) refs.set(r.url, r.title);
  lines.push(style.bold("References"));
  for (const [url, title] of refs) lines.push(`  - ${title}\n    ${url}`);
  return `${lines.join("\n")}\n`;
}
