// The CLI reads a file exactly as the bot reads the same upload, whatever wrote it: UTF-8, UTF-16LE
// with the mark PowerShell 5's `>` writes and without it, UTF-16BE, windows-1252. One test drives
// both: the real CLI (a process, `parse --json` and `diagnose --json`) on the file, and the bot's file
// reader on the same bytes uploaded to the fake Slack (a partial file object completed through
// files.info, downloaded with the bot token), then parsed and diagnosed as a thread's file is.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { webApi } from "@slack/bolt";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSlackFile, slackOriginPolicy } from "../../bot/services/files.js";
import { diagnoseTexts, loadKnowledgeBase } from "../../kb/index.js";
import { PACKAGE_ROOT } from "../../kb/paths.js";
import { KINDS, parseText } from "../../parsers/index.js";
import { CLI_BIN as BIN } from "../support/cli-bin.js";
import { FakeSlack } from "../support/fake-slack.js";
import { FOUNDING_CHAIN, founding } from "./helpers.js";

/** The founding incident in one file, with words a code page must get right (É, ü, ö, ß). */
const TEXT = [
  founding("httperr1.log"),
  founding("poolmon-b.txt"),
  founding("boot.ini").replace("Windows Server 2003, Enterprise", "Windows Server 2003, Édition Entreprise"),
  [
    "Event Type:\tError",
    "Event Source:\tSrv",
    "Event ID:\t2019",
    "Date:\t\t13.11.2007",
    "Time:\t\t20:01:44",
    "Computer:\tWEB01",
    "Description:",
    "Der Server konnte keinen Speicher aus dem nicht ausgelagerten Pool zuweisen, weil der Pool leer war (Größe überschritten).",
    "",
  ].join("\r\n"),
].join("\r\n");

const ENCODINGS: [string, Buffer][] = [
  ["utf-8", Buffer.from(TEXT)],
  ["utf-16le with a mark", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, "utf16le")])],
  ["utf-16le without a mark", Buffer.from(TEXT, "utf16le")],
  ["utf-16be with a mark", Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(TEXT, "utf16le").swap16()])],
  ["windows-1252", iconv.encode(TEXT, "windows-1252")],
];

interface Read {
  /** Each input as `parse --json` prints it, its source left out (a path here, a file name there). */
  inputs: unknown[];
  findings: { id: string; severity: string; confidence: number; evidence: string[] }[];
}

const withoutSource = (inputs: Record<string, unknown>[]) => inputs.map(({ source: _s, ...rest }) => rest);
const findingsOf = (findings: Read["findings"]) =>
  findings.map(({ id, severity, confidence, evidence }) => ({ id, severity, confidence, evidence }));

function cli(path: string): Read {
  const run = (command: string) => {
    const r = spawnSync(process.execPath, [BIN, command, "--json", path], {
      cwd: PACKAGE_ROOT,
      encoding: "utf8",
    });
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(r.stdout);
  };
  return { inputs: withoutSource(run("parse").inputs), findings: findingsOf(run("diagnose").findings) };
}

describe("a file the CLI reads and the same upload the bot reads", () => {
  let fake: FakeSlack;
  /** The CLI's reading of the UTF-8 file: every encoding must read the same. */
  let utf8: Read;
  const dir = mkdtempSync(join(tmpdir(), "tattletale-charsets-"));
  beforeAll(async () => {
    fake = await FakeSlack.start();
    writeFileSync(join(dir, "utf-8.txt"), TEXT);
    utf8 = cli(join(dir, "utf-8.txt"));
  });
  afterAll(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function bot(name: string, content: Buffer): Promise<Read> {
    const file = fake.addFile({ name, mimetype: "text/plain", filetype: "text", content });
    const client = new webApi.WebClient(fake.botToken, { slackApiUrl: fake.url });
    const read = await readSlackFile(
      client,
      { id: file.id, file_access: "check_file_info" },
      {
        token: fake.botToken,
        maxBytes: 25 * 1024 * 1024,
        timeoutMs: 10_000,
        allowedOrigins: slackOriginPolicy(fake.url),
        stream: { maxBytes: 1024 * 1024 * 1024 },
      },
    );
    if (!read.ok || !("text" in read)) throw new Error(`not read as text: ${JSON.stringify(read)}`);
    const source = `file ${read.name}`;
    const { inputs, warnings } = parseText(read.text, source);
    // As the CLI does, the paste's own warnings go with its first input.
    if (inputs[0]) inputs[0].warnings = [...inputs[0].warnings, ...warnings];
    const d = diagnoseTexts(loadKnowledgeBase(), [{ text: read.text, source }]);
    return {
      inputs: withoutSource(inputs.map((i) => KINDS.toJson(i))),
      findings: findingsOf(d.findings as Read["findings"]),
    };
  }

  for (const [encoding, bytes] of ENCODINGS) {
    it(`${encoding}: the CLI and the bot read the founding incident alike`, async () => {
      const name = `incident-${encoding.replace(/\W+/g, "-")}.txt`;
      const path = join(dir, name);
      writeFileSync(path, bytes);
      const [fromCli, fromBot] = [cli(path), await bot(name, bytes)];
      expect(fromBot).toEqual(fromCli);
      expect(fromCli).toEqual(utf8);
      // …and what they read is the text itself, not a garbled copy of it.
      expect(fromCli.inputs.map((i) => (i as { kind: string }).kind)).toEqual([
        "httperr",
        "poolmon",
        "boot-ini",
        "event",
      ]);
      const boot = fromCli.inputs[2] as { records: { description: string }[] };
      expect(boot.records[0]?.description).toBe("Windows Server 2003, Édition Entreprise");
      const event = fromCli.inputs[3] as { records: { id: number; message: string }[] };
      expect(event.records[0]?.message).toMatch(/Größe überschritten/);
      expect(fromCli.findings.map((f) => f.id)).toEqual(expect.arrayContaining(FOUNDING_CHAIN));
      expect(fake.downloads.at(-1)).toMatchObject({ auth: "bot" });
    });
  }
});
