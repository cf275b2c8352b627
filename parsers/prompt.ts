// Command prompts that people paste with a tool's output: cmd (`C:\>`, `C:\Windows\system32>`),
// PowerShell (`PS C:\>`, `PS>`), the kernel debugger (`kd>`, `0: kd>`, `lkd>`). A prompt names the
// command that produced what follows; the kinds use it to know the tool, never as evidence itself.

export type Shell = "cmd" | "powershell" | "kd";

export interface Prompt {
  shell: Shell;
  /** What was typed after the prompt, trimmed ("" for a bare prompt). */
  command: string;
}

// Bounded runs (`{0,200}`) and `(.*)$` with the `s` flag: one pass, whatever the line holds.
const CMD = /^\s*([A-Za-z]:\\[^>\n]{0,200})>(.*)$/s;
const PS = /^\s*PS(?: [A-Za-z]:\\[^>\n]{0,200}| [A-Za-z]:)?>(.*)$/s;
const KD = /^\s*(?:\d{1,3}: ?)?l?kd> ?(.*)$/s;

/** The prompt at the start of a line and what was typed after it, or null. */
export function promptOf(line: string): Prompt | null {
  let m = PS.exec(line);
  if (m) return { shell: "powershell", command: (m[1] ?? "").trim() };
  m = CMD.exec(line);
  if (m) return { shell: "cmd", command: (m[2] ?? "").trim() };
  m = KD.exec(line);
  if (m) return { shell: "kd", command: (m[1] ?? "").trim() };
  return null;
}
