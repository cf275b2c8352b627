// Every `--json` output of the CLI and its zod schema: the source of schema/*.schema.json
// (`npm run schema` writes them; test/cli/json-schema.test.ts checks they are current).
import { z } from "zod";
import { HandoffOutput } from "../incidents/index.js";
import { DiagnoseOutput, KbListOutput, LookupOutput } from "../kb/contract.js";
import { ParseOutput } from "../parsers/contract.js";

/** Output name (`kb-list` for `kb list --json`) → its schema. */
export const JSON_OUTPUTS = {
  diagnose: DiagnoseOutput,
  parse: ParseOutput,
  lookup: LookupOutput,
  "kb-list": KbListOutput,
  handoff: HandoffOutput,
} as const;

export type JsonOutputName = keyof typeof JSON_OUTPUTS;

export const JSON_OUTPUT_NAMES = Object.keys(JSON_OUTPUTS) as JsonOutputName[];

/** `diagnose.schema.json`: the file under schema/. */
export function schemaFileName(name: JsonOutputName): string {
  return `${name}.schema.json`;
}

/** The JSON Schema (draft 2020-12) of one output, as the committed file's text. */
export function jsonSchemaText(name: JsonOutputName): string {
  return `${JSON.stringify(z.toJSONSchema(JSON_OUTPUTS[name], { io: "output" }), null, 2)}\n`;
}
