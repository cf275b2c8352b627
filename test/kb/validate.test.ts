// `kb validate`: the bundled KB passes; each broken KB under test/fixtures/kb-invalid/ fails with
// problems that name the file and the field, one fixture per kind of problem.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runExample } from "../../kb/checks/examples.js";
import { loadKnowledgeBase } from "../../kb/index.js";
import { PACKAGE_ROOT } from "../../kb/paths.js";
import { validateKnowledgeBase } from "../../kb/validate.js";

const DIR = "test/fixtures/kb-invalid";
const fixture = (...p: string[]) => join(PACKAGE_ROOT, DIR, ...p);
const invalid = (name: string) => validateKnowledgeBase({ entriesDir: fixture(name) });

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
      expect.stringMatching(`^${DIR}/bad-url/plain-http-reference.yaml: references\\[0\\]\\.url: `),
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
    expect(problems).toContainEqual(`${file}: related[0]: no entry has the id "no-such-entry"`);
    expect(problems).toContainEqual(`${file}: explains[0]: no entry has the id "ghost-entry"`);
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
        `^${file}: examples.fires\\[0\\] \\("a boot.ini, which has no HTTPERR lines"\\): did not fire`,
      ),
    );
    expect(problems).toContainEqual(
      expect.stringMatching(
        `^${file}: examples.fires\\[1\\] \\("a file that is not there"\\): cannot read kb/examples/wrong-examples/no-such-file.log`,
      ),
    );
    expect(problems).toContainEqual(
      `${file}: examples.quiet[0] ("a queue-full line"): fired but should stay quiet`,
    );
  });

  it("checks that every reason phrase and event id of kb/data has its entry", () => {
    // The fixture folder has none of the bundled entries, so every table row is uncovered.
    const { problems } = invalid("dangling-related");
    const kb = loadKnowledgeBase();
    for (const [i, reason] of kb.reasons.entries()) {
      expect(problems).toContainEqual(
        expect.stringMatching(`^kb/data/reason-phrases.yaml: reasons\\[${i}\\]: "${reason.phrase}"`),
      );
    }
    for (const [i] of kb.events.entries()) {
      expect(problems).toContainEqual(
        expect.stringMatching(`^kb/data/event-ids.yaml: events\\[${i}\\]\\.entry: `),
      );
    }
  });
});

describe("validate: facts, formats and commands in entries", () => {
  const file = `${DIR}/fact-paths/broken-facts.yaml`;
  const { ok, problems } = invalid("fact-paths");
  const expectProblem = (where: string, problem: string) =>
    expect(problems).toContainEqual(`${file}: ${where}: ${problem}`);

  it("fails", () => {
    expect(ok).toBe(false);
  });

  it("names a mistyped fact in a template, which would have dropped the line", () => {
    expectProblem("evidence[1]", 'unknown fact "pool.freMb" (did you mean "pool.freeMb"?)');
    expectProblem("evidence[8].when.fact", 'unknown fact "pool.topNonpaged.0.knwon"');
  });

  it("checks every fact path of conditions, fact-to-fact operands and list elements", () => {
    expectProblem("when.any[0].fact", 'unknown fact "pool.freMb" (did you mean "pool.freeMb"?)');
    expectProblem("when.any[4].gt.fact", 'unknown fact "pool.limitMB" (did you mean "pool.limitMb"?)');
    expectProblem(
      "when.any[2].where.fact",
      'unknown fact "pool.topNonpaged.*.mbb" (did you mean "pool.topNonpaged.*.mb"?)',
    );
    expectProblem(
      "confidence[0].when.fact",
      'unknown fact "pool.headroom" (did you mean "pool.headroomMb"?)',
    );
    expectProblem("when.any[6].fact", '"@" (the list element) only means something inside a where');
  });

  it("checks that operators fit the fact: numbers, lists, values of an enum", () => {
    expectProblem("when.any[1].some", 'some needs a list; "pool.freeMb" is a number');
    expectProblem("when.any[3].gt", 'gt compares numbers; "boot.source" is text');
    expectProblem("when.any[5].eq", '"mesured" is never a value of "pool.limitSource" (measured, derived)');
  });

  it("checks the keys of tables against the data: reason phrases", () => {
    expectProblem(
      "when.any[7].fact",
      '"Conections_Refused" in "httperr.reasons.Conections_Refused" is not listed in kb/data/reason-phrases.yaml ' +
        '(did you mean "httperr.reasons.Connections_Refused"?)',
    );
  });

  it("checks formats, list positions and malformed placeholders", () => {
    expectProblem(
      "evidence[2]",
      'unknown format "pcnt" in {pool.freeMb|pcnt} (formats: int, pct, mb, duration, list)',
    );
    expectProblem("evidence[3]", 'format "pct" needs a number; "pool.topNonpaged.0.tag" is text');
    expectProblem("evidence[4]", '"pool.topNonpaged" is a list: "first" must be a position (0, 1, …)');
    expectProblem(
      "evidence[5]",
      '"{pool.free Mb}" is not a placeholder: write {fact.path}, {fact.path|format} or {cmd:name args}',
    );
    expectProblem("evidence[6]", "{pool} is a group of facts; name one fact in it");
  });

  it("checks key numbers and ask_for", () => {
    expectProblem("numbers.free", 'unknown fact "pool.fre"');
    expectProblem("numbers.tags", '"pool.topNonpaged" is a list; key numbers are numbers or text');
    expectProblem("ask_for[0].missing", 'unknown fact "pool.growht" (did you mean "pool.growth"?)');
  });

  it("checks command tokens, and that no surface's own command is written out", () => {
    expectProblem("next_steps[0]", 'unknown command "lokup" in {cmd:…} (commands: lookup, handoff)');
    expectProblem(
      "next_steps[1]",
      'names "/tattle", one surface\'s command: write {cmd:lookup …} and each surface prints its own',
    );
    expectProblem(
      "evidence[7]",
      "{cmd:lookup} belongs in next_steps, where each surface prints its own command",
    );
  });

  it("accepts what is right in the same entry", () => {
    for (const where of ["headline", "evidence[0]", "next_steps[2]"]) {
      expect(problems.filter((p) => p.startsWith(`${file}: ${where}:`))).toEqual([]);
    }
  });
});

