// ajv (JSON Schema draft 2020-12, with formats) compiled on the committed schema/ files: a real
// validator, not the zod schemas they were generated from.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { JSON_OUTPUT_NAMES, type JsonOutputName, schemaFileName } from "../../cli/json-contract.js";
import { PACKAGE_ROOT } from "../../kb/paths.js";

export const SCHEMA_DIR = join(PACKAGE_ROOT, "schema");

export const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats.default(ajv);

export function committedSchema(name: JsonOutputName): unknown {
  return JSON.parse(readFileSync(join(SCHEMA_DIR, schemaFileName(name)), "utf8"));
}

const validators = new Map(JSON_OUTPUT_NAMES.map((name) => [name, ajv.compile(committedSchema(name))]));

export function validatorOf(name: JsonOutputName): ValidateFunction {
  const validate = validators.get(name);
  if (!validate) throw new Error(`no schema for ${name}`);
  return validate;
}
