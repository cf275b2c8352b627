// Every --json command, run as a real process (the built dist/bin/tattletale.js) on the samples, prints
// output that ajv accepts against the committed schema/ files.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { JsonOutputName } from "../../cli/json-contract.js";
import { PACKAGE_ROOT } from "../../kb/paths.js";
import { KINDS } from "../../parsers/kinds/index.js";
import { CLI_BIN as BIN } from "../support/cli-bin.js";
import { ajv, validatorOf } from "./schema-validators.js";

const sample = (...p: string[]) => join(PACKAGE_ROOT, "samples", ...p);
const fixture = (...p: string[]) => join(PACKAGE_ROOT, "test", "fixtures", ...p);
const tmp = mkdtempSync(join(tmpdir(), "tattletale-schema-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function run(args: string[], env: Record<string, string> = {}, input = "") {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: PACKAGE_ROOT,
    input,
    encoding: "utf8",
    env: { ...process.env, ...env },
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs a --json command and returns its output, after checking it against schema/NAME.schema.json. */
function validOutput(
  name: JsonOutputName,
  args: string[],
  env?: Record<string, string>,
  input?: string,
): unknown {
  const r = run(args, env, input);
  expect(r.code, r.stderr).toBe(0);
  const out: unknown = JSON.parse(r.stdout);
  const validate = validatorOf(name);
  const ok = validate(out);
  expect(validate.errors ?? [], `${args.join(" ")}: ${ajv.errorsText(validate.errors)}`).toEqual([]);
  expect(ok).toBe(true);
  return out;
}

describe("every --json command's real output validates against schema/", () => {
  it.each([
    ["the founding incident folder", [sample("founding-incident")]],
    ["the founding incident as a blog post", [sample("blog-post", "connections-refused.txt")]],
    ["a queue that overflowed", [sample("queue-full", "httperr.log")]],
    ["a healthy server", [sample("healthy")]],
    ["two poolmon snapshots and bcdedit", [sample("pool-leak-growth")]],
    ["Event Log text", [sample("events")]],
  ])("diagnose --json: %s", (_name, files) => {
    const out = validOutput("diagnose", ["diagnose", "--json", ...files]) as { inputs: unknown[] };
    expect(out.inputs.length).toBeGreaterThan(0);
  });

  it("diagnose --json on stdin with nothing readable", () => {
    const out = validOutput("diagnose", ["diagnose", "--json"], {}, "the site is down again, any idea?\n");
    expect(out).toMatchObject({ findings: [], inputs: [] });
  });

  it.each([
    [
      "every sample",
      [
        sample("founding-incident"),
        sample("queue-full"),
        sample("healthy"),
        sample("pool-leak-growth"),
        sample("events"),
      ],
    ],
    ["the HTTPERR shapes", [fixture("parsers", "httperr-shapes")]],
    [
      "bcdedit, events and pool counters",
      [
        join(PACKAGE_ROOT, "test", "parsers", "split", "bcdedit-and-get-winevent.txt"),
        join(PACKAGE_ROOT, "test", "parsers", "split", "pool-counters.txt"),
      ],
    ],
  ])("parse --json: %s", (_name, files) => {
    const out = validOutput("parse", ["parse", "--json", ...files]) as { inputs: Array<{ kind: string }> };
    expect(out.inputs.length).toBeGreaterThan(0);
  });

  it("parse --json covers every input kind across the samples and fixtures", () => {
    const out = validOutput("parse", [
      "parse",
      "--json",
      sample("founding-incident"),
      sample("pool-leak-growth"),
      sample("events"),
      join(PACKAGE_ROOT, "test", "parsers", "split", "pool-counters.txt"),
      ...[
        ["systeminfo", "en-2019-x64-vm.txt"],
        ["kd-poolused", "poolused2-windbg10-2016.txt"],
        ["netsh-servicestate", "2019-server-session-view-counters.txt"],
        ["findstr-tags", "findstr-full-path.txt"],
        ["pooltag-csv", "export-csv-pwsh7.csv"],
        ["iis-w3c", "u_ex-iis10-default.log"],
      ].map(([kind, file]) => join(PACKAGE_ROOT, "test", "parsers", "kinds", kind as string, file as string)),
    ]) as { inputs: Array<{ kind: string }> };
    expect(new Set(out.inputs.map((i) => i.kind))).toEqual(new Set(KINDS.kinds));
  });

  it.each([["Connections_Refused"], ["conection refused"], ["MFeS"], ["2019"], ["nothing-like-this-xyzzy"]])(
    "lookup --json %s",
    (query) => {
      validOutput("lookup", ["lookup", "--json", query]);
    },
  );

  it("kb list --json", () => {
    const out = validOutput("kb-list", ["kb", "list", "--json"]) as { entries: unknown[] };
    expect(out.entries.length).toBeGreaterThan(40);
  });

  it.each([["--json"], ["--format json"]])(
    "handoff %s, on an incident file with open and resolved incidents",
    (flag) => {
      const db = join(tmp, `incidents-${flag.replace(/\W/g, "")}.json`);
      copyFileSync(fixture("incidents", "incidents-v1.json"), db);
      // The fixture's incidents predate conversation kinds (unknown, so unlisted by default).
      const args = ["handoff", ...flag.split(" "), "--since", "100000h", "--include-private", "--db", db];
      const out = validOutput("handoff", args, {
        TATTLETALE_RETENTION_DAYS: "100000",
      }) as { active: unknown[]; resolved: unknown[] };
      expect(out.active.length).toBeGreaterThan(0);
      expect(out.resolved.length).toBeGreaterThan(0);
    },
  );
});
