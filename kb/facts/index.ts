// The fact registry: every subject in the order they are derived (a subject may read the facts of
// the subjects before it). `Facts`, what rule conditions and templates refer to by path
// (`pool.freeMb`, `httperr.reasons.QueueFull`, `events.ids.2019`), is built from this list, so a new
// subject is one module and one line here.
import { z } from "zod";
import { bootSubject } from "./boot.js";
import { eventSubject } from "./events.js";
import { httperrSubject } from "./httperr.js";
import { kindsSubject } from "./kinds.js";
import { machineSubject } from "./machine.js";
import { poolSubject } from "./pool.js";

export const SUBJECTS = [
  machineSubject,
  bootSubject,
  poolSubject,
  httperrSubject,
  eventSubject,
  kindsSubject,
] as const;

type Subject = (typeof SUBJECTS)[number];
type ShapeOf<S> = S extends { schema: z.ZodObject<infer Shape> } ? Shape : never;
type Intersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;
type FactsShape = Intersection<ShapeOf<Subject>>;

export const Facts = z.object(Object.assign({}, ...SUBJECTS.map((s) => s.schema.shape)) as FactsShape);
export type Facts = z.infer<typeof Facts>;

export { BootFacts, OsFacts } from "./boot.js";
export { EventFacts, shortEventSource } from "./events.js";
export { HttperrFacts } from "./httperr.js";
export { MachineFacts, MeasuredPool } from "./machine.js";
export { PoolFacts } from "./pool.js";
export { GrowthFact } from "./pool-growth.js";
export { TagFact } from "./pool-tags.js";
