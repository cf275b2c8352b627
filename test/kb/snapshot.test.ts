// The build's snapshot must give exactly the knowledge base the YAML gives, and must be ignored as
// soon as it no longer matches the files.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { assemble, loadKnowledgeBaseFrom } from "../../kb/load.js";
import { readSnapshot, writeSnapshot } from "../../kb/snapshot.js";

describe("kb snapshot", () => {
  const path = join(mkdtempSync(join(tmpdir(), "tt-snap-")), "kb-snapshot.json");
  writeSnapshot(path);

  it("assembles to the same knowledge base as the YAML", () => {
    const sources = readSnapshot(path);
    expect(sources).not.toBeNull();
    const fromSnapshot = assemble(sources as NonNullable<typeof sources>);
    const fromYaml = loadKnowledgeBaseFrom();
    expect(fromSnapshot.entries).toEqual(fromYaml.entries);
    expect([...fromSnapshot.tags]).toEqual([...fromYaml.tags]);
    expect(fromSnapshot.tagFamilies).toEqual(fromYaml.tagFamilies);
    expect([...fromSnapshot.curatedTags]).toEqual([...fromYaml.curatedTags]);
    expect([...fromSnapshot.drivers]).toEqual([...fromYaml.drivers]);
    expect(fromSnapshot.poolLimits).toEqual(fromYaml.poolLimits);
    expect(fromSnapshot.reasons).toEqual(fromYaml.reasons);
    expect(fromSnapshot.events).toEqual(fromYaml.events);
  });

  it("is ignored when the files changed since it was written", () => {
    const snapshot = JSON.parse(readFileSync(path, "utf8"));
    snapshot.fingerprint = "0".repeat(64);
    writeFileSync(path, JSON.stringify(snapshot));
    expect(readSnapshot(path)).toBeNull();
  });

  it("is ignored when missing or unreadable", () => {
    expect(readSnapshot(join(tmpdir(), "no-such-snapshot.json"))).toBeNull();
    writeFileSync(path, "{ truncated");
    expect(readSnapshot(path)).toBeNull();
  });
});
