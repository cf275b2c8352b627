// `npm run schema`: writes schema/<output>.schema.json, the JSON Schema of every `--json` output of
// the CLI, generated from its zod schema (cli/json-contract.ts). Commit the result.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { JSON_OUTPUT_NAMES, jsonSchemaText, schemaFileName } from "../cli/json-contract.js";
import { PACKAGE_ROOT } from "../kb/paths.js";

const dir = join(PACKAGE_ROOT, "schema");
mkdirSync(dir, { recursive: true });
for (const name of JSON_OUTPUT_NAMES) {
  const path = join(dir, schemaFileName(name));
  writeFileSync(path, jsonSchemaText(name));
  process.stdout.write(`wrote schema/${schemaFileName(name)}\n`);
}
