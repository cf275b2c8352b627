// Every surface gives the same next steps for the same inputs: for every sample (and the founding
// incident as one combined paste), the steps of `tattletale diagnose --json` (a real CLI process)
// equal the steps of the Slack reply built by bot/render/diagnosis.ts, in the same order. Commands
// differ only in each surface's own words: `tattletale lookup …` on the CLI, `/tattle …` in Slack.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderDiagnosis } from "../../bot/render/diagnosis.js";
import type { Block } from "../../bot/render/limits.js";
import { diagnoseTexts, loadKnowledgeBase, type TextInput } from "../../kb/index.js";
import { PACKAGE_ROOT } from "../../kb/paths.js";
import { CLI_BIN as BIN } from "../support/cli-bin.js";

const SAMPLES = join(PACKAGE_ROOT, "samples");
const kb = loadKnowledgeBase();

function cliSteps(args: string[], input = ""): string[] {
  const r = spawnSync(process.execPath, [BIN, "diagnose", "--json", ...args], {
    cwd: PACKAGE_ROOT,
    input,
    encoding: "utf8",
  });
  expect(r.status, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { next_steps: string[] }).next_steps;
}

/** The numbered lines of the reply's "Next steps" section, unescaped; none when it has no such section. */
function slackSteps(texts: TextInput[]): string[] {
  const { blocks } = renderDiagnosis(diagnoseTexts(kb, texts), { incidentId: "T:C:1.2" });
  const section = blocks.find((b: Block) => b.block_id === "next_steps") as
    | { text?: { text: string } }
    | undefined;
  if (!section?.text) return [];
  const [title, ...lines] = section.text.text.split("\n");
  expect(title).toBe("*Next steps*");
  return lines.map((line, i) => {
    expect(line.startsWith(`${i + 1}. `), line).toBe(true);
    return line
      .slice(`${i + 1}. `.length)
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&amp;/g, "&");
  });
}

/** Each surface's name for a lookup, written the same way, so the two lists can be compared. */
const neutral = (step: string) => step.replace(/tattletale lookup |\/tattle /g, "<lookup> ");

const samples = readdirSync(SAMPLES).sort();
const filesOf = (name: string) => readdirSync(join(SAMPLES, name)).sort();
const textOf = (name: string, file: string) => readFileSync(join(SAMPLES, name, file), "utf8");

describe.each(samples)("samples/%s", (name) => {
  const cli = cliSteps([join(SAMPLES, name)]);
  const slack = slackSteps(filesOf(name).map((file) => ({ text: textOf(name, file), source: file })));

  it("has the same next steps on the CLI and in Slack", () => {
    expect(cli.map(neutral)).toEqual(slack.map(neutral));
  });

  it("names each surface's own commands", () => {
    for (const step of cli) expect(step).not.toMatch(/\/tattle|\{cmd:/);
    for (const step of slack) expect(step).not.toMatch(/tattletale |\{cmd:/);
  });
});

describe("the founding incident as one combined paste", () => {
  const paste = filesOf("founding-incident")
    .map((file) => textOf("founding-incident", file))
    .join("\n\nand here is the next one:\n\n");
  const cli = cliSteps([], paste);
  const slack = slackSteps([{ text: paste, source: "paste" }]);

  it("has the same next steps on the CLI and in Slack", () => {
    expect(cli.length).toBeGreaterThan(3);
    expect(cli.map(neutral)).toEqual(slack.map(neutral));
  });
});

describe("the samples exercise a command and an empty plan", () => {
  it("names a lookup on both surfaces somewhere", () => {
    const all = samples.flatMap((name) => cliSteps([join(SAMPLES, name)]));
    expect(all.some((s) => s.includes("`tattletale lookup tag <TAG>`"))).toBe(true);
    const events = slackSteps(
      filesOf("events").map((file) => ({ text: textOf("events", file), source: file })),
    );
    expect(events.some((s) => s.includes("`/tattle tag <TAG>`"))).toBe(true);
  });

  it("gives no steps for the healthy sample", () => {
    expect(cliSteps([join(SAMPLES, "healthy")])).toEqual([]);
  });
});
