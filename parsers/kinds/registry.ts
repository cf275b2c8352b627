// The registry of input kinds: looks a kind's module up by name and answers, for any input, the
// questions every surface asks (its records, how many, whether it is empty, its `parse --json` view),
// and says what the kinds read. Built from a list of modules, so a test can add a kind of its own.
import { z } from "zod";
import type { AnyInput, AnyKindModule } from "./module.js";

const INTRO = "I read what a Windows/IIS server tattles, pasted as text or attached as a file: ";
const OUTRO =
  "Code blocks, quotes and several kinds in one message are fine: I find each piece and read them together.";

export class KindRegistry<M extends AnyKindModule = AnyKindModule> {
  private readonly byKind = new Map<string, M>();

  /** `modules` in order of precedence: a line two kinds claim as strongly starts a piece of the first. */
  constructor(readonly modules: readonly M[]) {
    for (const m of modules) {
      if (this.byKind.has(m.kind)) throw new Error(`input kind "${m.kind}" is registered twice`);
      this.byKind.set(m.kind, m);
    }
  }

  get kinds(): M["kind"][] {
    return this.modules.map((m) => m.kind);
  }

  /** The module of a kind; an input of a kind not registered here is a programming error. */
  module(kind: string): M {
    const m = this.byKind.get(kind);
    if (!m) throw new Error(`unknown input kind "${kind}"`);
    return m;
  }

  /** The records of an input, whatever its kind (a streamed HTTPERR input keeps none). */
  recordsOf(input: AnyInput): readonly unknown[] {
    return this.module(input.kind).records(input.data);
  }

  /** How many records an input stands for: for HTTPERR, every line read, kept or streamed. */
  recordCount(input: AnyInput): number {
    const m = this.module(input.kind);
    return m.count ? m.count(input.data) : m.records(input.data).length;
  }

  /** An input that carries no evidence (the piece looked like its kind but nothing could be read). */
  isEmpty(input: AnyInput): boolean {
    return this.module(input.kind).isEmpty(input.data);
  }

  /** An input as `tattletale parse --json` prints it: `{ source, kind, records, ...details, warnings }`. */
  toJson(input: AnyInput): Record<string, unknown> {
    const m = this.module(input.kind);
    const { source, kind, warnings } = input;
    return { source, kind, records: m.records(input.data), ...m.details?.(input.data), warnings };
  }

  /** The schema of one `parse --json` input: `{ source, kind, records, ...details, warnings }` by kind. */
  outputSchema(): z.ZodType {
    const options = this.modules.map((m) =>
      z.object({
        source: z.string(),
        kind: z.literal(m.kind),
        records: z.array(m.recordSchema),
        ...m.detailsSchema,
        warnings: z.array(z.string()),
      }),
    );
    return z.discriminatedUnion("kind", options as unknown as [z.ZodObject, ...z.ZodObject[]]);
  }

  /** One paragraph on what Tattletale reads, for the "nothing I can read here" answer. */
  describe(): string {
    const reads = this.modules.map((m) => m.reads);
    const list =
      reads.length > 1 ? `${reads.slice(0, -1).join("; ")}; and ${reads.at(-1)}` : (reads[0] ?? "nothing");
    return `${INTRO}${list}. ${OUTRO}`;
  }

  /** The schema of an input of any kind here: `{ kind, source, warnings, data }`, `data` by kind. */
  inputSchema(): z.ZodType {
    const options = this.modules.map((m) =>
      z.object({
        kind: z.literal(m.kind),
        source: z.string(),
        warnings: z.array(z.string()),
        data: m.schema,
      }),
    );
    return z.discriminatedUnion("kind", options as unknown as [z.ZodObject, ...z.ZodObject[]]);
  }
}
