// The CLI as a real process on unreadable input: binary bytes on stdin, a binary file, an empty file,
// a 5 MB garbage file, a truncated poolmon table, random bytes. It answers with what Tattletale
// reads and exits 0 (it ran); 1 only when a file cannot be read; never a stack trace.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../kb/paths.js";
import { describeUnreadable } from "../../parsers/index.js";
import { CLI_BIN as BIN } from "../support/cli-bin.js";
import { fill, RUNS, sampleNamed } from "./arbitraries.js";

const dir = mkdtempSync(join(tmpdir(), "tattletale-props-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], input: string | Buffer = "") {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: PACKAGE_ROOT,
    input,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** A stack trace line (`    at fn (file:1:2)`) or the crash wrapper's message. */
const STACK = /^\s+at .+[:(]|unexpected error/m;

/** Deterministic "random" bytes with NULs, as a zip or an .exe would give. */
function binary(size: number): Buffer {
  const b = Buffer.alloc(size);
  let x = 12345;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = i % 7 === 0 ? 0 : x >>> 24;
  }
  return b;
}

function expectNothingReadable(r: ReturnType<typeof run>, seen: RegExp): void {
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toContain("Nothing Tattletale can read was found in the input.");
  // What was seen instead, precisely.
  expect(r.stdout).toMatch(seen);
  // What Tattletale reads, so the user knows what to paste instead.
  expect(r.stdout).toMatch(/HTTPERR.*poolmon.*boot\.ini.*bcdedit.*Event Log/s);
  expect(`${r.stdout}${r.stderr}`).not.toMatch(STACK);
}

describe("tattletale diagnose on unreadable input", () => {
  it("binary bytes on stdin", () => {
    expectNothingReadable(
      run(["diagnose"], binary(20_000)),
      /Nothing readable in stdin: binary data \(NUL bytes\), 20\.0 kB/,
    );
  });

  it("a binary file, an empty file, a whitespace-only file", () => {
    expectNothingReadable(
      run(["diagnose", file("blob.bin", binary(50_000))]),
      /blob\.bin: binary data \(NUL bytes\)/,
    );
    expectNothingReadable(run(["diagnose", file("empty.txt", "")]), /empty\.txt: empty input \(0 bytes\)/);
    expectNothingReadable(run(["diagnose", file("blank.txt", " \n\t\n")]), /blank\.txt: only whitespace/);
  });

  it("a 5 MB garbage file", () => {
    const words = "lorem ipsum dolor sit amet consectetur\n";
    expectNothingReadable(
      run(["diagnose", file("garbage.txt", fill(words, 5 * 1024 * 1024))]),
      /garbage\.txt: 5\.2 MB of text \(\d+ lines\) with no line Tattletale recognises, starting "lorem ipsum/,
    );
  });

  it("--json on binary: an empty diagnosis on stdout, the explanation on stderr, exit 0", () => {
    const r = run(["diagnose", "--json", file("blob2.bin", binary(4096))]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ findings: [], inputs: [] });
    expect(r.stderr).toMatch(/Nothing readable in .*blob2\.bin: binary data \(NUL bytes\), 4\.1 kB/);
    expect(r.stderr).toMatch(/I read /);
    expect(r.stderr).not.toMatch(STACK);
  });

  it("a truncated poolmon table: reads the rows that are whole, exit 0", () => {
    const text = sampleNamed("founding-incident/poolmon-b.txt").text;
    const cut = text.slice(0, Math.floor(text.length * 0.6)); // ends inside a row
    const r = run(["parse", "--json", file("poolmon-cut.txt", cut)]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { inputs: Array<{ kind: string; records: unknown[] }> };
    expect(out.inputs.map((i) => i.kind)).toEqual(["poolmon"]);
    expect(out.inputs[0]?.records.length).toBeGreaterThan(3);
    const d = run(["diagnose", file("poolmon-cut2.txt", cut)]);
    expect(d.code).toBe(0);
    expect(d.stdout).toMatch(/^Read: \d+ rows from .*poolmon-cut2\.txt\n/);
  });

  it("a file that cannot be read: exit 1 with the path and why, no stack trace", () => {
    const r = run(["diagnose", join(dir, "no-such-file.log")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot read .*no-such-file\.log: no such file or folder/);
    expect(r.stderr).not.toMatch(STACK);
  });

  it("random bytes on stdin never crash it", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), (bytes) => {
        const r = run(["diagnose", "--json"], Buffer.from(bytes));
        expect(r.code, r.stderr).toBe(0);
        expect(() => JSON.parse(r.stdout)).not.toThrow();
        expect(`${r.stdout}${r.stderr}`).not.toMatch(STACK);
      }),
      { numRuns: Math.max(3, Math.round(RUNS / 30)) },
    );
  });
});

describe("describeUnreadable: what the answer says was seen", () => {
  it("names binary data, emptiness, whitespace and big unrecognised text precisely", () => {
    expect(describeUnreadable("")).toBe("empty input (0 bytes)");
    expect(describeUnreadable(binary(20_000).toString("utf8"))).toMatch(
      /^binary data \(NUL bytes\), \d+\.\d kB$/,
    );
    expect(describeUnreadable("\n \n")).toBe("only whitespace (3 lines)");
    const garbage = fill("lorem ipsum dolor sit amet consectetur\n", 5 * 1024 * 1024);
    expect(describeUnreadable(garbage)).toBe(
      '5.2 MB of text (134433 lines) with no line Tattletale recognises, starting "lorem ipsum dolor sit amet consectetur"',
    );
  });
});
