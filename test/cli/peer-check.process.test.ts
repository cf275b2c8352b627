// `npm run test:peers -- DIR` (scripts/peer-check.ts, built to dist/scripts/peer-check.js) run on
// the project's own fixtures: it passes on them, names the fixture and record that differ when an
// expectation is wrong, reads both layouts (expected.json per folder, LOG.expected.json per log),
// and refuses a missing or empty folder.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../kb/paths.js";

const SCRIPT = join(PACKAGE_ROOT, "dist", "scripts", "peer-check.js");
const SHAPES = join(PACKAGE_ROOT, "test", "fixtures", "parsers", "httperr-shapes");
const LOGS = readdirSync(SHAPES).filter((n) => n.endsWith(".log"));
const tmp = mkdtempSync(join(tmpdir(), "tattletale-peers-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function check(dir: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [SCRIPT, dir], {
    cwd: PACKAGE_ROOT,
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("peer conformance check", () => {
  it("passes on the project's fixtures and says how many matched", () => {
    const r = check(SHAPES);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`peer fixtures: ${LOGS.length} of ${LOGS.length} matched`);
    for (const log of LOGS)
      expect(r.stdout).toMatch(new RegExp(`^ok +${log.replace(/\./g, "\\.")} \\(\\d+ records\\)$`, "m"));
  });

  it("reads a folder's expected.json (file name → records) in a subfolder, relative to INIT_CWD", () => {
    const root = join(tmp, "map-layout");
    const set = join(root, "some-peer");
    mkdirSync(set, { recursive: true });
    const map: Record<string, unknown> = {};
    for (const log of LOGS) {
      cpSync(join(SHAPES, log), join(set, log));
      map[log] = JSON.parse(readFileSync(join(SHAPES, `${log}.expected.json`), "utf8"));
    }
    writeFileSync(join(set, "expected.json"), JSON.stringify(map));
    writeFileSync(join(root, "SOURCES.md"), "where the fixtures came from\n");
    const r = check("map-layout", { INIT_CWD: tmp });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`ok    some-peer/${LOGS[0]}`);
    expect(r.stdout).toContain(`peer fixtures: ${LOGS.length} of ${LOGS.length} matched`);
  });

  it("fails, naming the fixture, record and field, when the CLI disagrees with an expectation", () => {
    const dir = join(tmp, "wrong");
    cpSync(SHAPES, dir, { recursive: true });
    const name = "ipv6-zone-ids-streamid.log";
    const records = JSON.parse(readFileSync(join(dir, `${name}.expected.json`), "utf8")) as Record<
      string,
      unknown
    >[];
    (records[1] as Record<string, unknown>)["c-ip"] = "fe80::1%3";
    writeFileSync(join(dir, `${name}.expected.json`), JSON.stringify(records));
    const r = check(dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      `FAIL  ${name}: record 2, c-ip: got "fe80::8d1c:44ff:fe2a:91b3%2", expected "fe80::1%3"`,
    );
    expect(r.stdout).toContain(`peer fixtures: ${LOGS.length - 1} of ${LOGS.length} matched`);
  });

  it("fails when a log in a folder with expected.json has no entry, or an entry has no log", () => {
    const dir = join(tmp, "unlisted");
    mkdirSync(dir);
    cpSync(join(SHAPES, LOGS[0] as string), join(dir, "a.log"));
    writeFileSync(join(dir, "expected.json"), JSON.stringify({ "gone.log": [] }));
    const r = check(dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("FAIL  a.log: no entry in expected.json");
    expect(r.stdout).toContain("FAIL  gone.log: listed in expected.json but missing");
    expect(r.stdout).toContain("peer fixtures: 0 of 2 matched");
  });

  it("refuses a missing folder, a folder with no fixture, and no folder at all (exit 2)", () => {
    const missing = check(join(tmp, "no-such-folder"));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("no such folder");
    const empty = join(tmp, "empty");
    mkdirSync(empty);
    const none = check(empty);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("no fixture in");
    const r = spawnSync(process.execPath, [SCRIPT], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/usage: npm run test:peers -- DIR/);
  });
});