describe("validate: the tables against each other and the entries", () => {
  const data = `${DIR}/cross-checks/data`;
  const { ok, problems } = validateKnowledgeBase({
    entriesDir: fixture("cross-checks", "entries"),
    dataDir: fixture("cross-checks", "data"),
  });

  it("fails", () => {
    expect(ok).toBe(false);
  });

  it("checks that every reason phrase has its entry, filed and written to fire on it", () => {
    const at = `${data}/reason-phrases.yaml: reasons[1]`;
    expect(problems).toContainEqual(`${at}: entry httperr-app-offline has category pool, not httperr`);
    expect(problems).toContainEqual(
      `${at}: entry httperr-app-offline does not list "AppOffline" in its aliases`,
    );
    expect(problems).toContainEqual(
      `${at}: the rule of entry httperr-app-offline never reads httperr.reasons.AppOffline`,
    );
    expect(problems).toContainEqual(
      `${data}/reason-phrases.yaml: reasons[2]: "Timer_AppPool" has no entry (expected httperr-timer-app-pool)`,
    );
    expect(problems.filter((p) => p.includes("reasons[0]"))).toEqual([]);
  });

  it("checks that every event row names an entry whose rule reads that event", () => {
    expect(problems).toContainEqual(
      `${data}/event-ids.yaml: events[1].entry: the rule of entry httperr-queue-full reads neither events.ids.2019 nor events.bySource.srv.2019`,
    );
    expect(problems).toContainEqual(
      `${data}/event-ids.yaml: events[2].entry: no entry has the id "event-w3svc-1011" (event 1011)`,
    );
    expect(problems.filter((p) => p.includes("events[0]"))).toEqual([]);
  });

  it("checks that every pool-limit row can be reached and names known families", () => {
    const file = `${data}/pool-limits.yaml`;
    expect(problems).toContainEqual(
      `${file}: rules[1]: "nt5-x86-3gb" is never reached: "nt5-x86" (rules[0]) matches first; put the narrower row first`,
    );
    expect(problems).toContainEqual(`${file}: rules[2].families[0]: no family "2003x" in families`);
    expect(problems).toContainEqual(
      `${file}: families[1]: no nonpaged rule covers generation nt6 of "vista"`,
    );
    expect(problems).toContainEqual(`${file}: families[0]: no paged rule covers generation nt5 of "2003"`);
  });

  it("checks that the tag and driver tables agree on vendors, and name no surface's command", () => {
    expect(problems).toContainEqual(
      `${data}/drivers.yaml: driver "mfeavfk.sys": vendor "Trellix", but ${data}/pool-tags.yaml gives "McAfee" for tag "MFeS"`,
    );
    expect(problems).toContainEqual(
      `${data}/pool-tags.yaml: tag "MFeS": names one surface's command (/tattle or tattletale); say it in words`,
    );
  });

  it("rejects a pool tag, driver, reason phrase or event id listed twice", () => {
    const dup = validateKnowledgeBase({
      entriesDir: fixture("duplicate-rows", "entries"),
      dataDir: fixture("duplicate-rows", "data"),
    });
    expect(dup.ok).toBe(false);
    expect(dup.problems).toContainEqual(
      `${DIR}/duplicate-rows/data/reason-phrases.yaml: phrase "QueueFull" is listed twice`,
    );
    expect(dup.problems).toContainEqual(
      `${DIR}/duplicate-rows/data/event-ids.yaml: event 2019 is listed twice`,
    );
    expect(dup.problems).toContainEqual(
      `${DIR}/duplicate-rows/data/pool-tags.yaml: tag "MFeS" is listed twice`,
    );
    expect(dup.problems).toContainEqual(
      `${DIR}/duplicate-rows/data/drivers.yaml: driver "mfeavfk.sys" is listed twice`,
    );
  });
});

