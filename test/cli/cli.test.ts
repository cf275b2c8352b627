// The CLI as a real process: the contracts of docs/json-output.md (JSON shapes), exit codes, stdin.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateHttperr } from "../../bench/generate.js";
import { PARALLEL_THRESHOLD_BYTES } from "../../ingest/caps.js";
import { PACKAGE_ROOT } from "../../kb/paths.js";
import { CLI_BIN as BIN } from "../support/cli-bin.js";

const sample = (...p: string[]) => join(PACKAGE_ROOT, "samples", ...p);
const FOUNDING = ["httperr1.log", "poolmon-b.txt", "boot.ini"].map((f) => sample("founding-incident", f));
const CHAIN_IDS = [
  "httperr-connections-refused",
  "nonpaged-pool-exhaustion",
  "boot-3gb-switch",
  "antivirus-pool-leak",
];
const POOL_IDS = ["nonpaged-pool-exhaustion", "boot-3gb-switch", "antivirus-pool-leak", "pool-tag-leak"];

function run(args: string[], input?: string | Buffer, nodeFlags: string[] = []) {
  const r = spawnSync(process.execPath, [...nodeFlags, BIN, ...args], {
    cwd: PACKAGE_ROOT,
    input: input ?? "",
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function ids(stdout: string): string[] {
  return (JSON.parse(stdout) as { findings: Array<{ id: string }> }).findings.map((f) => f.id);
}

describe("tattletale diagnose", () => {
  it("names the founding incident's chain from its three files", () => {
    const r = run(["diagnose", "--json", ...FOUNDING]);
    expect(r.code).toBe(0);
    expect(ids(r.stdout)).toEqual(expect.arrayContaining(CHAIN_IDS));
    const out = JSON.parse(r.stdout);
    expect(out.inputs.map((i: { kind: string }) => i.kind)).toEqual(["httperr", "poolmon", "boot-ini"]);
    const exhaustion = out.findings.find((f: { id: string }) => f.id === "nonpaged-pool-exhaustion");
    expect(exhaustion.evidence).toContain(
      "Limit 128 MB − used 109 MB = free 19 MB, under the 20 MB http.sys threshold",
    );
    // The plan: one merged list of steps, the same the text output and Slack show.
    expect(out.next_steps.length).toBeGreaterThan(0);
    for (const step of out.next_steps) expect(step).toEqual(expect.any(String));
    const text = run(["diagnose", ...FOUNDING]).stdout;
    for (const [i, step] of out.next_steps.entries()) expect(text).toContain(`  ${i + 1}. ${step}\n`);
    for (const f of out.findings) {
      expect(f).toEqual(
        expect.objectContaining({
          id: expect.stringMatching(/^[a-z0-9]+(-[a-z0-9]+)*$/),
          severity: expect.stringMatching(/^(critical|warning|info)$/),
          confidence: expect.any(Number),
          evidence: expect.any(Array),
          next_steps: expect.any(Array),
          references: expect.arrayContaining([
            { title: expect.any(String), url: expect.stringMatching(/^https:/) },
          ]),
        }),
      );
    }
  });

  it("scans a big log on two threads the same without WebAssembly (node --jitless)", () => {
    const dir = mkdtempSync(join(tmpdir(), "tattle-jitless-"));
    try {
      const log = join(dir, "httperr-big.log");
      generateHttperr(log, PARALLEL_THRESHOLD_BYTES + 4_000_000, { seed: 12, streamidBlocks: true });
      const usual = run(["diagnose", "--json", log]);
      const jitless = run(["diagnose", "--json", log], undefined, ["--jitless"]);
      expect(usual.code).toBe(0);
      expect(jitless.code).toBe(0);
      expect(JSON.parse(usual.stdout).inputs[0].records).toBeGreaterThan(100_000);
      expect(jitless.stdout).toBe(usual.stdout);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it("ends with its error when a big file's early-started scan workers are never used", () => {
    // A big argument starts the workers before the CLI has read it; a `.gz` that is no gzip needs
    // none, and the idle workers must not keep the process from ending.
    const dir = mkdtempSync(join(tmpdir(), "tattle-early-"));
    try {
      const fake = join(dir, "httperr.log.gz");
      writeFileSync(fake, Buffer.alloc(PARALLEL_THRESHOLD_BYTES + 1, 0x41));
      const r = run(["diagnose", "--json", fake]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`cannot read ${fake}`);
      expect(r.stdout).toBe("");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("names the same chain from one combined paste on stdin", () => {
    const paste = FOUNDING.map((f) => `\`\`\`\n${readFileSync(f, "utf8")}\n\`\`\``).join(
      "\nthen I ran this:\n",
    );
    const r = run(["diagnose", "--json"], paste);
    expect(r.code).toBe(0);
    expect(ids(r.stdout)).toEqual(expect.arrayContaining(CHAIN_IDS));
  });

  it("reads QueueFull lines as a queue problem, not a pool one", () => {
    const r = run(["diagnose", "--json", sample("queue-full", "httperr.log")]);
    expect(r.code).toBe(0);
    const found = ids(r.stdout);
    expect(found).toContain("httperr-queue-full");
    for (const id of POOL_IDS) expect(found).not.toContain(id);
  });

  it("finds nothing critical on a healthy poolmon table and boot.ini", () => {
    const r = run(["diagnose", "--json", sample("healthy", "poolmon.txt"), sample("healthy", "boot.ini")]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.findings.filter((f: { severity: string }) => f.severity === "critical")).toEqual([]);
    expect(out.facts.pool.freeMb).toBeGreaterThan(200);
  });

  it("prints readable text by default: headline, chain, numbers, next steps, references", () => {
    const r = run(["diagnose", ...FOUNDING]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^http\.sys refused 420 connections/m);
    expect(r.stdout).toContain("Chain");
    expect(r.stdout).toContain("Limit 128 MB − used 109 MB = free 19 MB");
    expect(r.stdout).toContain("Next steps");
    expect(r.stdout).toContain("https://support.microsoft.com/kb/934878");
  });

  it("names CLI commands in next steps, in text and JSON", () => {
    // A dominant tag of no known driver: mapping it to its driver is a step (moot once it is known).
    const poolmon = readFileSync(sample("pool-leak-growth", "poolmon-0900.txt"), "utf8")
      .replace("Leak Nonp", "Qz9x Nonp")
      .replace("[ acmefilt.sys - Acme Storage Filter ]", "[ <unknown> ]");
    const text = run(["diagnose", "-"], poolmon).stdout;
    expect(text).toContain("`tattletale lookup tag <TAG>`");
    const json = run(["diagnose", "--json", "-"], poolmon).stdout;
    expect(json).toContain("`tattletale lookup tag <TAG>`");
    for (const out of [text, json]) expect(out).not.toMatch(/\/tattle|\{cmd:/);
  });

  it("exits 0 and says what it reads when the input holds nothing readable", () => {
    const r = run(["diagnose"], "hello team, the site is down again, any ideas?\n");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Nothing Tattletale can read/);
    expect(r.stdout).toMatch(/HTTPERR/);
  });

  it("exits 1 with a clear message when a file cannot be read", () => {
    const r = run(["diagnose", "no/such/file.log"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("no/such/file.log");
    expect(r.stdout).toBe("");
  });

  it("exits 2 on usage errors", () => {
    expect(run(["frobnicate"]).code).toBe(2);
    const r = run(["diagnose", "--no-such-flag"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "tattletale: unknown option --no-such-flag for diagnose (see tattletale help diagnose)\n",
    );
    const none = run([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^Usage: tattletale/);
  });
});

describe("tattletale parse", () => {
  it("prints the records of every piece, keyed by W3C field names", () => {
    const r = run(["parse", "--json", ...FOUNDING]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      inputs: Array<{ source: string; kind: string; records: unknown[] }>;
    };
    expect(out.inputs.map((i) => i.kind)).toEqual(["httperr", "poolmon", "boot-ini"]);
    const first = out.inputs[0]?.records[2] as Record<string, unknown>;
    expect(first).toMatchObject({
      date: "2007-11-13",
      time: "20:00:04",
      "c-ip": null,
      "s-reason": "3_Connections_Refused",
    });
  });
});

describe("tattletale parse on the HTTPERR shapes peers test on", () => {
  const dir = join(PACKAGE_ROOT, "test", "fixtures", "parsers", "httperr-shapes");
  const logs = readdirSync(dir).filter((name) => name.endsWith(".log"));
  it.each(logs)("%s gives its hand-written records", (file) => {
    const r = run(["parse", "--json", join(dir, file)]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { inputs: Array<{ kind: string; records: unknown[] }> };
    expect(out.inputs.map((i) => i.kind)).toEqual(["httperr"]);
    expect(out.inputs[0]?.records).toEqual(
      JSON.parse(readFileSync(join(dir, `${file}.expected.json`), "utf8")),
    );
  });
});

describe("tattletale diagnose on the founding incident told as a blog post", () => {
  it("finds the whole chain in the prose around the pasted HTTPERR lines, poolmon table and boot.ini", () => {
    const r = run(["diagnose", "--json", sample("blog-post", "connections-refused.txt")]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(ids(r.stdout)).toEqual(expect.arrayContaining(CHAIN_IDS));
    expect(out.inputs.map((i: { kind: string }) => i.kind)).toEqual(["httperr", "poolmon", "boot-ini"]);
    expect(out.facts.pool).toMatchObject({ limitMb: 128, usedMb: 109, freeMb: 19 });
    expect(out.facts.pool.filterTags[0]).toMatchObject({ tag: "MFeS" });
    expect(out.facts.httperr.refusedConnections).toBe(29);
  });
});

describe("tattletale kb list and lookup", () => {
  it("lists entries with id, title, severity and references", () => {
    const r = run(["kb", "list", "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { entries: Array<{ id: string; references: unknown[] }> };
    expect(out.entries.map((e) => e.id)).toEqual(expect.arrayContaining(CHAIN_IDS));
    for (const e of out.entries) expect(e.references.length).toBeGreaterThan(0);
  });

  it("answers a lookup with hits best first", () => {
    const r = run(["lookup", "--json", "conection refused"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { hits: Array<{ id: string; title: string; score: number }> };
    expect(out.hits[0]?.id).toBe("httperr-connections-refused");
    const scores = out.hits.map((h) => h.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it("says a pool tag it does not know is unknown, and gives the findstr command", () => {
    const r = run(["lookup", "Qz7x"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Pool tag "Qz7x" is unknown');
    expect(r.stdout).toContain('findstr /m /l /c:"Qz7x" %SystemRoot%\\System32\\drivers\\*.sys');
    expect(r.stdout).not.toContain("Did you mean");
  });

  it("answers a tag of a family with the family, and a listed tag with its row", () => {
    expect(run(["lookup", "AfdZ"]).stdout).toMatch(/family "Afd\?"[\s\S]*afd\.sys/);
    const even = run(["lookup", "Even"]).stdout;
    expect(even).toMatch(/^Pool tag "Even": ntoskrnl\.exe \(Microsoft; object\)/);
    // Its own row names the driver, so no findstr command (related entries below may cite KB 298102).
    expect(even.split("\n\n")[0]).not.toContain("findstr");
  });

  it("validates the knowledge base", () => {
    const r = run(["kb", "validate"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });
});
