// The typed evidence every parser produces, in one place for the layers above: each kind's payload
// schemas (written once, in its folder under kinds/), the input envelope built from the registry, and
// the pieces the splitter finds. Types come from z.infer. Parsers never import ingest/, kb/, bot/ or cli/.
import { z } from "zod";
import { InputKind } from "./kinds/index.js";

export * from "./kinds/bcdedit/schema.js";
export * from "./kinds/boot-ini/schema.js";
export * from "./kinds/event/schema.js";
export * from "./kinds/httperr/schema.js";
export type { DataOf } from "./kinds/index.js";
export { InputKind, ParsedInput, type ParsedOf } from "./kinds/index.js";
export * from "./kinds/pool-counters/schema.js";
export * from "./kinds/poolmon/schema.js";

/** One piece of a paste or file, as found by the splitter, before parsing. */
export const Piece = z.object({
  kind: InputKind,
  text: z.string(),
  /** 1-based line in the original text where the piece starts. */
  line: z.number().int(),
});
export type Piece = z.infer<typeof Piece>;
/** A piece of a kind of any registry (a test's own kinds included). */
export type PieceOf<K extends string> = Omit<Piece, "kind"> & { kind: K };
