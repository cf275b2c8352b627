// The JSON contract of `tattletale parse --json`: one entry per input, its records under one name
// whatever the kind, plus what each kind has beside its records. Built from the evidence schemas
// (a shape is written once); schema/parse.schema.json is generated from it (npm run schema).
import { z } from "zod";
import {
  BcdEntry,
  BootConfig,
  BootEntry,
  EventRecord,
  HttperrRecord,
  HttperrSummary,
  type ParsedInput,
  PoolCounters,
  PoolmonHeader,
  PoolmonSnapshot,
  PoolRow,
} from "./evidence.js";

const base = { source: z.string(), warnings: z.array(z.string()) };

export const ParseOutputInput = z.discriminatedUnion("kind", [
  z.object({
    source: base.source,
    kind: z.literal("httperr"),
    /** One per data line, keyed by the log's W3C field names; empty when the log was streamed. */
    records: z.array(HttperrRecord),
    summary: HttperrSummary,
    warnings: base.warnings,
  }),
  z.object({
    source: base.source,
    kind: z.literal("poolmon"),
    records: z.array(PoolRow),
    header: PoolmonHeader,
    tool: PoolmonSnapshot.shape.tool,
    time: PoolmonSnapshot.shape.time,
    warnings: base.warnings,
  }),
  z.object({
    source: base.source,
    kind: z.literal("boot-ini"),
    records: z.array(BootEntry),
    timeout: BootConfig.shape.timeout,
    warnings: base.warnings,
  }),
  z.object({
    source: base.source,
    kind: z.literal("bcdedit"),
    records: z.array(BcdEntry),
    warnings: base.warnings,
  }),
  z.object({
    source: base.source,
    kind: z.literal("event"),
    records: z.array(EventRecord),
    warnings: base.warnings,
  }),
  z.object({
    source: base.source,
    kind: z.literal("pool-counters"),
    /** Always one record: the counters read. */
    records: z.array(PoolCounters),
    warnings: base.warnings,
  }),
]);
export type ParseOutputInput = z.infer<typeof ParseOutputInput>;

export const ParseOutput = z.object({ inputs: z.array(ParseOutputInput) }).meta({
  title: "tattletale parse --json",
  description: "The parsed records of every piece found in the inputs, in the order found.",
});
export type ParseOutput = z.infer<typeof ParseOutput>;

/**
 * One input as `parse --json` prints it. A new input kind fails to compile here until it has its
 * branch, and a branch in ParseOutputInput.
 */
function outputOf(input: ParsedInput): ParseOutputInput {
  const { source, warnings } = input;
  switch (input.kind) {
    case "httperr":
      return { source, kind: input.kind, records: input.records, summary: input.summary, warnings };
    case "poolmon": {
      const { rows, header, tool, time } = input.snapshot;
      return { source, kind: input.kind, records: rows, header, tool, time, warnings };
    }
    case "boot-ini":
      return { source, kind: input.kind, records: input.boot.entries, timeout: input.boot.timeout, warnings };
    case "bcdedit":
      return { source, kind: input.kind, records: input.entries, warnings };
    case "event":
      return { source, kind: input.kind, records: input.events, warnings };
    case "pool-counters":
      return { source, kind: input.kind, records: [input.counters], warnings };
  }
}

/** What `tattletale parse --json` prints for these inputs, checked against its schema. */
export function parseOutput(inputs: readonly ParsedInput[]): ParseOutput {
  return ParseOutput.parse({ inputs: inputs.map(outputOf) });
}
