// Each new input kind pasted into Slack the ways Slack mangles it (a code block, quote markers, the
// entities Slack escapes, chat around it) must read as the same kind with the same data as the file.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseText } from "../../parsers/index.js";

const read = (relative: string): string =>
  readFileSync(fileURLToPath(new URL(relative, import.meta.url)), "utf8");

const CASES: ReadonlyArray<[string, string]> = [
  ["task-manager", "win81-2012r2-memory-copy.txt"],
  ["systeminfo", "en-2019-x64-vm.txt"],
  ["kd-vm", "kd-2008r2-x64-vm1.txt"],
  ["kd-poolused", "poolused2-windbg10-2016.txt"],
  ["counter-csv", "typeperf-console.txt"],
  ["counter-csv", "get-counter-multi-sample.txt"],
  ["netsh-servicestate", "2019-server-session-view-counters.txt"],
  ["findstr-tags", "findstr-full-path.txt"],
  ["pooltag-csv", "export-csv-pwsh7.csv"],
  ["iis-w3c", "u_ex-iis10-default.log"],
];

const SLACK: ReadonlyArray<[string, (t: string) => string]> = [
  ["a code block", (t) => `\`\`\`${t}\`\`\``],
  ["a code block with a language", (t) => `\`\`\`text\n${t}\n\`\`\``],
  ["quote markers on every line", (t) => t.replace(/^/gm, "> ")],
  ["escaped quote markers", (t) => t.replace(/^/gm, "&gt; ")],
  ["Slack's entities", (t) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")],
  ["chat around a code block", (t) => `here is what the server shows:\n\`\`\`\n${t}\n\`\`\`\nany idea?`],
];

function onlyInput(text: string, kind: string) {
  const result = parseText(text, "slack");
  const inputs = result.inputs.filter((i) => i.kind === kind);
  expect(inputs, `kinds read: ${result.inputs.map((i) => i.kind).join(", ")}`).toHaveLength(1);
  return inputs[0] as (typeof result.inputs)[number];
}

describe.each(CASES)("%s (%s) pasted into Slack", (kind, file) => {
  const text = read(`kinds/${kind}/${file}`).replace(/\r\n/g, "\n").trimEnd();
  const clean = onlyInput(text, kind);

  it.each(SLACK)("reads the same data from %s", (_how, mangle) => {
    const pasted = onlyInput(mangle(text), kind);
    expect(pasted.data).toEqual(clean.data);
  });
});
