// The registry line of every input kind: adding a kind is one module in its folder and one entry
// here. Order is precedence: a line two kinds claim as strongly starts a piece of the earlier one.
import { z } from "zod";
import { bcdedit } from "./bcdedit/index.js";
import { bootIni } from "./boot-ini/index.js";
import { event } from "./event/index.js";
import { httperr } from "./httperr/index.js";
import type { InputOf } from "./module.js";
import { poolCounters } from "./pool-counters/index.js";
import { poolmon } from "./poolmon/index.js";
import { KindRegistry } from "./registry.js";

export const KINDS = new KindRegistry([httperr, poolmon, bootIni, bcdedit, event, poolCounters]);

type Registered = (typeof KINDS.modules)[number];

export const InputKind = z.enum(KINDS.kinds as [Registered["kind"], ...Registered["kind"][]]);
export type InputKind = z.infer<typeof InputKind>;

/** A parsed input of any registered kind: `{ kind, source, warnings, data }`, `data` typed by kind. */
export type ParsedInput = InputOf<Registered>;
export const ParsedInput = KINDS.inputSchema() as z.ZodType<ParsedInput>;
export type ParsedOf<K extends InputKind> = Extract<ParsedInput, { kind: K }>;
/** The payload of an input of kind K. */
export type DataOf<K extends InputKind> = ParsedOf<K>["data"];

export type {
  AnyInput,
  AnyKindModule,
  Continuation,
  InputKindModule,
  InputOf,
  KindInput,
  LineAt,
  LineRecogniser,
  Strength,
} from "./module.js";
export { defineKind } from "./module.js";
export { KindRegistry } from "./registry.js";
