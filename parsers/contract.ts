// The JSON contract of `tattletale parse --json`: one entry per input, its records under one name
// whatever the kind, plus what each kind has beside its records. Built from the registry of input
// kinds (each module names its record and details schemas), so a new kind joins it by itself;
// schema/parse.schema.json is generated from it (npm run schema).
import { z } from "zod";
import type { ParsedInput } from "./evidence.js";
import { KINDS } from "./kinds/index.js";

export const ParseOutputInput = KINDS.outputSchema();
export type ParseOutputInput = z.infer<typeof ParseOutputInput>;

export const ParseOutput = z.object({ inputs: z.array(ParseOutputInput) }).meta({
  title: "tattletale parse --json",
  description: "The parsed records of every piece found in the inputs, in the order found.",
});
export type ParseOutput = z.infer<typeof ParseOutput>;

/** What `tattletale parse --json` prints for these inputs, checked against its schema. */
export function parseOutput(inputs: readonly ParsedInput[]): ParseOutput {
  return ParseOutput.parse({ inputs: inputs.map((input) => KINDS.toJson(input)) });
}