describe("validate: where example files live", () => {
  it("lets an example read only its own folder under kb/examples/ and samples/", () => {
    const { problems } = invalid("failing-examples");
    const file = `${DIR}/failing-examples/wrong-examples.yaml`;
    expect(problems).toContainEqual(
      `${file}: examples.fires[2] ("a file from the test tree"): ${DIR}/failing-examples/wrong-examples.yaml: ` +
        "an example reads files from kb/examples/wrong-examples/ or samples/ only",
    );
    expect(problems).toContainEqual(
      expect.stringMatching(
        `^${file}: examples.fires\\[3\\] \\("a file of another entry"\\): .*an example reads files from kb/examples/wrong-examples/ or samples/ only$`,
      ),
    );
  });

  it("reports a file no example uses", () => {
    const { ok, problems } = validateKnowledgeBase({
      entriesDir: fixture("unused-examples", "entries"),
      examplesDir: fixture("unused-examples", "examples"),
    });
    expect(ok).toBe(false);
    expect(problems).toContainEqual(
      `${DIR}/unused-examples/examples/gone-entry/stray.log: no example uses this file`,
    );
    expect(problems.filter((p) => p.includes("used.txt"))).toEqual([]);
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

  it("reads files (relative to the package root) as one incident", () => {
    if (!entry) throw new Error("httperr-connections-refused is missing");
    const files = ["httperr1.log", "poolmon-b.txt", "boot.ini"].map((f) => `samples/founding-incident/${f}`);
    const result = runExample(kb, entry, { name: "founding", files });
    expect(result.findings).toEqual(
      expect.arrayContaining(["httperr-connections-refused", "nonpaged-pool-exhaustion", "boot-3gb-switch"]),
    );
  });
});

describe("validate: the planning and lookup data of entries", () => {
  it("rejects two decisive steps, a topic twice and a misspelling that is also an alias", () => {
    const { ok, problems } = invalid("planning");
    const file = `${DIR}/planning/two-decisive.yaml`;
    expect(ok).toBe(false);
    expect(problems).toContainEqual(
      `${file}: next_steps[2].decisive: one decisive step per entry: the action that resolves it`,
    );
    expect(problems).toContainEqual(
      `${file}: next_steps[1].topic: topic "hang-dump" is already the topic of next_steps[0]`,
    );
    expect(problems).toContainEqual(
      `${file}: misspellings[0]: "queuefull" is also an alias: a name is either a spelling people are shown or a misspelling`,
    );
  });

  it("checks the facts of headline lists, moot_when and ask_for conditions, and the ranks of symptoms", () => {
    const { problems } = invalid("planning-facts");
    const file = `${DIR}/planning-facts/moot-and-symptoms.yaml`;
    expect(problems).toContainEqual(
      `${file}: headline[0].when.fact: "QueueFul" in "httperr.reasons.QueueFul" is not listed in kb/data/reason-phrases.yaml (did you mean "httperr.reasons.QueueFull"?)`,
    );
    expect(problems).toContainEqual(
      `${file}: headline[1]: unknown fact "httperr.topQueus" (did you mean "httperr.topQueues"?)`,
    );
    expect(problems).toContainEqual(
      `${file}: next_steps[1].moot_when.fact: unknown fact "events.workerCrash" (did you mean "events.workerCrashes"?)`,
    );
    expect(problems).toContainEqual(
      `${file}: ask_for[0].when.fact: unknown fact "event" (did you mean "events"?)`,
    );
    expect(problems.filter((p) => p.includes("next_steps[0].moot_when"))).toEqual([]);
    expect(problems).toContainEqual(
      `${DIR}/planning-facts/same-rank.yaml: symptoms[0]: "503 Service Unavailable!" has rank 1 in moot-and-symptoms too; give each entry its own rank`,
    );
  });
});
