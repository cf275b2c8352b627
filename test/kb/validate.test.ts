// `kb validate`: the bundled KB passes; each broken KB under test/fixtures/kb-invalid/ fails with
// problems that name the file and the field.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadKnowledgeBase } from "../../kb/index.js";
import { FIXTURES_DIR } from "../../kb/paths.js";
import { runExample, validateKnowledgeBase } from "../../kb/validate.js";

const invalid = (name: string) =>
  validateKnowledgeBase({ entriesDir: join(FIXTURES_DIR, "kb-invalid", name) });
const DIR = "test/fixtures/kb-invalid";

describe("validateKnowledgeBase", () => {
  it("passes the bundled knowledge base", () => {
    const result = validateKnowledgeBase();
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.entries).toBe(loadKnowledgeBase().entries.length);
  });

  it("rejects a reference that is not https, naming file and field", () => {
    const result = invalid("bad-url");
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      expect.stringMatching(`^${DIR}/bad-url/plain-http-reference.yaml: references.0.url: `),
    ]);
  });

  it("reports every schema problem of a file", () => {
    const { ok, problems } = invalid("schema");
    expect(ok).toBe(false);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(`^${DIR}/schema/broken-fields.yaml: severity: `),
        expect.stringMatching(`^${DIR}/schema/broken-fields.yaml: next_steps: `),
      ]),
    );
  });

  it("rejects a duplicate id", () => {
    const { ok, problems } = invalid("duplicate-id");
    expect(ok).toBe(false);
    expect(problems).toContainEqual(
      `${DIR}/duplicate-id/twin-entry.yaml: id: "twin-entry" is also the id of ${DIR}/duplicate-id/first-copy.yaml`,
    );
  });

  it("rejects related and explains ids that no entry has", () => {
    const { ok, problems } = invalid("dangling-related");
    expect(ok).toBe(false);
    const file = `${DIR}/dangling-related/points-nowhere.yaml`;
    expect(problems).toContainEqual(`${file}: related.0: no entry has the id "no-such-entry"`);
    expect(problems).toContainEqual(`${file}: explains.0: no entry has the id "ghost-entry"`);
  });

  it("rejects a rule without examples, and a fires example on a lookup-only entry", () => {
    const { problems } = invalid("missing-examples");
    const rule = `${DIR}/missing-examples/rule-without-examples.yaml`;
    expect(problems).toContainEqual(`${rule}: examples.fires: needs at least one example that fires`);
    expect(problems).toContainEqual(`${rule}: examples.quiet: needs at least one example that stays quiet`);
    expect(problems).toContainEqual(
      `${DIR}/missing-examples/lookup-only.yaml: examples.fires: a lookup-only entry (no \`when\`) can never fire`,
    );
  });

  it("runs the examples: one that does not fire, one that fires when it should be quiet, a missing file", () => {
    const { problems } = invalid("failing-examples");
    const file = `${DIR}/failing-examples/wrong-examples.yaml`;
    expect(problems).toContainEqual(
      expect.stringMatching(
        `^${file}: examples.fires.0 \\("a boot.ini, which has no HTTPERR lines"\\): did not fire`,
      ),
    );
    expect(problems).toContainEqual(
      expect.stringMatching(
        `^${file}: examples.fires.1 \\("a file that is not there"\\): cannot read ${DIR}/no-such-file.log`,
      ),
    );
    expect(problems).toContainEqual(
      `${file}: examples.quiet.0 ("a queue-full line"): fired but should stay quiet`,
    );
  });

  it("checks that every reason phrase and event id of kb/data has its entry", () => {
    // The fixture folder has none of the bundled entries, so every table row is uncovered.
    const { problems } = invalid("dangling-related");
    const kb = loadKnowledgeBase();
    for (const [i, reason] of kb.reasons.entries()) {
      expect(problems).toContainEqual(
        expect.stringMatching(`^kb/data/reason-phrases.yaml: reasons.${i}: "${reason.phrase}"`),
      );
    }
    for (const [i] of kb.events.entries()) {
      expect(problems).toContainEqual(expect.stringMatching(`^kb/data/event-ids.yaml: events.${i}.entry: `));
    }
  });
});

describe("runExample", () => {
  const kb = loadKnowledgeBase();
  const entry = kb.byId.get("httperr-connections-refused");

  it("reports whether the entry fired and every finding", () => {
    if (!entry) throw new Error("httperr-connections-refused is missing");
    const fired = runExample(kb, entry, {
      name: "t",
      text: "2007-11-13 20:01:44 - - - - - - - - - 3_Connections_Refused -\n",
    });
    expect(fired.fired).toBe(true);
    expect(fired.findings).toContain("httperr-connections-refused");
    const quiet = runExample(kb, entry, { name: "q", text: "hello" });
    expect(quiet).toEqual({ fired: false, findings: [] });
  });

  it("reads files from test/fixtures as one incident", () => {
    if (!entry) throw new Error("httperr-connections-refused is missing");
    const files = ["httperr1.log", "poolmon-b.txt", "boot.ini"].map(
      (f) => `../../samples/founding-incident/${f}`,
    );
    const result = runExample(kb, entry, { name: "founding", files });
    expect(result.findings).toEqual(
      expect.arrayContaining(["httperr-connections-refused", "nonpaged-pool-exhaustion", "boot-3gb-switch"]),
    );
  });
});
