// The JSON contract cannot drift: schema/*.schema.json must be what `npm run schema` writes from the
// zod schemas today, docs/json-output.md must name every field they declare, and the validator
// must reject output that breaks them. json-output.process.test.ts validates the real output of
// every --json command against the same files.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { JSON_OUTPUT_NAMES, jsonSchemaText, schemaFileName } from "../../cli/json-contract.js";
import { DiagnoseOutput } from "../../kb/contract.js";
import { diagnoseTexts, loadKnowledgeBase } from "../../kb/index.js";
import { PACKAGE_ROOT } from "../../kb/paths.js";
import { committedSchema, SCHEMA_DIR, validatorOf } from "./schema-validators.js";

describe("schema/", () => {
  it("holds exactly one committed schema per --json output", () => {
    expect(readdirSync(SCHEMA_DIR).sort()).toEqual(JSON_OUTPUT_NAMES.map(schemaFileName).sort());
  });

  it.each(JSON_OUTPUT_NAMES)("%s: the committed file is what npm run schema generates now", (name) => {
    expect(readFileSync(join(SCHEMA_DIR, schemaFileName(name)), "utf8")).toBe(jsonSchemaText(name));
  });

  it("rejects output that breaks the contract (a validator that accepts anything proves nothing)", () => {
    const validate = validatorOf("diagnose");
    const text = readFileSync(join(PACKAGE_ROOT, "samples", "blog-post", "connections-refused.txt"), "utf8");
    const out = JSON.parse(
      JSON.stringify(DiagnoseOutput.parse(diagnoseTexts(loadKnowledgeBase(), [{ text, source: "blog" }]))),
    ) as { findings: Array<Record<string, unknown>> };
    expect(validate(out), JSON.stringify(validate.errors)).toBe(true);
    const first = out.findings[0] as Record<string, unknown>;
    expect(validate({ findings: [], inputs: [] })).toBe(false); // headline, chains, facts missing
    expect(validate({ ...out, findings: [{ ...first, severity: "fatal" }] })).toBe(false);
    expect(validate({ ...out, findings: [{ ...first, undocumented: 1 }] })).toBe(false);
    expect(validate({ ...out, headline: 42 })).toBe(false);
  });
});

/** Every property name a JSON Schema declares, at any depth. */
function propertyNames(schema: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) for (const s of schema) propertyNames(s, into);
  else if (schema !== null && typeof schema === "object") {
    const { properties, ...rest } = schema as { properties?: Record<string, unknown> };
    for (const [name, sub] of Object.entries(properties ?? {})) {
      into.add(name);
      propertyNames(sub, into);
    }
    for (const sub of Object.values(rest)) propertyNames(sub, into);
  }
  return into;
}

describe("docs/json-output.md", () => {
  const doc = readFileSync(join(PACKAGE_ROOT, "docs", "json-output.md"), "utf8");

  it.each(JSON_OUTPUT_NAMES)("names every field of %s's output and links its schema file", (name) => {
    const schema = committedSchema(name);
    const names = [...propertyNames(schema)];
    expect(names.length).toBeGreaterThan(3);
    expect(names.filter((field) => !doc.includes(`\`${field}\``))).toEqual([]);
    expect(doc).toContain(`(../schema/${schemaFileName(name)})`);
  });
});
