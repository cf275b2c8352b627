// What every input kind (HTTPERR, poolmon, boot.ini…) provides, in one shape, so that the splitter,
// parseText, record counting, `parse --json` and the "what I can read" answer all go through the
// registry (./index.ts) and adding a kind is one new module and one registry line.
import type { z } from "zod";

/**
 * How strongly a line belongs to a kind: 0 not at all, 1 it can belong to a piece of the kind
 * (headers, continuation lines, generic `key=value`), 2 it proves the kind. A piece is kept only if
 * it holds a line of strength 2, so that a stray `timeout=30` in prose does not become evidence.
 */
export type Strength = 0 | 1 | 2;

/** A line of a (normalised) paste, with the lines around it for kinds that look ahead. */
export interface LineAt {
  readonly lines: readonly string[];
  readonly i: number;
  readonly line: string;
}

/** What the splitter tells a kind about a line it may continue an open piece with. */
export interface Continuation<State> {
  /** Blank lines came between the piece and this line. */
  readonly afterBlank: boolean;
  /** The open piece's own state (made by `open`), which the kind may update. */
  readonly state: State;
  /** True when another kind claims this line outright (strength 2). */
  provesOther(): boolean;
}

/** How the splitter recognises a kind's lines. */
export interface LineRecogniser<State = undefined> {
  /** Strength of a line as the start of a piece of the kind (and, by default, inside one). */
  start(at: LineAt): Strength;
  /** Strength of a line inside an open piece; without it, `start` after a blank or not. */
  continues?(at: LineAt, c: Continuation<State>): Strength;
  /** Fresh per-piece state, from the piece's first line (e.g. which Event Log layout it is). */
  open?(at: LineAt): State;
}

/** One parsed input: the uniform envelope every kind's payload travels in. */
export interface KindInput<K extends string, D> {
  kind: K;
  /** Where it came from (`file boot.ini`, `message 2`, a path); `#2`, `#3`… for later inputs of one text. */
  source: string;
  warnings: string[];
  /** The kind's payload, as its module's `schema` describes it. */
  data: D;
}

export interface InputKindModule<K extends string = string, S extends z.ZodType = z.ZodType, State = never> {
  /** Its name: the `kind` of its inputs, in `parse --json` and the diagnosis. */
  readonly kind: K;
  /** What one piece of it is called in messages: "a poolmon table". */
  readonly label: string;
  /** One clause saying what it reads, for the "what I can read" answer. */
  readonly reads: string;
  /** Schema of its payload (`data`). */
  readonly schema: S;
  /** Its lines, for the splitter. */
  readonly lines: LineRecogniser<State>;
  /** Parses one piece: one input per thing found (a poolmon piece gives one per snapshot). */
  parse(text: string, source: string): KindInput<K, z.infer<S>>[];
  /** Its records, as `parse --json` lists them. */
  records(data: z.infer<S>): readonly unknown[];
  /** Schema of one record (part of the `parse --json` contract). */
  readonly recordSchema: z.ZodType;
  /** Schemas of what `details` prints beside the records (part of that contract too). */
  readonly detailsSchema?: z.ZodRawShape;
  /** How many records it stands for; default: how many `records` gives. */
  count?(data: z.infer<S>): number;
  /** True when it carries no evidence (the piece looked like the kind but held none). */
  isEmpty(data: z.infer<S>): boolean;
  /** What `parse --json` prints besides the records (part of that output's contract). */
  details?(data: z.infer<S>): Record<string, unknown>;
}

/** Any kind's module, as the registry and the splitter hold them. */
// biome-ignore lint/suspicious/noExplicitAny: each module has its own payload and line state
export type AnyKindModule = InputKindModule<string, z.ZodType, any>;

/** The inputs a list of modules gives: one envelope per kind, its payload typed by its schema. */
export type InputOf<M extends AnyKindModule> =
  M extends InputKindModule<infer K, infer S, infer _State> ? KindInput<K, z.infer<S>> : never;

/** Any input, whatever its kind (what the generic code paths handle). */
export type AnyInput = KindInput<string, unknown>;

/** Types a kind's module (checks it against the interface, keeps its literal kind and schema). */
export function defineKind<K extends string, S extends z.ZodType, State = never>(
  module: InputKindModule<K, S, State>,
): InputKindModule<K, S, State> {
  return module;
}
