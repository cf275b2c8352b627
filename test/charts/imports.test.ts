// charts/ sits between the surfaces and the core: bot and cli import it, it imports kb and parsers
// only, never a surface or Slack.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../kb/paths.js";

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

describe("charts/ imports", () => {
  const files = sources(join(PACKAGE_ROOT, "charts"));

  it("never reach bot/, cli/ or @slack/*", () => {
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const specifiers = [...readFileSync(file, "utf8").matchAll(/(?:from|import\()\s*"([^"]+)"/g)].map(
        (m) => m[1],
      );
      for (const s of specifiers) {
        expect(s, relative(PACKAGE_ROOT, file)).not.toMatch(/^@slack\/|(^|\/)(bot|cli)\//);
      }
    }
  });
});
