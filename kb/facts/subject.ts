// A fact subject: one group of facts (`os` and `boot`, `pool`, `httperr`, `events`…) with its zod
// schema, a one-line doc and the pure function that derives it from the inputs. kb/facts/index.ts
// lists the subjects in order; `Facts` is built from that list.
import { z } from "zod";
import type { KnowledgeBase } from "../load.js";
import type { TimedInput } from "./inputs.js";

export interface FactContext {
  kb: KnowledgeBase;
  inputs: TimedInput[];
}

export interface FactSubject<
  Shape extends z.ZodRawShape = z.ZodRawShape,
  Needs extends z.ZodRawShape = Record<never, never>,
> {
  /** One line: what these facts are. */
  doc: string;
  /** The top-level keys of `Facts` this subject fills, with their schemas (`{ pool: PoolFacts }`). */
  schema: z.ZodObject<Shape>;
  /** The facts of earlier subjects that `derive` reads (their schemas); `NO_NEEDS` for none. */
  needs: z.ZodObject<Needs>;
  derive(ctx: FactContext, earlier: z.infer<z.ZodObject<Needs>>): z.infer<z.ZodObject<Shape>>;
}

export const NO_NEEDS = z.object({});

/** Declares a subject with its types inferred from its schemas. */
export function defineSubject<
  Shape extends z.ZodRawShape,
  Needs extends z.ZodRawShape = Record<never, never>,
>(subject: FactSubject<Shape, Needs>): FactSubject<Shape, Needs> {
  return subject;
}
